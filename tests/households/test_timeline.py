"""The history timeline and the steps of a review are built once: the household page and the API
show the same entries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from households.services import household_update

from .factories import make_household, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(officer, my_hoa_hung, village):
    household = make_household(officer, my_hoa_hung, members=[member(id_number="089080000123")])
    head = household.members.get()
    household_update(
        actor=officer,
        household=household,
        expected_version=1,
        village=village,
        address="Tổ 9",
        members=[{"id": head.pk, "full_name": head.full_name, "relationship": "head",
                  "sex": "male", "birth_year": 1980, "ethnicity": "05"}],
    )  # fmt: skip
    return household


def page_timeline(client, household) -> list[tuple]:
    entries = client.get(reverse("households:household-detail", args=[household.pk])).context[
        "timeline"
    ]
    return [
        (e["kind"], e["action"], e["object"], e["who_username"],
         [(c["field"], c["label"], c["old_display"], c["new_display"]) for c in e["changes"]])
        for e in entries
    ]  # fmt: skip


def api_timeline(user, household) -> list[tuple]:
    api = APIClient()
    api.force_authenticate(user)
    entries = api.get(f"/api/v1/households/{household.pk}/history/", HTTP_ACCEPT_LANGUAGE="en")
    return [
        (e["kind"], e["action"], e["object"], e["who"],
         [(c["field"], c["label"], c["old_display"], c["new_display"]) for c in e["changes"]])
        for e in entries.json()
    ]  # fmt: skip


def test_page_and_api_show_the_same_timeline(client, officer, household):
    client.force_login(officer)
    page = page_timeline(client, household)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert page_timeline(client, household) == api_timeline(officer, household)
    assert len(page) >= 3


def test_changes_read_as_a_person_reads_them(client, officer, household, village):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(officer)
    changes = {
        (kind, field): (old, new)
        for kind, action, _object, _who, found in page_timeline(client, household)
        for field, _label, old, new in found
    }
    assert changes[("household", "village")] == ("—", str(village))
    assert changes[("member", "ethnicity")] == ("Kinh", "Khơ-me")
    assert changes[("household", "address")] == ("—", "Tổ 9")


def test_page_and_api_list_a_reviews_steps_alike(client, officer, household):
    review = household.reviews.get()
    client.force_login(officer)
    page = client.get(reverse("households:household-detail", args=[household.pk]))
    [shown] = [r["review"] for r in page.context["reviews"]]
    api = APIClient()
    api.force_authenticate(officer)
    steps = api.get(f"/api/v1/campaign-reviews/{review.pk}/steps/").json()
    assert [s.pk for s in shown.steps.all()] == [s["id"] for s in steps]
