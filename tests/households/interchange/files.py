"""Small interchange files for the import tests: rows as dicts, written as CSV, ZIP or XLSX."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from households.interchange.format import TABLES

MY_HOA_HUNG = "30313"  # xã, rural (An Giang, two-level scheme)
LONG_XUYEN = "30307"  # phường, urban


def household(code: str = "HH-1", **extra: Any) -> dict[str, Any]:
    row = {"household_code": code, "scheme": "2025", "commune_code": MY_HOA_HUNG,
           "area_type": "rural", "address": "Ấp Mỹ An"}  # fmt: skip
    row.update(extra)
    return row


def member(code: str = "HH-1", key: str = "1", **extra: Any) -> dict[str, Any]:
    row = {"household_code": code, "member_key": key, "full_name": "Nguyễn Văn An",
           "relationship": "head", "sex": "male", "birth_year": 1980, "ethnicity": "01",
           "has_health_insurance": 1, "qualification": "upper_secondary",
           "employment": "self_employed"}  # fmt: skip
    row.update(extra)
    return row


def spouse(code: str = "HH-1", key: str = "2", **extra: Any) -> dict[str, Any]:
    return member(code, key, full_name="Trần Thị Bình", relationship="spouse", sex="female",
                  birth_year=1982, **extra)  # fmt: skip


# Three indicators deprived: with an income under the rural line, poor under Decree 07/2021.
DEPRIVED = "D22_WATER_SOURCE;D22_HYGIENIC_LATRINE;D22_TELECOM_USE"


def review(code: str = "HH-1", **extra: Any) -> dict[str, Any]:
    """The 2026 periodic review: 1.2 million VND a month in a rural commune (under the line of
    1.5 million, Decree 07/2021/NĐ-CP) and three indicators deprived, so the standard computes
    poor, as recognised."""
    row = {"household_code": code, "list_year": 2026, "kind": "periodic",
           "survey_date": "2025-10-15", "area_type": "rural", "income_per_capita": 1_200_000,
           "deprivations": DEPRIVED, "recognised_classification": "poor"}  # fmt: skip
    row.update(extra)
    return row


def family(code: str = "HH-1", prefix: str = "", **extra: Any) -> dict[str, list[dict]]:
    """One household, its head and spouse, and its 2026 review recognised poor."""
    return {
        "households": [household(code, **extra)],
        "members": [member(code, full_name=f"{prefix}Nguyễn Văn An"), spouse(code)],
        "reviews": [review(code)],
    }


def merged(*parts: dict[str, list[dict]]) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for part in parts:
        for table, rows in part.items():
            tables.setdefault(table, []).extend(rows)
    return tables


def _header(table: str, rows: list[dict]) -> list[str]:
    used = {name for row in rows for name in row}
    return [c.name for c in TABLES[table].columns if c.required or c.name in used]


def csv_bytes(table: str, rows: list[dict], *, bom: bool = False) -> bytes:
    out = io.StringIO()
    header = _header(table, rows)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in header])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def write_zip(path: Path, tables: dict[str, list[dict]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in tables.items():
            archive.writestr(f"{table}.csv", csv_bytes(table, rows))
    return path


def write_xlsx(path: Path, tables: dict[str, list[dict]], *, max_rows: int | None = None) -> Path:
    """A workbook of the tables; `max_rows` data rows a sheet, then continuation sheets."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table, rows in tables.items():
        header = _header(table, rows)
        per_sheet = max_rows or max(len(rows), 1)
        chunks = [rows[i : i + per_sheet] for i in range(0, len(rows), per_sheet)] or [[]]
        for n, chunk in enumerate(chunks, start=1):
            sheet = workbook.create_sheet(table if n == 1 else f"{table} ({n})")
            sheet.append(header)
            for row in chunk:
                sheet.append([row.get(name) for name in header])
    workbook.save(path)
    return path
