"""Building blocks of the entitlement tests: members settled in their household long ago,
periodic and monthly reviews taken through the real services, and the rows as tuples."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from households.services import MEMBER_FIELDS, household_update
from policies.support.models import Entitlement

from ..households.factories import member, recognise
from .factories import facts
from .factories import monthly_recognition as monthly  # noqa: F401 (the tests import it here)

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


def entitlements(household, code: str) -> list[tuple]:
    """(member's name or None, basis, from, until) of the household's rows of a programme."""
    return list(
        Entitlement.objects.filter(household=household, programme__code=code)
        .order_by("member_id", "valid_from")
        .values_list("member__full_name", "basis", "valid_from", "valid_to")
    )
