"""Demo data: users for every role and a lived-in registry, created once.

The demo is seeded once for the module (a fixture's transaction, rolled back at its end): each
test runs in its own savepoint, so it sees the registry exactly as one `seed_demo` left it, and
whatever a test writes (a second seed, a rebuild) is undone after it."""

import contextlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction

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


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """The first `seed_demo` of an empty registry, once for the module; what it printed."""
    printed = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        with contextlib.redirect_stdout(printed):
            call_command("seed_demo")
        yield printed.getvalue()
        transaction.set_rollback(True)


def test_seed_demo_creates_users_and_households_once(seeded):
    output = seeded
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


def test_seed_demo_keeps_the_statuses_a_rebuild_gives(seeded):
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
