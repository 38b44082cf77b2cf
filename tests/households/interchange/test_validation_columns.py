"""What the checking pass keeps of heads and disbursements, in columns
(`households.interchange.validation.Heads`, `Disbursements`): read back as the dicts they
replace, strings of one hash told apart, and a double payment found (or not) among them."""

from __future__ import annotations

import pytest
from django.utils import translation

from households.interchange.reader import Row
from households.interchange.validation import (
    DisbursementEntry,
    Disbursements,
    Heads,
    Validation,
)

from .test_seen import Clash


def test_heads_read_as_a_dict_of_row_and_name():
    heads = Heads()
    assert heads.add("HH-1", 2, "Nguyễn Văn An") is None
    assert heads.add("HH-2", 4, "Trần Thị Bình") is None
    assert ("HH-1" in heads, "HH-3" in heads, 5 in heads) == (True, False, False)
    assert heads["HH-2"] == (4, "Trần Thị Bình")
    assert (heads.get("HH-1"), heads.get("HH-3"), heads.get("HH-3", ())) == (
        (2, "Nguyễn Văn An"), None, (),
    )  # fmt: skip
    with pytest.raises(KeyError):
        heads["HH-3"]
    assert dict(heads) == {"HH-1": (2, "Nguyễn Văn An"), "HH-2": (4, "Trần Thị Bình")}
    assert list(heads.items()) == [("HH-1", (2, "Nguyễn Văn An")), ("HH-2", (4, "Trần Thị Bình"))]
    assert ("HH-1", (2, "Nguyễn Văn An")) in heads.items()
    assert (list(heads), len(heads), list(heads.values())[1]) == (
        ["HH-1", "HH-2"], 2, (4, "Trần Thị Bình"),
    )  # fmt: skip
    assert heads.add("HH-1", 7, "Lê Văn Cường") == 2  # the first head stays
    assert (heads["HH-1"], len(heads)) == ((2, "Nguyễn Văn An"), 2)


def test_heads_of_codes_of_one_hash_are_told_apart():
    heads = Heads()
    for row, code in enumerate(("a", "b", "c"), start=2):
        assert heads.add(Clash(code), row, f"head of {code}") is None
    assert heads.add(Clash("b"), 9, "another") == 3
    assert [heads.get(Clash(code)) for code in ("a", "b", "c", "d")] == [
        (2, "head of a"), (3, "head of b"), (4, "head of c"), None,
    ]  # fmt: skip


def entry(row, code="HH-1", kind="payment", member_key="", period="2026-Q1", reverses_key=""):
    return DisbursementEntry(
        row=row, file="disbursements.csv", household_code=code, kind=kind, programme_id=3,
        member_key=member_key, period=period, reverses_key=reverses_key,
    )  # fmt: skip


def test_disbursements_give_back_what_was_kept():
    kept = Disbursements()
    rows = {
        "P1": entry(2),
        "P2": entry(3, member_key="1", period="2026-Q2"),
        "R1": entry(4, kind="reversal", reverses_key="P1"),
        "P3": entry(5, code="HH-2"),
    }
    for key, value in rows.items():
        kept.add(value, key)
    assert len(kept) == 4
    assert [kept.first_row(key) for key in ("P1", "P2", "R1", "P3", "P4")] == [2, 3, 4, 5, None]
    assert {key: kept.get(key) for key in rows} == rows
    assert kept.get("P4") is None
    assert kept.reverses == {2: "P1"}
    assert len(kept.shared) == 3  # (file, kind, programme, period) kept once
    with pytest.raises(ValueError):
        kept.add(entry(6), "P2")


class Problems:
    def __init__(self) -> None:
        self.found: list[tuple[int, str, str, str]] = []

    def error(self, row: Row, column: str, value: str, message: str) -> None:
        self.found.append((row.number, column, value, message))


def paid_once(rows: dict[str, DisbursementEntry], reversed_keys=()) -> list[tuple]:
    validation = Validation.__new__(Validation)  # only what check_paid_once reads
    validation.ctx, validation.disbursements = Problems(), Disbursements()
    validation.reversed_keys = set(reversed_keys)
    for key, value in rows.items():
        validation.disbursements.add(value, key)
    with translation.override("en"):
        validation.check_paid_once()
    return [(row, value, message.rsplit(" ", 2)[-2:]) for row, _c, value, message in
            validation.ctx.found]  # fmt: skip


def test_a_double_payment_names_the_key_of_the_first():
    rows = {"P1": entry(2), "P2": entry(3, code="HH-2"), "P3": entry(4), "P4": entry(5)}
    assert paid_once(rows) == [(4, "2026-Q1", ["(key", "P1)"]), (5, "2026-Q1", ["(key", "P1)"])]
    assert paid_once(rows, reversed_keys={"P1"}) == [(5, "2026-Q1", ["(key", "P3)"])]


def test_beneficiaries_of_one_hash_are_no_double_payment():
    rows = {
        "P1": entry(2, code=Clash("HH-1")),
        "P2": entry(3, code=Clash("HH-2")),  # the hash of HH-1's beneficiary, not HH-1
        "P3": entry(4, code=Clash("HH-3")),
        "P4": entry(5, code=Clash("HH-2")),
        "P5": entry(6, code=Clash("HH-1")),
    }
    assert paid_once(rows) == [(5, "2026-Q1", ["(key", "P2)"]), (6, "2026-Q1", ["(key", "P1)"])]
