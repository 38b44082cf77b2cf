# ruff: noqa: F811  (the fixtures of priority_fixtures are imported by name)
"""The priority-list API: create, propose, move, withdraw, decide, reopen, and what it says
of a household of another commune."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from .factories import recognised_household
from .priority_fixtures import (  # noqa: F401
    YEAR,
    english,
    loan_list,
    loans,
    order,
    other_chair,
    poor,
    ranked,
)

A = "/api/v1"


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_officer_opens_a_list(officer, loans, my_hoa_hung):
    response = client(officer).post(
        f"{A}/priority-lists/",
        {"programme": loans.pk, "year": YEAR, "commune": my_hoa_hung.pk},
        format="json",
    )
    assert (response.status_code, response.json()["status"]) == (201, "draft")


def test_a_programme_without_priority_list_is_a_400_on_programme(officer, programmes, my_hoa_hung):
    response = client(officer).post(
        f"{A}/priority-lists/",
        {"programme": programmes["bhyt"].pk, "year": YEAR, "commune": my_hoa_hung.pk},
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["programme"])


def test_the_detail_lists_the_entries_in_order(officer, loan_list, ranked, poor):
    body = client(officer).get(f"{A}/priority-lists/{loan_list.pk}/").json()
    assert [e["household"] for e in body["entries"]] == [h.pk for h in poor]


def test_an_entry_says_its_status_and_whether_served(officer, ranked):
    body = client(officer).get(f"{A}/priority-entries/{ranked[0].pk}/").json()
    assert (body["status_in_force"], body["served"], body["household_code"]) == (
        "poor",
        False,
        ranked[0].household.code,
    )


def test_a_household_is_proposed_through_entries(officer, chair, my_hoa_hung, loan_list, ranked):
    late = recognised_household(officer, chair, my_hoa_hung, "poor")
    response = client(officer).post(
        f"{A}/priority-lists/{loan_list.pk}/entries/",
        {"household": late.pk, "reason": "Nhà dột nát"},
        format="json",
    )
    assert (response.status_code, response.json()["rank"]) == (201, 5)


def test_a_household_of_another_commune_is_answered_as_missing(
    other_officer, make_user, long_xuyen, officer, loan_list
):
    lx_chair = make_user("commune_chair", long_xuyen, username="lx-chair")
    elsewhere = recognised_household(other_officer, lx_chair, long_xuyen, "poor")
    api = client(officer)
    url = f"{A}/priority-lists/{loan_list.pk}/entries/"
    theirs = api.post(url, {"household": elsewhere.pk, "reason": "x"}, format="json")
    missing = api.post(url, {"household": 2_000_000_000, "reason": "x"}, format="json")
    assert theirs.json()["household"][0].replace(str(elsewhere.pk), "N") == missing.json()[
        "household"
    ][0].replace("2000000000", "N")


def test_the_refusal_of_another_communes_household_names_nothing_of_it(
    other_officer, make_user, long_xuyen, officer, loan_list
):
    lx_chair = make_user("commune_chair", long_xuyen, username="lx-chair")
    elsewhere = recognised_household(other_officer, lx_chair, long_xuyen, "poor")
    response = client(officer).post(
        f"{A}/priority-lists/{loan_list.pk}/entries/",
        {"household": elsewhere.pk, "reason": "x"},
        format="json",
    )
    text = response.content.decode()
    assert (response.status_code, elsewhere.code in text, long_xuyen.name in text) == (
        400,
        False,
        False,
    )


def test_a_near_poor_household_is_refused_with_the_reason(officer, chair, my_hoa_hung, loan_list):
    near_poor = recognised_household(officer, chair, my_hoa_hung, "near_poor")
    response = client(officer).post(
        f"{A}/priority-lists/{loan_list.pk}/entries/",
        {"household": near_poor.pk, "reason": "x"},
        format="json",
    )
    assert "hộ cận nghèo" in response.json()["household"][0]


def test_move_puts_the_household_at_its_new_place(officer, loan_list, ranked, poor):
    response = client(officer).post(
        f"{A}/priority-entries/{ranked[3].pk}/move/", {"rank": 1}, format="json"
    )
    assert (response.json()["rank"], order(loan_list)[0]) == (1, poor[3].pk)


def test_withdraw_keeps_the_entry_at_the_end(officer, ranked):
    response = client(officer).post(
        f"{A}/priority-entries/{ranked[0].pk}/withdraw/", {"reason": "Chuyển đi"}, format="json"
    )
    assert (response.json()["withdrawn"], response.json()["rank"]) == (True, 4)


def test_decide_without_majority_is_a_400_on_agreed(officer, loan_list, ranked):
    response = client(officer).post(
        f"{A}/priority-lists/{loan_list.pk}/decide/",
        {"meeting_on": "2026-03-10", "attendees": 10, "agreed": 5},
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["agreed"])


def test_decide_locks_the_list(officer, loan_list, ranked):
    api = client(officer)
    api.post(
        f"{A}/priority-lists/{loan_list.pk}/decide/",
        {"meeting_on": "2026-03-10", "attendees": 10, "agreed": 6},
        format="json",
    )
    response = api.post(f"{A}/priority-entries/{ranked[0].pk}/move/", {"rank": 2}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["status"])


def test_reopen_by_the_officer_is_a_403(officer, loan_list, ranked):
    api = client(officer)
    api.post(
        f"{A}/priority-lists/{loan_list.pk}/decide/",
        {"meeting_on": "2026-03-10", "attendees": 10, "agreed": 6},
        format="json",
    )
    response = api.post(
        f"{A}/priority-lists/{loan_list.pk}/reopen/", {"reason": "Sót hộ"}, format="json"
    )
    assert response.status_code == 403


def test_reopen_by_the_chair_opens_the_list_again(officer, chair, loan_list, ranked):
    client(officer).post(
        f"{A}/priority-lists/{loan_list.pk}/decide/",
        {"meeting_on": "2026-03-10", "attendees": 10, "agreed": 6},
        format="json",
    )
    response = client(chair).post(
        f"{A}/priority-lists/{loan_list.pk}/reopen/", {"reason": "Sót hộ"}, format="json"
    )
    assert (response.json()["status"], response.json()["reopen_reason"]) == ("draft", "Sót hộ")


def test_a_list_of_another_commune_is_404(other_officer, loan_list):
    response = client(other_officer).get(f"{A}/priority-lists/{loan_list.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(("query", "count"), [("status=draft", 1), ("status=decided", 0)])
def test_the_list_filters_by_status(officer, loan_list, query, count):
    response = client(officer).get(f"{A}/priority-lists/?{query}")
    assert response.json()["count"] == count
