"""The 12-digit ID number in full only to the officers and chair of the household's commune:
masked to its last four digits for district and province staff (pages and API) and in the
history's diffs for everyone; and answers carrying personal data are never cached."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from households.privacy import mask_id_number
from households.services import household_update
from registry.services import api_token_create

from .factories import make_household, member

pytestmark = pytest.mark.django_db

NUMBER = "089080000123"
MASKED = "••••••••0123"


@pytest.fixture
def household(officer, my_hoa_hung):
    return make_household(officer, my_hoa_hung, members=[member(id_number=NUMBER)])


def page(user, household) -> str:
    client = APIClient()
    client.force_login(user)
    return client.get(reverse("households:household-detail", args=[household.pk])).content.decode()


def api_member(user, household) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/households/{household.pk}/").json()["members"][0]


def test_the_mask_keeps_the_last_four_digits():
    assert (mask_id_number(NUMBER), mask_id_number(""), mask_id_number(None)) == (MASKED, "", "")


@pytest.mark.parametrize("role", ["officer", "chair"])
def test_the_commune_sees_the_number_in_full(request, role, household):
    user = request.getfixturevalue(role)
    assert NUMBER in page(user, household)
    assert api_member(user, household)["id_number"] == NUMBER


@pytest.mark.parametrize("role", ["province_staff", "admin_user_"])
def test_staff_above_the_commune_see_it_masked_on_the_page(request, role, household):
    content = page(request.getfixturevalue(role), household)
    assert MASKED in content
    assert NUMBER not in content


def test_province_staff_see_it_masked_in_the_api(province_staff, household):
    assert api_member(province_staff, household)["id_number"] == MASKED
    client = APIClient()
    client.force_authenticate(province_staff)
    rows = client.get("/api/v1/members/", {"household": household.pk}).json()["results"]
    assert [row["id_number"] for row in rows] == [MASKED]


def test_a_province_token_client_sees_it_masked(province_staff, household):
    _token, secret = api_token_create(actor=province_staff, name="Cổng dữ liệu tỉnh", days=7)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = client.get(f"/api/v1/households/{household.pk}/")
    assert response.json()["members"][0]["id_number"] == MASKED
    assert NUMBER not in response.content.decode()


def test_the_history_shows_a_changed_number_masked_even_to_the_commune(officer, household):
    head = household.members.get()
    household_update(
        actor=officer,
        household=household,
        expected_version=1,
        members=[{"id": head.pk, "full_name": head.full_name, "relationship": "head",
                  "sex": "male", "birth_year": 1980, "ethnicity": "01",
                  "id_number": "089080000999"}],
    )  # fmt: skip
    client = APIClient()
    client.force_authenticate(officer)
    history = client.get(f"/api/v1/households/{household.pk}/history/").content.decode()
    content = page(officer, household)  # the current number in full, the old one masked
    assert (NUMBER in history, "••••••••0999" in history) == (False, True)
    assert (NUMBER in content, MASKED in content, "089080000999" in content) == (False, True, True)


@pytest.mark.parametrize(
    "url",
    [
        lambda h: reverse("households:household-detail", args=[h.pk]),
        lambda h: f"/api/v1/households/{h.pk}/",
        lambda h: "/api/v1/members/",
    ],
)
def test_answers_with_personal_data_are_not_stored(url, officer, household):
    client = APIClient()
    client.force_login(officer)
    response = client.get(url(household))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_token_client_s_answers_are_not_stored(officer, household):
    _token, secret = api_token_create(actor=officer, name="Phần mềm xã", days=7)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert "no-store" in client.get("/api/v1/households/")["Cache-Control"]
