"""The spool: the rows the checking pass parsed, read back by the writing pass, so that an import
parses each cell of its file once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from households.interchange import format as fmt
from households.interchange import spool as spool_module
from households.interchange.importing import import_file
from households.interchange.reader import Row
from households.interchange.spool import Spool
from households.models import Household, Member, Review

from .files import family, merged, write_zip


def _values(number: int) -> dict:
    values = {column.name: column.blank_value for column in fmt.TABLES["reviews"].columns}
    values.update(
        household_code=f"HH-{number}",
        list_year=2026,
        survey_date=dt.date(2025, 10, number % 28 + 1),
        income_per_capita=1_200_000 + number,
        housing_area_m2=Decimal("12.50"),
        deprivations=["D22_WATER_SOURCE", "D22_TELECOM_USE"],
        override_reason=None,
    )
    return values


def test_rows_come_back_in_order_with_their_values_across_chunks(monkeypatch):
    monkeypatch.setattr(spool_module, "CHUNK", 7)
    with Spool() as spool:
        for number in range(1, 31):
            spool.add("reviews", Row("reviews.csv", number + 1, {"ignored": "x"}), _values(number))
        assert not spool.has("members")
        back = list(spool.rows("reviews"))
        assert list(spool.rows("members")) == []
    assert [(row.file, row.number) for row, _values_ in back] == [
        ("reviews.csv", n + 1) for n in range(1, 31)
    ]
    assert [values for _row, values in back] == [_values(n) for n in range(1, 31)]


def test_a_second_reading_gives_the_same_rows():
    with Spool() as spool:
        spool.add("reviews", Row("reviews.csv", 2, {}), _values(1))
        assert list(spool.rows("reviews")) == list(spool.rows("reviews"))


@pytest.mark.django_db
def test_an_import_parses_each_cell_once(officer, tmp_path, monkeypatch):
    tables = merged(family("HH-1"), family("HH-2"))
    cells = sum(len(fmt.TABLES[table].columns) * len(rows) for table, rows in tables.items())
    parsed = []
    real = fmt.parse_cell
    monkeypatch.setattr(
        fmt, "parse_cell", lambda column, raw: parsed.append(1) or real(column, raw)
    )
    path = write_zip(tmp_path / "lists.zip", tables)
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename=path.name)
    assert result.ok, result.errors
    assert (Household.objects.count(), Member.objects.count(), Review.objects.count()) == (2, 4, 2)
    assert len(parsed) == cells
