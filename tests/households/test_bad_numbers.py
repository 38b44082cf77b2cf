"""Numbers no row can hold (24 digits, years outside 2000-2100, a span of 5000 years) in filters
and request bodies are refused naming the field, on every list endpoint and page; never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from households.campaign import services as campaigns

from .factories import make_household, member, review

pytestmark = pytest.mark.django_db

API = "/api/v1/"
BIG = "99999999999999999999999"  # beyond 64 bits
OPENS, CLOSES = dt.date(2025, 9, 1), dt.date(2025, 12, 14)


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def campaign(province_staff, an_giang):
    return campaigns.campaign_open(
        actor=province_staff, province=an_giang, list_year=2026, opens_on=OPENS, closes_on=CLOSES
    )


@pytest.fixture
def surveyed(campaign, officer, my_hoa_hung):
    """A household of Mỹ Hòa Hưng with its surveyed 2026 review in the campaign."""
    return make_household(officer, my_hoa_hung).reviews.get()


# --- filters of every list endpoint -------------------------------------------------------------

ID_FILTERS = [
    ("units", "parent"),
    ("households", "commune"),
    ("households", "village"),
    ("members", "household"),
    ("reviews", "household"),
    ("campaigns", "province"),
    ("meetings", "commune"),
    ("meetings", "village"),
    ("meetings", "campaign"),
    ("postings", "commune"),
    ("postings", "campaign"),
    ("objections", "review"),
    ("recognition/queue", "commune"),
    ("recognition/decisions", "commune"),
    ("certificates", "household"),
    ("certificates", "decision"),
    ("requests", "household"),
    ("status-changes", "household"),
]
YEAR_FILTERS = [
    ("households", "year"),
    ("reviews", "list_year"),
    ("campaigns", "list_year"),
    ("recognition/decisions", "list_year"),
    ("status-changes", "list_year"),
]


@pytest.mark.parametrize(("endpoint", "name"), ID_FILTERS)
@pytest.mark.parametrize("value", [BIG, "-1", "1.5"])
def test_id_filter_beyond_any_row_is_400_naming_it(endpoint, name, value, officer):
    response = api(officer).get(f"{API}{endpoint}/", {name: value})
    assert (response.status_code, list(response.json())) == (400, [name])


@pytest.mark.parametrize(("endpoint", "name"), YEAR_FILTERS)
@pytest.mark.parametrize("value", [BIG, "5000", "1999", "2101"])
def test_year_filter_outside_2000_to_2100_is_400_naming_it(endpoint, name, value, officer):
    response = api(officer).get(f"{API}{endpoint}/", {name: value})
    assert (response.status_code, list(response.json())) == (400, [name])
    assert response.json()[name] == ["Enter a year from 2000 to 2100."]


@pytest.mark.parametrize(("endpoint", "name"), YEAR_FILTERS)
def test_year_filter_inside_the_range_is_answered(endpoint, name, officer):
    assert api(officer).get(f"{API}{endpoint}/", {name: "2026"}).status_code == 200


@pytest.mark.parametrize("value", ["5000", BIG, "-1", "0", "abc", "2.5"])
def test_escaped_within_years_beyond_the_registry_is_400_naming_it(value, officer):
    response = api(officer).get(f"{API}status-changes/", {"escaped_within_years": value})
    assert (response.status_code, list(response.json())) == (400, ["escaped_within_years"])


def test_escaped_within_years_of_the_registry_is_answered(officer):
    response = api(officer).get(f"{API}status-changes/", {"escaped_within_years": "100"})
    assert response.status_code == 200


@pytest.mark.parametrize("endpoint", ["households", "reviews", "status-changes", "units"])
def test_page_beyond_the_last_is_404_and_page_size_beyond_500_is_cut(endpoint, officer):
    client = api(officer)
    assert client.get(f"{API}{endpoint}/", {"page": BIG}).status_code == 404
    assert client.get(f"{API}{endpoint}/", {"page_size": BIG}).status_code == 200


def test_public_list_of_a_commune_beyond_any_row_is_400_naming_it(officer):
    response = api(officer).get(f"{API}postings/public-list/", {"commune": BIG})
    assert (response.status_code, list(response.json())) == (400, ["commune"])


# --- filters of the pages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query"),
    [("objection-list", {"review": BIG}), ("request-list", {"household": BIG})],
)
def test_list_page_with_an_id_beyond_any_row_is_400_naming_the_filter(client, name, query, officer):
    client.force_login(officer)
    response = client.get(reverse(f"households:{name}"), query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(("Review:", "Household:"))


def test_household_list_with_a_year_outside_the_range_shows_the_error(client, officer):
    client.force_login(officer)
    response = client.get(
        reverse("households:household-list"), {"year": "5000"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.context["filter"].errors["year"] == ["Enter a year from 2000 to 2100."]
    assert "Enter a year from 2000 to 2100." in response.content.decode()


# --- request bodies -----------------------------------------------------------------------------


def household_payload(commune, **review_changes) -> dict:
    return {
        "commune": commune.pk,
        "members": [member("Lê Văn Dũng", birth_year=1985)],
        "review": {**review(), **review_changes},
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"list_year": int(BIG)}, "list_year"),
        ({"list_year": 5000}, "list_year"),
        ({"list_year": 1999}, "list_year"),
        ({"income_per_capita": int(BIG)}, "income_per_capita"),
        ({"income_per_capita": None, "b1_score": int(BIG)}, "b1_score"),
    ],
)
def test_household_body_with_a_number_no_row_holds_is_400_naming_it(
    change, field, officer, my_hoa_hung
):
    response = api(officer).post(
        f"{API}households/", household_payload(my_hoa_hung, **change), format="json"
    )
    assert (response.status_code, list(response.json())) == (400, [field])


@pytest.mark.parametrize("member_id", [int(BIG), 5000])
def test_update_naming_a_member_the_household_lacks_is_400_naming_the_row(
    member_id, officer, my_hoa_hung
):
    household = make_household(officer, my_hoa_hung)
    client = api(officer)
    current = client.get(f"{API}households/{household.pk}/").json()
    payload = {
        "version": current["version"],
        "members": [{"id": member_id}, *({"id": m["id"]} for m in current["members"][1:])],
        "review": {**review(), "list_year": 2027},
    }
    response = client.patch(f"{API}households/{household.pk}/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["members.0.id"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"list_year": int(BIG)}, "list_year"),
        ({"list_year": 5000}, "list_year"),
        ({"income_per_capita": int(BIG)}, "income_per_capita"),
        ({"income_per_capita": None, "b1_score": int(BIG)}, "b1_score"),
    ],
)
def test_classify_with_a_number_no_row_holds_is_400_naming_it(change, field, officer):
    payload = {"list_year": 2026, "area_type": "rural", "income_per_capita": 1_000_000, **change}
    response = api(officer).post(f"{API}reviews/classify/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, [field])


@pytest.mark.parametrize("list_year", [2101, 5000, int(BIG)])
def test_campaign_for_a_year_outside_the_range_is_400_naming_it(
    list_year, province_staff, an_giang
):
    payload = {"province": an_giang.pk, "list_year": list_year}
    response = api(province_staff).post(f"{API}campaigns/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["list_year"])


@pytest.mark.parametrize(
    ("vote", "attendees", "field"),
    [
        ({"review": int(BIG), "agreeing": 5}, 10, "votes.0.review"),
        ({"review": -int(BIG), "agreeing": 5}, 10, "votes.0.review"),
        ({"review": None, "agreeing": int(BIG)}, 10, "votes.0.agreeing"),
        ({"review": None, "agreeing": 5}, int(BIG), "attendees"),
    ],
)
def test_meeting_with_a_number_no_row_holds_is_400_naming_it(
    vote, attendees, field, surveyed, officer, my_hoa_hung
):
    payload = {
        "commune": my_hoa_hung.pk,
        "held_on": dt.date(2025, 10, 20),
        "attendees": attendees,
        "chaired_by": "Ông Năm",
        "votes": [{**vote, "review": vote["review"] or surveyed.pk}],
    }
    response = api(officer).post(f"{API}meetings/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, [field])


@pytest.mark.parametrize("review_id", [int(BIG), -int(BIG)])
def test_decision_on_a_review_no_row_holds_is_400_naming_it(
    review_id, surveyed, chair, my_hoa_hung
):
    payload = {
        "commune": my_hoa_hung.pk,
        "number": "12/QĐ-UBND",
        "signed_on": dt.date(2025, 11, 5),
        "reviews": [review_id],
    }
    response = api(chair).post(f"{API}recognition/decisions/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["reviews.0"])


def test_village_under_a_commune_no_row_holds_is_400_naming_it(officer):
    payload = {"parent": int(BIG), "name": "Ấp Mới"}
    response = api(officer).post(f"{API}units/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["parent"])


def meeting_form(client, officer, campaign, commune, data: dict):
    client.force_login(officer)
    url = reverse("households:meeting-create", args=[campaign.pk])
    return client.post(f"{url}?commune={commune.pk}", data, HTTP_ACCEPT_LANGUAGE="en")


def test_meeting_form_with_attendees_no_row_holds_is_refused_beside_it(
    client, surveyed, campaign, officer, my_hoa_hung
):
    data = {"held_on": "2025-10-20", "attendees": BIG, "chaired_by": "Ông Năm"}
    data[f"vote_{surveyed.pk}"] = "5"
    response = meeting_form(client, officer, campaign, my_hoa_hung, data)
    assert list(response.context["form"].errors) == ["attendees"]


def test_meeting_form_with_a_vote_no_row_holds_is_refused_beside_it(
    client, surveyed, campaign, officer, my_hoa_hung
):
    data = {"held_on": "2025-10-20", "attendees": "10", "chaired_by": "Ông Năm"}
    data[f"vote_{surveyed.pk}"] = BIG
    response = meeting_form(client, officer, campaign, my_hoa_hung, data)
    assert list(response.context["form"].errors) == [f"vote_{surveyed.pk}"]
