# ruff: noqa: F811  (the fixtures of priority_fixtures are imported by name)
"""The priority-list pages: opening a list, proposing a household (with the reason of a
refusal), moving without JavaScript, withdrawing, the meeting, the chair's reopening, and
what each role is offered."""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from policies.support.choices import PriorityListStatus
from policies.support.models import PriorityList
from policies.support.services import priority as services

from .factories import recognised_household
from .priority_fixtures import (  # noqa: F401
    YEAR,
    english,
    loan_list,
    loans,
    order,
    poor,
    ranked,
)

S = "/support"


def browser(user) -> Client:
    http = Client()
    http.force_login(user)
    return http


def adopt(officer, priority_list):
    import datetime as dt

    return services.priority_list_decide(
        actor=officer,
        priority_list=priority_list,
        meeting_on=dt.date(2026, 3, 10),
        attendees=20,
        agreed=15,
    )


def test_the_officer_opens_a_list(officer, loans, my_hoa_hung):
    response = browser(officer).post(
        f"{S}/priority-lists/new/",
        {"programme": loans.pk, "year": YEAR, "commune": my_hoa_hung.pk},
    )
    created = PriorityList.objects.get(programme=loans, year=YEAR, commune=my_hoa_hung)
    assert response["Location"] == f"{S}/priority-lists/{created.pk}/"


def test_the_list_page_shows_the_list(officer, loan_list):
    response = browser(officer).get(f"{S}/priority-lists/")
    assert f'href="{S}/priority-lists/{loan_list.pk}/"' in response.content.decode()


def test_the_list_page_is_in_vietnamese(officer, loan_list):
    with translation.override("vi"):
        response = browser(officer).get(f"{S}/priority-lists/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Danh sách ưu tiên" in response.content.decode()


def test_the_detail_shows_the_households_in_order(officer, loan_list, ranked, poor):
    body = browser(officer).get(f"{S}/priority-lists/{loan_list.pk}/").content.decode()
    positions = [body.index(h.code) for h in poor]
    assert positions == sorted(positions)


def test_a_household_moves_up_with_a_plain_form(officer, loan_list, ranked, poor):
    browser(officer).post(f"{S}/priority-entries/{ranked[2].pk}/move/", {"rank": 2})
    assert order(loan_list) == [poor[0].pk, poor[2].pk, poor[1].pk, poor[3].pk]


def test_the_detail_offers_move_buttons_to_the_officer(officer, loan_list, ranked):
    body = browser(officer).get(f"{S}/priority-lists/{loan_list.pk}/").content.decode()
    assert body.count(f'action="{S}/priority-entries/{ranked[1].pk}/move/"') == 2


def test_the_chair_reads_without_buttons(chair, loan_list, ranked):
    body = browser(chair).get(f"{S}/priority-lists/{loan_list.pk}/").content.decode()
    assert "/move/" not in body


def test_a_withdrawal_from_the_page(officer, loan_list, ranked):
    browser(officer).post(f"{S}/priority-entries/{ranked[0].pk}/withdraw/", {"reason": "Chuyển"})
    ranked[0].refresh_from_db()
    assert (ranked[0].withdrawn, ranked[0].rank) == (True, 4)


def test_the_picker_finds_households_of_the_commune_by_name(officer, loan_list, poor):
    response = browser(officer).get(f"{S}/priority-lists/{loan_list.pk}/add/?q={poor[0].code}")
    assert f'<option value="{poor[0].pk}"' in response.content.decode()


def test_a_refused_household_is_explained_beside_the_field(officer, chair, my_hoa_hung, loan_list):
    near_poor = recognised_household(officer, chair, my_hoa_hung, "near_poor")
    response = browser(officer).post(
        f"{S}/priority-lists/{loan_list.pk}/add/", {"household": near_poor.pk, "reason": "x"}
    )
    assert "được công nhận là hộ cận nghèo" in response.content.decode()


def test_a_household_is_proposed_from_the_page(officer, loan_list, poor):
    browser(officer).post(
        f"{S}/priority-lists/{loan_list.pk}/add/", {"household": poor[0].pk, "reason": "Nhà tạm"}
    )
    assert order(loan_list) == [poor[0].pk]


def test_the_meeting_without_majority_is_refused_beside_agreed(officer, loan_list, ranked):
    response = browser(officer).post(
        f"{S}/priority-lists/{loan_list.pk}/decide/",
        {"meeting_on": "10/03/2026", "attendees": 10, "agreed": 5},
    )
    assert "chưa quá nửa" in response.content.decode()


def test_the_meeting_adopts_the_list_from_the_page(officer, loan_list, ranked):
    browser(officer).post(
        f"{S}/priority-lists/{loan_list.pk}/decide/",
        {"meeting_on": "10/03/2026", "attendees": 10, "agreed": 6},
    )
    loan_list.refresh_from_db()
    assert loan_list.status == PriorityListStatus.DECIDED


def test_the_chair_is_offered_the_reopening(officer, chair, loan_list, ranked):
    adopt(officer, loan_list)
    body = browser(chair).get(f"{S}/priority-lists/{loan_list.pk}/").content.decode()
    assert f'action="{S}/priority-lists/{loan_list.pk}/reopen/"' in body


def test_the_officer_is_not_offered_the_reopening(officer, loan_list, ranked):
    adopt(officer, loan_list)
    body = browser(officer).get(f"{S}/priority-lists/{loan_list.pk}/").content.decode()
    assert "/reopen/" not in body


def test_the_chair_reopens_from_the_page(officer, chair, loan_list, ranked):
    adopt(officer, loan_list)
    browser(chair).post(f"{S}/priority-lists/{loan_list.pk}/reopen/", {"reason": "Sót hộ"})
    loan_list.refresh_from_db()
    assert loan_list.status == PriorityListStatus.DRAFT


def test_the_officer_reopening_from_the_page_is_a_403(officer, loan_list, ranked):
    adopt(officer, loan_list)
    response = browser(officer).post(
        f"{S}/priority-lists/{loan_list.pk}/reopen/", {"reason": "Sót hộ"}
    )
    assert response.status_code == 403


def test_the_province_may_not_open_the_add_page(province_staff, loan_list):
    response = browser(province_staff).get(f"{S}/priority-lists/{loan_list.pk}/add/")
    assert response.status_code == 403


def test_an_officer_of_a_commune_abolished_in_2025_is_offered_no_new_list(make_user, kien_an):
    legacy_officer = make_user("commune_officer", kien_an)
    body = browser(legacy_officer).get(f"{S}/priority-lists/").content.decode()
    assert f'href="{S}/priority-lists/new/"' not in body


def test_an_officer_of_a_current_commune_is_offered_a_new_list(officer):
    body = browser(officer).get(f"{S}/priority-lists/").content.decode()
    assert f'href="{S}/priority-lists/new/"' in body
