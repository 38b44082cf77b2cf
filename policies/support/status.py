"""What support reads of the registry: each household's recognised status in force on a day or
over a span, and the latest escape from poverty not undone since. Everything in support that
asks "was this household poor on day D" goes through here (one or two queries for any number of
households)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from households.campaign.choices import TransitionKind
from households.campaign.selectors import POOR_AGAIN
from households.choices import SchoolStatus
from households.ethnicity import is_ethnic_minority
from households.models import StatusChange, StatusPeriod

from . import rules


@dataclass(frozen=True)
class Segment:
    """A stretch of days over which one recognised class held."""

    household_id: int
    classification: str
    valid_from: dt.date
    valid_to: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


def segments(household_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list]:
    """The status segments of these households that overlap `start`..`end`, oldest first: the
    status periods, so a monthly recognition mid-year shows as two segments of that year."""
    ids = list(set(household_ids))
    found: dict[int, list[Segment]] = defaultdict(list)
    if not ids:
        return found
    rows = (
        StatusPeriod.objects.filter(household_id__in=ids)
        .overlapping(start, end)
        .order_by("household_id", "valid_from")
        .values_list("household_id", "classification", "valid_from", "valid_to")
    )
    for household_id, classification, valid_from, valid_to in rows:
        found[household_id].append(Segment(household_id, classification, valid_from, valid_to))
    return found


def statuses_on(household_ids: Iterable[int], day: dt.date) -> dict[int, Segment]:
    """The segment in force on `day` for each household that has one."""
    return {
        household_id: segment
        for household_id, found in segments(household_ids, day, day).items()
        for segment in found
        if segment.covers(day)
    }


def escapes(household_ids: Iterable[int], *, until: dt.date) -> dict[int, list[dt.date]]:
    """The days each household escaped poverty up to `until`, leaving out escapes undone by a
    later return to poverty (on or before `until`)."""
    ids = list(set(household_ids))
    found: dict[int, list[dt.date]] = defaultdict(list)
    if not ids:
        return found
    poor_again = StatusChange.objects.filter(
        Q(effective_on__gt=OuterRef("effective_on"))
        | Q(effective_on=OuterRef("effective_on"), pk__gt=OuterRef("pk")),
        household=OuterRef("household"),
        kind__in=POOR_AGAIN,
        effective_on__lte=until,
    )
    rows = (
        StatusChange.objects.filter(
            household_id__in=ids, kind=TransitionKind.ESCAPED_POVERTY, effective_on__lte=until
        )
        .exclude(Exists(poor_again))
        .order_by("household_id", "effective_on")
        .values_list("household_id", "effective_on")
    )
    for household_id, day in rows:
        found[household_id].append(day)
    return found


def household_facts(household_ids: Iterable[int], day: dt.date) -> dict[int, rules.HouseholdFacts]:
    """The facts eligibility needs about each household on `day` (two queries)."""
    ids = list(set(household_ids))
    in_force = statuses_on(ids, day)
    escaped = escapes(ids, until=day)
    return {
        household_id: rules.HouseholdFacts(
            classification=in_force[household_id].classification
            if household_id in in_force
            else None,
            escaped_on=escaped[household_id][-1] if escaped.get(household_id) else None,
        )
        for household_id in ids
    }


def joined_after_registration(joined_on: dt.date | None, registered: dt.datetime) -> dt.date | None:
    """The day a member joined, when they joined after the household was registered. A member
    registered with the household gets the registration day as `joined_on`, which says when the
    registry learnt of them, not when they joined: they count as members from the start."""
    if joined_on is None or joined_on <= timezone.localtime(registered).date():
        return None
    return joined_on


def person_facts(
    *,
    birth_year: int,
    birth_date: dt.date | None,
    school_status: str,
    ethnicity: str,
    joined_on: dt.date | None,
    left_on: dt.date | None,
) -> rules.PersonFacts:
    return rules.PersonFacts(
        birth_year=birth_year,
        birth_date=birth_date,
        in_school=school_status == SchoolStatus.IN_SCHOOL,
        ethnic_minority=is_ethnic_minority(ethnicity),
        joined_on=joined_on,
        left_on=left_on,
    )
