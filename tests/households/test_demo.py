"""Demo data: users for every role and a lived-in registry, created once."""

import pytest
from django.core.management import call_command

from households.household_year import DERIVED_FIELDS, household_years_rebuild
from households.models import (
    Certificate,
    DistrictConsultation,
    Household,
    HouseholdYear,
    Review,
    StatusChange,
)
from registry.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_users_and_households_once(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    households = Household.objects.count()
    call_command("seed_demo")
    assert "ansinh-demo-2026" in output
    assert User.objects.filter(
        username="canbo.myhoahung", assignments__role="commune_officer"
    ).exists()
    assert households >= 300
    assert Household.objects.count() == households
    assert Review.objects.filter(list_year=2027, status="listed").exists()  # the review under way
    # The three-level 2025 list was recognised after the district's consultation.
    assert DistrictConsultation.objects.filter(commune__code="30634").exists()
    assert Review.objects.filter(list_year=2025, status="recognised").exists()
    assert Review.objects.filter(list_year=2027, status="posted").exists()
    surveyed = Review.objects.exclude(status="listed")
    assert set(surveyed.values_list("computed_classification", flat=True)) == {
        "poor",
        "near_poor",
        "middle_income",
        "not_poor",
    }


def test_seed_demo_keeps_the_statuses_a_rebuild_gives():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    fields = ("household_id", "list_year", *DERIVED_FIELDS)
    kept = sorted(HouseholdYear.objects.values_list(*fields))
    assert household_years_rebuild() == 0
    assert sorted(HouseholdYear.objects.values_list(*fields)) == kept
    recognised = Review.objects.filter(status="recognised")
    assert (
        HouseholdYear.objects.count()
        == recognised.values("household", "list_year").distinct().count()
    )
    # March 2026 in Long Xuyên: a monthly review takes a poor household off the list, revoking
    # its certificate and recording the escape; another household's request is refused.
    escaped = HouseholdYear.objects.get(review_kind="monthly")
    assert escaped.classification not in ("poor", "near_poor")
    assert StatusChange.objects.filter(household=escaped.household, kind="escaped_poverty").exists()
    revoked = Certificate.objects.get(household=escaped.household, decision__list_year=2026)
    assert (revoked.revoked_on, revoked.revoked_by) == (escaped.valid_from, escaped.decision)
    assert HouseholdYear.objects.filter(considered_review__status="refused").count() == 1
