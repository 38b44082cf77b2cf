"""The public posting list of the API is the printed one (one selector, `public_list`): poor,
near-poor and escaping households only (Decision 24/2021/QĐ-TTg art. 4.4); a household found
neither poor nor near-poor, and not escaping, is kept off both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from households.campaign import services as campaigns
from households.services import household_update

from .factories import make_household, member, review

pytestmark = pytest.mark.django_db

PUBLIC_LIST = "/api/v1/postings/public-list/"
# Rural lines of Decree 07/2021/NĐ-CP: poverty 1,500,000 VND, near-poverty 2,250,000 VND.
NOT_POOR_INCOME = 5_000_000
NEAR_POOR_INCOME = 1_200_000


def campaign_for(province_staff, an_giang, list_year: int):
    return campaigns.campaign_open(
        actor=province_staff,
        province=an_giang,
        list_year=list_year,
        opens_on=dt.date(list_year - 1, 9, 1),
        closes_on=dt.date(list_year - 1, 12, 14),
    )


def meet(officer, commune, reviews, year: int):
    campaigns.meeting_record(
        actor=officer,
        commune=commune,
        village=None,
        held_on=dt.date(year - 1, 10, 20),
        attendees=40,
        chaired_by="Ông Năm",
        votes={r.pk: 30 for r in reviews},
    )


def post(officer, commune, year: int):
    campaigns.posting_record(
        actor=officer,
        commune=commune,
        village=None,
        posted_from=dt.date(year - 1, 10, 21),
        posted_to=dt.date(year - 1, 10, 31),
    )


def household_with(officer, commune, name: str, income: int, year: int = 2026):
    return make_household(
        officer,
        commune,
        members=[member(name)],
        review_data=review(
            list_year=year, survey_date=dt.date(year - 1, 10, 15), income_per_capita=income
        ),
    )


@pytest.fixture
def discussed(province_staff, an_giang, officer, my_hoa_hung):
    """Two households agreed at the 2026 meeting: one near-poor, one found not poor."""
    campaign_for(province_staff, an_giang, 2026)
    near_poor = household_with(officer, my_hoa_hung, "Trần Văn Cận", NEAR_POOR_INCOME)
    not_poor = household_with(officer, my_hoa_hung, "Trần Văn Khá", NOT_POOR_INCOME)
    meet(officer, my_hoa_hung, [near_poor.reviews.get(), not_poor.reviews.get()], 2026)
    return {"near_poor": near_poor, "not_poor": not_poor}


def api_codes(user, commune) -> list[str]:
    client = APIClient()
    client.force_authenticate(user)
    rows = client.get(PUBLIC_LIST, {"commune": commune.pk}).json()["results"]
    return [row["household_code"] for row in rows]


def test_api_public_list_leaves_off_a_household_found_not_poor(discussed, officer, my_hoa_hung):
    assert api_codes(officer, my_hoa_hung) == [discussed["near_poor"].code]


def test_api_public_list_names_the_group_each_household_is_posted_under(
    discussed, officer, my_hoa_hung
):
    client = APIClient()
    client.force_authenticate(officer)
    [row] = client.get(PUBLIC_LIST, {"commune": my_hoa_hung.pk}).json()["results"]
    assert (row["proposed_classification"], row["group"]) == ("near_poor", "near_poor")


def test_api_and_printed_list_post_the_same_households(discussed, officer, my_hoa_hung):
    campaign = discussed["near_poor"].reviews.get().campaign
    client = APIClient()
    client.force_login(officer)
    page = client.get(reverse("households:posting-list", args=[campaign.pk]))
    printed = [
        row.household.code
        for village in page.context["villages"]
        for group in village["groups"]
        for row in group["rows"]
    ]
    assert printed == api_codes(officer, my_hoa_hung)


def test_api_public_list_posts_a_household_escaping_near_poverty(
    province_staff, an_giang, officer, chair, my_hoa_hung
):
    campaign_for(province_staff, an_giang, 2025)
    escaping = household_with(officer, my_hoa_hung, "Trần Văn Thoát", NEAR_POOR_INCOME, year=2025)
    meet(officer, my_hoa_hung, [escaping.reviews.get()], 2025)
    post(officer, my_hoa_hung, 2025)
    campaigns.recognition_decide(
        actor=chair,
        commune=my_hoa_hung,
        number="1/QĐ-UBND",
        signed_on=dt.date(2024, 11, 5),
        review_ids=[escaping.reviews.get().pk],
    )
    campaign_for(province_staff, an_giang, 2026)
    escaping.refresh_from_db()
    household_update(
        actor=officer,
        household=escaping,
        expected_version=escaping.version,
        members=[{"id": m.pk, **member(m.full_name)} for m in escaping.members.all()],
        review=review(income_per_capita=NOT_POOR_INCOME),
    )
    meet(officer, my_hoa_hung, [escaping.reviews.get(list_year=2026)], 2026)
    client = APIClient()
    client.force_authenticate(officer)
    [row] = client.get(PUBLIC_LIST, {"commune": my_hoa_hung.pk}).json()["results"]
    assert (row["household_code"], row["group"]) == (escaping.code, "escaped_near_poverty")


def test_api_public_list_of_another_commune_is_404(discussed, other_officer, my_hoa_hung):
    client = APIClient()
    client.force_authenticate(other_officer)
    assert client.get(PUBLIC_LIST, {"commune": my_hoa_hung.pk}).status_code == 404
