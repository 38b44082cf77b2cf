"""A household whose review is only listed (no income, no score, no result yet) has a page and an
explanation page that say what is missing, for every role that may see them; never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from households.campaign import services as campaigns
from households.choices import ReviewKind, ReviewStatus
from households.models import Household

from .factories import make_household, member

pytestmark = pytest.mark.django_db

NOT_SURVEYED = "Not surveyed yet"
# The explanation is printed in Vietnamese, whatever the officer's language.
NOTHING_TO_EXPLAIN = "chưa có kết quả để giải thích"
ROLES = ["officer", "chair", "province_staff"]


def ask(officer, household, *, monthly: bool):
    return campaigns.request_record(
        actor=officer,
        household=household,
        kind="enter",
        channel="in_person",
        form_number="01",
        requested_on=timezone.localdate(),
        monthly=monthly,
    )


@pytest.fixture
def asked_monthly(officer, my_hoa_hung) -> Household:
    """A household with no survey at all, whose monthly request lists a review."""
    household = make_household(officer, my_hoa_hung, members=[member()], review_data={})
    ask(officer, household, monthly=True)
    return household


@pytest.fixture
def surveyed_then_asked(officer, my_hoa_hung) -> Household:
    """A household with a surveyed review, then a monthly request (a listed monthly review)."""
    household = make_household(officer, my_hoa_hung)
    ask(officer, household, monthly=True)
    return household


@pytest.fixture
def listed_by_campaign(officer, province_staff, an_giang, my_hoa_hung) -> Household:
    """A household the periodic campaign listed on its request: a listed periodic review."""
    household = make_household(officer, my_hoa_hung, members=[member()], review_data={})
    ask(officer, household, monthly=False)
    year = timezone.localdate().year + 1
    campaign = campaigns.campaign_open(
        actor=province_staff,
        province=an_giang,
        list_year=year,
        opens_on=dt.date(year - 1, 9, 1),
        closes_on=dt.date(year - 1, 12, 14),
    )
    campaigns.campaign_list_households(actor=officer, campaign=campaign, commune=my_hoa_hung)
    return household


def page(client, user, name: str, household: Household, **query):
    client.force_login(user)
    return client.get(
        reverse(f"households:{name}", args=[household.pk]), query, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.mark.parametrize("role", ROLES)
def test_page_of_a_household_asking_a_monthly_review_says_it_is_not_surveyed(
    client, request, role, asked_monthly
):
    response = page(client, request.getfixturevalue(role), "household-detail", asked_monthly)
    assert response.status_code == 200
    assert NOT_SURVEYED in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_explanation_of_a_review_not_surveyed_says_what_is_missing(
    client, request, role, asked_monthly
):
    response = page(client, request.getfixturevalue(role), "household-explanation", asked_monthly)
    assert response.status_code == 200
    assert NOTHING_TO_EXPLAIN in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_page_after_a_monthly_request_shows_the_survey_and_the_listed_review(
    client, request, role, surveyed_then_asked
):
    reviews = surveyed_then_asked.reviews
    assert reviews.get(kind=ReviewKind.MONTHLY).status == ReviewStatus.LISTED
    response = page(client, request.getfixturevalue(role), "household-detail", surveyed_then_asked)
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_SURVEYED in html
    assert "1,200,000" in html  # the surveyed review keeps its income


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_a_household_listed_by_the_campaign_answer(
    client, request, role, listed_by_campaign
):
    user = request.getfixturevalue(role)
    assert listed_by_campaign.reviews.get().status == ReviewStatus.LISTED
    detail = page(client, user, "household-detail", listed_by_campaign)
    explanation = page(client, user, "household-explanation", listed_by_campaign)
    assert (detail.status_code, explanation.status_code) == (200, 200)
    assert NOT_SURVEYED in detail.content.decode()
    assert NOTHING_TO_EXPLAIN in explanation.content.decode()


def test_pages_of_a_listed_review_are_404_out_of_scope(client, other_officer, asked_monthly):
    for name in ("household-detail", "household-explanation"):
        assert page(client, other_officer, name, asked_monthly).status_code == 404
