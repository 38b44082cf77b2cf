"""Recording and reversing one disbursement: eligibility by status and person, periods, amounts,
the allocation ceiling with its overrides, the priority list's order, and double payment refused
by the service and by the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from households.models import Household
from policies.support.models import Disbursement
from policies.support.services.disbursements import disbursement_record, disbursement_reverse

from ..households.factories import make_household, member
from ..households.test_household_year import monthly
from .disbursement_rows import allocate, listed_households, override, priority_list
from .factories import facts, recognised_household

pytestmark = pytest.mark.django_db

# 30 kWh a month × 2,044 VND/kWh (tier-1 tariff from 2025) × 3 months.
QUARTER_OF_ELECTRICITY = 30 * 2_044 * 3


def refused(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


@pytest.fixture
def poor(officer, chair, my_hoa_hung):
    return recognised_household(officer, chair, my_hoa_hung, "poor")


@pytest.fixture
def electricity(programmes, officer, my_hoa_hung):
    allocate(officer, programmes["electricity"], my_hoa_hung, amount=10_000_000, quantity=50)
    return programmes["electricity"]


def pay(officer, programme, household, **extra):
    extra.setdefault("paid_on", dt.date(2026, 2, 10))
    return disbursement_record(actor=officer, programme=programme, household=household, **extra)


# --- eligibility by status -----------------------------------------------------------------------


def test_a_poor_household_is_paid_the_quarter_of_the_date_at_the_tariff_in_force(
    officer, poor, electricity
):
    paid = pay(officer, electricity, poor)
    assert (paid.period, paid.year, paid.amount, paid.classification, paid.funding_source) == (
        "2026-Q1",
        2026,
        QUARTER_OF_ELECTRICITY,
        "poor",
        "central",
    )


def test_the_disbursement_carries_the_household_s_commune_path_and_allocation(
    officer, poor, electricity, my_hoa_hung
):
    paid = pay(officer, electricity, poor)
    assert (paid.commune, paid.unit_path, paid.allocation.unit) == (
        my_hoa_hung,
        poor.unit_path,
        my_hoa_hung,
    )


def test_a_near_poor_household_is_refused_the_electricity_subsidy(
    officer, chair, my_hoa_hung, electricity
):
    near_poor = recognised_household(officer, chair, my_hoa_hung, "near_poor")
    assert list(refused(pay, officer=officer, programme=electricity, household=near_poor)) == [
        "household"
    ]


def test_a_household_with_no_recognised_status_is_refused(officer, my_hoa_hung, electricity):
    surveyed = make_household(
        officer, my_hoa_hung, members=[member()], review_data=facts(2026, "poor")
    )
    errors = refused(pay, officer=officer, programme=electricity, household=surveyed)
    assert "10/02/2026" in errors["household"][0]


@pytest.fixture
def near_poor_from_march(officer, chair, poor):
    """Poor on the 2026 list, near-poor by a monthly review recognised on 27 March."""
    monthly(officer, chair, poor, dt.date(2026, 3, 2), "near_poor")
    return Household.objects.get(pk=poor.pk)


def test_a_payment_made_before_a_status_change_stands(officer, chair, poor, electricity):
    paid = pay(officer, electricity, poor, paid_on=dt.date(2026, 3, 10))
    monthly(officer, chair, poor, dt.date(2026, 3, 2), "near_poor")
    paid.refresh_from_db()
    assert (paid.period, paid.classification, paid.is_reversed) == ("2026-Q1", "poor", False)


def test_the_quarter_after_a_status_change_is_refused(officer, near_poor_from_march, electricity):
    errors = refused(
        pay,
        officer=officer,
        programme=electricity,
        household=near_poor_from_march,
        paid_on=dt.date(2026, 4, 10),
    )
    assert list(errors) == ["household"]


def test_arrears_of_a_quarter_are_refused_once_the_status_changed(
    officer, near_poor_from_march, electricity
):
    errors = refused(
        pay,
        officer=officer,
        programme=electricity,
        household=near_poor_from_march,
        paid_on=dt.date(2026, 4, 10),
        period="2026-Q1",
    )
    assert list(errors) == ["household"]


def test_arrears_are_paid_when_the_status_held_through(officer, poor, electricity):
    paid = pay(officer, electricity, poor, paid_on=dt.date(2026, 4, 10), period="2026-Q1")
    assert (paid.period, paid.paid_on) == ("2026-Q1", dt.date(2026, 4, 10))


def test_a_period_not_started_on_the_date_is_refused(officer, poor, electricity):
    assert list(
        refused(pay, officer=officer, programme=electricity, household=poor, period="2026-q2")
    ) == ["period"]


def test_a_period_written_wrongly_is_refused(officer, poor, electricity):
    assert list(
        refused(pay, officer=officer, programme=electricity, household=poor, period="Q1/2026")
    ) == ["period"]


def test_a_date_in_the_future_is_refused(officer, poor, electricity):
    errors = refused(
        pay, officer=officer, programme=electricity, household=poor, paid_on=dt.date(2099, 1, 1)
    )
    assert "paid_on" in errors


def test_a_programme_not_in_force_on_the_date_is_refused(officer, poor, programmes):
    errors = refused(pay, officer=officer, programme=programmes["housing_ntp"], household=poor)
    assert list(errors) == ["paid_on"]


# --- per person ----------------------------------------------------------------------------------


@pytest.fixture
def family(officer, chair, my_hoa_hung):
    return recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "near_poor",
        members=[
            member("Lê Văn Ba"),
            member("Lê Thị Tư", relationship="child", birth_year=2022, employment="not_working"),
            member(
                "Lê Văn Năm",
                relationship="child",
                birth_year=2014,
                school_status="in_school",
                qualification="primary",
                employment="student",
            ),
            member(
                "Lê Văn Sáu",
                relationship="child",
                birth_year=2012,
                school_status="out_of_school",
                qualification="primary",
                employment="not_working",
            ),
        ],
    )


def person(household, name):
    return household.members.get(full_name=name)


def test_a_child_under_6_of_a_near_poor_household_gets_a_medical_visit(officer, family, programmes):
    paid = pay(
        officer,
        programmes["kcb_children_under6"],
        family,
        member=person(family, "Lê Thị Tư"),
        reference="Khám 10/02",
    )
    assert (paid.period, paid.amount, paid.allocation) == ("Khám-10/02", 0, None)


def test_an_adult_is_refused_the_medical_visit_for_children(officer, family, programmes):
    errors = refused(
        pay,
        officer=officer,
        programme=programmes["kcb_children_under6"],
        household=family,
        member=person(family, "Lê Văn Ba"),
        reference="K1",
    )
    assert list(errors) == ["member"]


def test_a_per_person_programme_needs_the_member(officer, family, programmes):
    errors = refused(
        pay,
        officer=officer,
        programme=programmes["kcb_children_under6"],
        household=family,
        reference="K1",
    )
    assert list(errors) == ["member"]


def test_a_member_of_another_household_is_refused(officer, family, poor, programmes):
    errors = refused(
        pay,
        officer=officer,
        programme=programmes["bhyt"],
        household=poor,
        member=person(family, "Lê Văn Ba"),
    )
    assert "member" in errors


def test_a_pupil_in_school_gets_study_cost_support(officer, family, programmes, my_hoa_hung):
    allocate(officer, programmes["study_cost"], my_hoa_hung, amount=1_000_000)
    paid = pay(officer, programmes["study_cost"], family, member=person(family, "Lê Văn Năm"))
    assert (paid.period, paid.amount) == ("2026-02", 150_000)


def test_a_child_out_of_school_is_refused_study_cost_support(
    officer, family, programmes, my_hoa_hung
):
    allocate(officer, programmes["study_cost"], my_hoa_hung, amount=1_000_000)
    errors = refused(
        pay,
        officer=officer,
        programme=programmes["study_cost"],
        household=family,
        member=person(family, "Lê Văn Sáu"),
    )
    assert list(errors) == ["member"]


def test_a_kinh_student_is_refused_the_ethnic_minority_tuition_exemption(
    officer, family, programmes
):
    errors = refused(
        pay,
        officer=officer,
        programme=programmes["tuition_exemption"],
        household=family,
        member=person(family, "Lê Văn Năm"),
        paid_on=dt.date(2026, 9, 10),
    )
    assert list(errors) == ["member"]


# --- what is entered -----------------------------------------------------------------------------


def test_a_computed_amount_cannot_be_overridden(officer, poor, electricity):
    errors = refused(pay, officer=officer, programme=electricity, household=poor, amount=500_000)
    assert list(errors) == ["amount"]


@pytest.fixture
def loans(programmes, officer, my_hoa_hung):
    allocate(officer, programmes["vbsp_poor"], my_hoa_hung, amount=500_000_000, quantity=10)
    return programmes["vbsp_poor"]


@pytest.fixture
def queue(officer, my_hoa_hung, loans):
    """Three poor households on the decided priority list for loans, in that order."""
    households = listed_households(officer, my_hoa_hung, 3)
    priority_list(officer, loans, my_hoa_hung, households)
    return households


def test_an_entered_amount_is_required(officer, queue, loans):
    errors = refused(pay, officer=officer, programme=loans, household=queue[0], reference="HD-1")
    assert list(errors) == ["amount"]


def test_a_delivery_per_reference_needs_the_reference(officer, queue, loans):
    errors = refused(pay, officer=officer, programme=loans, household=queue[0], amount=50_000_000)
    assert list(errors) == ["reference"]


def test_a_funding_source_the_programme_lacks_is_refused(officer, poor, electricity):
    errors = refused(
        pay, officer=officer, programme=electricity, household=poor, funding_source="vbsp"
    )
    assert list(errors) == ["funding_source"]


def test_a_programme_with_variants_needs_one(officer, poor, programmes):
    errors = refused(
        pay,
        officer=officer,
        programme=programmes["job_placement"],
        household=poor,
        member=poor.members.get(),
        reference="VL-1",
    )
    assert list(errors) == ["variant"]


# --- who may record ------------------------------------------------------------------------------


def test_an_officer_of_another_commune_gets_not_found(other_officer, poor, electricity):
    with pytest.raises(Http404):
        pay(other_officer, electricity, poor)


def test_the_chair_may_see_but_not_record(chair, poor, electricity):
    with pytest.raises(PermissionDenied):
        pay(chair, electricity, poor)


# --- double payment ------------------------------------------------------------------------------


def test_a_second_payment_of_the_period_is_refused(officer, poor, electricity):
    pay(officer, electricity, poor)
    errors = refused(
        pay, officer=officer, programme=electricity, household=poor, paid_on=dt.date(2026, 3, 1)
    )
    assert list(errors) == ["period"]


def test_the_database_refuses_a_second_payment_of_the_period(officer, poor, electricity):
    paid = pay(officer, electricity, poor)
    paid.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        paid.save()


def test_the_database_refuses_a_second_payment_of_a_member(officer, family, programmes):
    paid = pay(officer, programmes["bhyt"], family, member=person(family, "Lê Văn Ba"))
    paid.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        paid.save()


def test_the_same_period_of_another_member_is_paid(officer, family, programmes):
    pay(officer, programmes["bhyt"], family, member=person(family, "Lê Văn Ba"))
    other = pay(officer, programmes["bhyt"], family, member=person(family, "Lê Thị Tư"))
    assert other.period == "2026"


# --- reversal ------------------------------------------------------------------------------------


def test_a_reversal_is_a_counter_entry_and_keeps_the_payment(officer, poor, electricity):
    paid = pay(officer, electricity, poor)
    reversal = disbursement_reverse(actor=officer, disbursement=paid, reason="Nhầm hộ")
    paid.refresh_from_db()
    assert (
        reversal.kind,
        reversal.amount,
        reversal.quantity,
        reversal.reverses,
        reversal.note,
    ) == (
        "reversal",
        -QUARTER_OF_ELECTRICITY,
        -1,
        paid,
        "Nhầm hộ",
    )
    assert paid.is_reversed


def test_a_reversed_period_can_be_paid_again(officer, poor, electricity):
    disbursement_reverse(actor=officer, disbursement=pay(officer, electricity, poor), reason="Sai")
    again = pay(officer, electricity, poor, paid_on=dt.date(2026, 3, 1))
    assert Disbursement.objects.filter(household=poor).count() == 3
    assert again.amount == QUARTER_OF_ELECTRICITY


def test_a_reversal_cannot_be_reversed(officer, poor, electricity):
    reversal = disbursement_reverse(
        actor=officer, disbursement=pay(officer, electricity, poor), reason="Sai"
    )
    assert list(
        refused(disbursement_reverse, actor=officer, disbursement=reversal, reason="Lại sai")
    ) == ["reason"]


def test_a_payment_is_reversed_once(officer, poor, electricity):
    paid = pay(officer, electricity, poor)
    disbursement_reverse(actor=officer, disbursement=paid, reason="Sai")
    assert list(refused(disbursement_reverse, actor=officer, disbursement=paid, reason="Lại")) == [
        "reason"
    ]


def test_a_reversal_needs_its_reason(officer, poor, electricity):
    paid = pay(officer, electricity, poor)
    assert list(refused(disbursement_reverse, actor=officer, disbursement=paid, reason=" ")) == [
        "reason"
    ]


# --- the allocation ceiling ----------------------------------------------------------------------


@pytest.fixture
def two_poor(officer, my_hoa_hung):
    return listed_households(officer, my_hoa_hung, 2)


def test_a_capped_programme_without_an_allocation_is_refused(officer, poor, programmes):
    errors = refused(pay, officer=officer, programme=programmes["electricity"], household=poor)
    assert list(errors) == ["programme"]


def test_a_payment_beyond_the_allocation_is_refused(officer, two_poor, programmes, my_hoa_hung):
    electricity = programmes["electricity"]
    allocate(officer, electricity, my_hoa_hung, amount=QUARTER_OF_ELECTRICITY)
    pay(officer, electricity, two_poor[0])
    errors = refused(pay, officer=officer, programme=electricity, household=two_poor[1])
    assert list(errors) == ["amount"]


def test_a_payment_beyond_the_allocated_quantity_is_refused(
    officer, two_poor, programmes, my_hoa_hung
):
    electricity = programmes["electricity"]
    allocate(officer, electricity, my_hoa_hung, quantity=1)
    pay(officer, electricity, two_poor[0])
    errors = refused(pay, officer=officer, programme=electricity, household=two_poor[1])
    assert list(errors) == ["quantity"]


def test_an_override_lets_the_commune_pay_beyond_its_allocation(
    officer, two_poor, programmes, my_hoa_hung, province_staff
):
    electricity = programmes["electricity"]
    allocation = allocate(officer, electricity, my_hoa_hung, amount=QUARTER_OF_ELECTRICITY)
    override(province_staff, allocation, extra_amount=QUARTER_OF_ELECTRICITY)
    pay(officer, electricity, two_poor[0])
    assert pay(officer, electricity, two_poor[1]).allocation == allocation


def test_a_reversal_gives_its_room_back_to_the_allocation(
    officer, two_poor, programmes, my_hoa_hung
):
    electricity = programmes["electricity"]
    allocate(officer, electricity, my_hoa_hung, amount=QUARTER_OF_ELECTRICITY)
    disbursement_reverse(
        actor=officer, disbursement=pay(officer, electricity, two_poor[0]), reason="Sai hộ"
    )
    assert pay(officer, electricity, two_poor[1]).amount == QUARTER_OF_ELECTRICITY


# --- the priority list ---------------------------------------------------------------------------


def loan(officer, loans, household, **extra):
    extra.setdefault("reference", "HD-1")
    return pay(officer, loans, household, amount=50_000_000, **extra)


def test_the_first_on_the_list_is_paid_with_its_place(officer, queue, loans):
    paid = loan(officer, loans, queue[0])
    assert (paid.priority_entry.rank, paid.out_of_order_reason) == (1, "")


def test_paying_out_of_the_list_s_order_needs_a_reason(officer, queue, loans):
    errors = refused(
        pay,
        officer=officer,
        programme=loans,
        household=queue[1],
        amount=50_000_000,
        reference="HD-2",
    )
    assert queue[0].code in errors["out_of_order_reason"][0]


def test_paying_out_of_order_with_a_reason_is_recorded(officer, queue, loans):
    paid = loan(officer, loans, queue[2], out_of_order_reason="Hộ số 1 chưa đủ hồ sơ")
    assert (paid.priority_entry.rank, paid.out_of_order_reason) == (3, "Hộ số 1 chưa đủ hồ sơ")


def test_the_next_on_the_list_is_in_order_once_the_first_is_paid(officer, queue, loans):
    loan(officer, loans, queue[0])
    assert loan(officer, loans, queue[1], reference="HD-2").priority_entry.rank == 2


def test_a_household_off_the_list_is_refused(officer, queue, loans, my_hoa_hung):
    outsider = listed_households(officer, my_hoa_hung, 1)[0]
    errors = refused(
        pay, officer=officer, programme=loans, household=outsider, amount=1, reference="HD-9"
    )
    assert list(errors) == ["household"]


def test_without_a_decided_list_the_programme_is_refused(officer, my_hoa_hung, loans):
    households = listed_households(officer, my_hoa_hung, 1)
    priority_list(officer, loans, my_hoa_hung, households, status="draft")
    errors = refused(
        pay, officer=officer, programme=loans, household=households[0], amount=1, reference="H"
    )
    assert list(errors) == ["programme"]
