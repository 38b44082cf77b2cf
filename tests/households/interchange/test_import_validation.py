"""Each rule an imported row is checked by, on small files: units, codes, heads, ID numbers,
allowed values, reviews and the standard, disbursements and their eligibility, resident totals.
A file with any error writes nothing. Messages are read in English (`translation.override`)."""

from __future__ import annotations

import pytest
from django.utils import translation

from households.interchange.importing import import_file
from households.models import Household, ImportBatch, Member, Review
from policies.support.models import Disbursement
from reports.models import ResidentCount

from ..factories import make_household
from ..factories import member as service_member
from .files import (
    LONG_XUYEN,
    family,
    household,
    member,
    merged,
    review,
    spouse,
    write_zip,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(officer, tmp_path):
    """Import `tables` (as a ZIP of CSV files) as `actor` (the commune officer of Mỹ Hòa Hưng by
    default), messages in English."""

    def run(tables, actor=None, numbering="qd121", **options):
        path = write_zip(tmp_path / "lists.zip", tables)
        with translation.override("en"):
            return import_file(
                actor=actor or officer, path=path, filename="lists.zip", numbering=numbering,
                **options,
            )  # fmt: skip

    return run


def where(result) -> set[tuple[str, int | None, str]]:
    return {(p.file, p.row, p.column) for p in result.errors}


def nothing_written() -> bool:
    return not (
        Household.objects.exists() or Member.objects.exists() or ImportBatch.objects.exists()
    )


# --- a valid file -------------------------------------------------------------------------------


def test_a_valid_file_is_written_as_one_batch(run, officer):
    result = run(family())
    assert result.ok, result.errors
    assert result.counts["households"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert result.counts["members"]["created"] == 2
    assert result.batch.actor == officer
    assert len(result.batch.sha256) == 64
    household = Household.objects.get(code="HH-1")
    assert (household.head_name, household.created_by) == ("Nguyễn Văn An", officer)


# --- units --------------------------------------------------------------------------------------


def test_a_commune_code_that_does_not_exist_is_refused(run):
    result = run(merged(family(), {"households": [household("HH-2", commune_code="99999")]}))
    assert where(result) >= {("households.csv", 3, "commune_code")}
    assert nothing_written()


def test_a_commune_of_the_other_scheme_is_refused(run):
    result = run({"households": [household(scheme="2004")]})
    assert where(result) >= {("households.csv", 2, "commune_code")}


def test_a_village_must_be_one_of_the_commune(run, village):
    result = run(family(village_code="nope"))
    assert where(result) == {("households.csv", 2, "village_code")}


def test_a_household_goes_to_its_village(run, village):
    assert run(family(village_code=village.code)).ok
    assert Household.objects.get().unit_path == village.path


# --- codes and heads ----------------------------------------------------------------------------


def test_a_household_code_twice_in_the_file_is_refused(run):
    result = run(merged(family(), {"households": [household()]}))
    assert ("households.csv", 3, "household_code") in where(result)
    assert nothing_written()


def test_a_household_without_a_head_is_refused(run):
    result = run({"households": [household()], "members": [spouse()]})
    assert where(result) == {("households.csv", 2, "household_code")}


def test_a_household_with_two_heads_is_refused(run):
    tables = family()
    tables["members"].append(member(key="3", full_name="Lê Văn Cường"))
    assert where(run(tables)) == {("members.csv", 4, "relationship")}


def test_a_member_who_left_does_not_count_as_head(run):
    tables = family()
    tables["members"].append(
        member(key="3", full_name="Lê Văn Cường", left_on="2024-01-01", leave_reason="Mất")
    )
    assert run(tables).ok


def test_a_member_key_twice_in_a_household_is_refused(run):
    tables = family()
    tables["members"].append(spouse(key="1"))
    assert ("members.csv", 4, "member_key") in where(run(tables))


def test_a_member_of_a_household_in_neither_the_file_nor_the_area_is_refused(run):
    result = run({"members": [member(code="NOWHERE")]})
    assert where(result) == {("members.csv", 2, "household_code")}


# --- ID numbers ---------------------------------------------------------------------------------


def test_a_malformed_id_number_is_refused_with_the_form_s_message(run):
    tables = family()
    tables["members"][0]["id_number"] = "12345678901"
    result = run(tables)
    assert where(result) == {("members.csv", 2, "id_number")}
    assert "12 digits" in result.errors[0].message


def test_an_id_number_twice_in_the_file_is_refused(run):
    tables = merged(family("HH-1"), family("HH-2"))
    tables["members"][0]["id_number"] = "089080000123"
    tables["members"][2]["id_number"] = "089080000123"
    result = run(tables)
    assert where(result) == {("members.csv", 4, "id_number")}
    assert "row 2" in result.errors[0].message


def test_an_id_number_registered_in_the_area_names_its_holder(run, officer, my_hoa_hung):
    make_household(officer, my_hoa_hung, members=[service_member(id_number="089080000123")])
    tables = family()
    tables["members"][0]["id_number"] = "089080000123"
    result = run(tables)
    assert where(result) == {("members.csv", 2, "id_number")}
    assert "Nguyễn Văn An" in result.errors[0].message


def test_an_id_number_registered_elsewhere_names_nobody(run, other_officer, long_xuyen):
    make_household(
        other_officer, long_xuyen,
        members=[service_member("Phạm Thị Xa", sex="female", id_number="089180000123")],
    )  # fmt: skip
    tables = family()
    tables["members"][1].update(id_number="089180000123", birth_year=1980)
    result = run(tables)
    assert where(result) == {("members.csv", 3, "id_number")}
    assert "outside your area" in result.errors[0].message
    assert "Phạm" not in result.errors[0].message


# --- allowed values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("relationship", "boss"), ("sex", "x"), ("birth_year", "năm 1980"), ("ethnicity", "99"),
     ("birth_date", "31/02/1980"), ("has_disability", "maybe")],
)  # fmt: skip
def test_a_value_not_allowed_is_refused_in_its_column(run, column, value):
    tables = family()
    tables["members"][1][column] = value
    assert where(run(tables)) == {("members.csv", 3, column)}


def test_a_birth_year_in_the_future_is_refused(run):
    tables = family()
    tables["members"][1]["birth_year"] = 2999
    assert ("members.csv", 3, "birth_year") in where(run(tables))


# --- reviews and the standard -------------------------------------------------------------------


def test_the_engine_s_result_is_kept_beside_the_recognised_one_and_the_disagreement_reported(
    run,
):
    tables = family()
    tables["reviews"] = [review(deprivations="", recognised_classification="poor")]
    result = run(tables)
    assert result.ok
    assert [(p.file, p.row, p.column) for p in result.warnings] == [
        ("reviews.csv", 2, "recognised_classification"),
        ("lists.zip", None, "ethnicity_name"),
    ]
    stored = Review.objects.get()
    assert (stored.computed_classification, stored.recognised_classification) == (
        "near_poor",
        "poor",
    )
    assert stored.override_reason  # the constraint's reason, saying where the result came from


def test_an_indicator_not_of_the_year_s_standard_is_refused(run):
    tables = family()
    tables["reviews"] = [review(deprivations="D16_HEALTH_INSURANCE")]
    result = run(tables)
    assert where(result) == {("reviews.csv", 2, "deprivations")}
    assert "not part of the standard" in result.errors[0].message


def test_a_review_without_income_or_score_is_refused(run):
    tables = family()
    tables["reviews"] = [review(income_per_capita=None)]
    assert where(run(tables)) == {("reviews.csv", 2, "income_per_capita")}


def test_a_monthly_review_needs_its_survey_date(run):
    tables = family()
    tables["reviews"].append(review(kind="monthly", survey_date=None))
    assert where(run(tables)) == {("reviews.csv", 3, "survey_date")}


def test_two_periodic_reviews_of_a_year_are_refused(run):
    tables = family()
    tables["reviews"].append(review(survey_date="2025-11-01"))
    assert where(run(tables)) == {("reviews.csv", 3, "list_year")}


def test_a_list_year_no_standard_covers_is_refused(run):
    tables = family()
    tables["reviews"] = [review(list_year=2012, survey_date="2011-10-01", deprivations="")]
    assert ("reviews.csv", 2, "list_year") in where(run(tables))


# --- disbursements ------------------------------------------------------------------------------


def payment(key="P1", **extra):
    row = {"disbursement_key": key, "household_code": "HH-1", "programme_code": "electricity",
           "year": 2026, "kind": "payment", "paid_on": "2026-02-10", "period": "2026-Q1",
           "funding_source": "central"}  # fmt: skip
    row.update(extra)
    return row


def test_an_eligible_payment_is_written_with_the_status_it_was_paid_under(run, programmes):
    result = run({**family(), "disbursements": [payment()]})
    assert result.ok, result.errors
    paid = Disbursement.objects.get()
    assert (paid.source_key, paid.classification, paid.amount) == ("P1", "poor", 30 * 2_044 * 3)


def test_a_payment_to_a_household_not_poor_that_day_is_refused(run, programmes):
    tables = family()
    tables["reviews"] = [review(income_per_capita=1_200_000, deprivations="",
                                recognised_classification="near_poor")]  # fmt: skip
    result = run({**tables, "disbursements": [payment()]})
    assert where(result) == {("disbursements.csv", 2, "household_code")}
    assert "not one this programme supports" in result.errors[0].message
    assert nothing_written()


def test_a_payment_twice_for_a_period_is_refused(run, programmes):
    result = run({**family(), "disbursements": [payment("P1"), payment("P2")]})
    assert where(result) == {("disbursements.csv", 3, "period")}
    assert "Already paid" in result.errors[0].message


def test_a_reversed_payment_may_be_paid_again(run, programmes):
    rows = [payment("P1"), payment("R1", kind="reversal", reverses_key="P1"), payment("P2")]
    result = run({**family(), "disbursements": rows})
    assert result.ok, result.errors
    first, again = (
        Disbursement.objects.get(source_key="P1"),
        Disbursement.objects.get(source_key="P2"),
    )
    reversal = Disbursement.objects.get(source_key="R1")
    assert (first.is_reversed, again.is_reversed, reversal.reverses_id) == (True, False, first.pk)
    assert (reversal.amount, reversal.quantity) == (-first.amount, -1)


def test_a_reversal_names_its_payment(run, programmes):
    result = run({**family(), "disbursements": [payment("R1", kind="reversal")]})
    assert where(result) == {("disbursements.csv", 2, "reverses_key")}


def test_an_unknown_programme_is_refused(run, programmes):
    result = run({**family(), "disbursements": [payment(programme_code="nope")]})
    assert where(result) == {("disbursements.csv", 2, "programme_code")}


def test_a_plan_year_other_than_the_period_s_is_refused(run, programmes):
    result = run({**family(), "disbursements": [payment(year=2025)]})
    assert where(result) == {("disbursements.csv", 2, "year")}


def test_a_disbursement_key_twice_is_refused(run, programmes):
    rows = [payment("P1"), payment("P1", period="2026-Q2", paid_on="2026-04-10")]
    assert ("disbursements.csv", 3, "disbursement_key") in where(
        run({**family(), "disbursements": rows})
    )


# --- resident totals ----------------------------------------------------------------------------


def resident(**extra):
    row = {"scheme": "2025", "unit_code": "30313", "year": 2026, "households": 3200,
           "persons": 12000, "source": "Công an xã"}  # fmt: skip
    row.update(extra)
    return row


def test_the_commune_s_resident_total_is_entered_by_its_officer(run):
    assert run({"resident_counts": [resident()]}).ok
    assert ResidentCount.objects.get().households == 3200


def test_the_total_of_a_unit_outside_the_area_is_refused(run):
    result = run({"resident_counts": [resident(unit_code=LONG_XUYEN)]})
    assert where(result) == {("resident_counts.csv", 2, "unit_code")}
    assert not ResidentCount.objects.exists()


# --- atomicity ----------------------------------------------------------------------------------


def test_one_bad_row_on_the_last_line_writes_nothing(run, programmes):
    tables = merged(*(family(f"HH-{n}") for n in range(1, 6)))
    tables["disbursements"] = [payment(household_code=f"HH-{n}", key=f"P{n}") for n in range(1, 6)]
    tables["disbursements"][-1]["paid_on"] = "2026-13-01"
    result = run(tables)
    assert where(result) == {("disbursements.csv", 6, "paid_on")}
    assert nothing_written()
    assert not Review.objects.exists() and not Disbursement.objects.exists()


def test_an_eligibility_error_found_while_writing_undoes_everything(run, programmes):
    tables = merged(family("HH-1"), family("HH-2"))
    tables["reviews"][1] = review("HH-2", deprivations="", recognised_classification="near_poor")
    tables["disbursements"] = [payment(), payment("P2", household_code="HH-2")]
    result = run(tables)
    assert where(result) == {("disbursements.csv", 3, "household_code")}
    assert nothing_written()


def test_a_dry_run_checks_everything_and_writes_nothing(run, programmes):
    result = run({**family(), "disbursements": [payment()]}, dry_run=True)
    assert (result.ok, result.dry_run, result.batch) == (True, True, None)
    assert result.counts["disbursements"]["created"] == 1
    assert nothing_written()
