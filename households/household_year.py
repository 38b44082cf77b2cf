"""Keeping the status in force (`HouseholdYear`) and its periods (`StatusPeriod`) current,
derived from the raw records.

One function derives a household's rows from its recognised and refused reviews and their
decisions, its members (and their history) and its moves: the status of each list year and the
segments of that year during which each recognised status held. The services call
`household_years_sync` for the households they touched, inside their own transaction; the
`rebuild_household_years` command calls `household_years_rebuild` for all. So the rows kept by
the services are, by construction, what a rebuild gives.

The rules:
- The status of list year Y comes from the latest recognised review of Y (periodic or monthly),
  latest by the decision's signing date, then by when it was recognised.
- It holds from the decision's signing date (never before 1 January of Y; a decision signed
  after Y, a past list entered late, covers all of Y) to 31 December of Y;
  a move out of the commune on day D ends it on D - 1 (a row that would only begin after D never
  takes effect), unless the household moved back in after D and before the row began.
- Persons and ethnic minority (by the head) are those of the current members when the status was
  recognised, followed on every member change until the period ends: for a period that is over,
  the members as they were at its end (read from the members' history).
- A monthly request refused after the recognition leaves the status unchanged; the latest one is
  noted as `considered_review`.
- The periods of list year Y: every recognised review of Y, in the same order, holds from its own
  start (as above) until the day before a later one's start, or to its own end (31 December, or
  the day before a move out). One replaced before it took effect (a later recognition starting
  the same day or earlier) or cut to nothing by a move out leaves no period; the last one is
  always the status of the year (same review, class, dates and end), even one that never took
  effect. Ethnic minority is followed as for the status, until each period ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from households.campaign.choices import TransitionKind
from registry.models import User

from .audit import audit_writes, snapshot
from .choices import Relationship, ReviewStatus, StatusEnd
from .ethnicity import is_ethnic_minority
from .models import (
    Household,
    HouseholdYear,
    Member,
    Review,
    ReviewStep,
    StatusChange,
    StatusPeriod,
)

# The fields a derivation sets; everything else on the row is bookkeeping.
DERIVED_FIELDS = (
    "classification",
    "review_id",
    "decision_id",
    "review_kind",
    "considered_review_id",
    "persons",
    "is_ethnic_minority",
    "head_ethnicity",
    "commune_id",
    "province_id",
    "unit_path",
    "area_type",
    "standard_code",
    "valid_from",
    "valid_to",
    "end_reason",
)
# The fields a derivation sets on a period, keyed by household and `valid_from`.
PERIOD_FIELDS = (
    "list_year",
    "classification",
    "review_id",
    "decision_id",
    "review_kind",
    "valid_to",
    "end_reason",
    "is_ethnic_minority",
    "commune_id",
    "province_id",
    "unit_path",
    "standard_code",
)
REBUILD_BATCH = 500  # households derived together: a few queries each batch
RECOGNISED_VALUES = (
    "id", "household_id", "list_year", "kind", "recognised_classification", "area_type",
    "standard_code", "decision_id", "signed_on", "recognised_at",
)  # fmt: skip
HISTORY_VALUES = (
    "id", "household_id", "relationship", "ethnicity", "left_on", "history_date", "history_type",
)  # fmt: skip


@dataclass(frozen=True)
class _People:
    persons: int
    head_ethnicity: str

    @property
    def is_ethnic_minority(self) -> bool:
        return is_ethnic_minority(self.head_ethnicity)


def _step_time(status: str) -> Subquery:
    """When the review last reached `status` (its ReviewStep)."""
    return Subquery(
        ReviewStep.objects.filter(review=OuterRef("pk"), to_status=status)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )


def _start_of(day: dt.date) -> dt.datetime:
    """Local midnight at the start of `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _people(rows: Iterable[dict[str, Any]]) -> _People:
    rows = list(rows)
    head = next((r for r in rows if r["relationship"] == Relationship.HEAD), None)
    return _People(persons=len(rows), head_ethnicity=head["ethnicity"] if head else "")


def _people_as_of(records: list[dict[str, Any]], moment: dt.datetime) -> _People:
    """The current members at `moment`, replayed from the members' history (oldest first)."""
    state: dict[int, dict[str, Any]] = {}
    for record in records:
        if record["history_date"] > moment:
            break
        state[record["id"]] = record
    return _people(r for r in state.values() if r["history_type"] != "-" and r["left_on"] is None)


class Derivation(NamedTuple):
    """What the raw records give: the status rows {(household id, list year): fields} and the
    period rows {(household id, valid_from): fields}."""

    years: dict[tuple[int, int], dict[str, Any]]
    periods: dict[tuple[int, dt.date], dict[str, Any]]


class _Segment(NamedTuple):
    review: dict[str, Any]
    valid_from: dt.date
    valid_to: dt.date
    end_reason: str


def _period(
    recognised: dict[str, Any], *, moves_out: list[dt.date], moves_in: list[dt.date]
) -> tuple[dt.date, dt.date, str]:
    year = recognised["list_year"]
    valid_to = dt.date(year, 12, 31)
    valid_from = max(recognised["signed_on"], dt.date(year, 1, 1))
    if valid_from > valid_to:  # a past year's list entered late: it held that whole year
        valid_from = dt.date(year, 1, 1)
    ended = [
        day
        for day in moves_out
        if day <= valid_to and not any(day < back <= valid_from for back in moves_in)
    ]
    if ended:
        return valid_from, min(ended) - dt.timedelta(days=1), StatusEnd.MOVED_OUT
    return valid_from, valid_to, ""


def _segments(
    reviews: list[dict[str, Any]], *, moves_out: list[dt.date], moves_in: list[dt.date]
) -> list[_Segment]:
    """The periods of one household's list year from its recognised reviews (in order): each
    holds until a later one takes over; the last is the status of the year."""
    segments: list[_Segment] = []
    for review in reviews:
        start, end, reason = _period(review, moves_out=moves_out, moves_in=moves_in)
        cut = start - dt.timedelta(days=1)
        segments = [
            segment._replace(valid_to=cut, end_reason="") if segment.valid_to > cut else segment
            for segment in segments
            if segment.valid_from < start  # else replaced before it took effect
        ]
        segments.append(_Segment(review, start, end, reason))
    # A period cut to nothing never held; the last one is the year's status, kept as it is.
    return [s for s in segments[:-1] if s.valid_to >= s.valid_from] + segments[-1:]


def derive(household_ids: Iterable[int], *, now: dt.datetime | None = None) -> Derivation:
    """The rows the raw records give for these households: their statuses and periods."""
    ids = sorted(set(household_ids))
    now = now or timezone.now()
    if not ids:
        return Derivation({}, {})
    recognised = list(
        Review.objects.filter(
            household_id__in=ids, status=ReviewStatus.RECOGNISED, decision__isnull=False
        )
        .annotate(
            signed_on=F("decision__signed_on"),
            recognised_at=Coalesce(_step_time(ReviewStatus.RECOGNISED), "decision__created_at"),
        )
        .values(*RECOGNISED_VALUES)
    )
    if not recognised:
        return Derivation({}, {})
    of_year: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for review in sorted(recognised, key=lambda r: (r["signed_on"], r["recognised_at"], r["id"])):
        of_year[(review["household_id"], review["list_year"])].append(review)  # the latest last
    households = {
        h["id"]: h
        for h in Household.objects.filter(pk__in=ids).values(
            "id", "commune_id", "province_id", "unit_path"
        )
    }
    refused: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for review in (
        Review.objects.filter(household_id__in=ids, status=ReviewStatus.REFUSED)
        .annotate(refused_at=_step_time(ReviewStatus.REFUSED))
        .values("id", "household_id", "list_year", "refused_at")
    ):
        refused[(review["household_id"], review["list_year"])].append(review)
    moves: dict[tuple[int, str], list[dt.date]] = defaultdict(list)
    for household_id, kind, day in StatusChange.objects.filter(
        household_id__in=ids, kind__in=[TransitionKind.MOVED_OUT, TransitionKind.MOVED_IN]
    ).values_list("household_id", "kind", "effective_on"):
        moves[(household_id, kind)].append(day)
    current: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Member.objects.filter(household_id__in=ids, left_on__isnull=True).values(
        "household_id", "relationship", "ethnicity"
    ):
        current[row["household_id"]].append(row)

    rows: dict[tuple[int, int], dict[str, Any]] = {}
    periods: dict[tuple[int, dt.date], dict[str, Any]] = {}
    # When the members counted on a row (status or period) are read: {row key: moment}; a row
    # without one counts the current members.
    as_of: dict[tuple[int, Any], dt.datetime] = {}

    def follow(key: tuple[int, Any], review: dict[str, Any], valid_to: dt.date) -> None:
        # Members are followed until the period ends; never before the recognition itself.
        moment = max(review["recognised_at"], _start_of(valid_to + dt.timedelta(days=1)))
        if moment < now:
            as_of[key] = moment

    for key, reviews in of_year.items():
        household_id = key[0]
        household = households[household_id]
        segments = _segments(
            reviews,
            moves_out=moves[(household_id, TransitionKind.MOVED_OUT)],
            moves_in=moves[(household_id, TransitionKind.MOVED_IN)],
        )
        for segment in segments:
            review = segment.review
            period_key = (household_id, segment.valid_from)
            periods[period_key] = {
                "list_year": key[1],
                "classification": review["recognised_classification"],
                "review_id": review["id"],
                "decision_id": review["decision_id"],
                "review_kind": review["kind"],
                "valid_to": segment.valid_to,
                "end_reason": segment.end_reason,
                "commune_id": household["commune_id"],
                "province_id": household["province_id"],
                "unit_path": household["unit_path"],
                "standard_code": review["standard_code"],
            }
            follow(period_key, review, segment.valid_to)
        last = segments[-1]  # the status of the year
        review = last.review
        later_refusals = [
            r for r in refused[key] if r["refused_at"] and r["refused_at"] > review["recognised_at"]
        ]
        considered = max(later_refusals, key=lambda r: (r["refused_at"], r["id"]), default=None)
        rows[key] = {
            "classification": review["recognised_classification"],
            "review_id": review["id"],
            "decision_id": review["decision_id"],
            "review_kind": review["kind"],
            "considered_review_id": considered["id"] if considered else None,
            "commune_id": household["commune_id"],
            "province_id": household["province_id"],
            "unit_path": household["unit_path"],
            "area_type": review["area_type"],
            "standard_code": review["standard_code"],
            "valid_from": last.valid_from,
            "valid_to": last.valid_to,
            "end_reason": last.end_reason,
        }
        follow(key, review, last.valid_to)

    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if as_of:
        for record in (
            Member.history.filter(
                household_id__in={household_id for household_id, _on in as_of},
                history_date__lte=max(as_of.values()),
            )
            .order_by("history_date", "history_id")
            .values(*HISTORY_VALUES)
        ):
            history[record["household_id"]].append(record)

    def people(key: tuple[int, Any]) -> _People:
        if key in as_of:
            return _people_as_of(history[key[0]], as_of[key])
        return _people(current[key[0]])

    for key, row in rows.items():
        counted = people(key)
        row.update(
            persons=counted.persons,
            is_ethnic_minority=counted.is_ethnic_minority,
            head_ethnicity=counted.head_ethnicity,
        )
    for key, row in periods.items():
        row["is_ethnic_minority"] = people(key).is_ethnic_minority
    return Derivation(rows, periods)


def _apply_years(
    household_ids: list[int], derived: dict, *, actor: User | None, now: dt.datetime
) -> int:
    """Write the derived status rows over the stored ones; returns how many rows changed."""
    stored = {
        (row.household_id, row.list_year): row
        for row in HouseholdYear.objects.select_for_update(of=("self",)).filter(
            household_id__in=household_ids
        )
    }
    created, updated = [], []
    for key, values in derived.items():
        row = stored.pop(key, None)
        if row is not None and all(getattr(row, f) == v for f, v in values.items()):
            continue
        if row is None:
            row = HouseholdYear(household_id=key[0], list_year=key[1])
            created.append(row)
        else:
            updated.append(row)
        for field, value in values.items():
            setattr(row, field, value)
        row.updated_at = now
    if created:
        bulk_create_with_history(created, HouseholdYear, default_user=actor, default_date=now)
    if updated:
        bulk_update_with_history(
            updated,
            HouseholdYear,
            [*(f.removesuffix("_id") for f in DERIVED_FIELDS), "updated_at"],
            default_user=actor,
            default_date=now,
        )
    for row in stored.values():  # no recognition behind it any more
        row._history_user = actor
        row.delete()
    return len(created) + len(updated) + len(stored)


def _apply_periods(
    household_ids: list[int], derived: dict, *, actor: User | None, now: dt.datetime
) -> int:
    """Write the derived periods over the stored ones (at most five queries); returns how many
    rows changed. Periods keep no history of their own: each write is an `AuditEntry`."""
    stored = {
        (row.household_id, row.valid_from): row
        for row in StatusPeriod.objects.select_for_update(of=("self",)).filter(
            household_id__in=household_ids
        )
    }
    created, updated, before = [], [], []
    for key, values in derived.items():
        row = stored.pop(key, None)
        if row is not None and all(getattr(row, f) == v for f, v in values.items()):
            continue
        if row is None:
            row = StatusPeriod(household_id=key[0], valid_from=key[1])
            created.append(row)
        else:
            updated.append(row)
            before.append(snapshot(row))
        for field, value in values.items():
            setattr(row, field, value)
    audit_deleted = list(stored.values())
    if stored:  # no longer derived: deleted first, so no start is held twice
        StatusPeriod.objects.filter(pk__in=[row.pk for row in stored.values()]).delete()
    if updated:
        StatusPeriod.objects.bulk_update(updated, [f.removesuffix("_id") for f in PERIOD_FIELDS])
    if created:
        StatusPeriod.objects.bulk_create(created)
    audit_writes(
        actor=actor,
        created=created,
        changed=zip(updated, before, strict=True),
        deleted=audit_deleted,
        at=now,
    )
    return len(created) + len(updated) + len(stored)


def household_years_sync(
    household_ids: Iterable[int], *, actor: User | None = None, summaries: bool = True
) -> int:
    """Bring the status rows and periods of these households up to date (call inside the
    service's transaction, after its writes). Returns how many rows (of both) changed.

    `summaries=False` leaves the rollups' summaries to the caller, who brings them up to date
    for all its households at once (an import: `reports.summaries.contributions` before and
    after, then `apply`)."""
    ids = sorted(set(household_ids))
    if not ids:
        return 0
    now = timezone.now()
    from policies.support.entitlements import entitlements_sync  # here: a cycle
    from reports.summaries import tracking_status

    tracker = tracking_status(ids) if summaries else contextlib.nullcontext()
    with transaction.atomic(), tracker:  # the rollups' summaries follow (reports)
        derived = derive(ids, now=now)
        changed = _apply_years(ids, derived.years, actor=actor, now=now) + _apply_periods(
            ids, derived.periods, actor=actor, now=now
        )

        entitlements_sync(
            ids, actor=actor
        )  # entitlements follow status (policies/support/entitlements.py)
        return changed


def household_years_rebuild(*, batch_size: int = REBUILD_BATCH) -> int:
    """Rebuild every status row and period from the raw records, a batch of households at a
    time. Returns how many rows changed (0 when the rows were already right)."""
    changed = 0
    # Households with a row or a recognised review: the others have nothing to keep.
    ids = sorted(
        set(
            Review.objects.filter(status=ReviewStatus.RECOGNISED).values_list(
                "household_id", flat=True
            )
        )
        | set(HouseholdYear.objects.values_list("household_id", flat=True))
        | set(StatusPeriod.objects.values_list("household_id", flat=True))
    )
    for start in range(0, len(ids), batch_size):
        changed += household_years_sync(ids[start : start + batch_size])
    return changed
