"""Campaign progress: the page and the API's `progress` take rows and totals from one selector,
so that they always give the same numbers."""

from __future__ import annotations

import dataclasses

import pytest
from rest_framework.test import APIClient

from households.campaign import services as campaigns
from households.campaign.selectors import campaign_progress, progress_totals
from registry.choices import Level, Scheme
from registry.models import AdminUnit

from ..conftest import unit
from .test_campaign_views import campaign, campaign_url, client, posted, recognised, surveyed

__all__ = ["campaign", "client"]  # fixtures used below

pytestmark = pytest.mark.django_db


def page_totals(client, url: str) -> dict:
    totals = client.get(url).context["totals"]
    return {**dataclasses.asdict(totals), "percent_recognised": totals.percent_recognised}


def api_totals(user, campaign, query: str = "") -> dict:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(f"/api/v1/campaigns/{campaign.pk}/progress/{query}")
    assert response.status_code == 200
    return response.json()["totals"]


@pytest.fixture
def progress(campaign, officer, other_officer, chair, admin_user_, my_hoa_hung, long_xuyen):
    """Mỹ Hòa Hưng: one recognised, one posted, one surveyed; Long Xuyên: one surveyed; a third
    commune, with nothing to review, has closed its list."""
    recognised(officer, chair, my_hoa_hung, [surveyed(officer, my_hoa_hung, name="Hộ Một")])
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung, name="Hộ Hai")])
    surveyed(officer, my_hoa_hung, name="Hộ Ba")
    surveyed(other_officer, long_xuyen, name="Hộ Bốn")
    quiet = (
        AdminUnit.objects.filter(level=Level.COMMUNE, parent=my_hoa_hung.parent)
        .exclude(pk__in=[my_hoa_hung.pk, long_xuyen.pk])
        .order_by("code")
        .first()
    )
    campaigns.list_close(actor=admin_user_, campaign=campaign, unit=quiet)
    return campaign


@pytest.mark.parametrize("who", ["province_staff", "officer", "other_officer", "chair"])
def test_page_and_api_give_the_same_totals(client, request, progress, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = page_totals(client, campaign_url("campaign-detail", progress))
    assert page == api_totals(user, progress)
    assert page["communes"] >= 1


def test_page_and_api_give_the_same_totals_for_one_commune(
    client, progress, province_staff, my_hoa_hung
):
    client.force_login(province_staff)
    query = f"?unit={my_hoa_hung.pk}"
    page = page_totals(client, campaign_url("campaign-detail", progress, query))
    assert page == api_totals(province_staff, progress, query)
    assert (page["listed"], page["surveyed"], page["posted"], page["recognised"]) == (3, 3, 2, 1)
    assert (page["communes"], page["communes_closed"], page["percent_recognised"]) == (1, 0, 33)


def test_totals_sum_the_rows(progress, province_staff, an_giang, my_hoa_hung, long_xuyen):
    rows = campaign_progress(user=province_staff, campaign=progress, unit=an_giang)
    totals = progress_totals(rows)
    assert (totals.listed, totals.recognised) == (4, 1)
    assert totals.communes == len(rows)
    assert (totals.communes_started, totals.communes_closed) == (2, 1)
    assert totals.communes_not_started == len(rows) - 2


def test_district_groups_of_the_legacy_province_sum_their_communes(
    client, admin_user_, cho_moi, kien_an
):
    legacy = unit(Scheme.LEGACY, Level.PROVINCE, "89")
    campaign = campaigns.campaign_open(actor=admin_user_, province=legacy, list_year=2025)
    client.force_login(admin_user_)
    response = client.get(campaign_url("campaign-detail", campaign))
    [group] = [d for d in response.context["districts"] if d.unit == cho_moi]
    communes = cho_moi.children.filter(level=Level.COMMUNE, valid_to=legacy.valid_to).count()
    assert group.totals.communes == communes
    assert sum(d.totals.communes for d in response.context["districts"]) == (
        response.context["totals"].communes
    )
