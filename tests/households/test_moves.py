"""Households moving in and out: events with dates, through the page and the API, scoped."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from households.campaign.choices import TransitionKind
from households.campaign.selectors import escaped_within
from households.models import StatusChange

from .factories import make_household

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_officer_records_a_move_out_on_the_household_page(client, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    client.force_login(officer)
    response = client.post(
        f"/households/{household.pk}/move-out/", {"on": "2025-08-01", "reason": "Vào TP.HCM"}
    )
    household.refresh_from_db()
    assert response.status_code == 302
    assert household.status == "moved_out"
    assert StatusChange.objects.get(household=household).kind == TransitionKind.MOVED_OUT


def test_move_out_without_reason_changes_nothing(client, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    client.force_login(officer)
    client.post(f"/households/{household.pk}/move-out/", {"on": "2025-08-01", "reason": ""})
    household.refresh_from_db()
    assert household.status == "active"
    assert not StatusChange.objects.exists()


def test_move_out_page_of_another_commune_is_404(client, officer, other_officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    client.force_login(other_officer)
    response = client.post(
        f"/households/{household.pk}/move-out/", {"on": "2025-08-01", "reason": "x"}
    )
    assert response.status_code == 404


def test_chair_cannot_record_a_move(client, officer, chair, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    client.force_login(chair)
    response = client.post(
        f"/households/{household.pk}/move-out/", {"on": "2025-08-01", "reason": "x"}
    )
    assert response.status_code == 403


def test_move_out_through_the_api(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    response = api(officer).post(
        f"/api/v1/households/{household.pk}/move-out/",
        {"on": "2025-08-01", "reason": "Vào TP.HCM"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "moved_out"


def test_future_move_is_refused_naming_the_date(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    response = api(officer).post(
        f"/api/v1/households/{household.pk}/move-in/", {"on": "2099-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "on" in response.json()


def test_move_in_of_another_communes_household_is_404(officer, other_officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    response = api(other_officer).post(
        f"/api/v1/households/{household.pk}/move-in/", {"on": "2025-01-01"}, format="json"
    )
    assert response.status_code == 404


def test_escaped_within_three_years(officer, my_hoa_hung, province_staff):
    from django.utils import timezone

    today = timezone.localdate()
    household = make_household(officer, my_hoa_hung)
    for year, years_ago in ((2021, 4), (2024, 1)):
        StatusChange.objects.create(
            household=household, unit_path=household.unit_path, list_year=year,
            kind=TransitionKind.ESCAPED_POVERTY,
            effective_on=today - dt.timedelta(days=365 * years_ago),
        )  # fmt: skip
    recent = escaped_within(user=province_staff, years=3, on=today)
    assert [c.list_year for c in recent] == [2024]
    response = api(province_staff).get("/api/v1/status-changes/", {"escaped_within_years": 3})
    assert [row["list_year"] for row in response.json()["results"]] == [2024]


def test_escaped_within_is_scoped(officer, other_officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    StatusChange.objects.create(
        household=household, unit_path=household.unit_path, list_year=2026,
        kind=TransitionKind.ESCAPED_POVERTY, effective_on=dt.date(2025, 12, 20),
    )  # fmt: skip
    assert not escaped_within(user=other_officer, years=3, on=dt.date(2026, 1, 1)).exists()
