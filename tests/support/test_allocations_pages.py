"""The programme catalogue, plan against actual and the allocation pages."""

from __future__ import annotations

import pytest
from django.test import Client

from policies.support.models import Allocation, AllocationOverride, ProgrammeParameter

from .allocations_factories import *  # noqa: F403 (the fixtures)
from .allocations_factories import YEAR, allocate, household_in, pay

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    http = Client()
    http.force_login(user)
    return http


def test_the_catalogue_flags_unconfirmed_parameters(programmes, officer):
    page = client_for(officer).get("/support/").content.decode()
    assert programmes["electricity"].name_vi in page
    assert "chưa xác nhận" in page


def test_the_programme_page_shows_the_parameter_history(electricity, officer):
    page = client_for(officer).get(f"/support/programmes/{electricity.pk}/").content.decode()
    assert page.count("Giá điện bậc 1") == 2  # the tariff of 2014 and that of 2025


def test_province_staff_add_a_local_programme(province_staff, an_giang):
    response = client_for(province_staff).post(
        "/support/programmes/new/",
        {
            "code": "ag_gift",
            "name_vi": "Quà Tết",
            "name_en": "Tết gifts",
            "legal_basis": "Nghị quyết 12/2025/NQ-HĐND",
            "benefit_kind": "subsidy",
            "beneficiary": "household",
            "period_kind": "year",
            "count_unit": "household",
            "amount_rule": "fixed",
            "funding_sources": ["local"],
            "for_poor": "on",
            "escaped_within_years": 0,
            "capped": "on",
            "valid_from": "2026-01-01",
            "position": 200,
        },
    )
    assert response.status_code == 302


def test_a_commune_officer_may_not_add_a_programme(officer):
    assert client_for(officer).get("/support/programmes/new/").status_code == 403


def test_a_parameter_added_on_the_page_ends_the_previous_one(electricity, admin_user_):
    response = client_for(admin_user_).post(
        f"/support/programmes/{electricity.pk}/parameters/new/",
        {
            "key": "kwh_per_month",
            "value": 35,
            "unit": "kWh",
            "valid_from": "2026-07-01",
            "source": "Quyết định mới",
        },
    )
    assert (
        response.status_code,
        ProgrammeParameter.objects.filter(key="kwh_per_month", valid_to__isnull=True).get().value,
    ) == (302, 35)


def test_the_plan_page_has_a_row_per_commune_with_the_delivered_amount(
    plan, province_staff, officer, an_giang, my_hoa_hung, electricity
):
    allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=10_000_000)
    pay(household_in(officer, my_hoa_hung), electricity, officer, amount=1_234_000)
    page = (
        client_for(province_staff)
        .get(f"/support/plan/?unit={an_giang.pk}&year={YEAR}&programme={electricity.pk}")
        .content.decode()
    )
    assert (my_hoa_hung.name in page, "1.234.000" in page, "Tổng các đơn vị cấp dưới" in page) == (
        True,
        True,
        True,
    )


def test_a_commune_user_sees_the_plan_of_the_commune(
    plan, province_staff, officer, my_hoa_hung, long_xuyen, electricity
):
    allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=10_000_000)
    page = (
        client_for(officer)
        .get(f"/support/plan/?year={YEAR}&programme={electricity.pk}")
        .content.decode()
    )
    assert (my_hoa_hung.name in page, long_xuyen.name in page) == (True, False)


def test_the_plan_page_of_another_area_answers_404(officer, long_xuyen):
    assert client_for(officer).get(f"/support/plan/?unit={long_xuyen.pk}").status_code == 404


def test_the_summary_lists_every_programme(programmes, province_staff, an_giang):
    page = (
        client_for(province_staff)
        .get(f"/support/plan/?unit={an_giang.pk}&year={YEAR}")
        .content.decode()
    )
    assert programmes["vbsp_poor"].name_vi in page


def test_the_allocation_form_saves_with_the_reason(plan, province_staff, my_hoa_hung, electricity):
    response = client_for(province_staff).post(
        "/support/allocations/set/",
        {
            "programme": electricity.pk,
            "year": YEAR,
            "unit": my_hoa_hung.pk,
            "quantity": 10,
            "amount": "1.000.000",
            "reason": "Theo kế hoạch",
        },
    )
    assert (response.status_code, Allocation.objects.get(unit=my_hoa_hung).amount) == (
        302,
        1_000_000,
    )


def test_the_allocation_form_shows_the_ceiling_beside_the_budget(
    plan, province_staff, my_hoa_hung, electricity
):
    response = client_for(province_staff).post(
        "/support/allocations/set/",
        {
            "programme": electricity.pk,
            "year": YEAR,
            "unit": my_hoa_hung.pk,
            "quantity": 10,
            "amount": "200.000.000",
            "reason": "Thêm",
        },
    )
    assert response.context["form"].errors["amount"] == [
        "Tối đa 100.000.000: phân bổ cấp trên là 100.000.000 và các đơn vị khác đã nhận 0."
    ]


def test_a_commune_officer_may_not_open_the_allocation_form(
    plan, officer, my_hoa_hung, electricity
):
    response = client_for(officer).get(
        f"/support/allocations/set/?programme={electricity.pk}&year={YEAR}&unit={my_hoa_hung.pk}"
    )
    assert response.status_code == 403


def test_the_allocation_page_shows_each_change_with_its_reason(
    plan, province_staff, an_giang, electricity
):
    allocate(
        province_staff,
        electricity,
        an_giang,
        quantity=1000,
        amount=120_000_000,
        reason="Bổ sung giữa năm",
    )
    page = client_for(province_staff).get(f"/support/allocations/{plan.pk}/").content.decode()
    assert ("Bổ sung giữa năm" in page, "Kế hoạch năm" in page) == (True, True)


def test_the_province_records_an_override_on_the_page(
    plan, province_staff, my_hoa_hung, electricity
):
    share = allocate(province_staff, electricity, my_hoa_hung, quantity=10, amount=1_000_000)
    response = client_for(province_staff).post(
        f"/support/allocations/{share.pk}/override/",
        {"extra_amount": "500.000", "reason": "Hộ mới"},
    )
    assert (response.status_code, AllocationOverride.objects.get().extra_amount) == (302, 500_000)


def test_the_plan_of_a_district_abolished_in_2025_opens_on_its_last_year(district_staff):
    page = client_for(district_staff).get("/support/plan/").content.decode()
    assert "· 2025</h1>" in page


def test_a_year_typed_wrong_on_the_plan_is_a_400_that_names_the_field(province_staff):
    response = client_for(province_staff).get("/support/plan/?year=20266")
    assert (response.status_code, "Năm: Hãy nhập năm từ" in response.content.decode()) == (
        400,
        True,
    )
