"""What the commune has to act on in a month: the entitlements that start, those that end
(early too) and the periodic support not paid yet; scoped to the user's communes."""

from __future__ import annotations

import datetime as dt

import pytest

from policies.support.models import Disbursement
from policies.support.selectors.entitlements import entitlements_due, parse_month

from .entitlement_helpers import D, monthly, periodic, settled
from .factories import recognised_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def poor_2026(programmes, officer, chair, my_hoa_hung):
    return recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2026, members=[settled("Nguyễn Văn An")]
    )


def listed(rows) -> list[tuple]:
    return sorted((e.programme.code, e.household.code, e.valid_from, e.valid_to) for e in rows)


def pay(programme, household, officer, period: str, **extra) -> Disbursement:
    fields = {
        "programme": programme,
        "household": household,
        "commune": household.commune,
        "unit_path": household.unit_path,
        "year": 2026,
        "paid_on": D(2026, 2, 10),
        "period": period,
        "quantity": 1,
        "amount": 184_000,
        "funding_source": "central",
        "recorded_by": officer,
    }
    return Disbursement.objects.create(**{**fields, **extra})


def test_the_cards_and_the_subsidy_of_a_new_list_start_in_january(poor_2026, officer):
    due = entitlements_due(user=officer, month=D(2026, 1, 1))
    code = poor_2026.code
    assert listed(due.starts) == [
        ("bhyt", code, D(2026, 1, 1), D(2026, 12, 31)),
        ("electricity", code, D(2026, 1, 1), D(2026, 12, 31)),
    ]


def test_the_cards_of_a_list_with_no_successor_end_in_december(poor_2026, officer):
    due = entitlements_due(user=officer, month=D(2026, 12, 1))
    assert [e.programme.code for e in due.ends] == ["bhyt", "electricity"]


def test_a_subsidy_ended_early_by_a_monthly_review_ends_in_its_month(poor_2026, officer, chair):
    decided = monthly(officer, chair, poor_2026, D(2026, 3, 2), "not_poor").decision.signed_on
    due = entitlements_due(user=officer, month=decided.replace(day=1))
    assert [(e.programme.code, e.valid_to) for e in due.ends] == [
        ("bhyt", decided - dt.timedelta(days=1)),
        ("electricity", decided - dt.timedelta(days=1)),
    ]


def test_an_unpaid_electricity_quarter_is_due(poor_2026, officer):
    due = entitlements_due(user=officer, month=D(2026, 2, 1))
    assert [(e.programme.code, e.due_period) for e in due.due] == [
        ("bhyt", "2026"),
        ("electricity", "2026-Q1"),
    ]


def test_a_paid_quarter_is_no_longer_due(poor_2026, programmes, officer):
    pay(programmes["electricity"], poor_2026, officer, "2026-Q1")
    due = entitlements_due(user=officer, month=D(2026, 2, 1))
    assert [e.programme.code for e in due.due] == ["bhyt"]


def test_a_reversed_payment_leaves_the_quarter_due(poor_2026, programmes, officer):
    pay(programmes["electricity"], poor_2026, officer, "2026-Q1", is_reversed=True)
    due = entitlements_due(user=officer, month=D(2026, 2, 1))
    assert [e.programme.code for e in due.due] == ["bhyt", "electricity"]


def test_the_next_quarter_is_due_after_the_last_was_paid(poor_2026, programmes, officer):
    pay(programmes["electricity"], poor_2026, officer, "2026-Q1")
    due = entitlements_due(user=officer, month=D(2026, 4, 1))
    assert [(e.programme.code, e.due_period) for e in due.due] == [
        ("bhyt", "2026"),
        ("electricity", "2026-Q2"),
    ]


def test_a_card_issued_for_the_year_is_no_longer_due(poor_2026, programmes, officer):
    member = poor_2026.members.get()
    pay(programmes["bhyt"], poor_2026, officer, "2026", member=member, amount=0)
    due = entitlements_due(user=officer, month=D(2026, 2, 1))
    assert [e.programme.code for e in due.due] == ["electricity"]


def test_a_loan_window_closing_is_listed_with_the_ends(programmes, officer, chair, my_hoa_hung):
    household = recognised_household(
        officer, chair, my_hoa_hung, "poor", year=2024, members=[settled("Nguyễn Văn An")]
    )
    periodic(officer, chair, household, 2025, "not_poor")
    due = entitlements_due(user=officer, month=D(2027, 11, 1))
    assert [(e.programme.code, e.valid_to) for e in due.loan_windows_closing] == [
        ("vbsp_escaped", D(2027, 11, 30))
    ]


def test_another_communes_entitlements_are_not_due_here(poor_2026, other_officer):
    due = entitlements_due(user=other_officer, month=D(2026, 1, 1))
    assert (due.starts, due.ends, due.due) == ([], [], [])


def test_the_due_list_takes_three_queries_whatever_its_rows(
    programmes, officer, chair, my_hoa_hung, django_assert_num_queries
):
    for name in ("Hộ Một", "Hộ Hai", "Hộ Ba"):
        recognised_household(officer, chair, my_hoa_hung, "poor", year=2026,
                             members=[settled(name), settled(f"Vợ {name}", relationship="spouse",
                                                             sex="female")])  # fmt: skip
    entitlements_due(user=officer, month=D(2026, 1, 1))  # the user's scope, cached
    with django_assert_num_queries(3):
        entitlements_due(user=officer, month=D(2026, 1, 1))


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-01", "", "2026-01-01", "9999-01"])
def test_a_month_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_month(text)
