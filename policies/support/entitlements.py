"""Entitlements follow status: what each household (and member) is entitled to under the
programmes that track entitlements, from when to when, derived from the status in force.

`derive` works the rows out from the status reader (`status.segments`, `status.escapes`), the
members and the programmes; `entitlements_sync` writes them over the stored rows of the same
households (called by `households.household_year.household_years_sync`, so recognition, refusal,
moves and member changes keep them current in the same transaction); `entitlements_rebuild`
(`manage.py rebuild_entitlements`) syncs every household.

The rules:
- A household is covered on a day on the basis `rules.basis` gives for that day: poor or
  near-poor by the status segment in force, escaped within the programme's years after an escape
  from poverty (`rules.escape_window`; closed early from the first day the household is poor
  again, which is when the status reader shows a poor status again).
- A per-person programme covers each member for the days of their age window
  (`rules.age_window`), while they belong to the household (from `joined_on`, until the day
  before `left_on`), if they meet the school and ethnic criteria today (current values).
- Everything is cut to the programme's validity. Adjacent days on the same basis are one row:
  poor from January to June and again from July after a monthly review, or poor in two
  consecutive list years, is one entitlement.
- Sync never deletes what started: a stored row no longer derived that has already started is
  ended the day before the change (never before its own start): the start of the status or
  row that replaced it; today for a school or ethnic criterion (today's values); its own start
  when no dated fact holds on its first day any more (a move out dated before the list began).
  One that had not started is deleted. A stored row whose days a derived row now takes over
  from an earlier start (a past list entered late) is replaced by it. A started row that the
  derivation ends sooner keeps the days up to the status or row that replaced it.
- The status reader gives one row a list year: after a monthly review it shows the new status
  from the decision and the months before it not at all. The sync's rules above keep the
  stored rows right for one change a year; when the reader gives every period of a year, the
  derivation itself gives them and those rules no longer come into play.
- Escapes undone before a sync (a household poor again) are no longer returned by
  `status.escapes`: their loan window is known from the row stored while it held, which the
  sync ends the day before the household's poor status starts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from households.audit import audit_writes, snapshot
from households.models import Household, Member
from registry.models import User

from . import rules, status
from .choices import Beneficiary
from .models import Entitlement, Programme

DAY = dt.timedelta(days=1)
# The span read when no years are asked for: every list year the registry plans for.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
REBUILD_BATCH = 500  # households synced together: a few queries each batch

Key = tuple[int, int, int | None]  # programme, household, member


@dataclass(frozen=True)
class Row:
    """One derived entitlement."""

    programme_id: int
    household_id: int
    member_id: int | None
    basis: str
    valid_from: dt.date
    valid_to: dt.date
    commune_id: int
    unit_path: str

    @property
    def key(self) -> Key:
        return (self.programme_id, self.household_id, self.member_id)


def _merge(spans: list[tuple[dt.date, dt.date, str]]) -> list[tuple[dt.date, dt.date, str]]:
    """Adjacent or overlapping spans on the same basis as one (input sorted by start)."""
    merged: list[tuple[dt.date, dt.date, str]] = []
    for start, end, basis in spans:
        if merged and merged[-1][2] == basis and start <= merged[-1][1] + DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), basis)
        else:
            merged.append((start, end, basis))
    return merged


def coverage(
    rule: rules.Rule, segments: list[status.Segment], escapes: list[dt.date]
) -> list[tuple[dt.date, dt.date, str]]:
    """The household's covered days under `rule` as (from, to, basis), merged: the days are cut
    where a status or an escape window starts or ends, and each piece asks `rules.basis`."""
    segments = sorted((s for s in segments if s.valid_to >= s.valid_from), key=_seg_order)
    windows = sorted(escapes) if rule.escaped_within_years else []
    cuts = set()
    for segment in segments:
        cuts.update((segment.valid_from, segment.valid_to + DAY))
    for escaped_on in windows:
        cuts.update((escaped_on, rules.escape_window(rule, escaped_on)[1] + DAY))
    poor_starts = [s.valid_from for s in segments if s.classification == rules.POOR]
    points = sorted(cuts)
    spans: list[tuple[dt.date, dt.date, str]] = []
    for start, after in pairwise(points):
        in_force = [s for s in segments if s.covers(start)]
        classification = in_force[-1].classification if in_force else None
        # The latest escape on or before the day that no return to poverty has undone since.
        escaped_on = next(
            (
                e
                for e in reversed(windows)
                if e <= start and not any(e < p <= start for p in poor_starts)
            ),
            None,
        )
        facts = rules.HouseholdFacts(classification=classification, escaped_on=escaped_on)
        basis = rules.basis(rule, facts, start)
        if basis is not None:
            spans.append((start, after - DAY, basis))
    return _merge(spans)


def _seg_order(segment: status.Segment) -> tuple[dt.date, dt.date]:
    return (segment.valid_from, segment.valid_to)


def person_window(rule: rules.Rule, person: rules.PersonFacts) -> tuple[dt.date, dt.date] | None:
    """The days the member's age, presence and (current) criteria allow, or None."""
    if rule.in_school_only and not person.in_school:
        return None
    if rule.ethnic_minority_only and not person.ethnic_minority:
        return None
    start, end = rules.age_window(rule, person)
    start = max(start or FIRST_DAY, person.joined_on or FIRST_DAY)
    end = min(end or LAST_DAY, (person.left_on - DAY) if person.left_on else LAST_DAY)
    return (start, end) if start <= end else None


def _cut(
    spans: list[tuple[dt.date, dt.date, str]], start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date, str]]:
    return [(max(a, start), min(b, end), basis) for a, b, basis in spans if a <= end and b >= start]


def _person(member: dict) -> rules.PersonFacts:
    return status.person_facts(
        birth_year=member["birth_year"],
        birth_date=member["birth_date"],
        school_status=member["school_status"],
        ethnicity=member["ethnicity"],
        joined_on=status.joined_after_registration(member["joined_on"], member["registered"]),
        left_on=member["left_on"],
    )


def tracked_programmes() -> list[Programme]:
    return list(Programme.objects.filter(tracks_entitlements=True).order_by("pk"))


@dataclass
class _Facts:
    """What a derivation reads: five queries for any number of households."""

    programmes: list[Programme]
    households: dict[int, dict]
    segments: dict[int, list[status.Segment]]
    escapes: dict[int, list[dt.date]]
    members: dict[int, list[dict]]


def _read(ids: list[int], start: dt.date, end: dt.date) -> _Facts:
    programmes = tracked_programmes()
    if not programmes:
        return _Facts([], {}, {}, {}, {})
    households = {
        h["id"]: h
        for h in Household.objects.filter(pk__in=ids).values(
            "id", "commune_id", "province_id", "unit_path"
        )
    }
    members: dict[int, list[dict]] = defaultdict(list)
    if any(p.beneficiary == Beneficiary.PERSON for p in programmes):
        for member in (
            Member.objects.filter(household_id__in=ids)
            .order_by("household_id", "pk")
            .annotate(registered=F("household__created_at"))
            .values(
                "registered",
                "id",
                "household_id",
                "birth_year",
                "birth_date",
                "school_status",
                "ethnicity",
                "joined_on",
                "left_on",
            )
        ):
            members[member["household_id"]].append(member)
    return _Facts(
        programmes=programmes,
        households=households,
        segments=status.segments(ids, start, end),
        # Escapes not undone since: an escape undone before the sync ran is known from the row
        # stored while it held (sync ends it, it does not delete it).
        escapes=status.escapes(ids, until=LAST_DAY),
        members=members,
    )


def _derive(ids: list[int], facts: _Facts, start: dt.date, end: dt.date) -> list[Row]:
    rows: list[Row] = []
    for programme in facts.programmes:
        rule = programme.rule
        valid_from = max(start, programme.valid_from)
        valid_to = min(end, programme.valid_to or LAST_DAY)
        for household_id in ids:
            household = facts.households.get(household_id)
            if household is None or (
                programme.province_id and programme.province_id != household["province_id"]
            ):
                continue
            spans = _cut(
                coverage(
                    rule,
                    facts.segments.get(household_id, []),
                    facts.escapes.get(household_id, []),
                ),
                valid_from,
                valid_to,
            )
            if not spans:
                continue
            targets: list[tuple[int | None, list]] = (
                [(None, spans)]
                if not rule.per_person
                else [
                    (member["id"], _cut(spans, *window))
                    for member in facts.members[household_id]
                    if (window := person_window(rule, _person(member)))
                ]
            )
            for member_id, member_spans in targets:
                rows.extend(
                    Row(
                        programme.pk,
                        household_id,
                        member_id,
                        basis,
                        a,
                        b,
                        household["commune_id"],
                        household["unit_path"],
                    )
                    for a, b, basis in member_spans
                )
    return rows


def _span(years: Iterable[int] | None) -> tuple[dt.date, dt.date]:
    chosen = sorted(set(years or ()))
    if not chosen:
        return FIRST_DAY, LAST_DAY
    return dt.date(chosen[0], 1, 1), dt.date(chosen[-1], 12, 31)


def derive(household_ids: Iterable[int], *, years: Iterable[int] | None = None) -> list[Row]:
    """The entitlements the status in force, the members and the programmes give these
    households (over the list years `years`, default all). Five queries for any number."""
    ids = sorted(set(household_ids))
    if not ids:
        return []
    start, end = _span(years)
    return _derive(ids, _read(ids, start, end), start, end)


# --- keeping the stored rows current --------------------------------------------------------------


def _dated_spans(
    programme: Programme, gone: Entitlement, facts: _Facts
) -> list[tuple[dt.date, dt.date, str]]:
    """The days the dated facts (status, age, presence, the programme's validity) still give
    the row, leaving out the school and ethnic criteria, which are today's values."""
    rule = replace(programme.rule, in_school_only=False, ethnic_minority_only=False)
    spans = _cut(
        coverage(
            rule,
            facts.segments.get(gone.household_id, []),
            facts.escapes.get(gone.household_id, []),
        ),
        programme.valid_from,
        programme.valid_to or LAST_DAY,
    )
    if gone.member_id is None:
        return spans
    member = next((m for m in facts.members[gone.household_id] if m["id"] == gone.member_id), None)
    window = person_window(rule, _person(member)) if member else None
    return _cut(spans, *window) if window else []


def _replaced_on(
    basis: str,
    household_id: int,
    rule: rules.Rule,
    after: dt.date,
    through: dt.date,
    derived: list,
    facts: _Facts,
) -> dt.date | None:
    """The first day in (after, through] on which a derived or started stored row of the same
    beneficiary starts, or a status starts that does not give `basis`; None if none does."""
    starts = [r.valid_from for r in derived if after < r.valid_from <= through]
    for segment in facts.segments.get(household_id, []):
        if not after < segment.valid_from <= through:
            continue
        if basis == rules.ESCAPED:
            gives = None if segment.classification == rules.POOR else rules.ESCAPED
        else:
            held = rules.HouseholdFacts(classification=segment.classification)
            gives = rules.basis(rule, held, segment.valid_from)
        if gives != basis:
            starts.append(segment.valid_from)
    return min(starts, default=None)


def _change_day(
    gone: Entitlement,
    programme: Programme | None,
    derived: list[Row],
    facts: _Facts,
    today: dt.date,
) -> dt.date:
    """The day that put an end to a stored row no longer derived (it ends the day before).

    - The dated facts still hold from its start: a school or ethnic criterion, today's value,
      changed today (or the dated facts end sooner);
    - else the first start, after its own, of a derived row that replaces it or of a status it
      does not rest on (with the status reader of one row a list year, a monthly review
      replaces the year's status from its decision: its start is the change);
    - else its own start: no dated fact holds on its first day any more (a move out dated
      before the list began, a status withdrawn), and a row that started is never deleted;
    - today when the programme no longer tracks entitlements."""
    if programme is None:
        return today
    for start, end, basis in _dated_spans(programme, gone, facts):
        if basis == gone.basis and start <= gone.valid_from <= end:
            return min(end + DAY, today)
    replaced = _replaced_on(
        gone.basis,
        gone.household_id,
        programme.rule,
        gone.valid_from,
        gone.valid_to + DAY,
        derived,
        facts,
    )
    return replaced or gone.valid_from


def _shortened_to(
    existing: Entitlement, row: Row, programme: Programme, derived: list[Row], facts: _Facts
) -> dt.date:
    """The end of a started row that the derivation now ends sooner: the derived end, unless
    the days after it are not explained by a status that ends the row (with the status reader
    of one row a list year, the months of a year before a monthly review are not visible):
    then the day before the status or derived row that replaced it."""
    replaced = _replaced_on(
        existing.basis,
        existing.household_id,
        programme.rule,
        row.valid_to,
        existing.valid_to + DAY,
        derived,
        facts,
    )
    return min(existing.valid_to, replaced - DAY) if replaced else row.valid_to


def entitlements_sync(
    household_ids: Iterable[int], *, today: dt.date | None = None, actor: User | None = None
) -> int:
    """Bring the stored entitlements of these households up to date (call inside the service's
    transaction, after the status rows). Returns how many rows changed. Seven queries for any
    number of households, and one for each kind of write (the audit trail's included: `actor`
    is who made the write they follow, None for a rebuild)."""
    ids = sorted(set(household_ids))
    if not ids:
        return 0
    today = today or timezone.localdate()
    with transaction.atomic():
        facts = _read(ids, FIRST_DAY, LAST_DAY)
        derived = _derive(ids, facts, FIRST_DAY, LAST_DAY)
        stored = list(
            Entitlement.objects.select_for_update().filter(household_id__in=ids).order_by("pk")
        )
        before = {row.pk: snapshot(row) for row in stored}
        created, updated, deleted = _diff(derived, stored, facts, today)
        now = timezone.now()
        for row in updated:
            row.updated_at = now
        if deleted:
            Entitlement.objects.filter(pk__in=deleted).delete()
        if updated:
            Entitlement.objects.bulk_update(updated, [*SYNCED_FIELDS, "updated_at"])
        if created:
            Entitlement.objects.bulk_create(created)
        gone = set(deleted)
        audit_writes(
            actor=actor,
            created=created,
            changed=[(row, before[row.pk]) for row in updated],
            deleted=[row for row in stored if row.pk in gone],
            at=now,
        )
    return len(created) + len(updated) + len(deleted)


SYNCED_FIELDS = ("basis", "valid_to", "commune_id", "unit_path")


def entitlements_of_new(household_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The entitlements `entitlements_sync` would create for households that have none stored
    yet (the households a bulk import creates), as values by field, for a bulk writer that
    writes and audits them itself. Five queries for any number of households."""
    ids = sorted(set(household_ids))
    if not ids:
        return []
    facts = _read(ids, FIRST_DAY, LAST_DAY)
    return [
        {field: getattr(row, field) for field in Row.__dataclass_fields__}
        for row in _derive(ids, facts, FIRST_DAY, LAST_DAY)
    ]


def _diff(
    derived: list[Row], stored: list[Entitlement], facts: _Facts, today: dt.date
) -> tuple[list[Entitlement], list[Entitlement], list[int]]:
    by_key: dict[Key, list[Row]] = defaultdict(list)
    for row in derived:
        by_key[row.key].append(row)
    # What replaced a row: the derived rows and the stored rows that started.
    evidence: dict[Key, list] = defaultdict(list)
    for key, rows in by_key.items():
        evidence[key].extend(rows)
    for one in stored:
        if one.valid_from <= today:
            evidence[(one.programme_id, one.household_id, one.member_id)].append(one)
    unmatched = {(s.programme_id, s.household_id, s.member_id, s.valid_from): s for s in stored}
    programmes = {p.pk: p for p in facts.programmes}
    created, updated, deleted = [], [], []
    for row in derived:
        existing = unmatched.pop((*row.key, row.valid_from), None)
        if existing is None:
            created.append(
                Entitlement(
                    programme_id=row.programme_id,
                    household_id=row.household_id,
                    member_id=row.member_id,
                    basis=row.basis,
                    valid_from=row.valid_from,
                    valid_to=row.valid_to,
                    commune_id=row.commune_id,
                    unit_path=row.unit_path,
                )
            )
            continue
        values = {f: getattr(row, f) for f in SYNCED_FIELDS}
        if existing.valid_from <= today and row.valid_to < existing.valid_to:
            values["valid_to"] = _shortened_to(
                existing, row, programmes[row.programme_id], evidence[row.key], facts
            )
        if any(getattr(existing, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(existing, field, value)
            updated.append(existing)
    for gone in unmatched.values():
        rows = by_key.get((gone.programme_id, gone.household_id, gone.member_id), [])
        if gone.valid_from > today or any(
            r.valid_from < gone.valid_from <= r.valid_to for r in rows
        ):
            deleted.append(gone.pk)  # not started yet, or taken over by a derived row
            continue
        key = (gone.programme_id, gone.household_id, gone.member_id)
        change = _change_day(gone, programmes.get(gone.programme_id), evidence[key], facts, today)
        valid_to = min(gone.valid_to, max(gone.valid_from, change - DAY))
        if valid_to != gone.valid_to:
            gone.valid_to = valid_to
            updated.append(gone)
    return created, updated, deleted


def entitlements_rebuild(*, batch_size: int = REBUILD_BATCH, today: dt.date | None = None) -> int:
    """Sync the entitlements of every household, a batch at a time. Returns how many rows
    changed (0 when the services kept them current)."""
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    return sum(
        entitlements_sync(ids[start : start + batch_size], today=today)
        for start in range(0, len(ids), batch_size)
    )
