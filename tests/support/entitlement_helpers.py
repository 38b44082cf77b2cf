"""Building blocks of the entitlement tests: members settled in their household long ago,
periodic and monthly reviews taken through the real services, and the rows as tuples."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from households.campaign import services as campaigns
from households.models import Review
from households.services import MEMBER_FIELDS, household_update
from policies.support.models import Entitlement

from ..households.factories import member, recognise
from .factories import facts

D = dt.date
SETTLED = D(2015, 1, 1)  # members who have lived in the household since before any list
NUMBERS = itertools.count(1)


def settled(name: str, **extra: Any) -> dict[str, Any]:
    return member(name, joined_on=SETTLED, **extra)


def rows_of(household) -> list[dict]:
    return [
        {"id": m.pk, **{field: getattr(m, field) for field in MEMBER_FIELDS}}
        for m in household.members.filter(left_on__isnull=True).order_by("pk")
    ]


def update(officer, household, *, members=None, review_data=None):
    household.refresh_from_db()
    return household_update(
        actor=officer,
        household=household,
        expected_version=household.version,
        village=household.village,
        members=rows_of(household) if members is None else members,
        review=review_data,
    )


def periodic(officer, chair, household, year: int, classification: str):
    """The periodic review of `year`'s list, recognised on 1 December of the year before."""
    update(officer, household, review_data=facts(year, classification))
    one = household.reviews.get(list_year=year, kind="periodic")
    return recognise(officer, chair, [one], on=D(year - 1, 12, 1), number=f"E{next(NUMBERS)}")


def monthly(officer, chair, household, requested_on: dt.date, classification: str):
    """A monthly request, its survey and its recognition (decided 12 days into the cycle)."""
    request = campaigns.request_record(
        actor=officer, household=household, kind="review", channel="in_person",
        form_number="04", requested_on=requested_on,
    )  # fmt: skip
    start = request.cycle_start
    update(
        officer,
        household,
        review_data=facts(
            start.year, classification, kind="monthly", survey_date=start + dt.timedelta(days=1)
        ),
    )
    one = Review.objects.get(pk=request.review_id)
    recognise(officer, chair, [one], on=start + dt.timedelta(days=12), number=f"E{next(NUMBERS)}")
    return Review.objects.get(pk=one.pk)


def entitlements(household, code: str) -> list[tuple]:
    """(member's name or None, basis, from, until) of the household's rows of a programme."""
    return list(
        Entitlement.objects.filter(household=household, programme__code=code)
        .order_by("member_id", "valid_from")
        .values_list("member__full_name", "basis", "valid_from", "valid_to")
    )
