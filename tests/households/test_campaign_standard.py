"""When the province's campaign names its own standard, the form, the live preview, the classify
API and the save all apply it (one function decides: `standard_for_review`), so the result
previewed is the result saved and the indicators offered are those the save accepts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from households.campaign import services as campaigns
from households.evaluation import standard_for_review
from households.models import Household
from households.services import household_create
from policies.standards import get_standard, standard_for_list_year
from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit

from ..conftest import HA_NOI, unit
from .factories import SURVEY_DATE

pytestmark = pytest.mark.django_db

LIST_YEAR = 2026  # Decree 07/2021/NĐ-CP is in force for it
CAMPAIGN_STANDARD = "ND351-2025"  # the campaign applies Decree 351/2025/NĐ-CP instead
# Rural, 1,800,000 VND a person a month: middle-income under Decree 07, near-poor under 351.
INCOME = "1.800.000"
# Three indicators of the campaign's standard that no member data derives.
DEPRIVATIONS = ["D27_WATER_SOURCE", "D27_HYGIENIC_TOILET", "D27_WASTE_HANDLING"]


@pytest.fixture
def campaign(province_staff, an_giang):
    return campaigns.campaign_open(
        actor=province_staff,
        province=an_giang,
        list_year=LIST_YEAR,
        opens_on=dt.date(2025, 9, 1),
        closes_on=dt.date(2025, 12, 14),
        standard_code=CAMPAIGN_STANDARD,
    )


def form_post(**review) -> dict:
    data = {
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-full_name": "Lê Văn Dũng",
        "members-0-relationship": "head",
        "members-0-sex": "male",
        "members-0-birth_year": "1985",
        "members-0-ethnicity": "01",
        "members-0-has_health_insurance": "on",
        "review-list_year": str(LIST_YEAR),
        "review-kind": "periodic",
        "review-survey_date": SURVEY_DATE.isoformat(),
        "review-income_per_capita": INCOME,
        "review-deprivations": DEPRIVATIONS,
    }
    data.update({f"review-{key}": value for key, value in review.items()})
    return data


def test_the_campaigns_standard_differs_from_the_list_years():
    assert standard_for_list_year(LIST_YEAR).code != CAMPAIGN_STANDARD


def test_one_function_names_the_campaigns_standard(campaign, my_hoa_hung):
    assert standard_for_review(unit=my_hoa_hung, list_year=LIST_YEAR).code == CAMPAIGN_STANDARD


def test_without_a_campaign_the_list_years_standard_applies(my_hoa_hung):
    assert standard_for_review(unit=my_hoa_hung, list_year=LIST_YEAR).code == "ND07-2021"


def test_preview_shows_the_class_that_is_saved(client, campaign, officer, my_hoa_hung):
    client.force_login(officer)
    preview = client.post(reverse("households:classify-preview"), form_post()).context["preview"]
    response = client.post(reverse("households:household-create"), form_post())
    assert response.status_code == 302
    saved = Household.objects.get(commune=my_hoa_hung).reviews.get()
    assert (preview["evaluation"].standard.code, preview["classification"]) == (
        saved.standard_code,
        saved.computed_classification,
    )
    assert saved.standard_code == CAMPAIGN_STANDARD


def test_form_offers_the_indicators_the_save_accepts(client, campaign, officer, my_hoa_hung):
    client.force_login(officer)
    form = client.get(reverse("households:household-create")).context["review_form"]
    offered = [code for code, _label in form.fields["deprivations"].choices]
    assert offered == [i.code for i in get_standard(CAMPAIGN_STANDARD).indicators]
    response = client.post(reverse("households:household-create"), form_post(deprivations=offered))
    assert response.status_code == 302
    saved = Household.objects.get(commune=my_hoa_hung).reviews.get()
    assert sorted(saved.deprivations) == sorted(offered)


def test_edit_form_offers_the_campaigns_indicators(client, campaign, officer, my_hoa_hung):
    client.force_login(officer)
    client.post(reverse("households:household-create"), form_post())
    household = Household.objects.get(commune=my_hoa_hung)
    form = client.get(reverse("households:household-edit", args=[household.pk])).context[
        "review_form"
    ]
    assert form.standard.code == CAMPAIGN_STANDARD


def test_preview_in_a_province_without_a_campaign_keeps_the_list_years_standard(
    client, campaign, make_user
):
    ha_noi = unit(Scheme.CURRENT, Level.PROVINCE, HA_NOI)
    commune = AdminUnit.objects.filter(parent=ha_noi, level=Level.COMMUNE).order_by("code")[0]
    officer = make_user(Role.COMMUNE_OFFICER, commune)
    client.force_login(officer)
    data = form_post(deprivations=["D22_WATER_SOURCE"])
    preview = client.post(reverse("households:classify-preview"), data).context["preview"]
    assert preview["evaluation"].standard.code == "ND07-2021"


def test_classify_api_gives_the_class_the_api_saves(campaign, officer, my_hoa_hung):
    client = APIClient()
    client.force_authenticate(officer)
    facts = {"list_year": LIST_YEAR, "income_per_capita": 1_800_000, "deprivations": DEPRIVATIONS}
    classified = client.post(
        "/api/v1/reviews/classify/", {"commune": my_hoa_hung.pk, **facts}, format="json"
    ).json()
    payload = {
        "commune": my_hoa_hung.pk,
        "members": [
            {
                "full_name": "Lê Văn Dũng",
                "relationship": "head",
                "sex": "male",
                "birth_year": 1985,
                "ethnicity": "01",
            }
        ],
        "review": {"survey_date": SURVEY_DATE.isoformat(), **facts},
    }
    saved = client.post("/api/v1/households/", payload, format="json").json()["latest_review"]
    assert (classified["standard_code"], classified["classification"]) == (
        saved["standard_code"],
        saved["computed_classification"],
    )
    assert classified["standard_code"] == CAMPAIGN_STANDARD


def test_monthly_review_of_the_campaigns_list_year_applies_its_standard(
    campaign, officer, my_hoa_hung
):
    household = household_create(
        actor=officer,
        commune=my_hoa_hung,
        members=[{"full_name": "Lê Văn Dũng", "relationship": "head", "sex": "male",
                  "birth_year": 1985, "ethnicity": "01"}],
        review={"list_year": LIST_YEAR, "kind": "monthly", "survey_date": SURVEY_DATE,
                "income_per_capita": 1_800_000, "deprivations": DEPRIVATIONS},
    )  # fmt: skip
    assert household.reviews.get().standard_code == CAMPAIGN_STANDARD
