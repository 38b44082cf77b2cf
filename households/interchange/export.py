"""Export of what a user may see, in the interchange format (households.interchange.format).

Rows are read with `.iterator(chunk_size=...)` and written as they come, so memory stays
bounded whatever the area: a CSV zip (one `<table>.csv` per table, UTF-8 with a BOM so that
Excel reads the diacritics), or an XLSX workbook written by XlsxWriter in constant-memory mode,
a table longer than a sheet continuing on `<table> (2)`, `<table> (3)`, ... (the blank template,
small and described, is written by openpyxl, which also reads every imported workbook).

Every value goes through `format.format_cell` (text) or is written as a number, so a file the
registry writes is one its import reads back.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, BinaryIO

import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from policies.support.models import Disbursement
from registry.scoping import scope_for
from reports.models import ResidentCount

from ..models import Household, Member, Review
from ..privacy import sees_id_numbers
from ..services import MEMBER_FIELDS
from . import format as ifmt
from .format import TABLES, XLSX_MAX_ROWS, format_cell, neutralise

CHUNK_SIZE = 2_000
# How often `write_export` reports progress, in rows.
PROGRESS_EVERY = 5_000
# The key written for a row the registry made itself (no key from an imported file): its id,
# with a prefix no imported key is likely to have.
GENERATED_KEY_PREFIX = "reg-"
FORMATS = ("csv", "xlsx")

Rows = Iterator[dict[str, Any]]
OnProgress = Callable[[str, int, int | None], None]


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _key(source_key: str | None, pk: int | None) -> str | None:
    """The key of a member or disbursement: the key it was imported with, else its id."""
    if source_key:
        return source_key
    return None if pk is None else f"{GENERATED_KEY_PREFIX}{pk}"


def export_rows(
    user, *, unit=None, years: Iterable[int] | None = None, numbering: str = ifmt.QD121
) -> dict[str, Rows]:
    """The rows of each table that `user` may see, under `unit` (an AdminUnit in their area,
    or None for their whole area), the yearly tables (reviews, disbursements, resident counts)
    limited to `years` when given. Each value is a lazy iterator of {column: value}; nothing is
    read before it is iterated.

    Households and members are exported whole (they are not yearly). Reviews without a
    recognised classification (listed, not yet surveyed) are not part of the format.
    """
    scope = scope_for(user)
    if unit is not None and not scope.can_view(unit.path):
        raise PermissionDenied
    years = sorted(set(years)) if years is not None else None

    def where(field: str) -> Q:
        # The one scoping function, narrowed to the unit chosen.
        q = scope.view_q(field)
        if unit is not None:
            q &= Q(**{f"{field}__startswith": unit.path})
        return q

    def in_years(field: str) -> Q:
        return Q(**{f"{field}__in": years}) if years is not None else Q()

    return {
        "households": _households(where("unit_path")),
        "members": _members(where("household__unit_path"), numbering, user),
        "reviews": _reviews(where("household__unit_path") & in_years("list_year")),
        "disbursements": _disbursements(where("household__unit_path") & in_years("year")),
        "resident_counts": _resident_counts(where("unit_path") & in_years("year")),
    }


def _households(q: Q) -> Rows:
    rows = (
        Household.objects.filter(q)
        .order_by("code")
        .values_list(
            "code",
            "commune__scheme",
            "commune__code",
            "village__code",
            "area_type",
            "address",
            "phone",
            "status",
        )
    )
    for code, scheme, commune, village, area, address, phone, status in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield {
            "household_code": code,
            "scheme": scheme,
            "commune_code": commune,
            "village_code": village,
            "area_type": area,
            "address": address,
            "phone": phone,
            "status": status,
        }


# The member's fields the household form keeps (ethnicity is written by its numbering), and
# those of a member who left.
_MEMBER_FIELDS = (
    *(name for name in MEMBER_FIELDS if name != "ethnicity"),
    "left_on",
    "leave_reason",
)


def _members(q: Q, numbering: str, user) -> Rows:
    """The members; their ID numbers only for the officers and chair of the household's own
    commune (households.privacy): for anyone else the column is left blank, as a masked number
    is no ID number to import back."""
    # Member.source_key (the key of an imported member) comes with the import.
    keyed = _has_field(Member, "source_key")
    extra = ("source_key",) if keyed else ()
    # The name as the numbering's own list spells it.
    name_of = ifmt.census_name if numbering == ifmt.CENSUS else ifmt.ethnicity_name
    rows = (
        Member.objects.filter(q)
        .order_by("household__code", "pk")
        .values(
            "pk", "household__code", "household__unit_path", "ethnicity", *extra, *_MEMBER_FIELDS
        )
    )
    sees: dict[str, bool] = {}  # by the household's unit path (a commune or a village)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        path = row["household__unit_path"]
        if path not in sees:
            sees[path] = sees_id_numbers(user, path)
        ethnicity = row["ethnicity"]
        out = {
            "household_code": row["household__code"],
            "member_key": _key(row.get("source_key"), row["pk"]),
            "ethnicity": ifmt.from_qd121(ethnicity, numbering) if ethnicity else "",
            "ethnicity_name": name_of(ethnicity) if ethnicity else "",
        }
        out.update((name, row[name]) for name in _MEMBER_FIELDS)
        if not sees[path]:
            out["id_number"] = ""
        yield out


def _reviews(q: Q) -> Rows:
    rows = (
        Review.objects.filter(q)
        .exclude(recognised_classification="")
        .order_by("household__code", "list_year", "kind", "survey_date", "pk")
        .values(
            "household__code",
            "list_year",
            "kind",
            "survey_date",
            "area_type",
            "income_per_capita",
            "b1_score",
            "deprivations",
            "housing_area_m2",
            "recognised_classification",
            "override_reason",
            "computed_classification",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        row["household_code"] = row.pop("household__code")
        row["deprivations"] = list(row["deprivations"] or [])
        yield row


def _disbursements(q: Q) -> Rows:
    # Disbursement.source_key and Member.source_key come with the import.
    keyed = _has_field(Disbursement, "source_key")
    member_keyed = _has_field(Member, "source_key")
    extra = ("source_key", "reverses__source_key") if keyed else ()
    member_extra = ("member__source_key",) if member_keyed else ()
    rows = (
        Disbursement.objects.filter(q)
        .order_by("pk")
        .values(
            "pk",
            "household__code",
            "member_id",
            "programme__code",
            "year",
            "kind",
            "reverses_id",
            "paid_on",
            "period",
            "variant",
            "quantity",
            "amount",
            "funding_source",
            "reference",
            "note",
            *extra,
            *member_extra,
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "disbursement_key": _key(row.get("source_key"), row["pk"]),
            "household_code": row["household__code"],
            "member_key": _key(row.get("member__source_key"), row["member_id"]),
            "programme_code": row["programme__code"],
            "year": row["year"],
            "kind": row["kind"],
            "reverses_key": _key(row.get("reverses__source_key"), row["reverses_id"]),
            "paid_on": row["paid_on"],
            "period": row["period"],
            "variant": row["variant"],
            "quantity": row["quantity"],
            "amount": row["amount"],
            "funding_source": row["funding_source"],
            "reference": row["reference"],
            "note": row["note"],
        }


def _resident_counts(q: Q) -> Rows:
    rows = (
        ResidentCount.objects.filter(q)
        .order_by("unit__path", "year")
        .values_list("unit__scheme", "unit__code", "year", "households", "persons", "source")
    )
    for scheme, code, year, households, persons, source in rows.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "scheme": scheme,
            "unit_code": code,
            "year": year,
            "households": households,
            "persons": persons,
            "source": source,
        }


# --- Writers --------------------------------------------------------------------------------


def _text_row(table_name: str, row: dict[str, Any]) -> list[str]:
    return [format_cell(column, row.get(column.name)) for column in TABLES[table_name].columns]


class _Echo:
    """A file-like object whose write returns what it was given (for a streamed CSV)."""

    def write(self, value: str) -> str:
        return value


def stream_csv(table: str, rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """One table as CSV bytes, a chunk at a time (for a StreamingHttpResponse): a BOM, the
    header row, then the rows."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    yield writer.writerow(TABLES[table].header).encode()
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow(_text_row(table, row)))
        if len(chunk) >= CHUNK_SIZE:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


def _counted(table: str, rows: Iterable, on_progress: OnProgress | None) -> Iterator:
    done = 0
    for row in rows:
        yield row
        done += 1
        if on_progress is not None and done % PROGRESS_EVERY == 0:
            on_progress(table, done, None)
    if on_progress is not None:
        on_progress(table, done, done)


def write_csv_zip(
    rows_by_table: dict[str, Iterable[dict[str, Any]]],
    out: BinaryIO,
    *,
    on_progress: OnProgress | None = None,
) -> dict[str, int]:
    """Write a ZIP of `<table>.csv` files to `out`; returns the rows written per table."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, rows in rows_by_table.items():
            with (
                archive.open(f"{table}.csv", "w", force_zip64=True) as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
            ):
                writer = csv.writer(text)
                writer.writerow(TABLES[table].header)
                n = 0
                for row in _counted(table, rows, on_progress):
                    writer.writerow(_text_row(table, row))
                    n += 1
                counts[table] = n
    return counts


def _xlsx_cell_writer(column: ifmt.Column) -> Callable[[Any, int, int, Any], None]:
    """How a value of `column` goes into a sheet (XlsxWriter): numbers as numbers, everything
    else as the text of the format (`format_cell`, formulas neutralised), written as a string
    and never read as a formula, URL or number; None leaves the cell blank."""
    if column.kind == "int":

        def write(sheet, row: int, col: int, value: Any) -> None:
            sheet.write_number(row, col, int(value))

    elif column.kind == "decimal":

        def write(sheet, row: int, col: int, value: Any) -> None:
            sheet.write_number(row, col, float(Decimal(value)))

    else:

        def write(sheet, row: int, col: int, value: Any) -> None:
            text = format_cell(column, value)
            # Characters a workbook cannot hold (control characters) are dropped.
            text = ILLEGAL_CHARACTERS_RE.sub("", text) if text else text
            if text:
                sheet.write_string(row, col, text)

    return write


def sheet_name(table: str, part: int) -> str:
    """The name of the `part`-th sheet of a table: "members", "members (2)", ..."""
    return table if part == 1 else f"{table} ({part})"


def write_xlsx(
    rows_by_table: dict[str, Iterable[dict[str, Any]]],
    out: BinaryIO,
    *,
    max_rows: int = XLSX_MAX_ROWS,
    on_progress: OnProgress | None = None,
) -> dict[str, int]:
    """Write one workbook to `out`, a sheet per table, each sheet at most `max_rows` rows with
    its header; returns the rows written per table.

    XlsxWriter in its constant-memory mode: each row goes to a temporary file as it is written
    (memory stays flat whatever the area), and a cell costs about half what openpyxl's
    write-only mode costs (bench/export.py). Strings are never turned into formulas, URLs or
    numbers."""
    if max_rows < 2:
        raise ValueError("a sheet needs room for its header and one row")
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    counts: dict[str, int] = {}
    for table, rows in rows_by_table.items():
        columns = TABLES[table].columns
        writers = [(i, c.name, _xlsx_cell_writer(c)) for i, c in enumerate(columns)]
        header = list(TABLES[table].header)
        part = 1
        sheet = workbook.add_worksheet(sheet_name(table, part))
        sheet.write_row(0, 0, header)
        on_sheet = 1
        n = 0
        for row in _counted(table, rows, on_progress):
            if on_sheet >= max_rows:
                part += 1
                sheet = workbook.add_worksheet(sheet_name(table, part))
                sheet.write_row(0, 0, header)
                on_sheet = 1
            for col, name, write in writers:
                value = row.get(name)
                if value is not None:
                    write(sheet, on_sheet, col, value)
            on_sheet += 1
            n += 1
        counts[table] = n
    workbook.close()
    return counts


def write_export(
    user,
    unit,
    years: Iterable[int] | None,
    fmt: str,
    out: BinaryIO,
    *,
    numbering: str = ifmt.QD121,
    on_progress: OnProgress | None = None,
) -> dict[str, int]:
    """Write the export of `unit` (None: the user's whole area) for `years` (None: every
    year) as "csv" (a ZIP of CSV files) or "xlsx" to `out`; returns the rows per table.
    Raises PermissionDenied for a unit outside the user's area. For a background job too."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows = export_rows(user, unit=unit, years=years, numbering=numbering)
    if fmt == "csv":
        return write_csv_zip(rows, out, on_progress=on_progress)
    return write_xlsx(rows, out, on_progress=on_progress)


def export_filename(unit, fmt: str, today) -> str:
    """ "ansinh-<unit code or all>-<date>.zip|xlsx"."""
    code = unit.code if unit is not None else "all"
    extension = "zip" if fmt == "csv" else "xlsx"
    return f"ansinh-{code}-{today:%Y%m%d}.{extension}"


# --- The blank template ---------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return {
        "text": _("text"),
        "int": _("whole number"),
        "decimal": _("number"),
        "date": _("date (YYYY-MM-DD)"),
        "bool": _("1 = yes, 0 = no"),
        "enum": _("one of the values"),
        "list": _("codes separated by ;"),
        "code": _("code"),
    }[kind]


def template_xlsx() -> bytes:
    """A blank workbook: a sheet per table with its header row, and a `columns` sheet that
    describes each column (in the active language)."""
    workbook = Workbook(write_only=True)
    for table in TABLES.values():
        workbook.create_sheet(table.name).append(list(table.header))
    described = workbook.create_sheet("columns")
    described.append(
        [_("table"), _("column"), _("type"), _("required"), _("allowed values"), _("meaning")]
    )
    for table in TABLES.values():
        for column in table.columns:
            allowed = "; ".join(f"{value} = {label}" for value, label in column.choices or ())
            described.append(
                [
                    table.name,
                    column.name,
                    _kind_label(column.kind),
                    _("yes") if column.required else _("no"),
                    neutralise(allowed),
                    neutralise(str(column.help)),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
