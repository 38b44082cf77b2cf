"""Demo data: users for every role and a lived-in registry, created once."""

import pytest
from django.core.management import call_command

from households.models import DistrictConsultation, Household, Review
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
