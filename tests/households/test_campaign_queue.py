"""The recognition queue page: its commune badges count exactly the rows its table lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.choices import Role
from registry.services import assignment_create

from .test_campaign_views import campaign, client, posted, surveyed

__all__ = ["campaign", "client"]  # fixtures used below

pytestmark = pytest.mark.django_db

QUEUE = reverse("households:recognition-queue")


def badges_and_rows(client) -> dict[int, tuple[int, int]]:
    """For each commune badge: (the number on the badge, the rows the table lists for it)."""
    communes = client.get(QUEUE).context["communes"]
    return {
        c["household__commune"]: (
            c["n"],
            len(client.get(QUEUE, {"commune": c["household__commune"]}).context["rows"]),
        )
        for c in communes
    }


def test_province_staff_sees_the_rows_its_badges_count(
    client, campaign, officer, other_officer, province_staff, my_hoa_hung, long_xuyen
):
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung, name=f"Hộ {n}") for n in "AB"])
    posted(other_officer, long_xuyen, [surveyed(other_officer, long_xuyen)])
    client.force_login(province_staff)
    assert badges_and_rows(client) == {my_hoa_hung.pk: (2, 2), long_xuyen.pk: (1, 1)}


def test_a_chair_who_recorded_a_review_sees_it_counted_and_listed_but_not_tickable(
    client, campaign, officer, chair, my_hoa_hung
):
    assignment_create(user=chair, role=Role.COMMUNE_OFFICER, unit=my_hoa_hung)
    own = surveyed(chair, my_hoa_hung, name="Hộ Tự Ghi")
    posted(officer, my_hoa_hung, [own, surveyed(officer, my_hoa_hung)])
    client.force_login(chair)
    [commune] = client.get(QUEUE).context["communes"]
    rows = client.get(QUEUE).context["rows"]
    assert commune["n"] == len(rows) == 2
    assert {r["review"].pk: r["decidable"] for r in rows}[own.pk] is False
    assert f'value="{own.pk}"' not in client.get(QUEUE).content.decode()


def test_queue_of_another_commune_is_neither_counted_nor_listed(
    client, campaign, officer, other_officer, my_hoa_hung
):
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(other_officer)
    response = client.get(QUEUE)
    assert (response.context["communes"], response.context["rows"]) == ([], [])
    assert client.get(QUEUE, {"commune": my_hoa_hung.pk}).status_code == 404


def test_staff_who_follow_the_queue_are_not_offered_to_send_back(
    client, campaign, officer, province_staff, my_hoa_hung
):
    [review] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(province_staff)
    response = client.get(QUEUE, {"commune": my_hoa_hung.pk})
    assert [r["review"] for r in response.context["rows"]] == [review]
    assert reverse("households:review-return", args=[review.pk]) not in response.content.decode()


def test_the_chair_is_offered_to_send_back(client, campaign, officer, chair, my_hoa_hung):
    [review] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(chair)
    response = client.get(QUEUE)
    assert reverse("households:review-return", args=[review.pk]) in response.content.decode()
