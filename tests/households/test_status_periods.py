"""The status of a household on a date (StatusPeriod): the segments of a list year that its
recognitions make, what moves and refusals do to them, the selectors that read them and the
household page that shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from households.campaign import services as campaigns
from households.choices import Classification as C
from households.household_year import household_years_rebuild
from households.models import HouseholdYear, Review, StatusPeriod
from households.selectors import current_list_year, status_on, status_periods, statuses_on

from .factories import member, recognise
from .test_household_year import monthly, new_household, periodic

pytestmark = pytest.mark.django_db

D = dt.date


def segments(household) -> list[tuple]:
    return [
        (p.valid_from, p.valid_to, p.classification, p.review_kind, p.end_reason)
        for p in status_periods(household)
    ]


def refuse(officer, chair, household, requested_on: dt.date) -> Review:
    """A monthly request for near-poor, taken through the meeting and posting, then refused."""
    asked = monthly(officer, chair, household, requested_on, C.NEAR_POOR, decide=False)
    start = asked.request.cycle_start
    campaigns.meeting_record(
        actor=officer, commune=household.commune, village=None,
        held_on=start + dt.timedelta(days=2), attendees=10, chaired_by="Trưởng ấp",
        votes={asked.pk: 9},
    )  # fmt: skip
    campaigns.posting_record(
        actor=officer, commune=household.commune, village=None,
        posted_from=start + dt.timedelta(days=3), posted_to=start + dt.timedelta(days=9),
    )  # fmt: skip
    campaigns.review_refuse(actor=chair, review=asked, reason="Thu nhập vượt chuẩn")
    return asked


@pytest.fixture
def on_the_list(officer, chair, my_hoa_hung):
    """A household recognised poor for 2026 (decision of 1 December 2025)."""
    household = new_household(officer, my_hoa_hung)
    recognise(officer, chair, [household.reviews.get()])
    return household


@pytest.fixture
def near_poor_from_june(on_the_list, officer, chair):
    """The same household, recognised near-poor by the monthly review of June 2026 (request of
    2 June, review from 15 June, decision signed on 27 June)."""
    monthly(officer, chair, on_the_list, D(2026, 6, 2), C.NEAR_POOR)
    return on_the_list


# --- the segments of a year ---------------------------------------------------------------------


def test_a_periodic_recognition_holds_the_whole_year(on_the_list):
    assert segments(on_the_list) == [
        (D(2026, 1, 1), D(2026, 12, 31), C.POOR, "periodic", ""),
    ]


def test_a_monthly_recognition_splits_the_year_at_its_decision(near_poor_from_june):
    assert segments(near_poor_from_june) == [
        (D(2026, 1, 1), D(2026, 6, 26), C.POOR, "periodic", ""),
        (D(2026, 6, 27), D(2026, 12, 31), C.NEAR_POOR, "monthly", ""),
    ]


def test_each_segment_names_the_review_and_decision_behind_it(near_poor_from_june):
    reviews = near_poor_from_june.reviews.order_by("pk")
    assert [(p.review, p.decision) for p in status_periods(near_poor_from_june)] == [
        (r, r.decision) for r in reviews
    ]


def test_the_last_segment_is_the_status_of_the_year(near_poor_from_june):
    last = status_periods(near_poor_from_june)[-1]
    status = HouseholdYear.objects.get(household=near_poor_from_june, list_year=2026)
    fields = ("classification", "review_id", "decision_id", "review_kind", "valid_from",
              "valid_to", "end_reason", "is_ethnic_minority", "unit_path", "commune_id",
              "province_id", "standard_code")  # fmt: skip
    assert [getattr(last, f) for f in fields] == [getattr(status, f) for f in fields]


def test_a_segment_counts_ethnic_minority_by_the_head_as_the_status_does(
    officer, chair, my_hoa_hung
):
    household = new_household(officer, my_hoa_hung, members=[member("Thạch Sóc", ethnicity="05")])
    recognise(officer, chair, [household.reviews.get()])
    assert [p.is_ethnic_minority for p in status_periods(household)] == [True]


def test_a_move_out_cuts_the_last_segment(near_poor_from_june, officer):
    near_poor_from_june.refresh_from_db()
    campaigns.household_move_out(
        actor=officer, household=near_poor_from_june, on=D(2026, 9, 10), reason="Vào TP.HCM"
    )
    assert segments(near_poor_from_june) == [
        (D(2026, 1, 1), D(2026, 6, 26), C.POOR, "periodic", ""),
        (D(2026, 6, 27), D(2026, 9, 9), C.NEAR_POOR, "monthly", "moved_out"),
    ]


def test_a_move_out_before_a_later_recognition_ends_the_earlier_segment(
    on_the_list, officer, chair
):
    """Moved out on 10 June, back on 20 June: the July decision (27 July) starts afresh."""
    on_the_list.refresh_from_db()
    campaigns.household_move_out(
        actor=officer, household=on_the_list, on=D(2026, 6, 10), reason="Đi làm ăn xa"
    )
    campaigns.household_move_in(actor=officer, household=on_the_list, on=D(2026, 6, 20))
    monthly(officer, chair, on_the_list, D(2026, 6, 22), C.NEAR_POOR)
    assert segments(on_the_list) == [
        (D(2026, 1, 1), D(2026, 6, 9), C.POOR, "periodic", "moved_out"),
        (D(2026, 7, 27), D(2026, 12, 31), C.NEAR_POOR, "monthly", ""),
    ]


def test_a_list_that_never_took_effect_keeps_its_one_segment_as_the_status(
    officer, chair, my_hoa_hung
):
    household = new_household(officer, my_hoa_hung)
    recognise(officer, chair, [household.reviews.get()], on=D(2025, 12, 1))
    household.refresh_from_db()
    campaigns.household_move_out(
        actor=officer, household=household, on=D(2025, 12, 20), reason="Chuyển đi"
    )
    assert segments(household) == [
        (D(2026, 1, 1), D(2025, 12, 19), C.POOR, "periodic", "moved_out"),
    ]


def test_a_recognition_replaced_the_same_day_leaves_no_segment(on_the_list, officer, chair):
    """Two monthly reviews decided on 27 March: only the later one held from that day."""
    monthly(officer, chair, on_the_list, D(2026, 3, 2), C.NEAR_POOR)
    monthly(officer, chair, on_the_list, D(2026, 3, 3), C.NOT_POOR)
    assert segments(on_the_list) == [
        (D(2026, 1, 1), D(2026, 3, 26), C.POOR, "periodic", ""),
        (D(2026, 3, 27), D(2026, 12, 31), C.NOT_POOR, "monthly", ""),
    ]


def test_two_monthly_recognitions_give_three_segments(on_the_list, officer, chair):
    monthly(officer, chair, on_the_list, D(2026, 3, 2), C.NEAR_POOR)
    monthly(officer, chair, on_the_list, D(2026, 6, 2), C.NOT_POOR)
    assert [(p.valid_from, p.valid_to, p.classification) for p in status_periods(on_the_list)] == [
        (D(2026, 1, 1), D(2026, 3, 26), C.POOR),
        (D(2026, 3, 27), D(2026, 6, 26), C.NEAR_POOR),
        (D(2026, 6, 27), D(2026, 12, 31), C.NOT_POOR),
    ]


def test_a_refused_request_leaves_the_segments_unchanged(on_the_list, officer, chair):
    before = segments(on_the_list)
    refuse(officer, chair, on_the_list, D(2026, 3, 2))
    assert segments(on_the_list) == before


def test_each_list_year_has_its_own_segments(officer, chair, my_hoa_hung):
    household = new_household(officer, my_hoa_hung, year=2025)
    periodic(officer, chair, household, 2025, C.POOR)
    periodic(officer, chair, household, 2026, C.NEAR_POOR)
    assert [(p.list_year, p.valid_from, p.valid_to) for p in status_periods(household)] == [
        (2025, D(2025, 1, 1), D(2025, 12, 31)),
        (2026, D(2026, 1, 1), D(2026, 12, 31)),
    ]


# --- the status on a date -----------------------------------------------------------------------


def test_status_on_the_day_before_the_change_is_the_earlier_class(near_poor_from_june):
    assert status_on(near_poor_from_june, D(2026, 6, 26)).classification == C.POOR


def test_status_on_the_day_of_the_change_is_the_new_class(near_poor_from_june):
    assert status_on(near_poor_from_june, D(2026, 6, 27)).classification == C.NEAR_POOR


def test_status_on_a_day_of_no_list_is_none(near_poor_from_june):
    assert status_on(near_poor_from_june, D(2025, 12, 31)) is None


def test_status_on_a_day_after_a_move_out_is_none(near_poor_from_june, officer):
    near_poor_from_june.refresh_from_db()
    campaigns.household_move_out(
        actor=officer, household=near_poor_from_june, on=D(2026, 9, 10), reason="Chuyển đi"
    )
    assert status_on(near_poor_from_june, D(2026, 9, 10)) is None


def test_statuses_on_reads_many_households_in_one_query(
    near_poor_from_june, officer, chair, my_hoa_hung, django_assert_num_queries
):
    poor = new_household(officer, my_hoa_hung, members=[member("Hộ Nghèo")])
    recognise(officer, chair, [poor.reviews.get()], number="2/QĐ-UBND")
    surveyed = new_household(officer, my_hoa_hung, members=[member("Hộ Chưa Công Nhận")])
    with django_assert_num_queries(1):
        found = statuses_on([near_poor_from_june.pk, poor.pk, surveyed.pk], D(2026, 7, 1))
    assert {pk: p.classification for pk, p in found.items()} == {
        near_poor_from_june.pk: C.NEAR_POOR,
        poor.pk: C.POOR,
    }


def test_the_queryset_finds_the_segments_overlapping_a_range(near_poor_from_june):
    rows = StatusPeriod.objects.overlapping(D(2026, 6, 1), D(2026, 6, 30)).order_by("valid_from")
    assert [p.classification for p in rows] == [C.POOR, C.NEAR_POOR]


def test_the_queryset_covering_a_day_finds_one_segment(near_poor_from_june):
    assert [p.classification for p in StatusPeriod.objects.covering(D(2026, 7, 1))] == [C.NEAR_POOR]


def test_segments_are_seen_only_in_scope(near_poor_from_june, other_officer, province_staff):
    assert StatusPeriod.objects.of_year(2026).visible_to(province_staff).count() == 2
    assert not StatusPeriod.objects.visible_to(other_officer).exists()


# --- rebuild ------------------------------------------------------------------------------------


def test_rebuild_restores_deleted_and_changed_segments(near_poor_from_june):
    kept = segments(near_poor_from_june)
    StatusPeriod.objects.filter(valid_from=D(2026, 1, 1)).update(classification=C.NOT_POOR)
    StatusPeriod.objects.filter(valid_from=D(2026, 6, 27)).delete()
    stray = status_periods(near_poor_from_june)[0]
    stray.pk, stray.valid_from, stray.valid_to = None, D(2026, 8, 1), D(2026, 8, 31)
    stray.save()
    assert household_years_rebuild() == 3  # one changed, one restored, one deleted
    assert segments(near_poor_from_june) == kept


# --- the household page -------------------------------------------------------------------------

LAST_YEAR = current_list_year() - 1  # a list that is over: every date of it is in the past


@pytest.fixture
def split_last_year(officer, chair, my_hoa_hung):
    """A household poor on last year's list, near-poor from its June monthly review."""
    household = new_household(officer, my_hoa_hung, year=LAST_YEAR)
    periodic(officer, chair, household, LAST_YEAR, C.POOR)
    monthly(officer, chair, household, D(LAST_YEAR, 6, 2), C.NEAR_POOR)
    return household


def test_the_household_page_lists_the_segments_of_a_split_year(client, officer, split_last_year):
    client.force_login(officer)
    page = client.get(reverse("households:household-detail", args=[split_last_year.pk]))
    html = page.content.decode()
    assert f"Các giai đoạn trong năm {LAST_YEAR}" in html
    assert f"27/06/{LAST_YEAR}" in html


def test_the_household_page_shows_no_segments_for_a_whole_year(client, officer, chair, my_hoa_hung):
    household = new_household(officer, my_hoa_hung, year=LAST_YEAR)
    periodic(officer, chair, household, LAST_YEAR, C.POOR)
    client.force_login(officer)
    page = client.get(reverse("households:household-detail", args=[household.pk]))
    assert "Các giai đoạn trong năm" not in page.content.decode()
