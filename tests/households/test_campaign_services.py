"""The review campaign: each step with its role, the 50% rule, objections, recognition by a chair
who did not record the review, transitions, closing along the hierarchy and monthly requests."""

import datetime as dt
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households.campaign import services as campaigns
from households.campaign.choices import TransitionKind as T
from households.campaign.selectors import (
    campaign_list,
    campaign_progress,
    chair_queue,
    overdue_requests,
    posting_list,
)
from households.campaign.transitions import transition_kind
from households.choices import Classification as C
from households.choices import ReviewStatus as S
from households.models import Certificate, ListClosure, Review, ReviewStep, StatusChange
from households.services import household_update
from registry.choices import Role

from .factories import make_household, member, review

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 1)


def in_review_of(reviews, month: int, day: int) -> dt.date:
    """A day of the periodic review (1/9-14/12 of the year before) that set these reviews' list."""
    return dt.date(reviews[0].list_year - 1, month, day)


@pytest.fixture
def campaign(province_staff, an_giang):
    return campaigns.campaign_open(actor=province_staff, province=an_giang, list_year=2026)


def surveyed(officer, commune, name="Nguyễn Văn An", income=1_200_000, **extra):
    household = make_household(
        officer,
        commune,
        members=[member(name)],
        review_data=review(income_per_capita=income, **extra),
    )
    return household.reviews.get()


def through_meeting(officer, commune, reviews, *, attendees=10, agreeing=8):
    return campaigns.meeting_record(
        actor=officer,
        commune=commune,
        village=None,
        held_on=in_review_of(reviews, 11, 1),
        attendees=attendees,
        chaired_by="Trưởng ấp Mỹ An",
        votes={r.pk: agreeing for r in reviews},
    )


def posted(officer, commune, reviews):
    through_meeting(officer, commune, reviews)
    campaigns.posting_record(
        actor=officer,
        commune=commune,
        village=None,
        posted_from=in_review_of(reviews, 11, 5),
        posted_to=in_review_of(reviews, 11, 12),
    )
    return [Review.objects.get(pk=r.pk) for r in reviews]


def errors_of(func, **kwargs):
    with pytest.raises(ValidationError) as err:
        func(**kwargs)
    return err.value.message_dict


# --- opening and listing ------------------------------------------------------------------------


def test_campaign_runs_from_1_september_to_14_december_by_default(campaign):
    assert (campaign.opens_on, campaign.closes_on) == (dt.date(2025, 9, 1), dt.date(2025, 12, 14))


def test_only_province_staff_open_a_campaign(officer, an_giang):
    with pytest.raises(PermissionDenied):
        campaigns.campaign_open(actor=officer, province=an_giang, list_year=2026)


def test_a_province_has_one_campaign_per_list_year(campaign, province_staff, an_giang):
    errors = errors_of(
        campaigns.campaign_open, actor=province_staff, province=an_giang, list_year=2026
    )
    assert "list_year" in errors


def test_unknown_standard_is_refused(province_staff, an_giang):
    errors = errors_of(
        campaigns.campaign_open,
        actor=province_staff,
        province=an_giang,
        list_year=2026,
        standard_code="ND99-2099",
    )
    assert "standard_code" in errors


def test_standard_set_on_the_campaign_is_applied(province_staff, an_giang, officer, my_hoa_hung):
    campaigns.campaign_open(
        actor=province_staff, province=an_giang, list_year=2026, standard_code="ND351-2025"
    )
    saved = surveyed(officer, my_hoa_hung, income=2_000_000)
    assert saved.standard_code == "ND351-2025"
    assert saved.computed_classification == C.NEAR_POOR  # under ND07 it would be middle-income


def test_reviews_of_the_list_year_join_the_campaign(campaign, officer, my_hoa_hung):
    assert surveyed(officer, my_hoa_hung).campaign == campaign


def test_officers_see_their_provinces_campaign_only(campaign, officer, make_user):
    from registry.models import AdminUnit

    ha_noi = AdminUnit.objects.get(scheme="2025", level="commune", code="00004")
    outsider = make_user(Role.COMMUNE_OFFICER, ha_noi)
    assert list(campaign_list(user=officer)) == [campaign]
    assert list(campaign_list(user=outsider)) == []


def test_listing_takes_last_years_lists_and_requests(
    campaign, officer, chair, my_hoa_hung, province_staff, an_giang
):
    earlier = campaigns.campaign_open(actor=province_staff, province=an_giang, list_year=2025)
    poor = surveyed(
        officer, my_hoa_hung, "Hộ Nghèo", list_year=2025, survey_date=dt.date(2024, 10, 1)
    )
    rich = surveyed(
        officer,
        my_hoa_hung,
        "Hộ Khá",
        income=5_000_000,
        list_year=2025,
        survey_date=dt.date(2024, 10, 1),
    )
    assert poor.campaign == rich.campaign == earlier
    [poor, rich] = posted(officer, my_hoa_hung, [poor, rich])
    campaigns.recognition_decide(
        actor=chair, commune=my_hoa_hung, number="12/QĐ-UBND", signed_on=dt.date(2024, 12, 10),
        review_ids=[poor.pk, rich.pk],
    )  # fmt: skip
    asking = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    campaigns.request_record(
        actor=officer, household=asking, kind="enter", channel="in_person", form_number="01",
        requested_on=dt.date(2025, 9, 3), monthly=False,
    )  # fmt: skip
    listed = campaigns.campaign_list_households(
        actor=officer, campaign=campaign, commune=my_hoa_hung
    )
    households = set(
        Review.objects.filter(campaign=campaign, status=S.LISTED).values_list(
            "household__head_name", flat=True
        )
    )
    assert listed == 2
    assert households == {"Hộ Nghèo", "Hộ Xin"}
    assert (
        campaigns.campaign_list_households(actor=officer, campaign=campaign, commune=my_hoa_hung)
        == 0
    )


def test_survey_moves_a_listed_review_on_and_records_the_step(
    campaign, officer, chair, my_hoa_hung, province_staff, an_giang
):
    asking = make_household(officer, my_hoa_hung, members=[member("Hộ Xin")], review_data={})
    campaigns.request_record(
        actor=officer, household=asking, kind="review", channel="post", form_number="01",
        requested_on=dt.date(2025, 9, 3), monthly=False,
    )  # fmt: skip
    campaigns.campaign_list_households(actor=officer, campaign=campaign, commune=my_hoa_hung)
    rows = [{"id": m.pk, **member("Hộ Xin")} for m in asking.members.all()]
    household_update(
        actor=officer, household=asking, expected_version=1, members=rows, review=review()
    )
    saved = asking.reviews.get()
    assert saved.status == S.SURVEYED
    assert list(saved.steps.values_list("move", "to_status")) == [
        ("list", S.LISTED),
        ("survey", S.SURVEYED),
    ]


# --- village meeting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agreeing", "status"), [(5, S.DISCUSSED), (6, S.DISCUSSED), (4, S.LISTED), (0, S.LISTED)]
)
def test_half_or_more_agreeing_moves_on_less_goes_back_to_survey(
    campaign, officer, my_hoa_hung, agreeing, status
):
    one = surveyed(officer, my_hoa_hung)
    through_meeting(officer, my_hoa_hung, [one], attendees=10, agreeing=agreeing)
    one.refresh_from_db()
    assert one.status == status


def test_sent_back_by_the_meeting_says_why(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    through_meeting(officer, my_hoa_hung, [one], attendees=10, agreeing=3)
    step = ReviewStep.objects.filter(review=one).last()
    assert (step.move, step.from_status, step.to_status) == ("resurvey", S.SURVEYED, S.LISTED)
    assert "30.0%" in step.comment


def test_more_agreeing_than_attending_is_refused(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    with pytest.raises(ValidationError) as err:
        through_meeting(officer, my_hoa_hung, [one], attendees=10, agreeing=11)
    assert f"votes.{one.pk}" in err.value.message_dict
    assert Review.objects.get(pk=one.pk).status == S.SURVEYED


def test_only_surveyed_reviews_are_discussed(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    through_meeting(officer, my_hoa_hung, [one])
    with pytest.raises(ValidationError):
        through_meeting(officer, my_hoa_hung, [one])


def test_officer_of_another_commune_cannot_record_the_meeting(
    campaign, officer, other_officer, my_hoa_hung
):
    one = surveyed(officer, my_hoa_hung)
    with pytest.raises(PermissionDenied):
        through_meeting(other_officer, my_hoa_hung, [one])


def test_a_review_cannot_skip_the_meeting(campaign, officer, my_hoa_hung):
    surveyed(officer, my_hoa_hung)
    errors = errors_of(
        campaigns.posting_record, actor=officer, commune=my_hoa_hung, village=None,
        posted_from=dt.date(2025, 11, 5), posted_to=dt.date(2025, 11, 12),
    )  # fmt: skip
    assert "village" in errors


def test_facts_cannot_change_after_the_meeting(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    through_meeting(officer, my_hoa_hung, [one])
    household = one.household
    rows = [{"id": m.pk, **member()} for m in household.members.all()]
    errors = errors_of(
        household_update, actor=officer, household=household, expected_version=1, members=rows,
        review=review(income_per_capita=900_000),
    )  # fmt: skip
    assert "list_year" in errors


# --- posting, objections, return ----------------------------------------------------------------


def test_posting_list_shows_only_public_fields(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    posted(officer, my_hoa_hung, [one])
    [row] = posting_list(user=officer, commune=my_hoa_hung)
    assert row.household.head_name == "Nguyễn Văn An"
    assert set(row.get_deferred_fields()) >= {
        "income_per_capita",
        "deprivations",
        "computed_reasons",
    }


def test_objection_only_against_posted_results(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    errors = errors_of(
        campaigns.objection_record, actor=officer, review=one, kind="wrongly_included",
        author="Ông Ba", received_on=dt.date(2025, 11, 6), content="Nhà có xe tải",
    )  # fmt: skip
    assert "review" in errors


def test_upheld_objection_sends_the_household_back_to_survey(campaign, officer, my_hoa_hung):
    [one] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    objection = campaigns.objection_record(
        actor=officer, review=one, kind="wrong_data", author="Ông Ba",
        received_on=dt.date(2025, 11, 6), content="Thu nhập khai thiếu",
    )  # fmt: skip
    campaigns.objection_resolve(
        actor=officer, objection=objection, outcome="upheld", resolution="Đúng, khảo sát lại",
        resolved_on=dt.date(2025, 11, 9),
    )  # fmt: skip
    one.refresh_from_db()
    assert one.status == S.LISTED


def test_rejected_objection_leaves_the_result_posted(campaign, officer, my_hoa_hung):
    [one] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    objection = campaigns.objection_record(
        actor=officer, review=one, kind="wrongly_included", author="Ông Ba",
        received_on=dt.date(2025, 11, 6), content="Nhà có xe tải",
    )  # fmt: skip
    campaigns.objection_resolve(
        actor=officer, objection=objection, outcome="rejected", resolution="Xe của người thuê",
        resolved_on=dt.date(2025, 11, 9),
    )  # fmt: skip
    one.refresh_from_db()
    assert one.status == S.POSTED


def test_return_goes_one_step_back_with_a_comment(campaign, officer, chair, my_hoa_hung):
    [one] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    campaigns.review_return(actor=chair, review=one, comment="Sai ngày niêm yết")
    one.refresh_from_db()
    assert one.status == S.DISCUSSED
    assert one.steps.last().comment == "Sai ngày niêm yết"


def test_return_needs_a_comment(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    assert "comment" in errors_of(campaigns.review_return, actor=officer, review=one, comment=" ")


def test_a_listed_review_cannot_be_sent_back(campaign, officer, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    through_meeting(officer, my_hoa_hung, [one], agreeing=1)
    one.refresh_from_db()
    assert "status" in errors_of(campaigns.review_return, actor=officer, review=one, comment="x")


# --- recognition --------------------------------------------------------------------------------


def recognise(chair, commune, reviews, number="15/QĐ-UBND"):
    return campaigns.recognition_decide(
        actor=chair,
        commune=commune,
        number=number,
        signed_on=in_review_of(reviews, 12, 1),
        review_ids=[r.pk for r in reviews],
    )


def test_chair_recognises_and_poor_households_get_certificates(
    campaign, officer, chair, my_hoa_hung
):
    poor = surveyed(officer, my_hoa_hung, "Hộ A", income=900_000, deprivations=[
        "D22_HEALTH_INSURANCE", "D22_EMPLOYMENT", "D22_WATER_SOURCE"])  # fmt: skip
    rich = surveyed(officer, my_hoa_hung, "Hộ B", income=4_000_000)
    reviews = posted(officer, my_hoa_hung, [poor, rich])
    decision = recognise(chair, my_hoa_hung, reviews)
    certificate = Certificate.objects.get()
    assert set(decision.reviews.values_list("status", flat=True)) == {S.RECOGNISED}
    assert certificate.review_id == poor.pk
    assert certificate.number == "0001/2026/30313/GCN-HN.HCN"
    assert (certificate.valid_from, certificate.valid_to) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )


def test_the_reviewer_never_recognises_their_own_review(campaign, officer, my_hoa_hung):
    from registry.services import assignment_create

    assignment_create(user=officer, role=Role.COMMUNE_CHAIR, unit=my_hoa_hung)
    [one] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    errors = errors_of(
        campaigns.recognition_decide, actor=officer, commune=my_hoa_hung, number="1",
        signed_on=TODAY, review_ids=[one.pk],
    )  # fmt: skip
    assert f"reviews.{one.pk}" in errors
    assert one.pk not in set(chair_queue(user=officer).values_list("pk", flat=True))


def test_officer_cannot_recognise(campaign, officer, other_officer, my_hoa_hung):
    [one] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    with pytest.raises(PermissionDenied):
        recognise(other_officer, my_hoa_hung, [one])


def test_open_objection_blocks_recognition(campaign, officer, chair, my_hoa_hung):
    [one] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    campaigns.objection_record(
        actor=officer, review=one, kind="wrongly_left_out", author="Bà Tư",
        received_on=dt.date(2025, 11, 6), content="…",
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        recognise(chair, my_hoa_hung, [one])
    assert f"reviews.{one.pk}" in err.value.message_dict


def test_a_review_cannot_skip_posting(campaign, officer, chair, my_hoa_hung):
    one = surveyed(officer, my_hoa_hung)
    through_meeting(officer, my_hoa_hung, [one])
    with pytest.raises(ValidationError):
        recognise(chair, my_hoa_hung, [one])


def test_decision_numbers_are_unique_per_commune(campaign, officer, chair, my_hoa_hung):
    a, b = surveyed(officer, my_hoa_hung, "Hộ A"), surveyed(officer, my_hoa_hung, "Hộ B")
    a, b = posted(officer, my_hoa_hung, [a, b])
    recognise(chair, my_hoa_hung, [a])
    assert "number" in errors_of(
        campaigns.recognition_decide, actor=chair, commune=my_hoa_hung, number="15/QĐ-UBND",
        signed_on=TODAY, review_ids=[b.pk],
    )  # fmt: skip


def test_chair_queue_is_scoped(campaign, officer, chair, other_officer, long_xuyen, my_hoa_hung):
    [mine] = posted(officer, my_hoa_hung, [surveyed(officer, my_hoa_hung)])
    [theirs] = posted(other_officer, long_xuyen, [surveyed(other_officer, long_xuyen, "Hộ Khác")])
    assert list(chair_queue(user=chair)) == [mine]
    assert theirs.pk not in set(chair_queue(user=chair).values_list("pk", flat=True))


# --- transitions --------------------------------------------------------------------------------

CLASSES = [None, C.NOT_POOR, C.MIDDLE_INCOME, C.NEAR_POOR, C.POOR]
EXPECTED = {
    (None, C.POOR): T.NEWLY_POOR,
    (C.NOT_POOR, C.POOR): T.NEWLY_POOR,
    (C.MIDDLE_INCOME, C.POOR): T.NEWLY_POOR,
    (None, C.NEAR_POOR): T.NEWLY_NEAR_POOR,
    (C.NOT_POOR, C.NEAR_POOR): T.NEWLY_NEAR_POOR,
    (C.MIDDLE_INCOME, C.NEAR_POOR): T.NEWLY_NEAR_POOR,
    (C.POOR, C.NEAR_POOR): T.POOR_TO_NEAR_POOR,
    (C.NEAR_POOR, C.POOR): T.NEAR_POOR_TO_POOR,
    (C.POOR, None): T.ESCAPED_POVERTY,
    (C.POOR, C.NOT_POOR): T.ESCAPED_POVERTY,
    (C.POOR, C.MIDDLE_INCOME): T.ESCAPED_POVERTY,
    (C.NEAR_POOR, None): T.ESCAPED_NEAR_POVERTY,
    (C.NEAR_POOR, C.NOT_POOR): T.ESCAPED_NEAR_POVERTY,
    (C.NEAR_POOR, C.MIDDLE_INCOME): T.ESCAPED_NEAR_POVERTY,
}


@pytest.mark.parametrize(("previous", "current"), list(product(CLASSES, CLASSES)))
def test_transition_for_every_pair_of_classifications(previous, current):
    assert transition_kind(previous, current, escaped_before=False) == EXPECTED.get(
        (previous, current)
    )


@pytest.mark.parametrize("previous", [None, C.NOT_POOR, C.MIDDLE_INCOME])
def test_poor_again_after_an_escape_is_a_relapse(previous):
    assert transition_kind(previous, C.POOR, escaped_before=True) == T.RELAPSED


def test_recognition_records_escape_then_relapse(
    province_staff, an_giang, officer, chair, my_hoa_hung
):
    poor_facts = {
        "income": 900_000,
        "deprivations": ["D22_HEALTH_INSURANCE", "D22_EMPLOYMENT", "D22_WATER_SOURCE"],
    }
    years = [(2024, poor_facts), (2025, {"income": 4_000_000}), (2026, poor_facts)]
    household = None
    for number, (year, facts) in enumerate(years):
        campaigns.campaign_open(actor=province_staff, province=an_giang, list_year=year)
        data = review(
            list_year=year, survey_date=dt.date(year - 1, 10, 1), income_per_capita=facts["income"],
            deprivations=facts.get("deprivations", []),
        )  # fmt: skip
        if household is None:
            household = make_household(officer, my_hoa_hung, members=[member()], review_data=data)
        else:
            rows = [{"id": m.pk, **member()} for m in household.members.all()]
            household.refresh_from_db()
            household_update(
                actor=officer, household=household, expected_version=household.version,
                members=rows, review=data,
            )  # fmt: skip
        one = household.reviews.get(list_year=year)
        [one] = posted(officer, my_hoa_hung, [one])
        recognise(chair, my_hoa_hung, [one], number=f"{number}/QĐ")
    kinds = list(StatusChange.objects.order_by("list_year").values_list("list_year", "kind"))
    assert kinds == [(2024, T.NEWLY_POOR), (2025, T.ESCAPED_POVERTY), (2026, T.RELAPSED)]


def test_moving_out_is_an_event_not_a_deletion(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    campaigns.household_move_out(
        actor=officer, household=household, on=dt.date(2025, 8, 1), reason="Vào TP.HCM"
    )
    household.refresh_from_db()
    change = StatusChange.objects.get(household=household)
    assert (household.status, change.kind, change.effective_on) == (
        "moved_out",
        T.MOVED_OUT,
        dt.date(2025, 8, 1),
    )


# --- closing along the hierarchy ----------------------------------------------------------------


def recognised_commune(officer, chair, commune):
    [one] = posted(officer, commune, [surveyed(officer, commune)])
    recognise(chair, commune, [one])
    return one


def test_commune_closes_only_when_every_review_is_decided(campaign, officer, chair, my_hoa_hung):
    surveyed(officer, my_hoa_hung)
    assert "unit" in errors_of(
        campaigns.list_close, actor=chair, campaign=campaign, unit=my_hoa_hung
    )


def test_closed_commune_is_locked(campaign, officer, chair, my_hoa_hung):
    one = recognised_commune(officer, chair, my_hoa_hung)
    campaigns.list_close(actor=chair, campaign=campaign, unit=my_hoa_hung)
    household = one.household
    household.refresh_from_db()
    rows = [{"id": m.pk, **member()} for m in household.members.all()]
    errors = errors_of(
        household_update, actor=officer, household=household, expected_version=household.version,
        members=rows, review=review(income_per_capita=100_000),
    )  # fmt: skip
    assert "list_year" in errors


def test_province_closes_only_after_every_commune(
    campaign, officer, chair, province_staff, my_hoa_hung, an_giang
):
    recognised_commune(officer, chair, my_hoa_hung)
    campaigns.list_close(actor=chair, campaign=campaign, unit=my_hoa_hung)
    errors = errors_of(campaigns.list_close, actor=province_staff, campaign=campaign, unit=an_giang)
    still_open = an_giang.children.count() - 1
    assert str(still_open) in errors["unit"][0]
    assert "Phường Long Xuyên" in errors["unit"][0]  # names the communes still open


def test_province_closes_when_all_communes_have(
    campaign, chair, province_staff, an_giang, django_user_model
):
    from registry.models import AdminUnit

    for commune in AdminUnit.objects.filter(parent=an_giang):
        ListClosure.objects.create(
            campaign=campaign, unit=commune, unit_path=commune.path, changed_by=chair
        )
    closure = campaigns.list_close(actor=province_staff, campaign=campaign, unit=an_giang)
    assert closure.is_closed


def test_reopening_needs_a_reason_and_reopens_the_units_above(
    campaign, officer, chair, province_staff, an_giang, my_hoa_hung
):
    recognised_commune(officer, chair, my_hoa_hung)
    campaigns.list_close(actor=chair, campaign=campaign, unit=my_hoa_hung)
    ListClosure.objects.create(
        campaign=campaign, unit=an_giang, unit_path=an_giang.path, changed_by=chair
    )
    assert "reason" in errors_of(
        campaigns.list_reopen,
        actor=province_staff,
        campaign=campaign,
        commune=my_hoa_hung,
        reason="",
    )
    campaigns.list_reopen(
        actor=province_staff, campaign=campaign, commune=my_hoa_hung, reason="Sót hộ ấp Mỹ Thạnh"
    )
    states = dict(ListClosure.objects.values_list("unit_id", "is_closed"))
    assert states == {my_hoa_hung.pk: False, an_giang.pk: False}
    assert ListClosure.objects.get(unit=my_hoa_hung).history.first().reason == "Sót hộ ấp Mỹ Thạnh"


def test_commune_staff_cannot_reopen(campaign, officer, chair, my_hoa_hung):
    recognised_commune(officer, chair, my_hoa_hung)
    campaigns.list_close(actor=chair, campaign=campaign, unit=my_hoa_hung)
    with pytest.raises(PermissionDenied):
        campaigns.list_reopen(actor=officer, campaign=campaign, commune=my_hoa_hung, reason="x")


def test_progress_counts_each_step(campaign, officer, chair, province_staff, my_hoa_hung):
    a, b, _c = (surveyed(officer, my_hoa_hung, n) for n in ("Hộ A", "Hộ B", "Hộ C"))
    through_meeting(officer, my_hoa_hung, [a, b])
    rows = {r.commune.code: r for r in campaign_progress(user=province_staff, campaign=campaign)}
    mine = rows["30313"]
    assert (mine.listed, mine.surveyed, mine.discussed, mine.posted, mine.recognised) == (
        3,
        3,
        2,
        0,
        0,
    )
    assert len(rows) == my_hoa_hung.parent.children.count()


# --- monthly requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "start", "deadline"),
    [
        (dt.date(2026, 3, 10), dt.date(2026, 3, 15), dt.date(2026, 3, 30)),
        (dt.date(2026, 3, 15), dt.date(2026, 3, 15), dt.date(2026, 3, 30)),
        (dt.date(2026, 3, 16), dt.date(2026, 4, 15), dt.date(2026, 4, 30)),
        (dt.date(2025, 12, 20), dt.date(2026, 1, 15), dt.date(2026, 1, 30)),
    ],
)
def test_monthly_review_starts_on_the_15th_and_is_decided_within_15_days(
    requested, start, deadline
):
    assert campaigns.monthly_cycle(requested) == (start, deadline)


def test_monthly_request_is_listed_and_flagged_when_late(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, review_data={})
    request = campaigns.request_record(
        actor=officer, household=household, kind="leave", channel="online", form_number="04",
        requested_on=dt.date(2025, 10, 2),
    )  # fmt: skip
    assert request.review.status == S.LISTED
    assert request.review.kind == "monthly"
    assert list(overdue_requests(user=officer, today=dt.date(2025, 10, 31))) == [request]
    assert list(overdue_requests(user=officer, today=dt.date(2025, 10, 30))) == []


def test_refusing_a_monthly_request_needs_reasons(officer, chair, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member()], review_data={})
    request = campaigns.request_record(
        actor=officer, household=household, kind="enter", channel="in_person", form_number="04",
        requested_on=dt.date(2025, 10, 2),
    )  # fmt: skip
    rows = [{"id": m.pk, **member()} for m in household.members.all()]
    household_update(
        actor=officer, household=household, expected_version=1, members=rows,
        review=review(
            kind="monthly", list_year=2025, survey_date=dt.date(2025, 10, 16),
            income_per_capita=3_000_000,
        ),
    )  # fmt: skip
    [one] = posted(officer, my_hoa_hung, [request.review])
    assert "reason" in errors_of(campaigns.review_refuse, actor=chair, review=one, reason="")
    campaigns.review_refuse(actor=chair, review=one, reason="Thu nhập vượt chuẩn")
    one.refresh_from_db()
    assert one.status == S.REFUSED
