"""docs/interchange.md documents every column of every table, its allowed values, both ethnicity
numberings and the indicator codes, and its examples have the headers of the format."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from households.ethnicity import ETHNIC_GROUPS
from households.interchange.format import CENSUS_GROUPS, TABLES, parse_cell
from policies.standards import all_standards

DOC = (Path(__file__).resolve().parents[3] / "docs" / "interchange.md").read_text("utf-8")
KINDS = {"text": "text", "int": "integer", "decimal": "decimal", "date": "date",
         "bool": "boolean", "enum": "enum", "list": "list", "code": "code"}  # fmt: skip


def _section(table: str) -> str:
    start = DOC.index(f"### `{table}`\n")
    end = DOC.index("\n### ", start + 1)
    return DOC[start:end]


def _rows(table: str) -> dict[str, list[str]]:
    rows = {}
    for line in _section(table).splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        match = re.fullmatch(r"`([a-z0-9_]+)`", cells[0]) if len(cells) == 5 else None
        if match:
            rows[match[1]] = cells
    return rows


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_is_documented_in_order(table):
    assert list(_rows(table)) == list(TABLES[table].header)


@pytest.mark.parametrize("table", list(TABLES))
def test_type_required_and_allowed_values(table):
    rows = _rows(table)
    for column in TABLES[table].columns:
        _name, kind, required, allowed, meaning = rows[column.name]
        assert kind.startswith(KINDS[column.kind]), column.name
        assert required.startswith("yes" if column.required else ("no", "required for")), (
            column.name
        )
        for value in column.values:
            assert f"`{value}`" in allowed, (column.name, value)
        assert meaning, column.name


def test_both_numberings_side_by_side():
    census = {qd121: (code, name) for code, name, qd121 in CENSUS_GROUPS}
    for code, name in ETHNIC_GROUPS:
        census_code, census_name = census[code]
        assert f"| {code} | {name} | {census_code} | {census_name} |" in DOC


def test_every_indicator_code_is_listed():
    for standard in all_standards():
        for indicator in standard.indicators:
            assert f"`{indicator.code}`" in DOC, indicator.code


@pytest.mark.parametrize("table", list(TABLES))
def test_the_example_has_the_header_of_the_table(table):
    example = re.search(rf"`{table}\.csv`[^\n]*:\n\n```csv\n([^\n]+)\n", DOC)
    assert example, table
    assert tuple(example[1].split(",")) == TABLES[table].header


@pytest.mark.parametrize("table", list(TABLES))
def test_the_example_rows_read_without_error(table):
    block = re.search(rf"`{table}\.csv`[^\n]*:\n\n```csv\n(.*?)```", DOC, re.S)[1]
    rows = list(csv.DictReader(io.StringIO(block)))
    assert rows
    for row in rows:
        assert all(parse_cell(c, row[c.name]) is not None or not c.required
                   for c in TABLES[table].columns)  # fmt: skip
