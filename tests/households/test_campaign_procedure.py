"""The procedure of Decision 24/2021/QĐ-TTg as the services enforce it: every move through the
state machine, the posting period, the campaign's window and its extension, and the district's
consultation under the three-level scheme; through the services, the pages and the API."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from households.campaign import services as campaigns
from households.campaign.workflow import MOVES, NEW, refusal, target_of
from households.choices import ReviewStatus as S
from households.models import (
    Campaign,
    CampaignExtension,
    DistrictConsultation,
    Review,
    ReviewStep,
)
from households.services import household_update
from policies.models import ParameterOverride
from policies.services import parameter_override_set
from policies.standards import POSTING_MIN_DAYS, PROCEDURE
from registry.choices import Level, Role, Scheme

from ..conftest import HA_NOI, unit
from .factories import make_household, member, review

pytestmark = pytest.mark.django_db

API = "/api/v1/"
# The 2026 list is reviewed from 1 September to 14 December 2025.
MET_ON = dt.date(2025, 11, 1)
POSTED_FROM, POSTED_TO = dt.date(2025, 11, 5), dt.date(2025, 11, 14)
SIGNED_ON = dt.date(2025, 12, 1)
LEGACY_PROVINCE = "89"  # An Giang before the 2025 reform


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(province_staff, an_giang) -> Campaign:
    return campaigns.campaign_open(actor=province_staff, province=an_giang, list_year=2026)


@pytest.fixture
def ha_noi_staff(make_user):
    return make_user(Role.PROVINCE_STAFF, unit(Scheme.CURRENT, Level.PROVINCE, HA_NOI))


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def surveyed(officer, commune, name="Nguyễn Văn An", **facts) -> Review:
    household = make_household(
        officer, commune, members=[member(name)], review_data=review(**facts)
    )
    return household.reviews.get()


def meet(officer, commune, reviews, *, on=MET_ON, agreeing=8) -> None:
    campaigns.meeting_record(
        actor=officer,
        commune=commune,
        village=None,
        held_on=on,
        attendees=10,
        chaired_by="Trưởng ấp",
        votes={r.pk: agreeing for r in reviews},
    )


def post(officer, commune, *, posted_from=POSTED_FROM, posted_to=POSTED_TO):
    return campaigns.posting_record(
        actor=officer, commune=commune, village=None, posted_from=posted_from, posted_to=posted_to
    )


def posted(officer, commune, reviews, **dates) -> list[Review]:
    meet(officer, commune, reviews, on=dates.pop("met_on", MET_ON))
    post(officer, commune, **dates)
    return [Review.objects.get(pk=r.pk) for r in reviews]


def decide(chair, commune, reviews, *, signed_on=SIGNED_ON, number="01/QĐ-UBND"):
    return campaigns.recognition_decide(
        actor=chair,
        commune=commune,
        number=number,
        signed_on=signed_on,
        review_ids=[r.pk for r in reviews],
    )


def object_to(officer, target, *, received_on):
    return campaigns.objection_record(
        actor=officer,
        review=Review.objects.get(pk=target.pk),
        kind="wrongly_included",
        author="Bà Sáu",
        received_on=received_on,
        content="Hộ có xe tải.",
    )


def errors_of(func, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as err:
        func(**kwargs)
    return err.value.message_dict


def set_status(target: Review, status: str) -> Review:
    Review.objects.filter(pk=target.pk).update(status=status)
    return Review.objects.get(pk=target.pk)


# --- the state machine: one function, the moves of MOVES ---------------------------------------

STATES = [NEW, *S.values]
ROLES = [Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.DISTRICT_STAFF, Role.PROVINCE_STAFF]


def test_allowed_moves_are_exactly_those_of_moves():
    allowed = {
        (name, state, role)
        for name, state, role in itertools.product(MOVES, STATES, ROLES)
        if refusal(name, state, {role}) is None
    }
    declared = {
        (move.name, state, role)
        for move in MOVES.values()
        for state in move.source
        for role in move.roles
    }
    assert allowed == declared


def test_every_step_the_services_record_is_a_move_of_the_state_machine(
    campaign, officer, chair, my_hoa_hung
):
    # list -> survey -> resurvey -> survey -> discuss -> post -> uphold -> survey -> discuss ->
    # post -> return -> post -> recognise: every kind of step the campaign services record.
    asking = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    campaigns.request_record(
        actor=officer, household=asking, kind="review", channel="post", form_number="01",
        requested_on=dt.date(2025, 9, 3), monthly=False,
    )  # fmt: skip
    campaigns.campaign_list_households(actor=officer, campaign=campaign, commune=my_hoa_hung)

    def survey_again():
        asking.refresh_from_db()
        rows = [{"id": m.pk, **member("Hộ Xin")} for m in asking.members.all()]
        household_update(
            actor=officer, household=asking, expected_version=asking.version, members=rows,
            review=review(),
        )  # fmt: skip
        return asking.reviews.get()

    target = survey_again()
    meet(officer, my_hoa_hung, [target], agreeing=2)
    target = survey_again()
    [target] = posted(officer, my_hoa_hung, [target])
    objection = object_to(officer, target, received_on=dt.date(2025, 11, 6))
    campaigns.objection_resolve(
        actor=officer, objection=objection, outcome="upheld", resolution="Có xe tải.",
        resolved_on=dt.date(2025, 11, 8),
    )  # fmt: skip
    target = survey_again()
    [target] = posted(
        officer, my_hoa_hung, [target], met_on=dt.date(2025, 11, 16),
        posted_from=dt.date(2025, 11, 17), posted_to=dt.date(2025, 11, 24),
    )  # fmt: skip
    campaigns.review_return(actor=chair, review=target, comment="Thiếu chữ ký.")
    post(officer, my_hoa_hung, posted_from=dt.date(2025, 11, 25), posted_to=dt.date(2025, 12, 1))
    decide(chair, my_hoa_hung, [target], signed_on=dt.date(2025, 12, 2))

    steps = list(ReviewStep.objects.filter(review=target).order_by("at", "id"))
    recorded = [s.move for s in steps]
    assert recorded == [
        "list", "survey", "resurvey", "survey", "discuss", "post", "uphold", "survey",
        "discuss", "post", "return", "post", "recognise",
    ]  # fmt: skip
    assert [(s.from_status in MOVES[s.move].source, s.to_status) for s in steps] == [
        (True, target_of(MOVES[s.move], s.from_status)) for s in steps
    ]


# Each service that moves one review, as (move, how to call it with the right role).
def _discuss(ctx, target):
    meet(ctx["officer"], ctx["commune"], [target], agreeing=8)


def _resurvey(ctx, target):
    meet(ctx["officer"], ctx["commune"], [target], agreeing=2)


def _recognise(ctx, target):
    decide(ctx["chair"], ctx["commune"], [target])


def _return(ctx, target):
    campaigns.review_return(actor=ctx["chair"], review=target, comment="Sai.")


SINGLE_MOVES = {
    "discuss": _discuss,
    "resurvey": _resurvey,
    "recognise": _recognise,
    "return": _return,
}


@pytest.fixture
def ctx(campaign, officer, chair, my_hoa_hung):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    return {"officer": officer, "chair": chair, "commune": my_hoa_hung, "review": target}


@pytest.mark.parametrize(
    ("move", "state"), list(itertools.product(SINGLE_MOVES, [s for s in S.values if s]))
)
def test_each_service_moves_a_review_only_from_the_steps_moves_allows(ctx, move, state):
    target = set_status(ctx["review"], state)
    allowed = state in MOVES[move].source
    try:
        SINGLE_MOVES[move](ctx, target)
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        assert (allowed, any(f"this one is at “{S(state).label}”" in m for m in messages)) == (
            False,
            True,
        )
    else:
        assert allowed
        assert Review.objects.get(pk=target.pk).status == target_of(MOVES[move], state)


def test_a_move_from_the_wrong_step_is_refused_with_the_steps_named(ctx):
    target = set_status(ctx["review"], S.SURVEYED)
    errors = errors_of(
        campaigns.recognition_decide, actor=ctx["chair"], commune=ctx["commune"],
        number="9/QĐ", signed_on=SIGNED_ON, review_ids=[target.pk],
    )  # fmt: skip
    assert errors == {
        f"reviews.{target.pk}": [
            "“Recognise” needs a review at the step “Posted publicly”; this one is at "
            "“Surveyed and scored”."
        ]
    }


@pytest.mark.parametrize(("move", "role"), list(itertools.product(SINGLE_MOVES, ROLES)))
def test_each_service_lets_only_the_roles_of_moves_make_it(
    ctx, make_user, cho_moi, an_giang, move, role
):
    at = {
        Role.COMMUNE_OFFICER: ctx["commune"],
        Role.COMMUNE_CHAIR: ctx["commune"],
        Role.DISTRICT_STAFF: cho_moi,
        Role.PROVINCE_STAFF: an_giang,
    }[role]
    actor = make_user(role, at)
    target = set_status(ctx["review"], next(iter(sorted(MOVES[move].source))))
    call = {**ctx, "officer": actor, "chair": actor}
    if role in MOVES[move].roles:
        SINGLE_MOVES[move](call, target)
        assert Review.objects.get(pk=target.pk).status != target.status
    else:
        with pytest.raises(PermissionDenied) as denied:
            SINGLE_MOVES[move](call, target)
        needed = " / ".join(sorted(str(Role(r).label) for r in MOVES[move].roles))
        assert str(denied.value).startswith(f"Only a {needed} of {ctx['commune'].name} may do")


def test_a_wrong_role_is_refused_naming_the_role_the_move_needs(ctx):
    with pytest.raises(PermissionDenied) as denied:
        decide(ctx["officer"], ctx["commune"], [ctx["review"]])
    assert str(denied.value) == (
        f"Only a Commune chair of {ctx['commune'].name} may do this (“Recognise”)."
    )


def test_refusing_a_monthly_review_follows_the_state_machine(officer, chair, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member()], review_data={})
    request = campaigns.request_record(
        actor=officer, household=household, kind="enter", channel="post", form_number="04",
        requested_on=dt.date(2026, 11, 20),
    )  # fmt: skip
    listed = request.review
    errors = errors_of(campaigns.review_refuse, actor=chair, review=listed, reason="Không đủ.")
    assert errors == {
        "status": [
            "“Refuse with reasons” needs a review at the step “Posted publicly”; this one is at "
            "“Listed for review”."
        ]
    }
    Review.objects.filter(pk=listed.pk).update(status=S.POSTED, income_per_capita=1_000_000)
    with pytest.raises(PermissionDenied):
        campaigns.review_refuse(actor=officer, review=listed, reason="x")
    refused = campaigns.review_refuse(actor=chair, review=listed, reason="Thu nhập đủ.")
    assert refused.steps.latest("at").move == "refuse"


# --- the posting period ---------------------------------------------------------------------


def test_posting_shorter_than_the_minimum_is_refused_naming_posted_to(
    campaign, officer, my_hoa_hung
):
    meet(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        campaigns.posting_record, actor=officer, commune=my_hoa_hung, village=None,
        posted_from=POSTED_FROM, posted_to=POSTED_FROM + dt.timedelta(days=5),
    )  # fmt: skip
    assert errors == {
        "posted_to": [
            "The posting must last at least 7 days, the first and last day counted: until "
            "11/11/2025 at the earliest. This minimum is not confirmed: Decision 24/2021/QĐ-TTg "
            "art. 4.4 could not be read."
        ]
    }


def test_posting_of_exactly_the_minimum_is_accepted(campaign, officer, my_hoa_hung):
    [target] = posted(
        officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)],
        posted_to=POSTED_FROM + dt.timedelta(days=6),
    )  # fmt: skip
    assert target.status == S.POSTED


def test_the_posting_minimum_is_data_an_administrator_corrects(
    campaign, officer, my_hoa_hung, admin_user_
):
    parameter_override_set(
        actor=admin_user_, standard_code=PROCEDURE.code, key=POSTING_MIN_DAYS, value=10,
        reason="Đã đọc điều 4.4", valid_from=dt.date(2025, 1, 1),
    )  # fmt: skip
    meet(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        campaigns.posting_record, actor=officer, commune=my_hoa_hung, village=None,
        posted_from=POSTED_FROM, posted_to=POSTED_FROM + dt.timedelta(days=8),
    )  # fmt: skip
    assert errors == {
        "posted_to": [
            "The posting must last at least 10 days, the first and last day counted: until "
            "14/11/2025 at the earliest."
        ]
    }


def test_the_posting_minimum_is_flagged_unconfirmed_in_the_catalogue():
    parameter = PROCEDURE.parameter(POSTING_MIN_DAYS)
    assert (parameter.value, parameter.unit, parameter.confirmed) == (7, "days", False)
    assert "art. 4.4" in parameter.source


@pytest.mark.parametrize(("value", "field"), [(0, "value"), (61, "value")])
def test_a_correction_of_the_posting_minimum_must_be_a_sensible_number_of_days(
    admin_user_, value, field
):
    errors = errors_of(
        parameter_override_set, actor=admin_user_, standard_code=PROCEDURE.code,
        key=POSTING_MIN_DAYS, value=value, reason="x",
    )  # fmt: skip
    assert list(errors) == [field]


def test_a_province_cannot_set_the_posting_minimum(province_staff, an_giang):
    errors = errors_of(
        parameter_override_set, actor=province_staff, standard_code=PROCEDURE.code,
        key=POSTING_MIN_DAYS, value=10, unit=an_giang, reason="x",
    )  # fmt: skip
    assert list(errors) == ["key"]
    assert not ParameterOverride.objects.exists()


@pytest.mark.parametrize("received_on", [dt.date(2025, 11, 4), dt.date(2025, 11, 15)])
def test_objection_outside_the_posting_is_refused_naming_received_on(
    campaign, officer, my_hoa_hung, received_on
):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        campaigns.objection_record, actor=officer, review=target, kind="wrong_data",
        author="Ông Ba", received_on=received_on, content="Sai thu nhập",
    )  # fmt: skip
    assert errors == {
        "received_on": [
            "Objections are received while the result is posted, from 05/11/2025 to "
            f"14/11/2025; this one was received on {received_on.strftime('%d/%m/%Y')}."
        ]
    }


@pytest.mark.parametrize("received_on", [POSTED_FROM, POSTED_TO])
def test_objection_on_the_first_or_last_day_of_the_posting_is_received(
    campaign, officer, my_hoa_hung, received_on
):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    assert object_to(officer, target, received_on=received_on).pk


@pytest.mark.parametrize("signed_on", [POSTED_FROM, POSTED_TO])
def test_recognition_before_the_posting_ends_is_refused_per_review(
    campaign, officer, chair, my_hoa_hung, signed_on
):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        campaigns.recognition_decide, actor=chair, commune=my_hoa_hung, number="1/QĐ",
        signed_on=signed_on, review_ids=[target.pk],
    )  # fmt: skip
    assert errors == {
        f"reviews.{target.pk}": [
            "This result is posted until 14/11/2025: it can be recognised only after the "
            "posting ends."
        ]
    }


def test_recognition_the_day_after_the_posting_ends_is_accepted(
    campaign, officer, chair, my_hoa_hung
):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    decide(chair, my_hoa_hung, [target], signed_on=POSTED_TO + dt.timedelta(days=1))
    assert Review.objects.get(pk=target.pk).status == S.RECOGNISED


def test_recognition_waits_for_the_latest_posting_of_a_reposted_result(
    campaign, officer, chair, my_hoa_hung
):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    campaigns.review_return(actor=chair, review=target, comment="Niêm yết lại.")
    post(officer, my_hoa_hung, posted_from=dt.date(2025, 11, 20), posted_to=dt.date(2025, 11, 30))
    errors = errors_of(
        campaigns.recognition_decide, actor=chair, commune=my_hoa_hung, number="1/QĐ",
        signed_on=dt.date(2025, 11, 25), review_ids=[target.pk],
    )  # fmt: skip
    assert list(errors) == [f"reviews.{target.pk}"]


# --- the campaign's window and its extension -------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"opens_on": dt.date(2025, 8, 31)}, "opens_on"),
        ({"closes_on": dt.date(2025, 12, 15)}, "closes_on"),
    ],
)
def test_a_campaign_opens_within_1_september_to_14_december(province_staff, an_giang, dates, field):
    errors = errors_of(
        campaigns.campaign_open, actor=province_staff, province=an_giang, list_year=2026, **dates
    )
    assert list(errors) == [field]
    assert "01/09/2025 to 14/12/2025" in errors[field][0]


def test_a_campaign_may_open_later_and_close_earlier_than_the_law_allows(province_staff, an_giang):
    later = campaigns.campaign_open(
        actor=province_staff, province=an_giang, list_year=2026,
        opens_on=dt.date(2025, 10, 1), closes_on=dt.date(2025, 12, 1),
    )  # fmt: skip
    assert (later.opens_on, later.closes_on) == (dt.date(2025, 10, 1), dt.date(2025, 12, 1))


def test_meeting_outside_the_review_period_is_refused_naming_held_on(
    campaign, officer, my_hoa_hung
):
    target = surveyed(officer, my_hoa_hung)
    errors = errors_of(
        campaigns.meeting_record, actor=officer, commune=my_hoa_hung, village=None,
        held_on=dt.date(2025, 8, 30), attendees=10, chaired_by="Trưởng ấp", votes={target.pk: 8},
    )  # fmt: skip
    assert errors == {
        "held_on": [
            "30/08/2025 is outside the review period of the campaign, 01/09/2025 to 14/12/2025 "
            "(Decision 24/2021/QĐ-TTg art. 3.1(a)); only the province may extend it."
        ]
    }


def test_posting_past_the_closing_date_is_refused_naming_posted_to(campaign, officer, my_hoa_hung):
    meet(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        post, officer=officer, commune=my_hoa_hung,
        posted_from=dt.date(2025, 12, 10), posted_to=dt.date(2025, 12, 20),
    )  # fmt: skip
    assert list(errors) == ["posted_to"]


def test_recognition_past_the_closing_date_is_refused_naming_signed_on(
    campaign, officer, chair, my_hoa_hung
):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        decide, chair=chair, commune=my_hoa_hung, reviews=[target], signed_on=dt.date(2025, 12, 15)
    )
    assert list(errors) == ["signed_on"]


def test_province_extends_the_review_with_a_recorded_reason(
    campaign, officer, chair, province_staff, my_hoa_hung
):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    extension = campaigns.campaign_extend(
        actor=province_staff, campaign=campaign, closes_on=dt.date(2025, 12, 31),
        reason="Lũ lụt tháng 11.",
    )  # fmt: skip
    campaign.refresh_from_db()
    assert (
        extension.previous_closes_on, extension.closes_on, extension.reason,
        extension.extended_by, campaign.closes_on,
    ) == (
        dt.date(2025, 12, 14), dt.date(2025, 12, 31), "Lũ lụt tháng 11.", province_staff,
        dt.date(2025, 12, 31),
    )  # fmt: skip
    assert campaign.history.latest().history_user == province_staff
    decide(chair, my_hoa_hung, [target], signed_on=dt.date(2025, 12, 20))
    assert Review.objects.get(pk=target.pk).status == S.RECOGNISED


@pytest.mark.parametrize(
    ("closes_on", "reason", "field"),
    [
        (dt.date(2025, 12, 14), "Lũ lụt", "closes_on"),
        (dt.date(2025, 12, 10), "Lũ lụt", "closes_on"),
        (dt.date(2027, 1, 1), "Lũ lụt", "closes_on"),
        (None, "Lũ lụt", "closes_on"),
        (dt.date(2025, 12, 31), "  ", "reason"),
    ],
)
def test_an_extension_needs_a_later_date_within_the_list_year_and_a_reason(
    campaign, province_staff, closes_on, reason, field
):
    errors = errors_of(
        campaigns.campaign_extend, actor=province_staff, campaign=campaign, closes_on=closes_on,
        reason=reason,
    )  # fmt: skip
    assert list(errors) == [field]
    assert not CampaignExtension.objects.exists()


@pytest.mark.parametrize("who", ["officer", "chair", "ha_noi_staff"])
def test_only_the_provinces_staff_extend_its_review(campaign, request, who):
    with pytest.raises(PermissionDenied):
        campaigns.campaign_extend(
            actor=request.getfixturevalue(who), campaign=campaign,
            closes_on=dt.date(2025, 12, 31), reason="x",
        )  # fmt: skip


# --- the district's consultation (three-level scheme) --------------------------------------------


@pytest.fixture
def legacy_province(db):
    return unit(Scheme.LEGACY, Level.PROVINCE, LEGACY_PROVINCE)


@pytest.fixture
def legacy_campaign(admin_user_, legacy_province) -> Campaign:
    # The 2025 list, reviewed from 1 September to 14 December 2024 by the province of the time.
    return campaigns.campaign_open(actor=admin_user_, province=legacy_province, list_year=2025)


@pytest.fixture
def kien_an_officer(make_user, kien_an):
    return make_user(Role.COMMUNE_OFFICER, kien_an, username="canbo-kienan")


@pytest.fixture
def kien_an_chair(make_user, kien_an):
    return make_user(Role.COMMUNE_CHAIR, kien_an, username="chutich-kienan")


LEGACY = {
    "met_on": dt.date(2024, 11, 1),
    "posted_from": dt.date(2024, 11, 5),
    "posted_to": dt.date(2024, 11, 14),
}


@pytest.fixture
def legacy_posted(legacy_campaign, kien_an_officer, kien_an) -> Review:
    target = surveyed(kien_an_officer, kien_an, list_year=2025, survey_date=dt.date(2024, 10, 1))
    assert target.campaign == legacy_campaign
    [target] = posted(kien_an_officer, kien_an, [target], **LEGACY)
    return target


def consult(actor, campaign, commune, on=dt.date(2024, 11, 20)):
    return campaigns.consultation_record(
        actor=actor, campaign=campaign, commune=commune, consulted_on=on,
        comment="Huyện thống nhất.",
    )  # fmt: skip


def test_three_level_recognition_waits_for_the_districts_consultation(
    legacy_posted, kien_an_chair, kien_an
):
    errors = errors_of(
        decide, chair=kien_an_chair, commune=kien_an, reviews=[legacy_posted],
        signed_on=dt.date(2024, 12, 1),
    )  # fmt: skip
    assert errors == {
        f"reviews.{legacy_posted.pk}": [
            "Under the three-level scheme the commune reports to and consults the district "
            "before recognition (Decision 24/2021/QĐ-TTg art. 4): no consultation is recorded "
            "after this result's posting and by the decision."
        ]
    }


def test_three_level_recognition_follows_the_consultation(
    legacy_posted, legacy_campaign, kien_an_chair, kien_an, district_staff
):
    consultation = consult(district_staff, legacy_campaign, kien_an)
    decide(kien_an_chair, kien_an, [legacy_posted], signed_on=dt.date(2024, 12, 1))
    assert Review.objects.get(pk=legacy_posted.pk).status == S.RECOGNISED
    assert (consultation.district.code, consultation.recorded_by, consultation.comment) == (
        "893",
        district_staff,
        "Huyện thống nhất.",
    )


@pytest.mark.parametrize(
    ("consulted_on", "signed_on"),
    [
        (dt.date(2024, 11, 14), dt.date(2024, 12, 1)),  # on the posting's last day
        (dt.date(2024, 11, 20), dt.date(2024, 11, 19)),  # after the decision
    ],
)
def test_a_consultation_counts_only_after_the_posting_and_by_the_decision(
    legacy_posted, legacy_campaign, kien_an_chair, kien_an, district_staff,
    consulted_on, signed_on,
):  # fmt: skip
    consult(district_staff, legacy_campaign, kien_an, on=consulted_on)
    errors = errors_of(
        decide, chair=kien_an_chair, commune=kien_an, reviews=[legacy_posted], signed_on=signed_on
    )
    assert list(errors) == [f"reviews.{legacy_posted.pk}"]


def test_two_level_recognition_needs_no_consultation(campaign, officer, chair, my_hoa_hung):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    decide(chair, my_hoa_hung, [target])
    assert Review.objects.get(pk=target.pk).status == S.RECOGNISED


def test_a_two_level_campaign_has_no_district_step(campaign, officer, my_hoa_hung, admin_user_):
    posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        consult, actor=admin_user_, campaign=campaign, commune=my_hoa_hung,
        on=dt.date(2025, 11, 20),
    )  # fmt: skip
    assert list(errors) == ["commune"]
    assert not DistrictConsultation.objects.exists()


@pytest.mark.parametrize("who", ["kien_an_officer", "kien_an_chair", "province_staff"])
def test_only_district_staff_record_the_consultation(
    legacy_posted, legacy_campaign, kien_an, request, who
):
    with pytest.raises(PermissionDenied):
        consult(request.getfixturevalue(who), legacy_campaign, kien_an)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"consulted_on": None}, "consulted_on"),
        ({"consulted_on": dt.date(2024, 12, 20)}, "consulted_on"),
        ({"comment": " "}, "comment"),
    ],
)
def test_a_consultation_needs_a_date_in_the_review_period_and_the_districts_opinion(
    legacy_posted, legacy_campaign, kien_an, district_staff, kwargs, field
):
    data = {"consulted_on": dt.date(2024, 11, 20), "comment": "Thống nhất.", **kwargs}
    errors = errors_of(
        campaigns.consultation_record, actor=district_staff, campaign=legacy_campaign,
        commune=kien_an, **data,
    )  # fmt: skip
    assert list(errors) == [field]


def test_a_consultation_waits_for_posted_results(legacy_campaign, kien_an, district_staff):
    errors = errors_of(consult, actor=district_staff, campaign=legacy_campaign, commune=kien_an)
    assert list(errors) == ["commune"]


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data) if data is not None else client.get(url)


def test_posting_page_shows_the_minimum_and_that_it_is_unconfirmed(
    client, campaign, officer, my_hoa_hung
):
    url = reverse("households:posting-create", args=[campaign.pk]) + f"?commune={my_hoa_hung.pk}"
    html = page(client, officer, url).content.decode()
    assert 'data-posting-minimum="7"' in html
    assert "The posting lasts at least 7 days" in html
    assert "Unconfirmed" in html
    assert "At least 7 days, the first and last day counted." in html


def test_posting_page_shows_a_short_posting_beside_posted_to(
    client, campaign, officer, my_hoa_hung
):
    meet(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    url = reverse("households:posting-create", args=[campaign.pk]) + f"?commune={my_hoa_hung.pk}"
    response = page(client, officer, url, {"posted_from": "2025-11-05", "posted_to": "2025-11-07"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["posted_to"]


def extend_url(campaign) -> str:
    return reverse("households:campaign-extend", args=[campaign.pk])


def test_extension_page_records_the_extension(client, campaign, province_staff):
    response = page(
        client, province_staff, extend_url(campaign),
        {"closes_on": "2025-12-31", "reason": "Lũ lụt tháng 11."},
    )  # fmt: skip
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.closes_on == dt.date(2025, 12, 31)
    detail = page(client, province_staff, reverse("households:campaign-detail", args=[campaign.pk]))
    assert "Lũ lụt tháng 11." in detail.content.decode()


def test_extension_page_shows_errors_beside_the_fields(client, campaign, province_staff):
    response = page(
        client, province_staff, extend_url(campaign), {"closes_on": "2025-12-01", "reason": "Lũ"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closes_on": ["The new closing date must be after the current one, 14/12/2025."]
    }


def test_extension_page_three_ways(client, campaign, officer, ha_noi_staff, province_staff):
    url = extend_url(campaign)
    assert client.get(url).status_code == 302
    assert page(client, ha_noi_staff, url).status_code == 404
    assert page(client, officer, url).status_code == 403
    assert page(client, province_staff, url).status_code == 200


def consultation_url(campaign, commune) -> str:
    return reverse("households:consultation-create", args=[campaign.pk]) + f"?commune={commune.pk}"


def test_consultation_page_records_the_districts_opinion(
    client, legacy_posted, legacy_campaign, kien_an, district_staff, kien_an_chair
):
    response = page(
        client, district_staff, consultation_url(legacy_campaign, kien_an),
        {"consulted_on": "2024-11-20", "comment": "Huyện thống nhất."},
    )  # fmt: skip
    assert response.status_code == 302
    assert DistrictConsultation.objects.get().consulted_on == dt.date(2024, 11, 20)
    seen = page(client, kien_an_chair, consultation_url(legacy_campaign, kien_an))
    assert (seen.context["can_record"], "Huyện thống nhất." in seen.content.decode()) == (
        False,
        True,
    )


def test_consultation_page_three_ways(
    client, legacy_campaign, kien_an, district_staff, officer, kien_an_officer
):
    url = consultation_url(legacy_campaign, kien_an)
    assert client.get(url).status_code == 302
    assert page(client, officer, url).status_code == 404  # an officer of another commune
    assert page(client, kien_an_officer, url).status_code == 200
    assert page(client, district_staff, url).status_code == 200


def test_consultation_page_is_refused_to_commune_officers(
    client, legacy_posted, legacy_campaign, kien_an, kien_an_officer
):
    response = page(
        client, kien_an_officer, consultation_url(legacy_campaign, kien_an),
        {"consulted_on": "2024-11-20", "comment": "x"},
    )  # fmt: skip
    assert response.status_code == 403


def test_two_level_campaigns_have_no_consultation_page(client, campaign, my_hoa_hung, officer):
    assert page(client, officer, consultation_url(campaign, my_hoa_hung)).status_code == 404


def test_three_level_commune_page_links_the_consultation(
    client, legacy_campaign, kien_an, kien_an_officer
):
    url = reverse("households:campaign-detail", args=[legacy_campaign.pk]) + f"?unit={kien_an.pk}"
    html = page(client, kien_an_officer, url).content.decode()
    assert consultation_url(legacy_campaign, kien_an).replace("&", "&amp;") in html


# --- API ----------------------------------------------------------------------------------------


def test_api_posting_minimum_says_it_is_unconfirmed(officer):
    data = client_for(officer).get(f"{API}postings/minimum/").json()
    assert (data["days"], data["unconfirmed"], data["corrected"]) == (7, True, False)


def test_api_short_posting_is_400_naming_posted_to(campaign, officer, my_hoa_hung):
    meet(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    payload = {"commune": my_hoa_hung.pk, "posted_from": "2025-11-05", "posted_to": "2025-11-06"}
    response = client_for(officer).post(f"{API}postings/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["posted_to"])


def test_api_late_objection_is_400_naming_received_on(campaign, officer, my_hoa_hung):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    payload = {
        "review": target.pk, "kind": "wrong_data", "author": "Ông Ba",
        "received_on": "2025-11-20", "content": "Sai",
    }  # fmt: skip
    response = client_for(officer).post(f"{API}objections/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["received_on"])


def test_api_early_recognition_is_400_per_review(campaign, officer, chair, my_hoa_hung):
    [target] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    payload = {
        "commune": my_hoa_hung.pk, "number": "1/QĐ", "signed_on": "2025-11-10",
        "reviews": [target.pk],
    }  # fmt: skip
    response = client_for(chair).post(f"{API}recognition/decisions/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, [f"reviews.{target.pk}"])


def test_api_extends_the_campaign(campaign, province_staff):
    url = f"{API}campaigns/{campaign.pk}/"
    payload = {"closes_on": "2025-12-31", "reason": "Lũ lụt."}
    response = client_for(province_staff).post(f"{url}extend/", payload, format="json")
    assert response.status_code == 201
    assert (response.json()["previous_closes_on"], response.json()["closes_on"]) == (
        "2025-12-14",
        "2025-12-31",
    )
    assert client_for(province_staff).get(url).json()["closes_on"] == "2025-12-31"
    listed = client_for(province_staff).get(f"{url}extensions/").json()
    assert [(e["reason"], e["extended_by"]) for e in listed] == [("Lũ lụt.", province_staff.pk)]


def test_api_extension_errors_and_scope(campaign, province_staff, officer, ha_noi_staff):
    url = f"{API}campaigns/{campaign.pk}/extend/"
    early = {"closes_on": "2025-12-01", "reason": "x"}
    response = client_for(province_staff).post(url, early, format="json")
    assert (response.status_code, list(response.json())) == (400, ["closes_on"])
    late = {"closes_on": "2025-12-31", "reason": "x"}
    assert client_for(officer).post(url, late, format="json").status_code == 403
    assert client_for(ha_noi_staff).post(url, late, format="json").status_code == 404
    assert client_for(ha_noi_staff).get(url.replace("extend/", "extensions/")).status_code == 404
    assert APIClient().post(url, late, format="json").status_code in (401, 403)


def test_api_records_the_districts_consultation(
    legacy_posted, legacy_campaign, kien_an, district_staff, kien_an_officer, officer
):
    payload = {
        "campaign": legacy_campaign.pk, "commune": kien_an.pk, "consulted_on": "2024-11-20",
        "comment": "Huyện thống nhất.",
    }  # fmt: skip
    response = client_for(district_staff).post(f"{API}consultations/", payload, format="json")
    assert (response.status_code, response.json()["district_name"]) == (201, "Huyện Chợ Mới")
    created = response.json()["id"]
    assert [
        c["id"] for c in client_for(kien_an_officer).get(f"{API}consultations/").json()["results"]
    ] == [created]
    assert client_for(officer).get(f"{API}consultations/").json()["results"] == []
    assert client_for(officer).get(f"{API}consultations/{created}/").status_code == 404


def test_api_consultation_errors(
    legacy_posted, legacy_campaign, kien_an, district_staff, kien_an_officer, officer, campaign,
    my_hoa_hung, admin_user_,
):  # fmt: skip
    url = f"{API}consultations/"
    payload = {
        "campaign": legacy_campaign.pk, "commune": kien_an.pk, "consulted_on": "2024-11-20",
        "comment": "x",
    }  # fmt: skip
    assert client_for(kien_an_officer).post(url, payload, format="json").status_code == 403
    # The officer of Mỹ Hòa Hưng sees the old province's campaign (its old commune was taken over
    # by theirs) but not the old commune of Kiến An.
    outsider = client_for(officer).post(url, payload, format="json")
    assert (outsider.status_code, sorted(outsider.json())) == (400, ["commune"])
    assert "Kiến An" not in outsider.content.decode()
    two_level = {**payload, "campaign": campaign.pk, "commune": my_hoa_hung.pk}
    response = client_for(admin_user_).post(url, two_level, format="json")
    assert (response.status_code, list(response.json())) == (400, ["commune"])


# --- verdicts resting on indicator definitions not confirmed -----------------------------------

UNSURE = ["D22_EMPLOYMENT", "D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE"]  # employment unconfirmed


def test_explanation_page_says_an_indicator_definition_is_not_confirmed(
    client, officer, my_hoa_hung
):
    target = surveyed(officer, my_hoa_hung, deprivations=UNSURE)
    assert target.computed_reasons["unconfirmed_indicators"] == ["D22_EMPLOYMENT"]
    url = reverse("households:household-explanation", args=[target.household_id])
    html = page(client, officer, url + "?year=2026").content.decode()
    assert 'data-unconfirmed-indicator="D22_EMPLOYMENT"' in html
    assert 'data-unconfirmed-indicator="D22_WATER_SOURCE"' not in html
    assert "Lưu ý: kết quả dựa trên chỉ số có định nghĩa chưa được xác nhận: Việc làm." in html


def test_classification_preview_lists_the_unconfirmed_indicators_it_counted(officer):
    payload = {
        "list_year": 2026, "area_type": "rural", "income_per_capita": 1_200_000,
        "deprivations": UNSURE, "survey_date": "2025-10-15",
    }  # fmt: skip
    data = client_for(officer).post(f"{API}reviews/classify/", payload, format="json").json()
    assert data["unconfirmed_indicators"] == ["D22_EMPLOYMENT"]
    assert data["explanation_en"].endswith(
        "Note: the result relies on an indicator whose definition is not confirmed: Employment."
    )


def test_api_campaign_past_14_december_is_400_naming_closes_on(province_staff, an_giang):
    payload = {"province": an_giang.pk, "list_year": 2026, "closes_on": "2025-12-20"}
    response = client_for(province_staff).post(f"{API}campaigns/", payload, format="json")
    assert (response.status_code, list(response.json())) == (400, ["closes_on"])


@pytest.mark.parametrize("url", ["postings/minimum/", "consultations/"])
def test_api_new_reads_need_a_login(url):
    assert APIClient().get(f"{API}{url}").status_code in (401, 403)
