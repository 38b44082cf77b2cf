"""The /api/v1/ review campaign endpoints: scoped like the pages, every step through a service."""

import datetime as dt
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from households.campaign import services as campaigns
from households.choices import ReviewStatus
from households.models import MeetingVote, Review, VillageMeeting
from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit
from registry.scoping import forget_scope
from registry.services import assignment_create

from ..conftest import HA_NOI, unit
from .factories import make_household, member, review

pytestmark = pytest.mark.django_db

API = "/api/v1/"
CAMPAIGNS = API + "campaigns/"
MEETINGS = API + "meetings/"
POSTINGS = API + "postings/"
PUBLIC_LIST = POSTINGS + "public-list/"
OBJECTIONS = API + "objections/"
QUEUE = API + "recognition/queue/"
DECISIONS = API + "recognition/decisions/"
CERTIFICATES = API + "certificates/"
CAMPAIGN_REVIEWS = API + "campaign-reviews/"
REQUESTS = API + "requests/"
STATUS_CHANGES = API + "status-changes/"

OPENS, CLOSES = dt.date(2025, 9, 1), dt.date(2025, 12, 14)
MET_ON = dt.date(2025, 10, 20)
POSTED_FROM, POSTED_TO = dt.date(2025, 10, 21), dt.date(2025, 10, 31)
OBJECTED_ON = dt.date(2025, 10, 25)
SIGNED_ON = dt.date(2025, 11, 5)
PUBLIC_KEYS = {
    "household_code",
    "head_name",
    "village_name",
    "address",
    "list_year",
    "proposed_classification",
    "group",
    "status",
}

_names = count(1)
_numbers = count(1)


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- building the campaign through the services ------------------------------------------------


def household_review(officer, commune, **extra) -> Review:
    """A new one-member household with its 2026 review, surveyed by `officer`."""
    household = make_household(
        officer, commune, members=[member(f"Trần Văn {next(_names)}")], **extra
    )
    return household.reviews.get()


def meet(officer, commune, reviews, *, agreeing=30, attendees=40) -> VillageMeeting:
    return campaigns.meeting_record(
        actor=officer,
        commune=commune,
        village=None,
        held_on=MET_ON,
        attendees=attendees,
        chaired_by="Ông Năm",
        votes={r.pk: agreeing for r in reviews},
    )


def post(officer, commune):
    return campaigns.posting_record(
        actor=officer,
        commune=commune,
        village=None,
        posted_from=POSTED_FROM,
        posted_to=POSTED_TO,
    )


def object_to(officer, target: Review):
    return campaigns.objection_record(
        actor=officer,
        review=fresh(target),
        kind="wrongly_included",
        author="Bà Sáu",
        received_on=OBJECTED_ON,
        content="Hộ có xe tải.",
    )


def reject(officer, objection):
    return campaigns.objection_resolve(
        actor=officer,
        objection=objection,
        outcome="rejected",
        resolution="Xe tải là của người thuê nhà.",
        resolved_on=OBJECTED_ON,
    )


def decide(chair, commune, reviews):
    return campaigns.recognition_decide(
        actor=chair,
        commune=commune,
        number=f"{next(_numbers)}/QĐ-UBND",
        signed_on=SIGNED_ON,
        review_ids=[r.pk for r in reviews],
    )


def ask(officer, household, *, requested_on=None, monthly=True):
    return campaigns.request_record(
        actor=officer,
        household=household,
        kind="enter",
        channel="in_person",
        form_number="01",
        requested_on=requested_on or timezone.localdate(),
        monthly=monthly,
    )


def fresh(target: Review) -> Review:
    return Review.objects.get(pk=target.pk)


def grow(officer, chair, commune, k: int) -> None:
    """k households recognised (objection rejected, monthly request late) and k posted with an
    open objection: one more row, or k more, in every campaign list."""
    decided = [household_review(officer, commune) for _ in range(k)]
    waiting = [household_review(officer, commune) for _ in range(k)]
    meet(officer, commune, decided + waiting)
    post(officer, commune)
    for target in decided:
        reject(officer, object_to(officer, target))
    for target in waiting:
        object_to(officer, target)
    decide(chair, commune, decided)
    late = timezone.localdate() - dt.timedelta(days=60)
    for target in decided:
        ask(officer, target.household, requested_on=late)


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def campaign(province_staff, an_giang):
    return campaigns.campaign_open(
        actor=province_staff, province=an_giang, list_year=2026, opens_on=OPENS, closes_on=CLOSES
    )


@pytest.fixture
def surveyed(campaign, officer, my_hoa_hung) -> Review:
    return household_review(officer, my_hoa_hung)


@pytest.fixture
def posted(surveyed, officer, my_hoa_hung) -> Review:
    meet(officer, my_hoa_hung, [surveyed])
    post(officer, my_hoa_hung)
    return fresh(surveyed)


@pytest.fixture
def recognised(posted, chair, my_hoa_hung) -> Review:
    decide(chair, my_hoa_hung, [posted])
    return fresh(posted)


@pytest.fixture
def closed(recognised, campaign, chair, my_hoa_hung):
    return campaigns.list_close(actor=chair, campaign=campaign, unit=my_hoa_hung)


@pytest.fixture
def ha_noi_staff(make_user):
    """Province staff of another province: An Giang's campaign is none of theirs."""
    return make_user(Role.PROVINCE_STAFF, unit(Scheme.CURRENT, Level.PROVINCE, HA_NOI))


@pytest.fixture
def officer_and_chair(make_user, my_hoa_hung):
    """One person holding both roles in the commune: they may not recognise what they recorded."""
    user = make_user(Role.COMMUNE_OFFICER, my_hoa_hung, username="officer-chair")
    assignment_create(user=user, role=Role.COMMUNE_CHAIR, unit=my_hoa_hung)
    forget_scope(user)
    return user


@pytest.fixture
def ids(campaign, officer, chair, my_hoa_hung) -> dict:
    """One row of every kind: `review` is posted with an open objection, another recognised."""
    decided, waiting = (
        household_review(officer, my_hoa_hung),
        household_review(officer, my_hoa_hung),
    )
    meeting = meet(officer, my_hoa_hung, [decided, waiting])
    posting = post(officer, my_hoa_hung)
    objection = object_to(officer, waiting)
    decision = decide(chair, my_hoa_hung, [decided])
    request = ask(officer, decided.household)
    return {
        "campaign": campaign.pk,
        "commune": my_hoa_hung.pk,
        "meeting": meeting.pk,
        "posting": posting.pk,
        "objection": objection.pk,
        "decision": decision.pk,
        "certificate": decision.certificates.get().pk,
        "review": waiting.pk,
        "request": request.pk,
    }


# --- every endpoint three ways ------------------------------------------------------------------

CAMPAIGN_ENDPOINTS = [
    ("get", CAMPAIGNS),
    ("post", CAMPAIGNS),
    ("get", CAMPAIGNS + "{campaign}/"),
    ("get", CAMPAIGNS + "{campaign}/progress/"),
    ("post", CAMPAIGNS + "{campaign}/list-households/"),
    ("post", CAMPAIGNS + "{campaign}/close/"),
    ("post", CAMPAIGNS + "{campaign}/reopen/"),
]
ENDPOINTS = [
    ("get", MEETINGS),
    ("post", MEETINGS),
    ("get", MEETINGS + "{meeting}/"),
    ("get", POSTINGS),
    ("post", POSTINGS),
    ("get", POSTINGS + "{posting}/"),
    ("get", PUBLIC_LIST + "?commune={commune}"),
    ("get", OBJECTIONS),
    ("post", OBJECTIONS),
    ("get", OBJECTIONS + "{objection}/"),
    ("post", OBJECTIONS + "{objection}/resolve/"),
    ("get", QUEUE),
    ("get", DECISIONS),
    ("post", DECISIONS),
    ("get", DECISIONS + "{decision}/"),
    ("get", CERTIFICATES),
    ("get", CERTIFICATES + "{certificate}/"),
    ("post", CAMPAIGN_REVIEWS + "{review}/return/"),
    ("post", CAMPAIGN_REVIEWS + "{review}/refuse/"),
    ("get", CAMPAIGN_REVIEWS + "{review}/steps/"),
    ("get", REQUESTS),
    ("post", REQUESTS),
    ("get", REQUESTS + "{request}/"),
    ("get", STATUS_CHANGES),
]


def call(client, method: str, url: str):
    if method == "get":
        return client.get(url)
    return client.post(url, {}, format="json")


@pytest.mark.parametrize(("method", "url"), CAMPAIGN_ENDPOINTS + ENDPOINTS)
def test_anonymous_is_refused(method, url, ids):
    assert call(client_for(), method, url.format(**ids)).status_code in (401, 403)


@pytest.mark.parametrize(("method", "url"), [e for e in ENDPOINTS if "{" in e[1]])
def test_object_in_another_commune_is_404(method, url, ids, other_officer):
    assert call(client_for(other_officer), method, url.format(**ids)).status_code == 404


@pytest.mark.parametrize(("method", "url"), [e for e in CAMPAIGN_ENDPOINTS if "{" in e[1]])
def test_campaign_of_another_province_is_404(method, url, ids, ha_noi_staff):
    assert call(client_for(ha_noi_staff), method, url.format(**ids)).status_code == 404


def test_campaigns_of_another_province_are_not_listed(ids, ha_noi_staff):
    assert client_for(ha_noi_staff).get(CAMPAIGNS).json()["count"] == 0


@pytest.mark.parametrize(
    "url",
    [MEETINGS, POSTINGS, OBJECTIONS, QUEUE, DECISIONS, CERTIFICATES, REQUESTS, STATUS_CHANGES],
)
def test_list_of_another_commune_is_empty(url, ids, other_officer):
    assert client_for(other_officer).get(url).json()["count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        CAMPAIGNS,
        MEETINGS,
        POSTINGS,
        PUBLIC_LIST + "?commune={commune}",
        OBJECTIONS,
        QUEUE,
        DECISIONS,
        CERTIFICATES,
        REQUESTS,
        STATUS_CHANGES,
    ],
)
def test_list_of_own_commune_shows_its_row(url, ids, chair):
    assert client_for(chair).get(url.format(**ids)).json()["count"] == 1


@pytest.mark.parametrize(
    "url",
    [
        CAMPAIGNS + "{campaign}/",
        CAMPAIGNS + "{campaign}/progress/",
        MEETINGS + "{meeting}/",
        POSTINGS + "{posting}/",
        OBJECTIONS + "{objection}/",
        DECISIONS + "{decision}/",
        CERTIFICATES + "{certificate}/",
        CAMPAIGN_REVIEWS + "{review}/steps/",
        REQUESTS + "{request}/",
    ],
)
def test_object_in_own_commune_is_shown(url, ids, chair):
    assert client_for(chair).get(url.format(**ids)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        CAMPAIGNS,
        MEETINGS,
        POSTINGS,
        PUBLIC_LIST + "?commune={commune}",
        OBJECTIONS,
        QUEUE,
        DECISIONS,
        CERTIFICATES,
        REQUESTS,
        STATUS_CHANGES,
        CAMPAIGNS + "{campaign}/progress/",
    ],
)
def test_list_queries_do_not_grow_with_rows(url, campaign, officer, chair, my_hoa_hung):
    url = url.format(campaign=campaign.pk, commune=my_hoa_hung.pk)
    url += ("&" if "?" in url else "?") + "page_size=100"
    client = client_for(chair)
    grow(officer, chair, my_hoa_hung, 1)
    with_one = queries_for(client, chair, url)
    grow(officer, chair, my_hoa_hung, 4)
    assert queries_for(client, chair, url) == with_one


def queries_for(client, user, url: str) -> int:
    forget_scope(user)  # every measurement starts from the same cold cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- the whole campaign over the API --------------------------------------------------------------


def test_the_campaign_runs_end_to_end(province_staff, officer, chair, an_giang, my_hoa_hung):
    staff, clerk, head = client_for(province_staff), client_for(officer), client_for(chair)
    response = staff.post(
        CAMPAIGNS,
        {"province": an_giang.pk, "list_year": 2026, "opens_on": OPENS, "closes_on": CLOSES},
        format="json",
    )
    assert response.status_code == 201
    campaign_url = f"{CAMPAIGNS}{response.json()['id']}/"
    agreed, disputed = (
        household_review(officer, my_hoa_hung),
        household_review(officer, my_hoa_hung),
    )

    meeting = {
        "commune": my_hoa_hung.pk,
        "held_on": MET_ON,
        "attendees": 40,
        "chaired_by": "Ông Năm",
        "votes": [{"review": agreed.pk, "agreeing": 20}, {"review": disputed.pk, "agreeing": 19}],
    }
    response = clerk.post(MEETINGS, meeting, format="json")
    assert (response.status_code, response.json()["passed"]) == (201, [agreed.pk])

    # Under half agreed: surveyed again, then agreed at a second meeting.
    resurvey = {"version": 1, "review": review()}
    url = f"{API}households/{disputed.household_id}/"
    assert clerk.patch(url, resurvey, format="json").status_code == 200
    meeting.update(attendees=35, votes=[{"review": disputed.pk, "agreeing": 30}])
    assert clerk.post(MEETINGS, meeting, format="json").json()["passed"] == [disputed.pk]

    posting = {"commune": my_hoa_hung.pk, "posted_from": POSTED_FROM, "posted_to": POSTED_TO}
    response = clerk.post(POSTINGS, posting, format="json")
    assert sorted(response.json()["reviews"]) == sorted([agreed.pk, disputed.pk])

    objection = {
        "review": agreed.pk,
        "kind": "wrongly_included",
        "author": "Bà Sáu",
        "received_on": OBJECTED_ON,
        "content": "Hộ có xe tải.",
    }
    objection_id = clerk.post(OBJECTIONS, objection, format="json").json()["id"]
    resolution = {"outcome": "rejected", "resolution": "Xe của người thuê nhà."}
    response = clerk.post(f"{OBJECTIONS}{objection_id}/resolve/", resolution, format="json")
    assert response.json()["outcome"] == "rejected"

    assert [row["id"] for row in head.get(QUEUE).json()["results"]] == sorted(
        [agreed.pk, disputed.pk]
    )
    decision = {
        "commune": my_hoa_hung.pk,
        "number": "12/QĐ-UBND",
        "signed_on": SIGNED_ON,
        "reviews": [agreed.pk, disputed.pk],
    }
    response = head.post(DECISIONS, decision, format="json")
    assert response.status_code == 201
    assert len(response.json()["certificates"]) == 2

    response = head.post(f"{campaign_url}close/", {"unit": my_hoa_hung.pk}, format="json")
    assert response.json()["is_closed"] is True
    response = staff.post(f"{campaign_url}close/", {"unit": an_giang.pk}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["unit"])

    reopen = {"commune": my_hoa_hung.pk, "reason": "Sót hộ ông Bảy."}
    response = staff.post(f"{campaign_url}reopen/", reopen, format="json")
    assert (response.json()["is_closed"], response.json()["reason"]) == (False, "Sót hộ ông Bảy.")


# --- campaigns ----------------------------------------------------------------------------------


def test_province_staff_open_a_campaign_from_1_september_to_14_december(province_staff, an_giang):
    payload = {"province": an_giang.pk, "list_year": 2026}
    response = client_for(province_staff).post(CAMPAIGNS, payload, format="json")
    assert response.status_code == 201
    assert (response.json()["opens_on"], response.json()["closes_on"]) == (
        "2025-09-01",
        "2025-12-14",
    )


def test_second_campaign_for_the_list_year_is_400_naming_list_year(
    campaign, province_staff, an_giang
):
    payload = {"province": an_giang.pk, "list_year": 2026}
    response = client_for(province_staff).post(CAMPAIGNS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["list_year"])


def test_campaign_closing_before_it_opens_is_400_naming_closes_on(province_staff, an_giang):
    payload = {"province": an_giang.pk, "list_year": 2026, "opens_on": CLOSES, "closes_on": OPENS}
    response = client_for(province_staff).post(CAMPAIGNS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["closes_on"])


def test_commune_officer_cannot_open_a_campaign_is_400_naming_province(officer, an_giang):
    payload = {"province": an_giang.pk, "list_year": 2026}
    response = client_for(officer).post(CAMPAIGNS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["province"])


def test_campaign_counts_the_days_left(campaign, officer):
    data = client_for(officer).get(f"{CAMPAIGNS}{campaign.pk}/").json()
    assert data["days_left"] == (CLOSES - timezone.localdate()).days


def test_progress_counts_each_step_of_the_commune(surveyed, officer, my_hoa_hung):
    meet(officer, my_hoa_hung, [surveyed])
    household_review(officer, my_hoa_hung)
    data = client_for(officer).get(f"{CAMPAIGNS}{surveyed.campaign_id}/progress/").json()
    row = data["rows"][0]
    assert (row["commune"], row["listed"], row["surveyed"], row["discussed"], row["posted"]) == (
        my_hoa_hung.pk,
        2,
        2,
        1,
        0,
    )


def test_progress_of_province_staff_covers_every_commune_with_totals(
    surveyed, province_staff, an_giang
):
    data = client_for(province_staff).get(f"{CAMPAIGNS}{surveyed.campaign_id}/progress/").json()
    communes = AdminUnit.objects.filter(
        level=Level.COMMUNE, path__startswith=an_giang.path, valid_to=an_giang.valid_to
    )
    assert (len(data["rows"]), data["totals"]["communes"]) == (communes.count(),) * 2
    assert data["totals"]["listed"] == 1


def test_progress_restricted_to_a_unit(surveyed, province_staff, my_hoa_hung):
    url = f"{CAMPAIGNS}{surveyed.campaign_id}/progress/?unit={my_hoa_hung.pk}"
    data = client_for(province_staff).get(url).json()
    assert [row["commune"] for row in data["rows"]] == [my_hoa_hung.pk]


def test_progress_shows_only_the_users_commune(surveyed, other_officer, long_xuyen):
    data = client_for(other_officer).get(f"{CAMPAIGNS}{surveyed.campaign_id}/progress/").json()
    assert [(row["commune"], row["listed"]) for row in data["rows"]] == [(long_xuyen.pk, 0)]


def test_progress_of_a_unit_outside_the_campaign_is_400_naming_unit(campaign, admin_user_):
    ha_noi = unit(Scheme.CURRENT, Level.PROVINCE, HA_NOI)
    url = f"{CAMPAIGNS}{campaign.pk}/progress/?unit={ha_noi.pk}"
    response = client_for(admin_user_).get(url)
    assert (response.status_code, list(response.json())) == (400, ["unit"])


def test_list_households_lists_those_that_asked(campaign, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, review_data=review(list_year=2025))
    ask(officer, household, monthly=False)
    url = f"{CAMPAIGNS}{campaign.pk}/list-households/"
    response = client_for(officer).post(url, {"commune": my_hoa_hung.pk}, format="json")
    assert response.json() == {"listed": 1}
    assert household.reviews.get(list_year=2026).status == ReviewStatus.LISTED


def test_list_households_by_the_chair_is_403(campaign, chair, my_hoa_hung):
    url = f"{CAMPAIGNS}{campaign.pk}/list-households/"
    response = client_for(chair).post(url, {"commune": my_hoa_hung.pk}, format="json")
    assert response.status_code == 403


def test_list_households_of_another_commune_is_400_naming_commune(
    campaign, other_officer, my_hoa_hung
):
    url = f"{CAMPAIGNS}{campaign.pk}/list-households/"
    response = client_for(other_officer).post(url, {"commune": my_hoa_hung.pk}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["commune"])


# --- closing and reopening -----------------------------------------------------------------------


def test_chair_closes_a_commune_whose_reviews_are_decided(recognised, chair, my_hoa_hung):
    url = f"{CAMPAIGNS}{recognised.campaign_id}/close/"
    response = client_for(chair).post(url, {"unit": my_hoa_hung.pk}, format="json")
    assert (response.status_code, response.json()["is_closed"]) == (200, True)


def test_closing_a_commune_with_reviews_pending_is_400_naming_unit(posted, chair, my_hoa_hung):
    url = f"{CAMPAIGNS}{posted.campaign_id}/close/"
    response = client_for(chair).post(url, {"unit": my_hoa_hung.pk}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["unit"])


def test_province_closing_while_communes_are_open_is_400_naming_unit(
    closed, campaign, province_staff, an_giang
):
    url = f"{CAMPAIGNS}{campaign.pk}/close/"
    response = client_for(province_staff).post(url, {"unit": an_giang.pk}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["unit"])


def test_officer_closing_the_commune_is_403(recognised, officer, my_hoa_hung):
    url = f"{CAMPAIGNS}{recognised.campaign_id}/close/"
    response = client_for(officer).post(url, {"unit": my_hoa_hung.pk}, format="json")
    assert response.status_code == 403


def test_province_staff_reopen_a_commune_with_the_reason(
    closed, campaign, province_staff, my_hoa_hung
):
    url = f"{CAMPAIGNS}{campaign.pk}/reopen/"
    payload = {"commune": my_hoa_hung.pk, "reason": "Sót hộ ông Bảy."}
    response = client_for(province_staff).post(url, payload, format="json")
    assert (response.status_code, response.json()["is_closed"], response.json()["reason"]) == (
        200,
        False,
        "Sót hộ ông Bảy.",
    )


def test_reopening_without_reason_is_400_naming_reason(
    closed, campaign, province_staff, my_hoa_hung
):
    url = f"{CAMPAIGNS}{campaign.pk}/reopen/"
    payload = {"commune": my_hoa_hung.pk, "reason": " "}
    response = client_for(province_staff).post(url, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["reason"])


def test_reopening_an_open_commune_is_400_naming_unit(campaign, province_staff, my_hoa_hung):
    url = f"{CAMPAIGNS}{campaign.pk}/reopen/"
    payload = {"commune": my_hoa_hung.pk, "reason": "Sót hộ ông Bảy."}
    response = client_for(province_staff).post(url, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["unit"])


def test_chair_reopening_the_commune_is_403(closed, campaign, chair, my_hoa_hung):
    url = f"{CAMPAIGNS}{campaign.pk}/reopen/"
    payload = {"commune": my_hoa_hung.pk, "reason": "Sót hộ ông Bảy."}
    assert client_for(chair).post(url, payload, format="json").status_code == 403


# --- village meetings ----------------------------------------------------------------------------


def meeting_payload(commune, votes: dict[int, int], **extra) -> dict:
    return {
        "commune": commune.pk,
        "held_on": MET_ON,
        "attendees": 40,
        "chaired_by": "Ông Năm",
        "votes": [{"review": pk, "agreeing": n} for pk, n in votes.items()],
        **extra,
    }


def test_meeting_moves_on_from_half_agreeing_and_sends_back_below(campaign, officer, my_hoa_hung):
    half, less = household_review(officer, my_hoa_hung), household_review(officer, my_hoa_hung)
    payload = meeting_payload(my_hoa_hung, {half.pk: 20, less.pk: 19})
    data = client_for(officer).post(MEETINGS, payload, format="json").json()
    assert (data["passed"], data["sent_back"]) == ([half.pk], [less.pk])
    assert (fresh(half).status, fresh(less).status) == (ReviewStatus.DISCUSSED, ReviewStatus.LISTED)


def test_meeting_records_each_share(surveyed, officer, my_hoa_hung):
    payload = meeting_payload(my_hoa_hung, {surveyed.pk: 27}, attendees=36)
    data = client_for(officer).post(MEETINGS, payload, format="json").json()
    assert data["votes"][0]["share_percent"] == "75.0"


def test_vote_on_a_review_not_surveyed_is_400_naming_the_vote(posted, officer, my_hoa_hung):
    payload = meeting_payload(my_hoa_hung, {posted.pk: 30})
    response = client_for(officer).post(MEETINGS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, [f"votes.{posted.pk}"])


def test_more_agreeing_than_attending_is_400_naming_the_vote(surveyed, officer, my_hoa_hung):
    payload = meeting_payload(my_hoa_hung, {surveyed.pk: 41})
    response = client_for(officer).post(MEETINGS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, [f"votes.{surveyed.pk}"])
    assert not MeetingVote.objects.exists()


def test_vote_on_a_review_of_another_commune_is_400_naming_the_vote(
    campaign, officer, other_officer, my_hoa_hung, long_xuyen
):
    elsewhere = household_review(other_officer, long_xuyen)
    payload = meeting_payload(my_hoa_hung, {elsewhere.pk: 30})
    response = client_for(officer).post(MEETINGS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, [f"votes.{elsewhere.pk}"])


def test_meeting_in_the_future_is_400_naming_held_on(surveyed, officer, my_hoa_hung):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    payload = meeting_payload(my_hoa_hung, {surveyed.pk: 30}, held_on=tomorrow)
    response = client_for(officer).post(MEETINGS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["held_on"])


def test_voting_twice_on_a_review_is_400_naming_votes(surveyed, officer, my_hoa_hung):
    payload = meeting_payload(my_hoa_hung, {surveyed.pk: 30})
    payload["votes"] *= 2
    response = client_for(officer).post(MEETINGS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["votes"])


def test_meeting_recorded_by_the_chair_is_403(surveyed, chair, my_hoa_hung):
    payload = meeting_payload(my_hoa_hung, {surveyed.pk: 30})
    assert client_for(chair).post(MEETINGS, payload, format="json").status_code == 403


def test_meeting_in_another_commune_is_400_naming_commune(surveyed, other_officer, my_hoa_hung):
    payload = meeting_payload(my_hoa_hung, {surveyed.pk: 30})
    response = client_for(other_officer).post(MEETINGS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["commune"])


# --- postings ------------------------------------------------------------------------------------


def posting_payload(commune, **extra) -> dict:
    return {"commune": commune.pk, "posted_from": POSTED_FROM, "posted_to": POSTED_TO, **extra}


def test_posting_a_village_posts_its_agreed_results_only(campaign, officer, my_hoa_hung, village):
    inside = household_review(officer, my_hoa_hung, village=village)
    outside = household_review(officer, my_hoa_hung)
    meet(officer, my_hoa_hung, [inside, outside])
    payload = posting_payload(my_hoa_hung, village=village.pk)
    data = client_for(officer).post(POSTINGS, payload, format="json").json()
    assert (data["reviews"], data["village_name"]) == ([inside.pk], "Ấp Mỹ An")


def test_posting_with_nothing_agreed_is_400_naming_village(surveyed, officer, my_hoa_hung):
    response = client_for(officer).post(POSTINGS, posting_payload(my_hoa_hung), format="json")
    assert (response.status_code, list(response.json())) == (400, ["village"])


def test_posting_ending_before_it_starts_is_400_naming_posted_to(surveyed, officer, my_hoa_hung):
    meet(officer, my_hoa_hung, [surveyed])
    payload = posting_payload(my_hoa_hung, posted_to=POSTED_FROM - dt.timedelta(days=1))
    response = client_for(officer).post(POSTINGS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["posted_to"])


def test_public_list_has_no_id_number_or_income(campaign, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)  # the head has an ID number
    meet(officer, my_hoa_hung, [household.reviews.get()])
    data = client_for(officer).get(PUBLIC_LIST, {"commune": my_hoa_hung.pk}).json()
    assert [set(row) for row in data["results"]] == [PUBLIC_KEYS]


def test_public_list_shows_the_proposed_result(posted, officer, my_hoa_hung):
    data = client_for(officer).get(PUBLIC_LIST, {"commune": my_hoa_hung.pk}).json()
    row = data["results"][0]
    assert (row["household_code"], row["proposed_classification"], row["status"]) == (
        posted.household.code,
        "near_poor",
        "posted",
    )


def test_public_list_of_another_village_is_empty(posted, officer, my_hoa_hung, village):
    query = {"commune": my_hoa_hung.pk, "village": village.pk}
    assert client_for(officer).get(PUBLIC_LIST, query).json()["count"] == 0


def test_public_list_without_commune_is_400_naming_commune(officer):
    response = client_for(officer).get(PUBLIC_LIST)
    assert (response.status_code, list(response.json())) == (400, ["commune"])


# --- objections ----------------------------------------------------------------------------------


def objection_payload(target: Review, **extra) -> dict:
    return {
        "review": target.pk,
        "kind": "wrongly_included",
        "author": "Bà Sáu",
        "received_on": OBJECTED_ON,
        "content": "Hộ có xe tải.",
        **extra,
    }


def test_objection_against_a_posted_result_is_open(posted, officer):
    response = client_for(officer).post(OBJECTIONS, objection_payload(posted), format="json")
    assert (response.status_code, response.json()["outcome"]) == (201, "open")


def test_objection_against_a_result_not_posted_is_400_naming_review(surveyed, officer):
    response = client_for(officer).post(OBJECTIONS, objection_payload(surveyed), format="json")
    assert (response.status_code, list(response.json())) == (400, ["review"])


def test_objection_against_a_review_of_another_commune_is_400_naming_review(posted, other_officer):
    response = client_for(other_officer).post(OBJECTIONS, objection_payload(posted), format="json")
    assert (response.status_code, list(response.json())) == (400, ["review"])


def test_upheld_objection_sends_the_household_back_to_the_survey(posted, officer):
    objection = object_to(officer, posted)
    payload = {"outcome": "upheld", "resolution": "Hộ có xe tải thật."}
    client_for(officer).post(f"{OBJECTIONS}{objection.pk}/resolve/", payload, format="json")
    assert fresh(posted).status == ReviewStatus.LISTED


def test_resolving_twice_is_400_naming_outcome(posted, officer):
    objection = reject(officer, object_to(officer, posted))
    payload = {"outcome": "upheld", "resolution": "Hộ có xe tải thật."}
    url = f"{OBJECTIONS}{objection.pk}/resolve/"
    response = client_for(officer).post(url, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["outcome"])


def test_resolving_without_result_is_400_naming_resolution(posted, officer):
    objection = object_to(officer, posted)
    payload = {"outcome": "rejected", "resolution": ""}
    url = f"{OBJECTIONS}{objection.pk}/resolve/"
    response = client_for(officer).post(url, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["resolution"])


# --- recognition ---------------------------------------------------------------------------------


def decision_payload(commune, reviews, **extra) -> dict:
    return {
        "commune": commune.pk,
        "number": "12/QĐ-UBND",
        "signed_on": SIGNED_ON,
        "reviews": [r.pk for r in reviews],
        **extra,
    }


def test_queue_counts_open_objections(posted, officer, chair):
    object_to(officer, posted)
    rows = client_for(chair).get(QUEUE).json()["results"]
    assert [(row["id"], row["open_objections"]) for row in rows] == [(posted.pk, 1)]


def test_queue_leaves_out_reviews_the_user_recorded(campaign, officer_and_chair, my_hoa_hung):
    mine = household_review(officer_and_chair, my_hoa_hung)
    meet(officer_and_chair, my_hoa_hung, [mine])
    post(officer_and_chair, my_hoa_hung)
    assert client_for(officer_and_chair).get(QUEUE).json()["count"] == 0


def test_chair_recognises_posted_results_with_certificates(posted, chair, my_hoa_hung):
    response = client_for(chair).post(
        DECISIONS, decision_payload(my_hoa_hung, [posted]), format="json"
    )
    assert response.status_code == 201
    assert [c["number"] for c in response.json()["certificates"]] == [
        f"0001/2026/{my_hoa_hung.code}/GCN-HN.HCN"
    ]
    assert fresh(posted).status == ReviewStatus.RECOGNISED


def test_chair_who_recorded_the_review_may_not_recognise_it(
    campaign, officer_and_chair, my_hoa_hung
):
    mine = household_review(officer_and_chair, my_hoa_hung)
    meet(officer_and_chair, my_hoa_hung, [mine])
    post(officer_and_chair, my_hoa_hung)
    response = client_for(officer_and_chair).post(
        DECISIONS, decision_payload(my_hoa_hung, [mine]), format="json"
    )
    assert (response.status_code, list(response.json())) == (400, [f"reviews.{mine.pk}"])


def test_recognising_with_an_open_objection_is_400_naming_the_review(
    posted, officer, chair, my_hoa_hung
):
    object_to(officer, posted)
    response = client_for(chair).post(
        DECISIONS, decision_payload(my_hoa_hung, [posted]), format="json"
    )
    assert (response.status_code, list(response.json())) == (400, [f"reviews.{posted.pk}"])


def test_recognising_a_result_not_posted_is_400_naming_the_review(surveyed, chair, my_hoa_hung):
    response = client_for(chair).post(
        DECISIONS, decision_payload(my_hoa_hung, [surveyed]), format="json"
    )
    assert (response.status_code, list(response.json())) == (400, [f"reviews.{surveyed.pk}"])


def test_recognising_a_review_outside_the_area_is_400_naming_the_review(
    campaign, other_officer, chair, my_hoa_hung, long_xuyen
):
    elsewhere = household_review(other_officer, long_xuyen)
    response = client_for(chair).post(
        DECISIONS, decision_payload(my_hoa_hung, [elsewhere]), format="json"
    )
    assert (response.status_code, list(response.json())) == (400, [f"reviews.{elsewhere.pk}"])


def test_repeated_decision_number_is_400_naming_number(campaign, officer, chair, my_hoa_hung):
    first, second = household_review(officer, my_hoa_hung), household_review(officer, my_hoa_hung)
    meet(officer, my_hoa_hung, [first, second])
    post(officer, my_hoa_hung)
    client = client_for(chair)
    client.post(DECISIONS, decision_payload(my_hoa_hung, [first]), format="json")
    response = client.post(DECISIONS, decision_payload(my_hoa_hung, [second]), format="json")
    assert (response.status_code, list(response.json())) == (400, ["number"])


def test_officer_recognising_is_403(posted, officer, my_hoa_hung):
    response = client_for(officer).post(
        DECISIONS, decision_payload(my_hoa_hung, [posted]), format="json"
    )
    assert response.status_code == 403


def test_certificates_are_listed_with_their_household(recognised, chair):
    rows = client_for(chair).get(CERTIFICATES).json()["results"]
    assert [(row["household_code"], row["classification"]) for row in rows] == [
        (recognised.household.code, "near_poor")
    ]


@pytest.mark.parametrize(("kind", "count"), [("newly_near_poor", 1), ("escaped_poverty", 0)])
def test_status_changes_filtered_by_kind(kind, count, recognised, chair):
    data = client_for(chair).get(STATUS_CHANGES, {"kind": kind, "list_year": 2026}).json()
    assert data["count"] == count


# --- returning, refusing and the steps ------------------------------------------------------------


def monthly_posted(officer, commune) -> Review:
    """A monthly review surveyed, agreed at a meeting and posted."""
    household = household_review(officer, commune).household
    monthly = ask(officer, household, requested_on=timezone.localdate()).review
    facts = review(list_year=monthly.list_year, kind="monthly", survey_date=timezone.localdate())
    url = f"{API}households/{household.pk}/"
    client_for(officer).patch(url, {"version": household.version, "review": facts}, format="json")
    meet(officer, commune, [monthly])
    post(officer, commune)
    return fresh(monthly)


def test_return_sends_a_review_back_one_step_with_the_comment(posted, chair):
    url = f"{CAMPAIGN_REVIEWS}{posted.pk}/return/"
    response = client_for(chair).post(url, {"comment": "Thiếu biên bản."}, format="json")
    assert response.json()["status"] == ReviewStatus.DISCUSSED
    assert posted.steps.last().comment == "Thiếu biên bản."


def test_return_without_comment_is_400_naming_comment(posted, chair):
    url = f"{CAMPAIGN_REVIEWS}{posted.pk}/return/"
    response = client_for(chair).post(url, {"comment": ""}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["comment"])


def test_return_of_a_recognised_review_is_400_naming_status(recognised, chair):
    url = f"{CAMPAIGN_REVIEWS}{recognised.pk}/return/"
    response = client_for(chair).post(url, {"comment": "Sai."}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["status"])


def test_chair_refuses_a_posted_monthly_review(campaign, officer, chair, my_hoa_hung):
    monthly = monthly_posted(officer, my_hoa_hung)
    url = f"{CAMPAIGN_REVIEWS}{monthly.pk}/refuse/"
    response = client_for(chair).post(url, {"reason": "Thu nhập vượt chuẩn."}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, ReviewStatus.REFUSED)


def test_refusing_without_reason_is_400_naming_reason(campaign, officer, chair, my_hoa_hung):
    monthly = monthly_posted(officer, my_hoa_hung)
    url = f"{CAMPAIGN_REVIEWS}{monthly.pk}/refuse/"
    response = client_for(chair).post(url, {"reason": ""}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["reason"])


def test_refusing_a_periodic_review_is_400_naming_status(posted, chair):
    url = f"{CAMPAIGN_REVIEWS}{posted.pk}/refuse/"
    response = client_for(chair).post(url, {"reason": "Không đủ điều kiện."}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["status"])


def test_officer_refusing_is_403(posted, officer):
    url = f"{CAMPAIGN_REVIEWS}{posted.pk}/refuse/"
    response = client_for(officer).post(url, {"reason": "Không đủ điều kiện."}, format="json")
    assert response.status_code == 403


def test_steps_show_every_move_with_who_made_it(posted, officer):
    rows = client_for(officer).get(f"{CAMPAIGN_REVIEWS}{posted.pk}/steps/").json()
    assert [(r["move"], r["from_status"], r["to_status"], r["actor_name"]) for r in rows] == [
        ("survey", None, "surveyed", "officer"),
        ("discuss", "surveyed", "discussed", "officer"),
        ("post", "discussed", "posted", "officer"),
    ]


# --- requests ------------------------------------------------------------------------------------


def request_payload(household, **extra) -> dict:
    return {
        "household": household.pk,
        "kind": "enter",
        "channel": "in_person",
        "form_number": "01",
        "requested_on": dt.date(2026, 11, 20),
        **extra,
    }


def test_monthly_request_is_listed_with_its_deadline(surveyed, officer):
    payload = request_payload(surveyed.household, requested_on=dt.date(2026, 11, 10))
    data = client_for(officer).post(REQUESTS, payload, format="json").json()
    assert (data["cycle_start"], data["deadline"], data["review_status"]) == (
        "2026-11-15",
        "2026-11-30",
        "listed",
    )


def test_request_in_the_future_is_400_naming_requested_on(surveyed, officer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    payload = request_payload(surveyed.household, requested_on=tomorrow)
    response = client_for(officer).post(REQUESTS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["requested_on"])


def test_request_of_a_household_of_another_commune_is_400_naming_household(surveyed, other_officer):
    payload = request_payload(surveyed.household)
    response = client_for(other_officer).post(REQUESTS, payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["household"])


def test_request_recorded_by_the_chair_is_403(surveyed, chair):
    payload = request_payload(surveyed.household)
    assert client_for(chair).post(REQUESTS, payload, format="json").status_code == 403


def test_overdue_filter_lists_only_late_requests(campaign, officer, my_hoa_hung):
    late_household = household_review(officer, my_hoa_hung).household
    late = ask(officer, late_household, requested_on=timezone.localdate() - dt.timedelta(days=60))
    ask(officer, household_review(officer, my_hoa_hung).household)
    data = client_for(officer).get(REQUESTS, {"overdue": "true"}).json()
    assert [row["id"] for row in data["results"]] == [late.pk]


@pytest.mark.parametrize(("state", "expected"), [("open", 0), ("resolved", 1)])
def test_objections_filter_by_state_like_the_register_page(posted, officer, state, expected):
    reject(officer, object_to(officer, posted))
    response = client_for(officer).get(OBJECTIONS, {"state": state})
    assert response.json()["count"] == expected
