"""The review campaign pages: scope three ways, the whole procedure through the pages, the roles
that may not act, errors beside their fields and rows, the public posting list, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.campaign import services as campaigns
from households.campaign.choices import ObjectionOutcome
from households.choices import ReviewStatus as S
from households.models import (
    Campaign,
    Certificate,
    ListClosure,
    Objection,
    RecognitionDecision,
    Review,
    ReviewRequest,
    VillageMeeting,
)
from households.services import household_update
from registry.choices import Level, Role, Scheme

from ..conftest import HA_NOI, unit
from .factories import family, make_household, member, review

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# A day within the posting of `posted` below: objections are received only while it runs.
DURING_POSTING = dt.date(2025, 11, 10)
HEAD_ID_NUMBER = family()[0]["id_number"]
DEPRIVED = ["D22_EMPLOYMENT", "D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE"]


@pytest.fixture
def client(client):
    """English, so that assertions read the msgids whatever the translations say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def campaign(province_staff, an_giang) -> Campaign:
    # The 2026 list under Decree 07 (indicators D22_), reviewed in autumn 2025.
    return campaigns.campaign_open(
        actor=province_staff,
        province=an_giang,
        list_year=2026,
        opens_on=dt.date(2025, 9, 1),
        closes_on=dt.date(2025, 12, 14),
    )


@pytest.fixture
def ha_noi_staff(make_user):
    return make_user(Role.PROVINCE_STAFF, unit(Scheme.CURRENT, Level.PROVINCE, HA_NOI))


def surveyed(officer, commune, village=None, name="Nguyễn Văn An", **facts) -> Review:
    household = make_household(
        officer, commune, village=village, members=[member(name)], review_data=review(**facts)
    )
    return household.reviews.get()


def discussed(officer, commune, reviews, village=None) -> None:
    campaigns.meeting_record(
        actor=officer,
        commune=commune,
        village=village,
        held_on=dt.date(2025, 11, 1),
        attendees=10,
        chaired_by="Trưởng ấp",
        votes={r.pk: 8 for r in reviews},
    )


def posted(officer, commune, reviews, village=None) -> list[Review]:
    discussed(officer, commune, reviews, village)
    campaigns.posting_record(
        actor=officer,
        commune=commune,
        village=village,
        posted_from=dt.date(2025, 11, 5),
        posted_to=dt.date(2025, 11, 14),
    )
    return [Review.objects.get(pk=r.pk) for r in reviews]


def recognised(officer, chair, commune, reviews, number="01/QĐ-UBND") -> RecognitionDecision:
    posted(officer, commune, reviews)
    return campaigns.recognition_decide(
        actor=chair,
        commune=commune,
        number=number,
        signed_on=dt.date(2025, 12, 10),
        review_ids=[r.pk for r in reviews],
    )


def campaign_url(name: str, campaign: Campaign, query: str = "") -> str:
    return reverse(f"households:{name}", args=[campaign.pk]) + query


def html(response) -> str:
    return response.content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- three ways: anonymous, out of scope, in scope --------------------------------------------

LIST_PAGES = ["campaign-list", "objection-list", "recognition-queue", "request-list"]
PLACE_PAGES = ["campaign-detail", "meeting-create", "posting-create", "posting-list"]


@pytest.mark.parametrize("name", [*LIST_PAGES, "campaign-create", "request-create"])
def test_list_pages_redirect_anonymous_to_login(client, name):
    response = client.get(reverse(f"households:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", PLACE_PAGES)
def test_campaign_pages_redirect_anonymous_to_login(client, campaign, my_hoa_hung, name):
    response = client.get(campaign_url(name, campaign, f"?commune={my_hoa_hung.pk}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", PLACE_PAGES)
def test_campaign_pages_of_another_province_are_404(client, campaign, ha_noi_staff, name):
    client.force_login(ha_noi_staff)
    assert client.get(campaign_url(name, campaign)).status_code == 404


@pytest.mark.parametrize("name", ["meeting-create", "posting-create", "posting-list"])
def test_village_pages_of_another_commune_are_404(
    client, campaign, other_officer, my_hoa_hung, name
):
    client.force_login(other_officer)
    response = client.get(campaign_url(name, campaign, f"?commune={my_hoa_hung.pk}"))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PLACE_PAGES)
def test_campaign_pages_in_scope_are_200(client, campaign, officer, my_hoa_hung, village, name):
    client.force_login(officer)
    query = f"?commune={my_hoa_hung.pk}&village={village.pk}"
    assert client.get(campaign_url(name, campaign, query)).status_code == 200


def test_campaign_page_of_another_commune_is_404(client, campaign, other_officer, my_hoa_hung):
    client.force_login(other_officer)
    response = client.get(campaign_url("campaign-detail", campaign, f"?unit={my_hoa_hung.pk}"))
    assert response.status_code == 404


def test_campaign_page_shows_an_officer_only_their_commune(
    client, campaign, other_officer, officer, my_hoa_hung, long_xuyen
):
    surveyed(officer, my_hoa_hung)
    client.force_login(other_officer)
    response = client.get(campaign_url("campaign-detail", campaign))
    assert [row["p"].commune for row in response.context["rows"]] == [long_xuyen]
    assert response.context["totals"].surveyed == 0


@pytest.mark.parametrize(
    ("show", "expected"), [("started", {"30313"}), ("not_started", set()), ("all", {"30313"})]
)
def test_province_sees_which_communes_have_started(
    client, campaign, officer, province_staff, my_hoa_hung, show, expected
):
    surveyed(officer, my_hoa_hung)
    client.force_login(province_staff)
    response = client.get(campaign_url("campaign-detail", campaign, f"?show={show}"))
    codes = {row["p"].commune.code for row in response.context["rows"]}
    communes = my_hoa_hung.parent.children.count()
    assert expected <= codes
    assert len(codes) == {"started": 1, "not_started": communes - 1, "all": communes}[show]
    assert "30313" not in codes or show != "not_started"


def test_campaign_list_leaves_out_other_provinces(client, campaign, ha_noi_staff):
    client.force_login(ha_noi_staff)
    response = client.get(reverse("households:campaign-list"))
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_campaign_list_in_scope_shows_the_campaign(client, campaign, officer):
    client.force_login(officer)
    response = client.get(reverse("households:campaign-list"))
    assert [row["campaign"] for row in response.context["rows"]] == [campaign]


def test_chair_queue_of_another_commune_is_empty(
    client, campaign, officer, other_officer, my_hoa_hung
):
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(other_officer)
    response = client.get(reverse("households:recognition-queue"))
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_chair_queue_in_scope_lists_posted_reviews(client, campaign, officer, chair, my_hoa_hung):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(chair)
    response = client.get(reverse("households:recognition-queue"))
    assert [row["review"] for row in response.context["rows"]] == [saved]


def test_objection_register_of_another_commune_is_empty(
    client, campaign, officer, other_officer, my_hoa_hung
):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    campaigns.objection_record(
        actor=officer, review=saved, kind="wrong_data", author="Hàng xóm",
        received_on=dt.date(2025, 11, 6), content="Thu nhập cao hơn",
    )  # fmt: skip
    client.force_login(other_officer)
    response = client.get(reverse("households:objection-list"))
    assert list(response.context["page"]) == []


def test_request_list_of_another_commune_is_empty(client, officer, other_officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    campaigns.request_record(
        actor=officer, household=household, kind="enter", channel="in_person",
        form_number="04", requested_on=TODAY,
    )  # fmt: skip
    client.force_login(other_officer)
    response = client.get(reverse("households:request-list"))
    assert response.context["rows"] == []


def test_request_list_in_scope_shows_the_request(client, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    campaigns.request_record(
        actor=officer, household=household, kind="enter", channel="in_person",
        form_number="04", requested_on=TODAY,
    )  # fmt: skip
    client.force_login(officer)
    assert household.code in html(client.get(reverse("households:request-list")))


@pytest.fixture
def decision(campaign, officer, chair, my_hoa_hung) -> RecognitionDecision:
    return recognised(officer, chair, my_hoa_hung, [surveyed(officer, my_hoa_hung)])


def _object_urls(decision) -> dict[str, str]:
    review = decision.reviews.get()
    meeting = VillageMeeting.objects.get()
    return {
        "meeting": reverse("households:meeting-detail", args=[decision.campaign_id, meeting.pk]),
        "decision": reverse("households:decision-detail", args=[decision.pk]),
        "certificate": reverse("households:certificate-detail", args=[review.certificate.pk]),
    }


@pytest.mark.parametrize("page", ["meeting", "decision", "certificate"])
def test_object_pages_redirect_anonymous_to_login(client, decision, page):
    response = client.get(_object_urls(decision)[page])
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("page", ["meeting", "decision", "certificate"])
def test_object_pages_of_another_commune_are_404(client, decision, other_officer, page):
    client.force_login(other_officer)
    assert client.get(_object_urls(decision)[page]).status_code == 404


@pytest.mark.parametrize("page", ["meeting", "decision", "certificate"])
def test_object_pages_in_scope_are_200(client, decision, officer, page):
    client.force_login(officer)
    assert client.get(_object_urls(decision)[page]).status_code == 200


def test_objection_resolve_of_another_commune_is_404(
    client, campaign, officer, other_officer, my_hoa_hung
):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    objection = campaigns.objection_record(
        actor=officer, review=saved, kind="wrong_data", author="Hàng xóm",
        received_on=dt.date(2025, 11, 6), content="Thu nhập cao hơn",
    )  # fmt: skip
    client.force_login(other_officer)
    url = reverse("households:objection-resolve", args=[objection.pk])
    assert client.get(url).status_code == 404


# --- the whole procedure through the pages ----------------------------------------------------


def test_the_review_runs_end_to_end_through_the_pages(
    client, province_staff, officer, chair, my_hoa_hung, village, an_giang
):
    # The province opens the campaign for the 2026 list.
    client.force_login(province_staff)
    response = client.post(
        reverse("households:campaign-create"),
        {"province": an_giang.pk, "list_year": 2026, "opens_on": "2025-09-01",
         "closes_on": "2025-12-14", "standard_code": ""},
    )  # fmt: skip
    campaign = Campaign.objects.get(list_year=2026)
    assert response.status_code == 302

    # A household asks to be reviewed; the officer lists the commune's households.
    client.force_login(officer)
    asking = make_household(
        officer, my_hoa_hung, village=village, members=[member("Hộ Xin")], review_data={}
    )
    client.post(
        reverse("households:request-create"),
        {"household": asking.pk, "kind": "review", "channel": "in_person", "form_number": "01",
         "requested_on": "2025-09-03"},
    )  # fmt: skip
    client.post(
        campaign_url("campaign-list-households", campaign),
        {"unit": my_hoa_hung.pk, "back": my_hoa_hung.pk},
    )
    assert asking.reviews.get().status == S.LISTED

    # Surveys (through the household service), then the village meeting: 6/10 and 4/10.
    rows = [{"id": m.pk, **member("Hộ Xin")} for m in asking.members.all()]
    household_update(
        actor=officer, household=asking, expected_version=asking.version, village=village,
        members=rows, review=review(),
    )  # fmt: skip
    agreed = asking.reviews.get()
    doubted = surveyed(officer, my_hoa_hung, village, "Hộ Bàn Lại", deprivations=DEPRIVED)
    meeting_url = campaign_url(
        "meeting-create", campaign, f"?commune={my_hoa_hung.pk}&village={village.pk}"
    )
    response = client.post(
        meeting_url,
        {"held_on": "2025-11-01", "attendees": 10, "chaired_by": "Trưởng ấp Mỹ An",
         f"vote_{agreed.pk}": 6, f"vote_{doubted.pk}": 4},
    )  # fmt: skip
    result = client.get(response["Location"])
    assert [v.review for v in result.context["passed"]] == [agreed]
    assert [v.review for v in result.context["sent_back"]] == [doubted]

    # The doubted household is surveyed again and agreed at a second meeting.
    rows = [{"id": m.pk, **member("Hộ Bàn Lại")} for m in doubted.household.members.all()]
    household_update(
        actor=officer, household=doubted.household, expected_version=doubted.household.version,
        village=village, members=rows, review=review(deprivations=DEPRIVED),
    )  # fmt: skip
    client.post(
        meeting_url,
        {"held_on": "2025-11-02", "attendees": 12, "chaired_by": "Trưởng ấp Mỹ An",
         f"vote_{doubted.pk}": 9},
    )  # fmt: skip

    # Posting.
    posting_url = campaign_url(
        "posting-create", campaign, f"?commune={my_hoa_hung.pk}&village={village.pk}"
    )
    client.post(
        posting_url,
        {"posted_from": "2025-11-05", "posted_to": "2025-11-14", "place": "Nhà văn hóa ấp"},
    )
    assert set(Review.objects.values_list("status", flat=True)) == {S.POSTED}

    # An objection, rejected at the re-check.
    client.post(
        reverse("households:objection-create"),
        {"review": agreed.pk, "kind": "wrongly_included", "author": "Ông Ba",
         "received_on": "2025-11-06", "content": "Hộ này có xe máy mới."},
    )  # fmt: skip
    objection = Objection.objects.get()
    client.post(
        reverse("households:objection-resolve", args=[objection.pk]),
        {"outcome": "rejected", "resolution": "Đã phúc tra: đúng.", "resolved_on": "2025-11-10"},
    )

    # The officer who surveyed may not recognise; the chair does.
    decide = {"reviews": [agreed.pk, doubted.pk], "number": "15/QĐ-UBND",
              "signed_on": "2025-12-10"}  # fmt: skip
    assert client.post(reverse("households:recognition-queue"), decide).status_code == 403
    client.force_login(chair)
    response = client.post(reverse("households:recognition-queue"), decide)
    certificate = Certificate.objects.get(review=doubted)
    page = client.get(reverse("households:certificate-detail", args=[certificate.pk]))
    assert certificate.number in html(page)

    # The chair closes the commune; the province reopens it with a reason.
    client.post(
        campaign_url("campaign-close", campaign), {"unit": my_hoa_hung.pk, "back": my_hoa_hung.pk}
    )
    assert ListClosure.objects.get(unit=my_hoa_hung).is_closed
    client.force_login(province_staff)
    client.post(
        campaign_url("campaign-reopen", campaign),
        {"unit": my_hoa_hung.pk, "reason": "Sót một hộ khuyết tật."},
    )
    closure = ListClosure.objects.get(unit=my_hoa_hung)
    assert (closure.is_closed, closure.reason) == (False, "Sót một hộ khuyết tật.")


# --- campaigns: opening, progress, actions ----------------------------------------------------


def test_only_province_staff_may_open_a_campaign(client, officer):
    client.force_login(officer)
    assert client.get(reverse("households:campaign-create")).status_code == 403


def test_new_campaign_runs_from_1_september_to_14_december_by_default(client, province_staff):
    client.force_login(province_staff)
    form = client.get(reverse("households:campaign-create")).context["form"]
    year = TODAY.year
    assert (form.initial["list_year"], form.initial["opens_on"], form.initial["closes_on"]) == (
        year + 1,
        dt.date(year, 9, 1),
        dt.date(year, 12, 14),
    )


def test_new_campaign_keeps_an_explicit_standard(client, province_staff, an_giang):
    client.force_login(province_staff)
    client.post(
        reverse("households:campaign-create"),
        {"province": an_giang.pk, "list_year": 2027, "standard_code": "ND07-2021"},
    )
    campaign = Campaign.objects.get(list_year=2027)
    assert (campaign.standard_code, campaign.opens_on) == ("ND07-2021", dt.date(2026, 9, 1))


def test_second_campaign_for_a_year_shows_the_error_beside_the_year(
    client, campaign, province_staff, an_giang
):
    client.force_login(province_staff)
    response = client.post(
        reverse("households:campaign-create"), {"province": an_giang.pk, "list_year": 2026}
    )
    assert response.status_code == 200
    assert "already has a campaign" in response.context["form"].errors["list_year"][0]


def test_progress_counts_each_step_per_commune(client, campaign, officer, my_hoa_hung, village):
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung, village)])
    surveyed(officer, my_hoa_hung, village, "Hộ Hai")
    client.force_login(officer)
    response = client.get(campaign_url("campaign-detail", campaign))
    totals = response.context["totals"]
    assert (totals.listed, totals.surveyed, totals.discussed, totals.posted) == (
        2,
        2,
        1,
        1,
    )


def test_campaign_page_counts_overdue_monthly_requests(client, campaign, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    campaigns.request_record(
        actor=officer, household=household, kind="enter", channel="post", form_number="04",
        requested_on=TODAY - dt.timedelta(days=90),
    )  # fmt: skip
    client.force_login(officer)
    assert client.get(campaign_url("campaign-detail", campaign)).context["overdue"] == 1


def test_officer_may_not_close_the_communes_list(client, campaign, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.post(campaign_url("campaign-close", campaign), {"unit": my_hoa_hung.pk})
    assert response.status_code == 403


def test_closing_with_reviews_pending_shows_a_message(
    client, campaign, officer, chair, my_hoa_hung
):
    surveyed(officer, my_hoa_hung)
    client.force_login(chair)
    url = campaign_url("campaign-close", campaign)
    response = client.post(url, {"unit": my_hoa_hung.pk, "back": my_hoa_hung.pk}, follow=True)
    assert "not recognised yet" in html(response)
    assert not ListClosure.objects.exists()


def test_province_cannot_close_while_communes_are_open(client, campaign, province_staff, an_giang):
    client.force_login(province_staff)
    response = client.post(
        campaign_url("campaign-close", campaign), {"unit": an_giang.pk}, follow=True
    )
    assert "communes below have not closed yet" in html(response)


def test_reopening_without_a_reason_shows_a_message(
    client, campaign, officer, chair, province_staff, my_hoa_hung
):
    recognised(officer, chair, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    campaigns.list_close(actor=chair, campaign=campaign, unit=my_hoa_hung)
    client.force_login(province_staff)
    url = campaign_url("campaign-reopen", campaign)
    response = client.post(url, {"unit": my_hoa_hung.pk, "reason": " "}, follow=True)
    assert "Say why the list is reopened." in html(response)
    assert ListClosure.objects.get().is_closed


def test_commune_chair_may_not_reopen(client, campaign, officer, chair, my_hoa_hung):
    recognised(officer, chair, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    campaigns.list_close(actor=chair, campaign=campaign, unit=my_hoa_hung)
    client.force_login(chair)
    url = campaign_url("campaign-reopen", campaign)
    assert client.post(url, {"unit": my_hoa_hung.pk, "reason": "x"}).status_code == 403


def test_listing_households_shows_how_many_were_listed(client, campaign, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    campaigns.request_record(
        actor=officer, household=household, kind="review", channel="post", form_number="01",
        requested_on=dt.date(2025, 9, 3), monthly=False,
    )  # fmt: skip
    client.force_login(officer)
    response = client.post(
        campaign_url("campaign-list-households", campaign), {"unit": my_hoa_hung.pk}, follow=True
    )
    assert "1 households listed for review." in html(response)


def test_legacy_province_page_groups_communes_by_district(
    client, admin_user_, district_staff, cho_moi, kien_an
):
    legacy = unit(Scheme.LEGACY, Level.PROVINCE, "89")
    campaign = campaigns.campaign_open(actor=admin_user_, province=legacy, list_year=2025)
    client.force_login(admin_user_)
    districts = client.get(campaign_url("campaign-detail", campaign)).context["districts"]
    assert cho_moi in [d.unit for d in districts]


def test_district_staff_see_their_districts_communes(client, admin_user_, district_staff, kien_an):
    legacy = unit(Scheme.LEGACY, Level.PROVINCE, "89")
    campaign = campaigns.campaign_open(actor=admin_user_, province=legacy, list_year=2025)
    client.force_login(district_staff)
    response = client.get(campaign_url("campaign-detail", campaign))
    communes = [row["p"].commune for row in response.context["rows"]]
    assert kien_an in communes
    assert all(c.path.startswith(district_staff.assignments.get().unit.path) for c in communes)


# --- village meeting --------------------------------------------------------------------------


def test_meeting_form_lists_the_villages_surveyed_households(
    client, campaign, officer, my_hoa_hung, village
):
    inside = surveyed(officer, my_hoa_hung, village, "Hộ Trong Ấp")
    surveyed(officer, my_hoa_hung, None, "Hộ Ngoài Ấp")
    client.force_login(officer)
    query = f"?commune={my_hoa_hung.pk}&village={village.pk}"
    form = client.get(campaign_url("meeting-create", campaign, query)).context["form"]
    assert form.reviews == [inside]


def test_meeting_shows_more_agreeing_than_attending_beside_the_row(
    client, campaign, officer, my_hoa_hung
):
    saved = surveyed(officer, my_hoa_hung)
    client.force_login(officer)
    response = client.post(
        campaign_url("meeting-create", campaign, f"?commune={my_hoa_hung.pk}"),
        {"held_on": "2025-11-01", "attendees": 5, "chaired_by": "Trưởng ấp",
         f"vote_{saved.pk}": 7},
    )  # fmt: skip
    assert response.status_code == 200
    assert (
        "between 0 and the number attending"
        in response.context["form"].errors[f"vote_{saved.pk}"][0]
    )


def test_meeting_without_any_vote_shows_an_error(client, campaign, officer, my_hoa_hung):
    surveyed(officer, my_hoa_hung)
    client.force_login(officer)
    response = client.post(
        campaign_url("meeting-create", campaign, f"?commune={my_hoa_hung.pk}"),
        {"held_on": "2025-11-01", "attendees": 5, "chaired_by": "Trưởng ấp"},
    )
    assert "at least one household" in " ".join(response.context["form"].non_field_errors())


def test_chair_may_not_record_a_meeting(client, campaign, officer, chair, my_hoa_hung):
    saved = surveyed(officer, my_hoa_hung)
    client.force_login(chair)
    response = client.post(
        campaign_url("meeting-create", campaign, f"?commune={my_hoa_hung.pk}"),
        {"held_on": "2025-11-01", "attendees": 5, "chaired_by": "Trưởng ấp",
         f"vote_{saved.pk}": 4},
    )  # fmt: skip
    assert response.status_code == 403


# --- posting ----------------------------------------------------------------------------------


def test_posting_list_shows_no_id_number_nor_income(
    client, campaign, officer, my_hoa_hung, village
):
    household = make_household(
        officer, my_hoa_hung, village=village, address="Tổ 4",
        review_data=review(income_per_capita=1_234_567),
    )  # fmt: skip
    discussed(officer, my_hoa_hung, [household.reviews.get()])
    client.force_login(officer)
    page = html(client.get(campaign_url("posting-list", campaign, f"?commune={my_hoa_hung.pk}")))
    assert household.code in page
    assert HEAD_ID_NUMBER not in page
    assert "1.234.567" not in page
    assert "1234567" not in page
    assert "Trần Thị Bình" not in page  # members other than the head stay off the list


def test_posting_list_groups_households_by_proposed_result(
    client, campaign, officer, my_hoa_hung, village
):
    poor = surveyed(officer, my_hoa_hung, village, "Hộ Nghèo", deprivations=DEPRIVED)
    near_poor = surveyed(officer, my_hoa_hung, village, "Hộ Cận Nghèo")
    discussed(officer, my_hoa_hung, [poor, near_poor])
    client.force_login(officer)
    query = f"?commune={my_hoa_hung.pk}&village={village.pk}"
    [shown] = client.get(campaign_url("posting-list", campaign, query)).context["villages"]
    groups = {g["key"]: [r.pk for r in g["rows"]] for g in shown["groups"]}
    assert groups == {"poor": [poor.pk], "near_poor": [near_poor.pk]}


def test_posting_list_leaves_out_households_found_not_poor(
    client, campaign, officer, my_hoa_hung, village
):
    rich = surveyed(officer, my_hoa_hung, village, "Hộ Khá Giả", income_per_capita=6_000_000)
    discussed(officer, my_hoa_hung, [rich])
    client.force_login(officer)
    page = html(client.get(campaign_url("posting-list", campaign, f"?commune={my_hoa_hung.pk}")))
    assert "Hộ Khá Giả" not in page


def test_posting_list_shows_the_posting_dates(client, campaign, officer, my_hoa_hung):
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(officer)
    page = html(client.get(campaign_url("posting-list", campaign, f"?commune={my_hoa_hung.pk}")))
    assert "05/11/2025" in page
    assert "14/11/2025" in page


def test_posting_before_any_meeting_shows_the_error(client, campaign, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.post(
        campaign_url("posting-create", campaign, f"?commune={my_hoa_hung.pk}"),
        {"posted_from": "2025-11-05", "posted_to": "2025-11-14"},
    )
    assert "agreed at a village meeting" in " ".join(response.context["form"].non_field_errors())


def test_posting_that_ends_before_it_starts_shows_the_error_beside_the_end(
    client, campaign, officer, my_hoa_hung
):
    discussed(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(officer)
    response = client.post(
        campaign_url("posting-create", campaign, f"?commune={my_hoa_hung.pk}"),
        {"posted_from": "2025-11-14", "posted_to": "2025-11-05"},
    )
    assert "posted_to" in response.context["form"].errors


# --- objections -------------------------------------------------------------------------------


@pytest.fixture
def objections(campaign, officer, my_hoa_hung):
    first, second = posted(
        officer, my_hoa_hung, [surveyed(officer, my_hoa_hung), surveyed(officer, my_hoa_hung)]
    )
    kept = campaigns.objection_record(
        actor=officer, review=first, kind="wrong_data", author="A", received_on=DURING_POSTING,
        content="Sai thu nhập",
    )  # fmt: skip
    done = campaigns.objection_record(
        actor=officer, review=second, kind="wrong_data", author="B", received_on=DURING_POSTING,
        content="Sai nhà ở",
    )  # fmt: skip
    campaigns.objection_resolve(
        actor=officer, objection=done, outcome="rejected", resolution="Đúng", resolved_on=TODAY
    )
    return kept, done


@pytest.mark.parametrize(("state", "index"), [("open", 0), ("resolved", 1)])
def test_objection_register_filters_by_state(client, objections, officer, state, index):
    client.force_login(officer)
    response = client.get(reverse("households:objection-list"), {"state": state})
    assert list(response.context["page"]) == [objections[index]]


def test_objection_without_content_shows_the_error_beside_the_field(
    client, campaign, officer, my_hoa_hung
):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(officer)
    response = client.post(
        reverse("households:objection-create"),
        {"review": saved.pk, "kind": "wrong_data", "author": "A", "received_on": "2025-11-06",
         "content": " "},
    )  # fmt: skip
    assert "content" in response.context["form"].errors


def test_objection_form_offers_only_posted_reviews_of_the_area(
    client, campaign, officer, other_officer, my_hoa_hung, long_xuyen
):
    [mine] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    posted(other_officer, long_xuyen, [surveyed(other_officer, long_xuyen)])
    client.force_login(officer)
    form = client.get(reverse("households:objection-create")).context["form"]
    assert list(form.fields["review"].queryset) == [mine]


def test_upheld_objection_sends_the_household_back_to_the_survey(client, objections, officer):
    open_objection = objections[0]
    client.force_login(officer)
    client.post(
        reverse("households:objection-resolve", args=[open_objection.pk]),
        {"outcome": "upheld", "resolution": "Có xe máy mới", "resolved_on": TODAY.isoformat()},
    )
    open_objection.refresh_from_db()
    assert open_objection.outcome == ObjectionOutcome.UPHELD
    assert open_objection.review.status == S.LISTED


# --- recognition ------------------------------------------------------------------------------


def test_open_objection_is_shown_on_the_households_row(client, objections, chair):
    waiting = objections[0].review
    client.force_login(chair)
    response = client.post(
        reverse("households:recognition-queue"),
        {"reviews": [waiting.pk], "number": "20/QĐ-UBND", "signed_on": "2025-12-10"},
    )
    [row] = [r for r in response.context["rows"] if r["review"].pk == waiting.pk]
    assert "awaits its re-check" in row["errors"][0]
    assert not RecognitionDecision.objects.exists()


def test_decision_number_is_required(client, campaign, officer, chair, my_hoa_hung):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(chair)
    response = client.post(
        reverse("households:recognition-queue"),
        {"reviews": [saved.pk], "number": "", "signed_on": "2025-12-10"},
    )
    assert "number" in response.context["form"].errors


def test_decision_page_lists_households_with_their_certificate_numbers(client, decision, chair):
    client.force_login(chair)
    response = client.get(reverse("households:decision-detail", args=[decision.pk]))
    certificate = Certificate.objects.get()
    assert certificate.number in html(response)
    assert certificate.number.endswith("/GCN-HN.HCN")


def test_certificate_lists_the_members_with_their_birth_years(
    client, campaign, officer, chair, my_hoa_hung
):
    household = make_household(officer, my_hoa_hung)
    recognised(officer, chair, my_hoa_hung, [household.reviews.get()])
    client.force_login(chair)
    page = html(
        client.get(reverse("households:certificate-detail", args=[Certificate.objects.get().pk]))
    )
    assert "Trần Thị Bình" in page
    assert "2014" in page
    assert HEAD_ID_NUMBER not in page


def test_return_needs_a_comment(client, campaign, officer, chair, my_hoa_hung):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(chair)
    url = reverse("households:review-return", args=[saved.pk])
    response = client.post(url, {"comment": ""}, follow=True)
    assert "Say what must be corrected." in html(response)
    assert Review.objects.get(pk=saved.pk).status == S.POSTED


def test_return_with_a_comment_sends_the_review_back_one_step(
    client, campaign, officer, chair, my_hoa_hung
):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(chair)
    url = reverse("households:review-return", args=[saved.pk])
    client.post(url, {"comment": "Thiếu biên bản họp"})
    saved.refresh_from_db()
    assert saved.status == S.DISCUSSED
    assert saved.steps.last().comment == "Thiếu biên bản họp"


def test_return_of_a_review_of_another_commune_is_404(
    client, campaign, officer, other_officer, my_hoa_hung
):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    client.force_login(other_officer)
    url = reverse("households:review-return", args=[saved.pk])
    assert client.post(url, {"comment": "x"}).status_code == 404


# --- monthly requests -------------------------------------------------------------------------


def test_request_past_its_deadline_is_flagged(client, officer, my_hoa_hung):
    late = make_household(officer, my_hoa_hung, members=[member("Hộ Trễ")], review_data={})
    fresh = make_household(officer, my_hoa_hung, members=[member("Hộ Mới")], review_data={})
    for household, received in ((late, TODAY - dt.timedelta(days=90)), (fresh, TODAY)):
        campaigns.request_record(
            actor=officer, household=household, kind="enter", channel="post",
            form_number="04", requested_on=received,
        )  # fmt: skip
    client.force_login(officer)
    rows = client.get(reverse("households:request-list")).context["rows"]
    assert {r["request"].household: r["overdue"] for r in rows} == {late: True, fresh: False}


def test_request_form_records_a_monthly_request(client, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    client.force_login(officer)
    client.post(
        reverse("households:request-create"),
        {"household": household.pk, "kind": "enter", "channel": "online", "form_number": "04",
         "requested_on": TODAY.isoformat(), "monthly": "on"},
    )  # fmt: skip
    request = ReviewRequest.objects.get()
    assert (request.household, request.monthly, request.review.kind) == (household, True, "monthly")


def test_request_form_refuses_a_household_of_another_commune(
    client, officer, other_officer, long_xuyen
):
    foreign = make_household(other_officer, long_xuyen, members=[member("Hộ Khác")])
    client.force_login(officer)
    response = client.post(
        reverse("households:request-create"),
        {"household": foreign.pk, "kind": "enter", "channel": "online", "form_number": "04",
         "requested_on": TODAY.isoformat(), "monthly": "on"},
    )  # fmt: skip
    assert "household" in response.context["form"].errors
    assert not ReviewRequest.objects.exists()


def test_request_form_searches_households_by_name(client, officer, my_hoa_hung):
    wanted = make_household(officer, my_hoa_hung, members=[member("Lê Văn Tìm")], review_data={})
    make_household(officer, my_hoa_hung, members=[member("Phạm Thị Khác")], review_data={})
    client.force_login(officer)
    response = client.get(reverse("households:request-create"), {"q": "le van tim"})
    assert list(response.context["form"].fields["household"].queryset) == [wanted]


def test_province_staff_may_not_record_a_request(client, province_staff):
    client.force_login(province_staff)
    assert client.get(reverse("households:request-create")).status_code == 403


# --- the steps of a review (included on the household page) -----------------------------------


def test_review_steps_show_each_move_with_its_actor_and_comment(
    campaign, officer, chair, my_hoa_hung
):
    [saved] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    campaigns.review_return(actor=chair, review=saved, comment="Thiếu chữ ký")
    shown = render_to_string("households/campaign/_review_steps.html", {"review": saved})
    assert "Thiếu chữ ký" in shown
    assert chair.username in shown
    assert shown.count("<li") == saved.steps.count()


# --- query counts -----------------------------------------------------------------------------


def test_campaign_page_queries_do_not_grow_with_communes_and_reviews(
    client, campaign, officer, other_officer, province_staff, my_hoa_hung, long_xuyen,
    django_assert_max_num_queries,
):  # fmt: skip
    surveyed(officer, my_hoa_hung)
    client.force_login(province_staff)
    url = campaign_url("campaign-detail", campaign)
    few = queries(client, url)
    for n in range(5):
        surveyed(officer, my_hoa_hung, name=f"Hộ {n}")
        surveyed(other_officer, long_xuyen, name=f"Hộ {n}")
    with django_assert_max_num_queries(few):
        client.get(url)


def test_chair_queue_queries_do_not_grow_with_rows(
    client, campaign, officer, chair, my_hoa_hung, village, django_assert_max_num_queries
):
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung, village)])
    client.force_login(chair)
    url = reverse("households:recognition-queue")
    few = queries(client, url)
    more = [surveyed(officer, my_hoa_hung, village, f"Hộ {n}") for n in range(6)]
    posted(officer, my_hoa_hung, more)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["rows"]) == 7


def test_posting_list_queries_do_not_grow_with_rows(
    client, campaign, officer, my_hoa_hung, village, django_assert_max_num_queries
):
    discussed(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung, village)])
    client.force_login(officer)
    url = campaign_url("posting-list", campaign, f"?commune={my_hoa_hung.pk}")
    few = queries(client, url)
    discussed(
        officer, my_hoa_hung, [surveyed(officer, my_hoa_hung, village, f"Hộ {n}") for n in range(6)]
    )
    with django_assert_max_num_queries(few):
        client.get(url)


@pytest.mark.parametrize("name", ["objection-list", "request-list", "campaign-list"])
def test_list_page_queries_do_not_grow_with_rows(
    client, campaign, officer, my_hoa_hung, province_staff, an_giang, name,
    django_assert_max_num_queries,
):  # fmt: skip
    def add_rows(n: int) -> None:
        reviews = posted(
            officer, my_hoa_hung, [surveyed(officer, my_hoa_hung, name=f"Hộ {i}") for i in range(n)]
        )
        for saved in reviews:
            campaigns.objection_record(
                actor=officer, review=saved, kind="wrong_data", author="A",
                received_on=DURING_POSTING, content="x",
            )  # fmt: skip
            campaigns.request_record(
                actor=officer, household=saved.household, kind="leave", channel="post",
                form_number="04", requested_on=TODAY,
            )  # fmt: skip

    add_rows(1)
    client.force_login(officer)
    url = reverse(f"households:{name}")
    few = queries(client, url)
    add_rows(4)
    campaigns.campaign_open(actor=province_staff, province=an_giang, list_year=2027)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_campaign_page_names_the_standard_applied(client, province_staff, an_giang):
    from households.campaign import services as campaign_services

    later = campaign_services.campaign_open(actor=province_staff, province=an_giang, list_year=2027)
    client.force_login(province_staff)
    page = html(client.get(campaign_url("campaign-detail", later)))
    assert "Decree 351/2025/ND-CP" in page
