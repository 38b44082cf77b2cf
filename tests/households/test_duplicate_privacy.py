"""Duplicate warnings and the ID-number uniqueness message name only households the user may see.

An officer of Long Xuyên typing an ID number registered in Mỹ Hòa Hưng learns that it is taken
elsewhere, never whose it is or in which household; and no request checks more than 50 rows.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from households.models import Household
from households.services import MAX_MEMBERS_PER_REQUEST, _integrity_to_validation
from registry.scoping import forget_scope

from .factories import SURVEY_DATE, make_household, member, review

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/api/v1/households/"
CHECK_DUPLICATES = HOUSEHOLDS + "check-duplicates/"
TAKEN_ID = "089080000123"  # the head of `family()`: Nguyễn Văn An, born 1980
ELSEWHERE = "already registered elsewhere"


@pytest.fixture(autouse=True)
def no_throttle_history():
    """The throttle counts in the cache: every test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registered(officer, my_hoa_hung) -> Household:
    """A household of Mỹ Hòa Hưng whose head holds TAKEN_ID."""
    return make_household(officer, my_hoa_hung)


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def assert_names_nobody(body: str, household: Household) -> None:
    for secret in (household.code, household.head_name, "Nguyễn Văn An", household.commune.name):
        assert secret not in body


def newcomer(**extra) -> dict:
    return member("Lê Văn Mới", birth_year=1980, id_number=TAKEN_ID, **extra)


# --- the duplicate check ------------------------------------------------------------------------


def test_check_of_an_id_registered_in_another_commune_names_nobody(
    registered, other_officer, long_xuyen
):
    payload = {"commune": long_xuyen.pk, "members": [{"full_name": "Ai Đó", "id_number": TAKEN_ID}]}
    response = api(other_officer).post(CHECK_DUPLICATES, payload, format="json")
    assert response.status_code == 200
    assert_names_nobody(response.content.decode(), registered)
    [found] = response.json()
    assert (found["row"], found["kind"], found["elsewhere"]) == (0, "id_number", True)
    assert (found["member_id"], found["household_id"]) == (None, None)
    assert ELSEWHERE in found["message"]


def test_check_of_an_id_in_the_users_own_area_names_the_household(registered, officer, my_hoa_hung):
    payload = {
        "commune": my_hoa_hung.pk,
        "members": [{"full_name": "Ai Đó", "id_number": TAKEN_ID}],
    }
    [found] = api(officer).post(CHECK_DUPLICATES, payload, format="json").json()
    assert (found["elsewhere"], found["household_code"], found["full_name"]) == (
        False,
        registered.code,
        "Nguyễn Văn An",
    )


def test_check_takes_as_long_for_a_number_taken_elsewhere_as_for_a_free_one(
    registered, other_officer, long_xuyen
):
    def queries(id_number: str) -> int:
        payload = {"commune": long_xuyen.pk, "members": [{"id_number": id_number}]}
        forget_scope(other_officer)  # every measurement starts from the same cold cache
        with CaptureQueriesContext(connection) as captured:
            assert (
                api(other_officer).post(CHECK_DUPLICATES, payload, format="json").status_code == 200
            )
        return len(captured)

    assert queries(TAKEN_ID) == queries("089080999999")


def test_check_of_more_than_50_members_is_400_naming_members(other_officer, long_xuyen):
    rows = [{"id_number": f"089080{n:06d}"} for n in range(MAX_MEMBERS_PER_REQUEST + 1)]
    payload = {"commune": long_xuyen.pk, "members": rows}
    response = api(other_officer).post(CHECK_DUPLICATES, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["members"])
    assert "at most 50" in response.json()["members"][0]


def test_check_of_50_members_is_answered(other_officer, long_xuyen):
    rows = [{"id_number": f"089080{n:06d}"} for n in range(MAX_MEMBERS_PER_REQUEST)]
    payload = {"commune": long_xuyen.pk, "members": rows}
    assert api(other_officer).post(CHECK_DUPLICATES, payload, format="json").status_code == 200


def test_checks_beyond_30_a_minute_are_refused(other_officer, long_xuyen):
    client = api(other_officer)
    payload = {"commune": long_xuyen.pk, "members": [{"id_number": "089080999999"}]}
    statuses = [
        client.post(CHECK_DUPLICATES, payload, format="json").status_code for _ in range(31)
    ]
    assert (set(statuses[:30]), statuses[30]) == ({200}, 429)


# --- the uniqueness message on saving -----------------------------------------------------------


def test_api_create_with_an_id_registered_elsewhere_names_nobody(
    registered, other_officer, long_xuyen
):
    payload = {"commune": long_xuyen.pk, "members": [newcomer()], "review": review()}
    response = api(other_officer).post(HOUSEHOLDS, payload, format="json")
    assert response.status_code == 400
    assert_names_nobody(response.content.decode(), registered)
    assert ELSEWHERE in response.json()["members.0.id_number"][0]
    assert not Household.objects.filter(commune=long_xuyen).exists()


def test_api_update_with_an_id_registered_elsewhere_names_nobody(
    registered, other_officer, long_xuyen
):
    own = make_household(other_officer, long_xuyen, members=[member("Trần Văn Chủ")])
    client = api(other_officer)
    current = client.get(f"{HOUSEHOLDS}{own.pk}/").json()
    payload = {
        "version": current["version"],
        "members": [{"id": m["id"]} for m in current["members"]]
        + [newcomer(relationship="sibling")],
    }
    response = client.patch(f"{HOUSEHOLDS}{own.pk}/", payload, format="json")
    assert response.status_code == 400
    assert_names_nobody(response.content.decode(), registered)
    assert ELSEWHERE in response.json()["members.1.id_number"][0]


def test_api_create_with_more_than_50_members_is_400_naming_members(other_officer, long_xuyen):
    rows = [member(f"Trần Văn {n}", relationship="child") for n in range(MAX_MEMBERS_PER_REQUEST)]
    payload = {"commune": long_xuyen.pk, "members": [member("Trần Văn Chủ"), *rows]}
    response = api(other_officer).post(HOUSEHOLDS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["members"])


def form_post(members: list[dict]) -> dict:
    data = {
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "review-list_year": "2026",
        "review-kind": "periodic",
        "review-survey_date": SURVEY_DATE.isoformat(),
        "review-income_per_capita": "1.200.000",
        "confirm_not_duplicate": "on",
    }
    for row, values in enumerate(members):
        data.update({f"members-{row}-{key}": value for key, value in values.items()})
    return data


def test_form_with_an_id_registered_elsewhere_names_nobody(
    client, registered, other_officer, long_xuyen
):
    client.force_login(other_officer)
    response = client.post(
        reverse("households:household-create"),
        form_post([newcomer()]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert_names_nobody(response.content.decode(), registered)
    assert ELSEWHERE in response.context["formset"].forms[0].errors["id_number"][0]
    assert not Household.objects.filter(commune=long_xuyen).exists()


def test_form_message_is_vietnamese(client, registered, other_officer):
    client.force_login(other_officer)
    response = client.post(
        reverse("households:household-create"),
        form_post([newcomer()]),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    message = response.context["formset"].forms[0].errors["id_number"][0]
    assert "đã được đăng ký ở nơi khác" in message


def test_a_database_refusal_quotes_no_row_to_the_user():
    error = IntegrityError(
        'duplicate key value violates unique constraint "households_household_code_key"\n'
        "DETAIL:  Key (code)=(30313-000007) already exists."
    )
    with translation.override("en"):
        message = " ".join(_integrity_to_validation(error).messages)
    assert "30313-000007" not in message
    assert "nothing was saved" in message


def test_an_id_number_taken_in_a_race_quotes_neither_number_nor_holder():
    error = IntegrityError(
        'duplicate key value violates unique constraint "households_member_id_number_key"\n'
        f"DETAIL:  Key (id_number)=({TAKEN_ID}) already exists."
    )
    with translation.override("en"):
        messages = _integrity_to_validation(error).message_dict
    assert messages == {"members": ["An ID number was registered by someone else just now."]}
