"""The synthetic province of bench/generate.py: interchange files the format reads back, with
real units and programmes, valid and unique ID numbers, reviews the engine classifies as
written, and only eligible disbursements. No database."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from households.interchange.format import TABLES, CellError, parse_cell, to_qd121
from households.validators import validate_id_number
from policies.standards import standard_for_list_year
from policies.support import rules

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = 300


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def _read(directory: Path, table: str) -> list[dict]:
    """Every row of a table, each cell read by the interchange format."""
    columns = {c.name: c for c in TABLES[table].columns}
    with open(directory / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == TABLES[table].header
        return [
            {name: parse_cell(columns[name], raw) for name, raw in row.items()} for row in reader
        ]


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("province")
    generate.generate(out, households=HOUSEHOLDS, seed=3)
    return {table: _read(out, table) for table in generate.TABLE_ORDER}


def test_every_cell_reads_back_and_the_counts_are_plausible(province) -> None:
    counts = {table: len(rows) for table, rows in province.items()}
    assert counts["households"] == HOUSEHOLDS
    assert 3.5 * HOUSEHOLDS < counts["members"] < 4.5 * HOUSEHOLDS
    assert counts["reviews"] == 2 * HOUSEHOLDS
    assert 0.5 * HOUSEHOLDS < counts["disbursements"] < 1.4 * HOUSEHOLDS


def test_same_seed_writes_the_same_files(tmp_path) -> None:
    generate.generate(tmp_path / "a", households=40, seed=5)
    generate.generate(tmp_path / "b", households=40, seed=5)
    for table in generate.TABLE_ORDER:
        name = f"{table}.csv"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_households_are_in_the_loaded_communes_with_their_area_type(province) -> None:
    _province, communes = generate.province_units("91")
    area = {c.code: c.area_type for c in communes}
    rows = province["households"]
    assert all(area[row["commune_code"]] == row["area_type"] for row in rows)
    assert len({row["household_code"] for row in rows}) == len(rows)


def test_each_household_has_exactly_one_head_and_unique_member_keys(province) -> None:
    heads = Counter(m["household_code"] for m in province["members"] if m["relationship"] == "head")
    keys = Counter((m["household_code"], m["member_key"]) for m in province["members"])
    assert set(heads.values()) == {1} and len(heads) == HOUSEHOLDS
    assert set(keys.values()) == {1}


def test_id_numbers_are_valid_for_their_holder_and_unique(province) -> None:
    members = [m for m in province["members"] if m["id_number"]]
    for member in members:
        validate_id_number(member["id_number"], birth_year=member["birth_year"], sex=member["sex"])
    assert len({m["id_number"] for m in members}) == len(members)
    assert len(members) > 0.95 * len(province["members"])


def test_birth_dates_agree_with_birth_years_and_ethnicities_with_their_names(province) -> None:
    from households.interchange.format import ethnicity_name

    for member in province["members"]:
        assert member["birth_date"] is None or member["birth_date"].year == member["birth_year"]
        assert ethnicity_name(to_qd121(member["ethnicity"], "qd121")) == member["ethnicity_name"]


def test_census_numbering_writes_census_codes_and_names(tmp_path) -> None:
    from households.interchange.format import ethnicity_name_matches

    generate.generate(tmp_path, households=600, seed=1, numbering="census")
    members = _read(tmp_path, "members")
    assert all(
        ethnicity_name_matches(to_qd121(m["ethnicity"], "census"), m["ethnicity_name"])
        for m in members
    )
    pairs = {(m["ethnicity"], m["ethnicity_name"]) for m in members}
    assert pairs == {("01", "Kinh"), ("05", "Khmer"), ("06", "Hoa"), ("14", "Chăm")}


def test_computed_classification_is_the_engine_verdict(province) -> None:
    for review in province["reviews"]:
        standard = standard_for_list_year(review["list_year"])
        verdict = standard.bulk().classify(
            review["area_type"],
            review["income_per_capita"],
            review["b1_score"],
            review["deprivations"],
        )
        assert verdict.classification.value == review["computed_classification"]


def test_recognised_class_differs_only_with_an_override_reason(province) -> None:
    differing = [
        r
        for r in province["reviews"]
        if r["recognised_classification"] != r["computed_classification"]
    ]
    assert all(r["override_reason"] for r in differing)


def test_rural_incomes_fall_at_and_just_above_every_line(province) -> None:
    # Rural communes hold most households; at 300 the urban ones are too few to be sure of.
    standard = standard_for_list_year(2026)
    lines = {
        standard.parameter(f"rural_{suffix}").value
        for suffix in ("poverty_line", "middle_income_upper")
    }
    incomes = {r["income_per_capita"] for r in province["reviews"] if r["area_type"] == "rural"}
    assert lines <= incomes
    assert {line + 1 for line in lines} <= incomes


def test_disbursements_are_eligible_and_never_twice(province) -> None:
    programmes = generate.programmes()
    recognised = {
        (r["household_code"], r["list_year"]): r["recognised_classification"]
        for r in province["reviews"]
    }
    members = {(m["household_code"], m["member_key"]): m for m in province["members"]}
    payments = [d for d in province["disbursements"] if d["kind"] == "payment"]
    for payment in payments:
        member = members[(payment["household_code"], payment["member_key"])]
        person = rules.PersonFacts(
            birth_year=member["birth_year"],
            birth_date=member["birth_date"],
            in_school=member["school_status"] == "in_school",
            ethnic_minority=member["ethnicity"] != "01",
            left_on=member["left_on"],
        )
        household = rules.HouseholdFacts(recognised[(payment["household_code"], payment["year"])])
        programme = programmes[payment["programme_code"]]
        assert payment["paid_on"].year == payment["year"]
        assert programme.runs_on(payment["paid_on"])
        assert rules.refusal(programme.rule, household, payment["paid_on"], person) is None
    paid = Counter(
        (d["programme_code"], d["household_code"], d["member_key"], d["period"]) for d in payments
    )
    assert set(paid.values()) == {1}
    assert len({d["disbursement_key"] for d in province["disbursements"]}) == len(
        province["disbursements"]
    )


def test_reversals_reverse_a_payment_of_the_same_member_and_period(province) -> None:
    by_key = {d["disbursement_key"]: d for d in province["disbursements"]}
    reversals = [d for d in province["disbursements"] if d["kind"] == "reversal"]
    for reversal in reversals:
        original = by_key[reversal["reverses_key"]]
        assert (original["kind"], original["member_key"], original["period"]) == (
            "payment",
            reversal["member_key"],
            reversal["period"],
        )
        assert reversal["quantity"] == -1 and reversal["paid_on"] > original["paid_on"]


def test_resident_counts_cover_each_commune_and_the_province_each_year(province) -> None:
    _province, communes = generate.province_units("91")
    counted = {(r["unit_code"], r["year"]) for r in province["resident_counts"]}
    expected = {(c.code, y) for c in communes for y in (2025, 2026)} | {("91", 2025), ("91", 2026)}
    assert counted == expected


def test_programme_codes_are_those_of_the_catalogue(province) -> None:
    from policies.support.catalogue import PROGRAMMES

    codes = {entry["code"] for entry in PROGRAMMES}
    assert {d["programme_code"] for d in province["disbursements"]} <= codes


def test_a_bad_cell_would_not_read() -> None:
    # The reader above is strict: a value outside the choices is refused, so the checks bite.
    with pytest.raises(CellError):
        parse_cell(TABLES["members"].column("sex"), "m")


def test_years_accept_a_range_or_a_list() -> None:
    assert generate._years("2021-2023") == [2021, 2022, 2023]
    assert generate._years("2025,2026") == [2025, 2026]


def test_every_standard_is_covered_over_2021_to_2027(tmp_path) -> None:
    generate.generate(tmp_path, households=60, seed=2, years=generate._years("2021-2027"))
    reviews = _read(tmp_path, "reviews")
    assert {r["list_year"] for r in reviews} == set(range(2021, 2028))
    assert all(r["survey_date"] < dt.date(r["list_year"], 1, 1) for r in reviews)
