"""The seeded catalogue and the pure rules of eligibility, periods and amounts."""

from __future__ import annotations

import datetime as dt

import pytest

from households.models import HouseholdYear
from policies.support import rules
from policies.support.catalogue import PROGRAMMES, load_catalogue
from policies.support.models import Programme, ProgrammeParameter
from policies.support.status import household_facts

from .factories import monthly_recognition, recognised_household

D = dt.date
POOR_ONLY = rules.Rule(for_poor=True, for_near_poor=False)
LOANS_AFTER_EXIT = rules.Rule(for_poor=False, for_near_poor=False, escaped_within_years=3)
UNDER_SIX = rules.Rule(for_poor=True, for_near_poor=True, per_person=True, max_age=6)


def test_the_catalogue_loads_every_programme_once(db):
    load_catalogue()
    load_catalogue()
    assert Programme.objects.count() == len(PROGRAMMES)


def test_a_superseded_parameter_ends_the_day_before_the_next(programmes):
    tariffs = ProgrammeParameter.objects.filter(
        programme=programmes["electricity"], key="tier1_tariff"
    ).order_by("valid_from")
    assert [(t.valid_from, t.valid_to) for t in tariffs] == [
        (D(2014, 6, 1), D(2024, 12, 31)),
        (D(2025, 1, 1), None),
    ]


def test_unconfirmed_amounts_are_flagged(programmes):
    flagged = ProgrammeParameter.objects.filter(programme=programmes["study_cost"], key="amount")
    assert [p.confirmed for p in flagged] == [False]


@pytest.mark.parametrize(
    ("classification", "expected"),
    [("poor", "poor"), ("near_poor", None), ("not_poor", None), (None, None)],
)
def test_a_poor_only_programme_covers_poor_households(classification, expected):
    facts = rules.HouseholdFacts(classification=classification)
    assert rules.basis(POOR_ONLY, facts, D(2026, 3, 1)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2026, 1, 1), "escaped"), (D(2028, 12, 31), "escaped"), (D(2029, 1, 1), None)],
)
def test_the_post_exit_window_lasts_three_years(day, expected):
    facts = rules.HouseholdFacts(classification="near_poor", escaped_on=D(2026, 1, 1))
    assert rules.basis(LOANS_AFTER_EXIT, facts, day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(D(2026, 5, 9), None), (D(2026, 5, 10), rules.AGE)],
)
def test_a_child_is_covered_until_the_day_before_the_sixth_birthday(day, expected):
    child = rules.PersonFacts(birth_year=2020, birth_date=D(2020, 5, 10))
    facts = rules.HouseholdFacts(classification="near_poor")
    assert rules.refusal(UNDER_SIX, facts, day, child) == expected


@pytest.mark.parametrize(
    ("kind", "day", "key"),
    [
        ("month", D(2026, 3, 31), "2026-03"),
        ("quarter", D(2026, 3, 31), "2026-Q1"),
        ("quarter", D(2026, 10, 1), "2026-Q4"),
        ("year", D(2026, 7, 1), "2026"),
        ("once", D(2026, 7, 1), "once"),
    ],
)
def test_period_keys(kind, day, key):
    assert rules.period_key(kind, day) == key


@pytest.mark.parametrize(
    ("kind", "key", "bounds"),
    [
        ("quarter", "2026-Q4", (D(2026, 10, 1), D(2026, 12, 31))),
        ("month", "2026-02", (D(2026, 2, 1), D(2026, 2, 28))),
        ("year", "2026", (D(2026, 1, 1), D(2026, 12, 31))),
    ],
)
def test_period_bounds(kind, key, bounds):
    assert rules.period_bounds(kind, key) == bounds


@pytest.mark.parametrize(("kind", "text"), [("quarter", "2026-Q5"), ("month", "2026-13")])
def test_a_period_of_the_wrong_shape_is_refused(kind, text):
    with pytest.raises(ValueError):
        rules.parse_period(kind, text)


def test_a_quarter_of_electricity_is_three_months_of_thirty_kwh():
    amount = rules.amount(
        "kwh_tariff",
        parameters={"kwh_per_month": 30, "tier1_tariff": 2_044},
        period_kind="quarter",
    )
    assert amount == 183_960


def test_an_entered_amount_above_the_ceiling_is_refused():
    with pytest.raises(rules.AmountError) as refused:
        rules.amount("entered", parameters={"max_amount": 100}, period_kind="each", entered=101)
    assert refused.value.code == rules.AMOUNT_TOO_HIGH


def test_household_facts_read_the_status_in_force(officer, chair, my_hoa_hung):
    household = recognised_household(officer, chair, my_hoa_hung, "poor")
    facts = household_facts([household.pk], D(2026, 4, 1))
    assert facts[household.pk] == rules.HouseholdFacts(classification="poor")
    assert HouseholdYear.objects.filter(household=household).count() == 1


def test_household_facts_follow_a_mid_year_change(officer, chair, my_hoa_hung):
    household = recognised_household(officer, chair, my_hoa_hung, "poor")
    monthly_recognition(officer, chair, household, D(2026, 6, 1), "near_poor")
    before = household_facts([household.pk], D(2026, 3, 1))[household.pk]
    after = household_facts([household.pk], D(2026, 11, 1))[household.pk]
    assert (before.classification, after.classification) == ("poor", "near_poor")
