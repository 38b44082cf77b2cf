# ruff: noqa: F811  (the fixtures of priority_fixtures are imported by name)
"""Priority lists: the order kept through moves and withdrawals, who may be proposed, the
village meeting's majority, the lock and the chair's reopening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policies.support.choices import PriorityListStatus
from policies.support.selectors.priority import next_in_line, priority_entries
from policies.support.services import priority as services

from .factories import recognised_household
from .priority_fixtures import (  # noqa: F401
    YEAR,
    english,
    loan_list,
    loans,
    order,
    other_chair,
    pay,
    poor,
    ranked,
    ranks,
)

MET_ON = dt.date(2026, 3, 10)


def decide(officer, priority_list, **changes):
    values = {"meeting_on": MET_ON, "attendees": 40, "agreed": 30, "minutes": "Biên bản họp"}
    values.update(changes)
    return services.priority_list_decide(actor=officer, priority_list=priority_list, **values)


def message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# --- order -------------------------------------------------------------------------------------


def test_households_are_appended_in_the_order_proposed(loan_list, ranked, poor):
    assert order(loan_list) == [h.pk for h in poor]


def test_moving_the_first_to_the_last_place_shifts_the_others_up(officer, loan_list, ranked, poor):
    services.priority_entry_move(actor=officer, entry=ranked[0], rank=4)
    assert order(loan_list) == [poor[1].pk, poor[2].pk, poor[3].pk, poor[0].pk]


def test_moving_the_last_to_the_first_place_shifts_the_others_down(
    officer, loan_list, ranked, poor
):
    services.priority_entry_move(actor=officer, entry=ranked[3], rank=1)
    assert order(loan_list) == [poor[3].pk, poor[0].pk, poor[1].pk, poor[2].pk]


def test_moving_a_middle_household_up_one_place(officer, loan_list, ranked, poor):
    services.priority_entry_move(actor=officer, entry=ranked[2], rank=2)
    assert order(loan_list) == [poor[0].pk, poor[2].pk, poor[1].pk, poor[3].pk]


def test_places_stay_one_to_n_after_moves(officer, loan_list, ranked):
    services.priority_entry_move(actor=officer, entry=ranked[0], rank=4)
    services.priority_entry_move(actor=officer, entry=ranked[2], rank=1)
    assert ranks(loan_list) == [1, 2, 3, 4]


def test_a_place_beyond_the_list_is_refused(officer, ranked):
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_move(actor=officer, entry=ranked[0], rank=5)
    assert "1 to 4" in message(refused.value, "rank")


def test_a_move_is_kept_in_the_history(officer, ranked):
    services.priority_entry_move(actor=officer, entry=ranked[0], rank=3)
    places = list(ranked[0].history.order_by("history_date").values_list("rank", flat=True))
    assert places == [1, 3]


# --- withdrawal --------------------------------------------------------------------------------


def test_a_withdrawn_household_goes_to_the_end_and_the_others_close_up(
    officer, loan_list, ranked, poor
):
    services.priority_entry_withdraw(actor=officer, entry=ranked[1], reason="Đã chuyển đi")
    assert order(loan_list) == [poor[0].pk, poor[2].pk, poor[3].pk, poor[1].pk]


def test_a_withdrawn_household_is_kept_with_its_reason(officer, ranked):
    entry = services.priority_entry_withdraw(actor=officer, entry=ranked[1], reason="Đã chuyển đi")
    assert (entry.withdrawn, entry.withdrawn_reason) == (True, "Đã chuyển đi")


def test_a_withdrawal_needs_a_reason(officer, ranked):
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_withdraw(actor=officer, entry=ranked[1], reason=" ")
    assert "reason" in refused.value.message_dict


def test_a_withdrawn_household_cannot_be_moved(officer, ranked):
    services.priority_entry_withdraw(actor=officer, entry=ranked[1], reason="Đã chuyển đi")
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_move(actor=officer, entry=ranked[1], rank=1)
    assert "rank" in refused.value.message_dict


def test_a_household_proposed_after_a_withdrawal_goes_before_the_withdrawn(
    officer, chair, my_hoa_hung, loan_list, ranked, poor
):
    services.priority_entry_withdraw(actor=officer, entry=ranked[0], reason="Đã chuyển đi")
    late = recognised_household(officer, chair, my_hoa_hung, "poor")
    services.priority_entry_add(
        actor=officer, priority_list=loan_list, household=late, reason="Nhà dột nát"
    )
    assert order(loan_list) == [poor[1].pk, poor[2].pk, poor[3].pk, late.pk, poor[0].pk]


def test_the_reason_for_a_place_can_be_changed(officer, ranked):
    entry = services.priority_entry_update_reason(
        actor=officer, entry=ranked[0], reason="Người già neo đơn"
    )
    assert entry.reason == "Người già neo đơn"


# --- who may be proposed -----------------------------------------------------------------------


def test_a_near_poor_household_is_refused_for_loans_to_poor_households(
    officer, chair, my_hoa_hung, loan_list
):
    near_poor = recognised_household(officer, chair, my_hoa_hung, "near_poor")
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_add(
            actor=officer, priority_list=loan_list, household=near_poor, reason="Đề xuất"
        )
    assert "recognised as near-poor today" in message(refused.value, "household")


def test_a_household_without_status_is_refused_saying_so(officer, my_hoa_hung, loan_list):
    from tests.households.factories import make_household, member

    unrecognised = make_household(officer, my_hoa_hung, members=[member("Lê Văn Tư")])
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_add(
            actor=officer, priority_list=loan_list, household=unrecognised, reason="Đề xuất"
        )
    assert "no recognised status" in message(refused.value, "household")


def test_a_household_eligible_only_in_the_list_year_may_be_proposed(
    officer, chair, my_hoa_hung, loans
):
    """A 2027 list proposed in December 2026: the household is poor today (2026 list)."""
    later = services.priority_list_create(
        actor=officer, programme=loans, year=2027, commune=my_hoa_hung
    )
    household = recognised_household(officer, chair, my_hoa_hung, "poor")
    entry = services.priority_entry_add(
        actor=officer, priority_list=later, household=household, reason="Đề xuất"
    )
    assert entry.rank == 1


def test_a_household_of_another_commune_is_refused_without_naming_it(
    other_officer, make_user, long_xuyen, officer, loan_list
):
    other_chair = make_user("commune_chair", long_xuyen, username="lx-chair")
    elsewhere = recognised_household(other_officer, other_chair, long_xuyen, "poor")
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_add(
            actor=officer, priority_list=loan_list, household=elsewhere, reason="Đề xuất"
        )
    text = message(refused.value, "household")
    assert (elsewhere.code in text, long_xuyen.name in text, "commune of this list" in text) == (
        False,
        False,
        True,
    )


def test_a_household_is_proposed_once(officer, loan_list, ranked, poor):
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_add(
            actor=officer, priority_list=loan_list, household=poor[0], reason="Lần nữa"
        )
    assert "already on this list" in message(refused.value, "household")


def test_a_programme_without_priority_list_is_refused(officer, programmes, my_hoa_hung):
    with pytest.raises(ValidationError) as refused:
        services.priority_list_create(
            actor=officer, programme=programmes["bhyt"], year=YEAR, commune=my_hoa_hung
        )
    assert "does not follow a priority list" in message(refused.value, "programme")


def test_only_the_commune_officer_opens_a_list(chair, loans, my_hoa_hung):
    with pytest.raises(PermissionDenied):
        services.priority_list_create(actor=chair, programme=loans, year=YEAR, commune=my_hoa_hung)


def test_an_officer_of_another_commune_may_not_propose(other_officer, loan_list, poor):
    with pytest.raises(PermissionDenied):
        services.priority_entry_add(
            actor=other_officer, priority_list=loan_list, household=poor[0], reason="Đề xuất"
        )


# --- the village meeting -----------------------------------------------------------------------


def test_a_majority_adopts_the_list(officer, loan_list, ranked):
    decided = decide(officer, loan_list, attendees=40, agreed=21)
    assert (decided.status, decided.decided_by) == (PriorityListStatus.DECIDED, officer)


def test_half_of_those_attending_is_not_a_majority(officer, loan_list, ranked):
    with pytest.raises(ValidationError) as refused:
        decide(officer, loan_list, attendees=40, agreed=20)
    assert "not a majority" in message(refused.value, "agreed")


def test_more_agreeing_than_attending_is_refused(officer, loan_list, ranked):
    with pytest.raises(ValidationError) as refused:
        decide(officer, loan_list, attendees=10, agreed=11)
    assert "than attended" in message(refused.value, "agreed")


def test_no_attendee_is_refused(officer, loan_list, ranked):
    with pytest.raises(ValidationError) as refused:
        decide(officer, loan_list, attendees=0, agreed=0)
    assert "attendees" in refused.value.message_dict


def test_a_meeting_in_the_future_is_refused(officer, loan_list, ranked):
    with pytest.raises(ValidationError) as refused:
        decide(officer, loan_list, meeting_on=dt.date.today() + dt.timedelta(days=1))
    assert "future" in message(refused.value, "meeting_on")


def test_a_meeting_before_december_of_the_previous_year_is_refused(officer, loan_list, ranked):
    with pytest.raises(ValidationError) as refused:
        decide(officer, loan_list, meeting_on=dt.date(2025, 11, 30))
    assert "01/12/2025" in message(refused.value, "meeting_on")


def test_a_meeting_in_december_of_the_previous_year_is_accepted(officer, loan_list, ranked):
    decided = decide(officer, loan_list, meeting_on=dt.date(2025, 12, 1))
    assert decided.meeting_on == dt.date(2025, 12, 1)


def test_an_empty_list_cannot_be_adopted(officer, loan_list):
    with pytest.raises(ValidationError) as refused:
        decide(officer, loan_list)
    assert "entries" in refused.value.message_dict


# --- the lock and the reopening -----------------------------------------------------------------


def test_an_adopted_list_refuses_new_households(officer, chair, my_hoa_hung, loan_list, ranked):
    decide(officer, loan_list)
    late = recognised_household(officer, chair, my_hoa_hung, "poor")
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_add(
            actor=officer, priority_list=loan_list, household=late, reason="Muộn"
        )
    assert "locked" in message(refused.value, "status")


def test_an_adopted_list_refuses_moves(officer, loan_list, ranked):
    decide(officer, loan_list)
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_move(actor=officer, entry=ranked[0], rank=2)
    assert "locked" in message(refused.value, "status")


def test_an_adopted_list_refuses_withdrawals(officer, loan_list, ranked):
    decide(officer, loan_list)
    with pytest.raises(ValidationError) as refused:
        services.priority_entry_withdraw(actor=officer, entry=ranked[0], reason="Chuyển đi")
    assert "locked" in message(refused.value, "status")


def test_the_chair_reopens_an_adopted_list_with_a_reason(officer, chair, loan_list, ranked):
    decide(officer, loan_list)
    reopened = services.priority_list_reopen(
        actor=chair, priority_list=loan_list, reason="Sót hộ bà Năm"
    )
    assert (reopened.status, reopened.reopen_reason) == (PriorityListStatus.DRAFT, "Sót hộ bà Năm")


def test_the_reopening_is_kept_in_the_history(officer, chair, loan_list, ranked):
    decide(officer, loan_list)
    services.priority_list_reopen(actor=chair, priority_list=loan_list, reason="Sót hộ bà Năm")
    latest = loan_list.history.latest("history_date")
    assert (latest.status, latest.reopen_reason, latest.history_user) == (
        "draft",
        "Sót hộ bà Năm",
        chair,
    )


def test_the_officer_may_not_reopen(officer, loan_list, ranked):
    decide(officer, loan_list)
    with pytest.raises(PermissionDenied):
        services.priority_list_reopen(actor=officer, priority_list=loan_list, reason="Sót hộ")


def test_a_chair_of_another_commune_may_not_reopen(officer, other_chair, loan_list, ranked):
    decide(officer, loan_list)
    with pytest.raises(PermissionDenied):
        services.priority_list_reopen(actor=other_chair, priority_list=loan_list, reason="Sót hộ")


def test_reopening_needs_a_reason(officer, chair, loan_list, ranked):
    decide(officer, loan_list)
    with pytest.raises(ValidationError) as refused:
        services.priority_list_reopen(actor=chair, priority_list=loan_list, reason="")
    assert "reason" in refused.value.message_dict


# --- served and next in line ---------------------------------------------------------------------


def test_a_household_paid_in_the_list_year_is_served(officer, loan_list, ranked):
    pay(ranked[0], officer)
    assert [e.served for e in priority_entries(loan_list)] == [True, False, False, False]


def test_a_reversed_payment_does_not_serve(officer, loan_list, ranked):
    pay(ranked[0], officer, reversed_=True)
    assert [e.served for e in priority_entries(loan_list)] == [False, False, False, False]


def test_next_in_line_skips_the_served_and_the_withdrawn(officer, loan_list, ranked):
    pay(ranked[0], officer)
    services.priority_entry_withdraw(actor=officer, entry=ranked[1], reason="Chuyển đi")
    assert next_in_line(loan_list).pk == ranked[2].pk


def test_entries_show_the_status_in_force(loan_list, ranked):
    assert {e.status_in_force for e in priority_entries(loan_list)} == {"poor"}
