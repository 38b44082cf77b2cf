"""Rows for the support tests: households recognised with a given class through the real
services, and disbursements written directly where a test is about reading them."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from households.campaign import services as campaigns
from households.models import Household, Review
from households.services import MEMBER_FIELDS, household_update

from ..households.factories import make_household, member, recognise, review

OVERRIDE = "Kết quả bình xét tại họp dân"
NUMBERS = itertools.count(1)


def facts(year: int, classification: str, **extra: Any) -> dict[str, Any]:
    """A periodic review of `year` recognised as `classification`, whatever the standard says."""
    data = review(
        list_year=year,
        survey_date=dt.date(year - 1, 10, 15),
        income_per_capita=1_000_000,
        recognised_classification=classification,
        override_reason=OVERRIDE,
    )
    data.update(extra)
    return data


def recognised_household(
    officer,
    chair,
    commune,
    classification: str = "poor",
    *,
    year: int = 2026,
    members: list[dict[str, Any]] | None = None,
    signed_on: dt.date | None = None,
) -> Household:
    """A household of `commune` on the list of `year` as `classification` (decision signed on
    1 December of the year before unless `signed_on` is given)."""
    household = make_household(
        officer,
        commune,
        members=members or [member("Nguyễn Văn An")],
        review_data=facts(year, classification),
    )
    one = household.reviews.get(list_year=year, kind="periodic")
    recognise(
        officer,
        chair,
        [one],
        on=signed_on or dt.date(year - 1, 12, 1),
        number=f"{next(NUMBERS)}/QĐ-UBND",
    )
    household.refresh_from_db()
    return household


def recognised_households(
    officer, chair, commune, count: int, classification: str = "poor", *, year: int = 2026
) -> list[Household]:
    """`count` households of `commune` on the list of `year` as `classification`, recognised
    together by one decision (quicker than one decision each)."""
    households = [
        make_household(
            officer,
            commune,
            members=[member("Nguyễn Văn An")],
            review_data=facts(year, classification),
        )
        for _ in range(count)
    ]
    reviews = [h.reviews.get(list_year=year, kind="periodic") for h in households]
    recognise(officer, chair, reviews, on=dt.date(year - 1, 12, 1), number=f"{next(NUMBERS)}/QĐ")
    for household in households:
        household.refresh_from_db()
    return households


def monthly_recognition(officer, chair, household, requested_on: dt.date, classification: str):
    """A monthly request made on `requested_on`, surveyed and recognised as `classification`
    twelve days into its cycle; returns the recognised review."""
    request = campaigns.request_record(
        actor=officer, household=household, kind="review", channel="in_person",
        form_number="04", requested_on=requested_on,
    )  # fmt: skip
    start = request.cycle_start
    household.refresh_from_db()
    household_update(
        actor=officer,
        household=household,
        expected_version=household.version,
        village=household.village,
        members=[
            {"id": m.pk, **{field: getattr(m, field) for field in MEMBER_FIELDS}}
            for m in household.members.filter(left_on__isnull=True).order_by("pk")
        ],
        review=facts(
            start.year, classification, kind="monthly", survey_date=start + dt.timedelta(days=1)
        ),
    )
    review_ = Review.objects.get(pk=request.review_id)
    recognise(
        officer, chair, [review_], on=start + dt.timedelta(days=12), number=f"{next(NUMBERS)}/QĐ"
    )
    household.refresh_from_db()
    return Review.objects.get(pk=review_.pk)
