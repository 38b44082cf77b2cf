"""Plan against actual: allocated and delivered per unit, totals equal to the deliveries,
drill-down, beneficiaries counted once, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from policies.support.models import Disbursement
from policies.support.selectors.allocations import plan_against_actual, support_summary
from registry.choices import Level, Role
from registry.models import AdminUnit
from registry.scoping import scope_for

from ..households.factories import make_household, member
from .allocations_factories import *  # noqa: F403 (the fixtures)
from .allocations_factories import YEAR, allocate, household_in, pay, reverse


@pytest.fixture
def delivered(plan, province_staff, officer, other_officer, my_hoa_hung, long_xuyen, electricity):
    """Two quarters paid to one household of Mỹ Hòa Hưng, one paid and reversed to another,
    one paid in Long Xuyên."""
    allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=10_000_000)
    first = household_in(officer, my_hoa_hung, "Hộ Một")
    pay(first, electricity, officer, amount=184_000, period="2026-Q1")
    pay(first, electricity, officer, amount=184_000, period="2026-Q2")
    reverse(
        pay(household_in(officer, my_hoa_hung, "Hộ Hai"), electricity, officer, amount=9), officer
    )
    pay(household_in(other_officer, long_xuyen, "Hộ Ba"), electricity, other_officer, amount=50_000)
    return electricity


def row_of(plan_, unit):
    return next(r for r in plan_.rows if r.unit == unit)


def test_a_commune_row_counts_what_was_paid_net_of_reversals(
    delivered, province_staff, an_giang, my_hoa_hung
):
    row = row_of(
        plan_against_actual(user=province_staff, programme=delivered, year=YEAR, unit=an_giang),
        my_hoa_hung,
    )
    assert (row.beneficiaries, row.quantity, row.amount, row.allocated_amount, row.share_used) == (
        1,
        2,
        368_000,
        10_000_000,
        4,
    )


def test_the_totals_equal_the_sum_of_the_disbursements(delivered, province_staff, an_giang):
    result = plan_against_actual(user=province_staff, programme=delivered, year=YEAR, unit=an_giang)
    expected = Disbursement.objects.aggregate(q=Sum("quantity"), a=Sum("amount"))
    assert (result.totals.quantity, result.totals.amount, result.own.amount) == (
        expected["q"],
        expected["a"],
        expected["a"],
    )


def test_the_unit_row_counts_each_beneficiary_once(delivered, province_staff, an_giang):
    result = plan_against_actual(user=province_staff, programme=delivered, year=YEAR, unit=an_giang)
    assert (result.own.beneficiaries, result.own.allocated_quantity) == (2, 1000)


def test_a_province_of_the_two_level_scheme_drills_down_to_its_communes(
    delivered, province_staff, an_giang
):
    result = plan_against_actual(user=province_staff, programme=delivered, year=YEAR, unit=an_giang)
    assert {r.unit.level for r in result.rows} == {Level.COMMUNE}


def test_a_commune_shows_itself_only(delivered, officer, my_hoa_hung):
    result = plan_against_actual(user=officer, programme=delivered, year=YEAR, unit=my_hoa_hung)
    assert (result.rows, result.own.amount, result.own.allocated_amount) == (
        [],
        368_000,
        10_000_000,
    )


def test_a_legacy_province_drills_down_to_districts_and_a_district_to_communes(
    district_share, legacy_province_staff, legacy_an_giang, cho_moi, kien_an, electricity, make_user
):
    officer = make_user(Role.COMMUNE_OFFICER, kien_an)
    pay(household_in(officer, kien_an), electricity, officer, amount=70_000, year=2025)
    province = plan_against_actual(
        user=legacy_province_staff, programme=electricity, year=2025, unit=legacy_an_giang
    )
    district = plan_against_actual(
        user=legacy_province_staff, programme=electricity, year=2025, unit=cho_moi
    )
    assert (
        row_of(province, cho_moi).amount,
        row_of(province, cho_moi).allocated_amount,
        row_of(district, kien_an).amount,
    ) == (
        70_000,
        30_000_000,
        70_000,
    )


def test_a_per_person_programme_counts_persons(
    programmes, officer, my_hoa_hung, province_staff, an_giang
):
    cards = programmes["bhyt"]
    household = make_household(
        officer,
        my_hoa_hung,
        members=[member("Bố"), member("Con", relationship="child", birth_year=2015)],
    )
    for person in household.members.all():
        pay(household, cards, officer, member_=person)
    result = plan_against_actual(user=province_staff, programme=cards, year=YEAR, unit=an_giang)
    assert (result.own.beneficiaries, result.own.quantity) == (2, 2)


def test_loans_count_borrowing_households_and_loans(
    programmes, officer, my_hoa_hung, province_staff, an_giang
):
    loans = programmes["vbsp_poor"]
    household = household_in(officer, my_hoa_hung)
    pay(household, loans, officer, amount=50_000_000)
    pay(household, loans, officer, amount=30_000_000)
    result = plan_against_actual(user=province_staff, programme=loans, year=YEAR, unit=an_giang)
    assert (result.own.beneficiaries, result.own.quantity) == (1, 2)


def test_the_summary_has_a_row_per_programme(delivered, province_staff, an_giang, programmes):
    rows = support_summary(user=province_staff, unit=an_giang, year=YEAR)
    by_code = {r.programme.code: r for r in rows}
    assert (len(rows), by_code["electricity"].amount, by_code["electricity"].allocated_amount) == (
        len(programmes),
        418_000,
        100_000_000,
    )


@pytest.mark.parametrize("communes", [1, 4])
def test_plan_against_actual_takes_four_queries_whatever_the_communes(
    communes, plan, province_staff, an_giang, electricity, make_user, django_assert_num_queries
):
    for commune in AdminUnit.objects.filter(parent=an_giang, level=Level.COMMUNE)[:communes]:
        officer = make_user(Role.COMMUNE_OFFICER, commune)
        pay(household_in(officer, commune), electricity, officer, amount=1_000)
    scope_for(province_staff)
    with django_assert_num_queries(4):
        plan_against_actual(user=province_staff, programme=electricity, year=YEAR, unit=an_giang)


def test_beneficiaries_of_poor_households_are_counted_apart(
    plan, province_staff, officer, my_hoa_hung, an_giang, electricity
):
    """Trainees, and of them members of poor households: by the status each was paid under."""
    allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=10_000_000)
    for name, classification in (("Hộ Nghèo", "poor"), ("Hộ Cận Nghèo", "near_poor")):
        household = household_in(officer, my_hoa_hung, name)
        pay(household, electricity, officer, amount=1_000, classification=classification)
    result = plan_against_actual(
        user=province_staff, programme=electricity, year=YEAR, unit=an_giang
    )
    row = row_of(result, my_hoa_hung)
    assert (row.beneficiaries, row.poor_beneficiaries, result.own.poor_beneficiaries) == (2, 1, 1)
