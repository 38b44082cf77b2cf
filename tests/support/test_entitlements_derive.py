"""Entitlements follow status: what recognition, a change of status, a new list year, an
escape, a birthday and a member leaving make of each household's and member's entitlements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from households.campaign import services as campaigns
from policies.support import entitlements as derivation
from policies.support.models import Entitlement, Programme

from ..households.factories import member
from .entitlement_helpers import (
    D,
    entitlements,
    monthly,
    periodic,
    rows_of,
    settled,
    update,
)
from .factories import recognised_household

pytestmark = pytest.mark.django_db

CHILD = {
    "relationship": "child",
    "qualification": "none",
    "employment": "student",
    "school_status": "in_school",
}

STUDENT = {"qualification": "upper_secondary"}


def family() -> list[dict]:
    return [settled("Nguyễn Văn An"), settled("Trần Thị Bình", relationship="spouse", sex="female")]


def child(name: str, born: dt.date, **extra) -> dict:
    return settled(name, birth_date=born, birth_year=born.year, **{**CHILD, **extra})


# --- recognition --------------------------------------------------------------------------------


def test_recognition_as_poor_gives_each_member_a_health_insurance_card(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2025, members=family()
    )
    assert entitlements(household, "bhyt") == [
        ("Nguyễn Văn An", "poor", D(2025, 1, 1), D(2025, 12, 31)),
        ("Trần Thị Bình", "poor", D(2025, 1, 1), D(2025, 12, 31)),
    ]


def test_recognition_as_poor_gives_the_household_the_electricity_subsidy(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2025, members=family()
    )
    assert entitlements(household, "electricity") == [
        (None, "poor", D(2025, 1, 1), D(2025, 12, 31))
    ]


def test_a_near_poor_household_has_cards_and_no_electricity_subsidy(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "near_poor", year=2025, members=family()
    )
    found = (entitlements(household, "bhyt"), entitlements(household, "electricity"))
    assert found == (
        [
            ("Nguyễn Văn An", "near_poor", D(2025, 1, 1), D(2025, 12, 31)),
            ("Trần Thị Bình", "near_poor", D(2025, 1, 1), D(2025, 12, 31)),
        ],
        [],
    )


def test_a_member_registered_with_the_household_is_entitled_from_the_list(
    programmes, officer, chair, my_hoa_hung
):
    """The services set `joined_on` to the day a member is entered; for the members registered
    with the household that is when the registry learnt of them, not when they joined (the same
    rule as the disbursement check)."""
    year = timezone.localdate().year
    household = recognised_household(officer, chair, my_hoa_hung, "poor", year=year)
    ((_name, _basis, valid_from, _valid_to),) = entitlements(household, "bhyt")
    assert valid_from == D(year, 1, 1)


def test_a_member_who_joins_later_is_entitled_from_joining(programmes, officer, chair, my_hoa_hung):
    joined = timezone.localdate() - dt.timedelta(days=3)
    household = recognised_household(officer, chair, my_hoa_hung, "poor", year=joined.year)
    household.created_at -= dt.timedelta(days=30)  # registered a month before she joined
    household.save(update_fields=["created_at"])
    newcomer = member("Lê Thị Mới", relationship="spouse", sex="female", joined_on=joined)
    update(officer, household, members=[*rows_of(household), newcomer])
    starts = {name: start for name, _basis, start, _end in entitlements(household, "bhyt")}
    assert starts["Lê Thị Mới"] == joined


# --- a change of status ---------------------------------------------------------------------------


def test_next_years_list_as_near_poor_ends_the_electricity_subsidy_with_the_year(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2025, members=family()
    )
    periodic(officer, chair, household, 2026, "near_poor")
    assert entitlements(household, "electricity") == [
        (None, "poor", D(2025, 1, 1), D(2025, 12, 31))
    ]


def test_a_monthly_review_out_of_poverty_ends_the_subsidy_the_day_before_its_decision(
    programmes, officer, chair, my_hoa_hung
):
    """The status reader gives one row a list year: after the monthly review it shows the
    not-poor status from the decision, and the poor months before it not at all; the sync ends
    the stored row the day before. When mid-year status periods land, the derivation itself
    gives the poor row up to that day: this test stays as it is."""
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=family()
    )
    review = monthly(officer, chair, household, D(2026, 3, 2), "not_poor")
    decided = review.decision.signed_on
    assert entitlements(household, "electricity") == [
        (None, "poor", D(2026, 1, 1), decided - dt.timedelta(days=1))
    ]


def test_a_monthly_review_to_near_poor_changes_the_basis_of_the_cards_from_its_decision(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=[settled("Nguyễn Văn An")]
    )
    decided = monthly(officer, chair, household, D(2026, 3, 2), "near_poor").decision.signed_on
    assert entitlements(household, "bhyt") == [
        ("Nguyễn Văn An", "poor", D(2026, 1, 1), decided - dt.timedelta(days=1)),
        ("Nguyễn Văn An", "near_poor", decided, D(2026, 12, 31)),
    ]


def test_an_ended_entitlement_keeps_its_row(programmes, officer, chair, my_hoa_hung):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=family()
    )
    first = Entitlement.objects.get(household=household, programme__code="electricity")
    monthly(officer, chair, household, D(2026, 3, 2), "not_poor")
    assert Entitlement.objects.get(household=household, programme__code="electricity").pk == (
        first.pk
    )


def test_moving_out_ends_the_entitlements_the_day_before(programmes, officer, chair, my_hoa_hung):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=family()
    )
    campaigns.household_move_out(
        actor=officer, household=household, on=D(2026, 5, 10), reason="Vào TP.HCM"
    )
    assert entitlements(household, "electricity") == [(None, "poor", D(2026, 1, 1), D(2026, 5, 9))]


# --- consecutive list years ----------------------------------------------------------------------


def test_poor_in_two_consecutive_lists_is_one_card_per_member(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2025, members=family()
    )
    periodic(officer, chair, household, 2026, "poor")
    assert entitlements(household, "bhyt") == [
        ("Nguyễn Văn An", "poor", D(2025, 1, 1), D(2026, 12, 31)),
        ("Trần Thị Bình", "poor", D(2025, 1, 1), D(2026, 12, 31)),
    ]


def test_poor_then_near_poor_in_consecutive_lists_is_two_cards(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2025, members=[settled("Nguyễn Văn An")]
    )
    periodic(officer, chair, household, 2026, "near_poor")
    assert entitlements(household, "bhyt") == [
        ("Nguyễn Văn An", "poor", D(2025, 1, 1), D(2025, 12, 31)),
        ("Nguyễn Văn An", "near_poor", D(2026, 1, 1), D(2026, 12, 31)),
    ]


def test_a_past_list_entered_later_joins_the_entitlement_that_follows(
    programmes, officer, chair, my_hoa_hung
):
    """The 2026 card is taken over by one from 2025 when the 2025 list is recognised late."""
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=[settled("Nguyễn Văn An")]
    )
    periodic(officer, chair, household, 2025, "poor")
    assert entitlements(household, "bhyt") == [
        ("Nguyễn Văn An", "poor", D(2025, 1, 1), D(2026, 12, 31))
    ]


# --- after an escape from poverty -----------------------------------------------------------------


def escaped(officer, chair, commune):
    """Poor on the 2024 list, not poor on the 2025 one (recognised on 1 December 2024)."""
    household = recognised_household(
        officer, chair, commune, "poor", year=2024, members=[settled("Nguyễn Văn An")]
    )
    periodic(officer, chair, household, 2025, "not_poor")
    return household


def test_an_escape_opens_the_three_year_loan_window_once_the_poor_list_ends(
    programmes, officer, chair, my_hoa_hung
):
    """Escaped on 1 December 2024 (the decision), still poor until the 2024 list ends: the
    window runs from 1 January 2025 to the day before the third anniversary of the escape."""
    household = escaped(officer, chair, my_hoa_hung)
    assert entitlements(household, "vbsp_escaped") == [
        (None, "escaped", D(2025, 1, 1), D(2027, 11, 30))
    ]


def test_poor_again_closes_the_loan_window_the_day_before_the_poor_list(
    programmes, officer, chair, my_hoa_hung
):
    household = escaped(officer, chair, my_hoa_hung)
    periodic(officer, chair, household, 2026, "poor")
    assert entitlements(household, "vbsp_escaped") == [
        (None, "escaped", D(2025, 1, 1), D(2025, 12, 31))
    ]


def test_the_loan_window_is_not_for_households_that_never_escaped(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer, chair, my_hoa_hung, "near_poor", year=2025, members=family()
    )
    assert entitlements(household, "vbsp_escaped") == []


# --- age, school and presence -------------------------------------------------------------------


@pytest.fixture
def under_six(programmes, an_giang) -> Programme:
    """A province's own card for children under 6 of poor households, tracked."""
    bhyt = programmes["bhyt"]
    return Programme.objects.create(
        code="ag_children_under6",
        name_vi="Hỗ trợ trẻ em dưới 6 tuổi thuộc hộ nghèo (An Giang)",
        name_en="Support for children under 6 of poor households (An Giang)",
        legal_basis="Nghị quyết của HĐND tỉnh An Giang",
        benefit_kind="other",
        beneficiary="person",
        period_kind="year",
        count_unit="card",
        amount_rule="none",
        for_poor=True,
        max_age=6,
        capped=False,
        tracks_entitlements=True,
        province=an_giang,
        valid_from=bhyt.valid_from,
    )


def test_a_child_turning_six_is_entitled_until_the_day_before_the_birthday(
    under_six, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "poor",
        year=2026,
        members=[settled("Nguyễn Văn An"), child("Nguyễn Văn Tí", D(2020, 5, 10))],
    )
    assert entitlements(household, "ag_children_under6") == [
        ("Nguyễn Văn Tí", "poor", D(2026, 1, 1), D(2026, 5, 9))
    ]


def test_study_costs_start_on_the_third_birthday_of_a_child_in_school(
    programmes, officer, chair, my_hoa_hung
):
    household = recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "poor",
        year=2026,
        members=[settled("Nguyễn Văn An"), child("Nguyễn Thị Mầm", D(2023, 4, 20))],
    )
    assert entitlements(household, "study_cost") == [
        ("Nguyễn Thị Mầm", "poor", D(2026, 4, 20), D(2026, 12, 31))
    ]


def test_study_costs_are_only_for_members_in_school(programmes, officer, chair, my_hoa_hung):
    household = recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "poor",
        year=2026,
        members=[
            settled("Nguyễn Văn An"),
            child("Nguyễn Văn Út", D(2012, 2, 1), school_status="out_of_school"),
        ],
    )
    assert entitlements(household, "study_cost") == []


def test_tuition_exemption_is_for_ethnic_minority_students_from_its_decree(
    programmes, officer, chair, my_hoa_hung
):
    """Decree 238/2025 is in force from 3 September 2025."""
    household = recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "poor",
        year=2025,
        members=[
            settled("Thạch Sóc", ethnicity="05"),
            child("Thạch Thị Đa", D(2006, 3, 1), ethnicity="05", qualification="upper_secondary"),
            child(
                "Nguyễn Văn Kinh", D(2006, 3, 1), ethnicity="01", qualification="upper_secondary"
            ),
        ],
    )
    assert entitlements(household, "tuition_exemption") == [
        ("Thạch Thị Đa", "poor", D(2025, 9, 3), D(2025, 12, 31))
    ]


def test_a_member_who_leaves_keeps_the_card_until_the_day_before(
    programmes, officer, chair, my_hoa_hung
):
    """A member leaves on the day the officer records it (today): the card ends the day
    before, and the row stays."""
    year = timezone.localdate().year
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=year, members=family()
    )
    head, _spouse = rows_of(household)
    update(officer, household, members=[head])
    left = household.members.get(full_name="Trần Thị Bình").left_on
    assert entitlements(household, "bhyt") == [
        ("Nguyễn Văn An", "poor", D(year, 1, 1), D(year, 12, 31)),
        ("Trần Thị Bình", "poor", D(year, 1, 1), left - dt.timedelta(days=1)),
    ]


def test_leaving_school_ends_study_costs_the_day_before_it_is_recorded(
    programmes, officer, chair, my_hoa_hung
):
    """School status is today's value: the change is dated the day it is recorded."""
    year = timezone.localdate().year
    household = recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "poor",
        year=year,
        members=[settled("Nguyễn Văn An"), child("Nguyễn Văn Út", D(2012, 2, 1))],
    )
    rows = rows_of(household)
    rows[1]["school_status"] = "out_of_school"
    update(officer, household, members=rows)
    assert entitlements(household, "study_cost") == [
        ("Nguyễn Văn Út", "poor", D(year, 1, 1), timezone.localdate() - dt.timedelta(days=1))
    ]


# --- the derivation on its own ------------------------------------------------------------------


def test_derive_over_some_years_cuts_the_rows_to_them(programmes, officer, chair, my_hoa_hung):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2025, members=[settled("Nguyễn Văn An")]
    )
    periodic(officer, chair, household, 2026, "poor")
    rows = derivation.derive([household.pk], years=[2026])
    assert sorted((r.programme_id, r.valid_from, r.valid_to) for r in rows) == sorted(
        (programmes[code].pk, D(2026, 1, 1), D(2026, 12, 31)) for code in ("bhyt", "electricity")
    )


def test_a_row_that_has_not_started_is_deleted_when_no_longer_due(
    programmes, officer, chair, my_hoa_hung
):
    """Synced as of a day before the list begins, a card that would have started is removed."""
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=[settled("Nguyễn Văn An")]
    )
    campaigns.household_move_out(
        actor=officer, household=household, on=D(2025, 12, 20), reason="Chuyển đi"
    )
    # The rows as a sync run before the move would have left them: one card.
    Entitlement.objects.all().delete()
    Entitlement.objects.create(
        programme=programmes["bhyt"],
        household=household,
        member=household.members.get(),
        commune=household.commune,
        unit_path=household.unit_path,
        basis="poor",
        valid_from=D(2026, 1, 1),
        valid_to=D(2026, 12, 31),
    )
    derivation.entitlements_sync([household.pk], today=D(2025, 12, 21))
    assert not Entitlement.objects.exists()


def test_moving_out_before_the_list_began_ends_its_started_card_on_its_first_day(
    programmes, officer, chair, my_hoa_hung
):
    """The move is dated before the list took effect: nothing held on the card's first day,
    yet a card that started is never deleted, so it ends the day it began."""
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=[settled("Nguyễn Văn An")]
    )
    campaigns.household_move_out(
        actor=officer, household=household, on=D(2025, 12, 20), reason="Chuyển đi"
    )
    assert entitlements(household, "bhyt") == [
        ("Nguyễn Văn An", "poor", D(2026, 1, 1), D(2026, 1, 1))
    ]
