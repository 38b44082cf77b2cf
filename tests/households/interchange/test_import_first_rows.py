"""A key given twice in a file is reported on its second row with the row of its first, for
each key the checking pass remembers (member keys, heads, ID numbers, reviews, disbursement
keys, payments), also when the file holds more keys than the indexes' first buckets (their
doublings, `households.interchange.seen`). Messages are read in English."""

from __future__ import annotations

import pytest
from django.utils import translation

from households.interchange import seen
from households.interchange.importing import import_file

from .files import family, member, merged, review, spouse, write_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(officer, tmp_path):
    def run(tables):
        path = write_zip(tmp_path / "lists.zip", tables)
        with translation.override("en"):
            return import_file(actor=officer, path=path, filename="lists.zip")

    return run


@pytest.fixture
def small_buckets(monkeypatch):
    """Buckets doubled every 16 keys or so: a file of a few dozen rows goes through several
    doublings."""
    monkeypatch.setattr(seen, "FULL", 1)


def problems(result) -> list[tuple[str, int | None, str, str]]:
    return [(p.file, p.row, p.column, p.message) for p in result.errors]


def payment(key="P1", **extra):
    row = {"disbursement_key": key, "household_code": "HH-1", "programme_code": "electricity",
           "year": 2026, "kind": "payment", "paid_on": "2026-02-10", "period": "2026-Q1",
           "funding_source": "central"}  # fmt: skip
    row.update(extra)
    return row


def test_a_member_key_twice_names_the_row_of_the_first(run):
    tables = family()
    tables["members"].append(spouse(key="1"))
    assert problems(run(tables)) == [
        ("members.csv", 4, "member_key",
         "The member key 1 appears twice in the household HH-1 (first on row 2)."),
    ]  # fmt: skip


def test_a_second_head_names_the_row_of_the_first(run):
    tables = family()
    tables["members"].append(member(key="3", full_name="Lê Văn Cường"))
    assert problems(run(tables)) == [
        ("members.csv", 4, "relationship",
         "A household has only one head; another member is already the head. (row 2)"),
    ]  # fmt: skip


def test_an_id_number_twice_names_the_row_of_the_first(run):
    tables = merged(family("HH-1"), family("HH-2"))
    tables["members"][0]["id_number"] = "089080000123"
    tables["members"][2]["id_number"] = "089080000123"
    assert problems(run(tables)) == [
        ("members.csv", 4, "id_number",
         "This ID number is already given to the member on row 2 of the file."),
    ]  # fmt: skip


def test_a_review_twice_names_the_row_of_the_first(run):
    tables = family()
    tables["reviews"].append(review(survey_date="2025-11-01"))
    assert problems(run(tables)) == [
        ("reviews.csv", 3, "list_year",
         "This review appears twice in the file (first on row 2): a household has one periodic "
         "review a list year, and one monthly review a survey date."),
    ]  # fmt: skip


def test_keys_twice_among_many_name_the_rows_of_the_first(run, small_buckets):
    codes = [f"HH-{n}" for n in range(1, 41)]
    tables = merged(*(family(code) for code in codes))
    for n, code in enumerate(codes):  # the heads: rows 2, 4, 6, ...
        assert tables["members"][2 * n]["household_code"] == code
        tables["members"][2 * n]["id_number"] = f"0890800{n:05d}"
    last = len(tables["members"]) + 1
    again = spouse("HH-3", key="1")  # the key of the head of HH-3, on row 6
    brother = member(
        "HH-40", key="3", full_name="Lê Văn Đức", relationship="sibling", id_number="089080000007"
    )  # given to the head of HH-8, on row 16
    tables["members"] += [again, brother]
    tables["reviews"].append(review("HH-21", survey_date="2025-11-01"))  # first on row 42
    assert problems(run(tables)) == [
        ("members.csv", last + 1, "member_key",
         "The member key 1 appears twice in the household HH-3 (first on row 6)."),
        ("members.csv", last + 2, "id_number",
         "This ID number is already given to the member on row 16 of the file."),
        ("reviews.csv", 42, "list_year",
         "This review appears twice in the file (first on row 22): a household has one "
         "periodic review a list year, and one monthly review a survey date."),
    ]  # fmt: skip


def test_a_disbursement_key_twice_names_the_row_of_the_first(run, programmes):
    rows = [payment("P1"), payment("P1", period="2026-Q2", paid_on="2026-04-10")]
    assert problems(run({**family(), "disbursements": rows})) == [
        ("disbursements.csv", 3, "disbursement_key",
         "The disbursement key P1 appears twice in the file (first on row 2)."),
    ]  # fmt: skip


def test_a_payment_twice_names_the_key_of_the_first(run, programmes):
    rows = [payment("P1"), payment("R1", kind="reversal", reverses_key="P1"), payment("P2"),
            payment("P3"), payment("R3", kind="reversal", reverses_key="P1")]  # fmt: skip
    result = run({**family(), "disbursements": rows})
    assert [(row, column) for _file, row, column, _message in problems(result)] == [
        (6, "reverses_key"),
        (5, "period"),
    ]
    assert result.errors[0].message == "This payment is already reversed."
    assert result.errors[1].message.endswith(" (key P2)")
    assert "Already paid" in result.errors[1].message
