"""Every page and the API read "the review in force" from the one selector (household_status):
the API's current review, the household page, the edit form, the explanation, the list and its
filter, and the standard_impact command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from households.choices import Classification as C
from households.selectors import current_list_year

from .factories import make_household, member, recognise, review
from .test_household_year import facts, monthly, periodic, update

pytestmark = pytest.mark.django_db

YEAR = current_list_year()  # the list in force today
TODAY = timezone.localdate()


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def on_this_years_list(officer, chair, my_hoa_hung):
    """A near-poor household on this year's list, whose next periodic review is under way
    (surveyed as poor, not recognised yet)."""
    this_year = facts(YEAR, C.NEAR_POOR)
    household = make_household(
        officer, my_hoa_hung, members=[member("Nguyễn Văn An")], review_data=this_year
    )
    decision = recognise(officer, chair, [household.reviews.get()], on=dt.date(YEAR - 1, 12, 1))
    next_year = facts(YEAR + 1, C.POOR, survey_date=min(dt.date(YEAR, 10, 15), TODAY))
    update(officer, household, review_data=next_year)
    household.decision = decision
    return household


# --- API --------------------------------------------------------------------------------------


def test_api_current_review_is_the_one_in_force_not_the_newest(on_this_years_list, officer):
    household = on_this_years_list
    client = APIClient()
    client.force_authenticate(officer)
    data = client.get(f"/api/v1/households/{household.pk}/").json()
    recognised = household.reviews.get(list_year=YEAR)
    assert (data["current_review"]["id"], data["current_review"]["status"]) == (
        recognised.pk,
        "recognised",
    )
    assert data["latest_review"]["list_year"] == YEAR + 1
    status = data["status_in_force"]
    assert (status["list_year"], status["classification"], status["persons"]) == (
        YEAR,
        "near_poor",
        1,
    )
    assert status["decision_number"] == household.decision.number
    rows = client.get("/api/v1/households/").json()["results"]
    assert [row["current_review"]["id"] for row in rows] == [recognised.pk]


def test_api_status_of_another_commune_is_404(on_this_years_list, other_officer):
    client = APIClient()
    client.force_authenticate(other_officer)
    response = client.get(f"/api/v1/households/{on_this_years_list.pk}/")
    assert response.status_code == 404
    assert on_this_years_list.head_name not in response.content.decode()


# --- household page and edit form ----------------------------------------------------------------


def test_household_page_shows_the_status_in_force(client, on_this_years_list, officer):
    client.force_login(officer)
    response = client.get(reverse("households:household-detail", args=[on_this_years_list.pk]))
    banner = response.content.decode().split('id="household-result"')[1].split("</div>")[0]
    assert f"List of {YEAR}:" in banner
    assert "badge-near_poor" in banner
    assert "badge-poor" not in banner
    assert on_this_years_list.decision.number in banner


def test_edit_form_after_recognition_keeps_the_recognised_review_and_saves_members(
    client, officer, chair, my_hoa_hung
):
    household = make_household(
        officer, my_hoa_hung, members=[member("Nguyễn Văn An")], review_data=facts(YEAR, C.POOR)
    )
    recognise(officer, chair, [household.reviews.get()], on=dt.date(YEAR - 1, 12, 1))
    client.force_login(officer)
    url = reverse("households:household-edit", args=[household.pk])
    shown = client.get(url)
    assert f"List of {YEAR}:" in shown.content.decode()
    # What the browser sends back: the form as shown, plus a new member.
    head = household.members.get()
    data = {
        "version": str(household.version),
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-id": str(head.pk),
        "members-0-full_name": head.full_name,
        "members-0-relationship": "head",
        "members-0-sex": head.sex,
        "members-0-birth_year": str(head.birth_year),
        "members-0-ethnicity": head.ethnicity,
        "members-1-full_name": "Nguyễn Thị Út",
        "members-1-relationship": "child",
        "members-1-sex": "female",
        "members-1-birth_year": "2020",
        "members-1-ethnicity": "01",
    }
    review_form = shown.context["review_form"]
    for name, value in (review_form.initial or {}).items():
        data[f"review-{name}"] = value if value is not None else ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert household.years.get(list_year=YEAR).persons == 2


# --- explanation ------------------------------------------------------------------------------


def test_explanation_shows_the_status_set_by_a_later_monthly_review(
    client, officer, chair, my_hoa_hung
):
    household = make_household(
        officer, my_hoa_hung, members=[member("Nguyễn Văn An")], review_data=facts(2025, C.POOR)
    )
    periodic(officer, chair, household, 2025, C.POOR)
    escaped = monthly(officer, chair, household, dt.date(2025, 3, 2), C.NOT_POOR)
    client.force_login(officer)
    url = reverse("households:household-explanation", args=[household.pk])
    html = client.get(url, {"year": "2025"}).content.decode()
    recognised = html.split('id="recognised"')[1].split("</p>")[0]
    with translation.override("vi"):  # the explanation is printed in Vietnamese
        assert str(C.NOT_POOR.label) in recognised
    assert escaped.decision.number in recognised


def test_explanation_of_a_review_not_recognised_says_so(client, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Nguyễn Văn An")])
    client.force_login(officer)
    url = reverse("households:household-explanation", args=[household.pk])
    html = client.get(url, {"year": "2026"}).content.decode()
    with translation.override("vi"):
        assert translation.gettext("Proposed classification, not yet recognised") in html


# --- list and its filter ------------------------------------------------------------------------


def test_list_filter_keeps_only_the_recognised_class_in_force(client, officer, chair, my_hoa_hung):
    deprived = ["D22_EMPLOYMENT", "D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE"]
    recognised = make_household(
        officer, my_hoa_hung, members=[member("Hộ Đã Công Nhận")],
        review_data=review(income_per_capita=900_000, deprivations=deprived),
    )  # fmt: skip
    recognise(officer, chair, [recognised.reviews.get()])
    computed_poor = make_household(
        officer, my_hoa_hung, members=[member("Hộ Mới Khảo Sát")],
        review_data=review(income_per_capita=900_000, deprivations=deprived),
    )  # fmt: skip
    typed_poor = make_household(
        officer, my_hoa_hung, members=[member("Hộ Ghi Tay")],
        review_data=review(recognised_classification="poor", override_reason="Ốm đau kéo dài"),
    )  # fmt: skip
    client.force_login(officer)
    response = client.get(
        reverse("households:household-list"), {"classification": "poor", "year": "2026"}
    )
    assert [h.pk for h in response.context["households"]] == [recognised.pk]
    html = client.get(reverse("households:household-list"), {"year": "2026"}).content.decode()
    shown = {h.pk: h.status_shown for h in response.context["households"]}
    assert shown[recognised.pk].classification == "poor"
    assert html.count("not on the list") == 2  # the two households not recognised
    assert {computed_poor.pk, typed_poor.pk}.isdisjoint(shown)


def test_api_filter_keeps_only_the_recognised_class_in_force(officer, chair, my_hoa_hung):
    typed = make_household(
        officer, my_hoa_hung, members=[member("Hộ Ghi Tay")],
        review_data=review(recognised_classification="poor", override_reason="Ốm đau kéo dài"),
    )  # fmt: skip
    client = APIClient()
    client.force_authenticate(officer)
    params = {"classification": "poor", "year": 2026}
    assert client.get("/api/v1/households/", params).json()["results"] == []
    recognise(officer, chair, [typed.reviews.get()])
    codes = [row["code"] for row in client.get("/api/v1/households/", params).json()["results"]]
    assert codes == [typed.code]


# --- standard_impact ----------------------------------------------------------------------------


def test_standard_impact_reads_the_reviews_in_force(officer, chair, my_hoa_hung):
    near_poor = make_household(
        officer, my_hoa_hung, members=[member("Lê Văn An")],
        review_data=review(income_per_capita=1_200_000),
    )  # fmt: skip
    recognise(officer, chair, [near_poor.reviews.get()])
    # A monthly review under way with another result, and a household not recognised: neither
    # is the list of 2026.
    monthly(officer, chair, near_poor, dt.date(2026, 3, 2), C.NOT_POOR, decide=False)
    update(officer, near_poor, review_data=review(
        kind="monthly", survey_date=dt.date(2026, 3, 16), income_per_capita=3_000_000))  # fmt: skip
    make_household(
        officer, my_hoa_hung, members=[member("Lê Văn Bình")],
        review_data=review(income_per_capita=1_600_000),
    )  # fmt: skip
    out = io.StringIO()
    call_command(
        "standard_impact", "--province", "91", "--year", "2026", "--new", "ND351-2025", stdout=out
    )
    rows = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines()[2:]}
    assert "1 households" in out.getvalue()
    assert rows["near_poor"][0] == "1"
    assert rows["not_poor"][0] == "0"


def test_explanation_of_each_monthly_review_of_a_year(client, officer, chair, my_hoa_hung):
    household = make_household(
        officer, my_hoa_hung, members=[member("Nguyễn Văn An")], review_data=facts(2025, C.POOR)
    )
    periodic(officer, chair, household, 2025, C.POOR)
    march = monthly(officer, chair, household, dt.date(2025, 3, 2), C.NEAR_POOR)
    monthly(officer, chair, household, dt.date(2025, 6, 2), C.NOT_POOR)
    client.force_login(officer)
    url = reverse("households:household-explanation", args=[household.pk])
    html = client.get(url, {"review": march.pk}).content.decode()
    with translation.override("vi"):  # replaced in June: shown as not (or no longer) in force
        assert translation.gettext("Proposed classification, not yet recognised") not in html
        assert str(C.NEAR_POOR.label) in html.split('id="recognised"')[1].split("</p>")[0]
    assert client.get(url, {"review": "x"}).status_code == 404
    detail = client.get(reverse("households:household-detail", args=[household.pk]))
    assert f"?review={march.pk}" in detail.content.decode()


def test_a_revoked_certificate_names_the_decision_that_ended_it(
    client, officer, chair, other_officer, my_hoa_hung
):
    household = make_household(
        officer, my_hoa_hung, members=[member("Nguyễn Văn An")], review_data=facts(2026, C.POOR)
    )
    recognise(officer, chair, [household.reviews.get()])
    escaped = monthly(officer, chair, household, dt.date(2026, 3, 2), C.NOT_POOR)
    certificate = household.certificates.get()
    api = APIClient()
    api.force_authenticate(officer)
    [row] = api.get("/api/v1/certificates/").json()["results"]
    assert (row["revoked_on"], row["revoked_by"], row["revoke_reason"]) == (
        escaped.decision.signed_on.isoformat(),
        escaped.decision.pk,
        "replaced",
    )
    client.force_login(officer)
    url = reverse("households:certificate-detail", args=[certificate.pk])
    revoked = client.get(url).content.decode().split('id="revoked"')[1].split("</p>")[0]
    assert escaped.decision.number in revoked
    client.force_login(other_officer)
    assert client.get(url).status_code == 404


def test_household_page_names_the_last_list_when_none_is_in_force(
    client, officer, chair, my_hoa_hung
):
    household = make_household(
        officer, my_hoa_hung, members=[member("Nguyễn Văn An")], review_data=facts(2025, C.POOR)
    )
    periodic(officer, chair, household, 2025, C.POOR)
    client.force_login(officer)
    response = client.get(reverse("households:household-detail", args=[household.pk]))
    banner = response.content.decode().split('id="household-result"')[1].split("</div>")[0]
    assert f"Not on a recognised list of {YEAR}." in banner
    assert "List of 2025:" in banner.split('id="other-status"')[1]


def test_explanation_of_a_review_of_another_household_is_404(
    client, officer, other_officer, long_xuyen, my_hoa_hung
):
    mine = make_household(officer, my_hoa_hung, members=[member("Nguyễn Văn An")])
    neighbour = make_household(officer, my_hoa_hung, members=[member("Trần Văn Bình")])
    elsewhere = make_household(other_officer, long_xuyen, members=[member("Lê Văn Cơ")])
    client.force_login(officer)
    url = reverse("households:household-explanation", args=[mine.pk])
    for other in (neighbour, elsewhere):
        response = client.get(url, {"review": other.reviews.get().pk})
        assert response.status_code == 404
        assert other.head_name not in response.content.decode()
    assert client.get(url, {"review": "9" * 40}).status_code == 404
