"""The API of programmes, allocations and plan against actual."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from .allocations_factories import *  # noqa: F403 (the fixtures)
from .allocations_factories import YEAR, allocate, household_in, pay

pytestmark = pytest.mark.django_db
A = "/api/v1"


def api(user) -> APIClient:
    http = APIClient()
    http.force_authenticate(user)
    return http


def test_programmes_carry_their_parameters_in_force(electricity, officer):
    body = api(officer).get(f"{A}/programmes/{electricity.pk}/").json()
    assert [(p["key"], p["value"], p["confirmed"]) for p in body["current_parameters"]] == [
        ("kwh_per_month", 30, True),
        ("tier1_tariff", 2_044, False),
    ]


def test_a_parameter_value_is_added_through_the_api(electricity, admin_user_):
    response = api(admin_user_).post(
        f"{A}/programmes/{electricity.pk}/parameters/",
        {
            "key": "kwh_per_month",
            "value": 35,
            "unit": "kWh",
            "valid_from": dt.date(2026, 7, 1),
            "source": "QĐ mới",
        },
        format="json",
    )
    assert (response.status_code, response.json()["valid_to"]) == (201, None)


def test_a_province_may_not_change_a_national_programme(electricity, province_staff):
    response = api(province_staff).patch(
        f"{A}/programmes/{electricity.pk}/", {"name_vi": "x"}, format="json"
    )
    assert response.status_code == 403


def test_an_allocation_is_created_through_the_api(plan, province_staff, my_hoa_hung, electricity):
    response = api(province_staff).post(
        f"{A}/allocations/",
        {
            "programme": electricity.pk,
            "year": YEAR,
            "unit": my_hoa_hung.pk,
            "quantity": 5,
            "amount": 500_000,
            "reason": "Kế hoạch",
        },
        format="json",
    )
    assert (response.status_code, response.json()["parent"]) == (201, plan.pk)


def test_an_allocation_beyond_its_parent_answers_400_on_the_field(
    plan, province_staff, an_giang, my_hoa_hung, electricity
):
    response = api(province_staff).post(
        f"{A}/allocations/",
        {
            "programme": electricity.pk,
            "year": YEAR,
            "unit": my_hoa_hung.pk,
            "quantity": 5,
            "amount": 500_000_000,
            "reason": "x",
        },
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["amount"])


def test_a_year_out_of_range_answers_400(province_staff, an_giang, electricity):
    response = api(province_staff).get(
        f"{A}/plan-vs-actual/?programme={electricity.pk}&year=99999&unit={an_giang.pk}"
    )
    assert (response.status_code, list(response.json())) == (400, ["year"])


def test_a_change_keeps_the_values_not_sent(plan, province_staff):
    response = api(province_staff).patch(
        f"{A}/allocations/{plan.pk}/", {"amount": 90_000_000, "reason": "Giảm"}, format="json"
    )
    assert (response.json()["quantity"], response.json()["amount"]) == (1000, 90_000_000)


def test_the_history_lists_every_change(plan, province_staff):
    api(province_staff).patch(
        f"{A}/allocations/{plan.pk}/", {"amount": 90_000_000, "reason": "Giảm"}, format="json"
    )
    body = api(province_staff).get(f"{A}/allocations/{plan.pk}/history/").json()
    assert [(r["amount"], r["reason"]) for r in body] == [
        (90_000_000, "Giảm"),
        (100_000_000, "Kế hoạch năm"),
    ]


def test_an_override_is_recorded_through_the_api(plan, province_staff, my_hoa_hung, electricity):
    share = allocate(province_staff, electricity, my_hoa_hung, quantity=5, amount=500_000)
    response = api(province_staff).post(
        f"{A}/allocations/{share.pk}/override/",
        {"extra_quantity": 2, "reason": "Lũ"},
        format="json",
    )
    assert (response.status_code, response.json()["extra_quantity"]) == (201, 2)


def test_plan_vs_actual_answers_the_rows_and_totals(
    plan, province_staff, officer, an_giang, my_hoa_hung, electricity
):
    pay(household_in(officer, my_hoa_hung), electricity, officer, amount=184_000)
    body = (
        api(province_staff)
        .get(f"{A}/plan-vs-actual/?programme={electricity.pk}&year={YEAR}&unit={an_giang.pk}")
        .json()
    )
    assert (body["own"]["amount"], body["totals"]["amount"], body["own"]["allocated_amount"]) == (
        184_000,
        184_000,
        100_000_000,
    )


def test_plan_vs_actual_of_another_area_is_refused_as_missing(officer, long_xuyen, electricity):
    body = (
        api(officer)
        .get(f"{A}/plan-vs-actual/?programme={electricity.pk}&year={YEAR}&unit={long_xuyen.pk}")
        .json()
    )
    assert list(body) == ["unit"]


def test_the_summary_has_a_row_per_programme(programmes, province_staff, an_giang):
    body = (
        api(province_staff)
        .get(f"{A}/plan-vs-actual/summary/?year={YEAR}&unit={an_giang.pk}")
        .json()
    )
    assert len(body) == len(programmes)
