"""The commune's priority lists (community participation): the officer proposes eligible
households of the commune for a programme with more eligible households than places (houses,
loans, land, training), orders them with the reason for each place, and records the village
meeting that adopted the order; the list is then locked, and only the commune chair reopens it,
saying why.

Ranks. Every entry of a list has a place 1..n without gaps: the entries still proposed come
first, in the order decided, then the withdrawn ones. A withdrawal is kept (marked, with its
reason) and moves to the end, closing up the places of the others; the history keeps the place
it held. Ranks are rewritten inside one transaction with the list row locked, through a
temporary offset, so the unique (list, rank) constraint holds at every statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from households.choices import Classification
from households.models import Household
from registry.choices import Level, Role
from registry.models import AdminUnit, User
from registry.scoping import scope_for

from .. import rules, status
from ..choices import PriorityListStatus
from ..models import PriorityEntry, PriorityList, Programme

# Ranks are moved above this offset before they are rewritten (a place is a small integer: a
# list holds far fewer entries than this).
RANK_OFFSET = 16_000
MAX_ENTRIES = 2_000


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _require_role(actor: User, role: str, commune: AdminUnit) -> None:
    scope = scope_for(actor)
    if not scope.may_act_as(role, commune.path):
        raise PermissionDenied(
            _("Only a %(role)s of %(unit)s may do this.")
            % {"role": Role(role).label, "unit": commune}
        )


def _lock(priority_list: PriorityList) -> PriorityList:
    """The list row, locked until the end of the transaction, read again."""
    return (
        PriorityList.objects.select_for_update(of=("self",))
        .select_related("programme", "commune")
        .get(pk=priority_list.pk)
    )


def _ensure_draft(priority_list: PriorityList) -> None:
    if priority_list.status == PriorityListStatus.DECIDED:
        raise ValidationError(
            {
                "status": _(
                    "This list was adopted at the village meeting of %(date)s and is locked; "
                    "only the commune chair may reopen it."
                )
                % {"date": _date(priority_list.meeting_on)}
            }
        )


def _entries(priority_list: PriorityList) -> list[PriorityEntry]:
    return list(PriorityEntry.objects.filter(priority_list=priority_list).order_by("rank"))


def _renumber(priority_list: PriorityList, order: Sequence[PriorityEntry], actor: User) -> None:
    """Give the entries, in `order`, the places 1..n (proposed first, withdrawn last): the
    entries whose place changes go above the offset first, then to their new place."""
    changed = [e for n, e in enumerate(order, start=1) if e.rank != n]
    if not changed:
        return
    # Distinct places stay distinct above the offset, clear of every place below it.
    PriorityEntry.objects.filter(pk__in=[e.pk for e in changed]).update(
        rank=F("rank") + RANK_OFFSET
    )
    for n, entry in enumerate(order, start=1):
        entry.rank = n
    bulk_update_with_history(
        changed,
        PriorityEntry,
        ["rank"],
        default_user=actor,
    )


def _in_order(entries: Sequence[PriorityEntry]) -> list[PriorityEntry]:
    """Proposed entries by place, then withdrawn ones by place."""
    return sorted(entries, key=lambda e: (e.withdrawn, e.rank))


# --- eligibility --------------------------------------------------------------------------------


def _days_to_check(household_id: int, year: int, today: dt.date) -> list[dt.date]:
    """Today, and the days of the list year on which the household's facts may change: its
    first and last day, the first day of each status held within it, each escape within it."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = {today, start, end}
    for segment in status.segments([household_id], start, end).get(household_id, []):
        days.add(max(segment.valid_from, start))
    escaped = status.escapes([household_id], until=end).get(household_id, [])
    days.update(day for day in escaped if day >= start)
    return sorted(days)


def eligibility_refusal(programme: Programme, household: Household, year: int) -> str | None:
    """Why the household is not eligible for the programme, neither today nor on any day of
    the list year, in a sentence about this household only; None when it is eligible."""
    rule = programme.rule
    today = timezone.localdate()
    facts_today = None
    for day in _days_to_check(household.pk, year, today):
        facts = status.household_facts([household.pk], day)[household.pk]
        if rules.basis(rule, facts, day) is not None:
            return None
        if day == today:
            facts_today = facts
    names = {
        "code": household.code,
        "year": year,
        "programme": programme.name,
        "covered": covered_statuses(programme),
    }
    if facts_today is None or facts_today.classification is None:
        return (
            _(
                "Household %(code)s has no recognised status in force today, and none in "
                "%(year)d that %(programme)s covers (%(covered)s)."
            )
            % names
        )
    return _(
        "Household %(code)s is recognised as %(status)s today, and neither today nor in "
        "%(year)d is it among those %(programme)s covers (%(covered)s)."
    ) % {**names, "status": Classification(facts_today.classification).label.lower()}


def covered_statuses(programme: Programme) -> str:
    covered = []
    if programme.for_poor:
        covered.append(_("poor households"))
    if programme.for_near_poor:
        covered.append(_("near-poor households"))
    if programme.escaped_within_years:
        covered.append(
            _("households that escaped poverty within %(n)d years")
            % {"n": programme.escaped_within_years}
        )
    return ", ".join(covered)


# --- the list -----------------------------------------------------------------------------------


@transaction.atomic
def priority_list_create(
    *, actor: User, programme: Programme, year: int, commune: AdminUnit
) -> PriorityList:
    """Open the commune's priority list of a programme for a year (commune officer)."""
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Priority lists are kept by communes.")})
    _require_role(actor, Role.COMMUNE_OFFICER, commune)
    errors: dict[str, list[str]] = {}
    if not programme.uses_priority_list:
        errors["programme"] = [
            _("%(programme)s does not follow a priority list: every eligible household is served.")
            % {"programme": programme.name}
        ]
    elif not Programme.objects.available_to(actor).filter(pk=programme.pk).exists():
        errors["programme"] = [_("This programme is not available in your province.")]
    elif programme.valid_from > dt.date(year, 12, 31) or (
        programme.valid_to is not None and programme.valid_to < dt.date(year, 1, 1)
    ):
        errors["year"] = [
            _("%(programme)s is not in force in %(year)d.")
            % {"programme": programme.name, "year": year}
        ]
    if PriorityList.objects.filter(programme=programme, year=year, commune=commune).exists():
        errors.setdefault("year", []).append(
            _("The commune already has a priority list of this programme for %(year)d.")
            % {"year": year}
        )
    if errors:
        raise ValidationError(errors)
    priority_list = PriorityList(
        programme=programme,
        year=year,
        commune=commune,
        unit_path=commune.path,
        created_by=actor,
    )
    priority_list._history_user = actor
    priority_list.save()
    return priority_list


@transaction.atomic
def priority_list_decide(
    *,
    actor: User,
    priority_list: PriorityList,
    meeting_on: dt.date,
    attendees: int,
    agreed: int,
    minutes: str = "",
) -> PriorityList:
    """Record the village meeting that adopted the order (a majority of those attending agreed)
    and lock the list (commune officer)."""
    _require_role(actor, Role.COMMUNE_OFFICER, priority_list.commune)
    priority_list = _lock(priority_list)
    _ensure_draft(priority_list)
    errors: dict[str, list[str]] = {}
    year = priority_list.year
    earliest = dt.date(year - 1, 12, 1)
    if meeting_on is None:
        errors["meeting_on"] = [_("Enter the date of the village meeting.")]
    elif meeting_on > timezone.localdate():
        errors["meeting_on"] = [_("The meeting date cannot be in the future.")]
    elif not earliest <= meeting_on <= dt.date(year, 12, 31):
        errors["meeting_on"] = [
            _("The meeting for the %(year)d list is held between %(first)s and %(last)s.")
            % {"year": year, "first": _date(earliest), "last": _date(dt.date(year, 12, 31))}
        ]
    if attendees is None or attendees < 1:
        errors["attendees"] = [_("Enter how many people attended (at least 1).")]
    if agreed is None or agreed < 0:
        errors["agreed"] = [_("Enter how many of those attending agreed.")]
    elif attendees and agreed > attendees:
        errors["agreed"] = [
            _("More people agreed (%(agreed)d) than attended (%(attendees)d).")
            % {"agreed": agreed, "attendees": attendees}
        ]
    elif attendees and agreed * 2 <= attendees:
        errors["agreed"] = [
            _(
                "The list is adopted when more than half of those attending agree: %(agreed)d of "
                "%(attendees)d is not a majority."
            )
            % {"agreed": agreed, "attendees": attendees}
        ]
    if not PriorityEntry.objects.filter(priority_list=priority_list, withdrawn=False).exists():
        errors["entries"] = [_("Propose at least one household before the meeting decides.")]
    if errors:
        raise ValidationError(errors)
    priority_list.status = PriorityListStatus.DECIDED
    priority_list.meeting_on = meeting_on
    priority_list.attendees = attendees
    priority_list.agreed = agreed
    priority_list.minutes = (minutes or "").strip()
    priority_list.decided_by = actor
    priority_list.decided_at = timezone.now()
    priority_list._history_user = actor
    priority_list.save()
    return priority_list


@transaction.atomic
def priority_list_reopen(*, actor: User, priority_list: PriorityList, reason: str) -> PriorityList:
    """The commune chair reopens a decided list, saying why; the meeting it was adopted at
    stays on the history, and the list must be adopted again."""
    _require_role(actor, Role.COMMUNE_CHAIR, priority_list.commune)
    priority_list = _lock(priority_list)
    if priority_list.status != PriorityListStatus.DECIDED:
        raise ValidationError({"status": _("This list is not decided yet: it is still open.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the list is reopened.")})
    priority_list.status = PriorityListStatus.DRAFT
    priority_list.reopen_reason = reason.strip()
    priority_list.reopened_by = actor
    priority_list.reopened_at = timezone.now()
    priority_list._history_user = actor
    priority_list.save()
    return priority_list


# --- the entries --------------------------------------------------------------------------------


@transaction.atomic
def priority_entry_add(
    *, actor: User, priority_list: PriorityList, household: Household, reason: str
) -> PriorityEntry:
    """Propose a household of the commune, eligible for the programme today or in the list
    year, at the end of the households proposed (commune officer)."""
    _require_role(actor, Role.COMMUNE_OFFICER, priority_list.commune)
    priority_list = _lock(priority_list)
    _ensure_draft(priority_list)
    errors: dict[str, list[str]] = {}
    # A household the actor may not change, or of another commune, is refused without a word
    # about it: the message is the same as for a household that does not exist.
    own = (
        Household.objects.editable_by(actor)
        .filter(pk=household.pk, commune_id=priority_list.commune_id)
        .first()
    )
    if own is None:
        errors["household"] = [_("Choose a household of the commune of this list.")]
    else:
        entries = _entries(priority_list)
        if any(e.household_id == own.pk for e in entries):
            errors["household"] = [
                _("Household %(code)s is already on this list.") % {"code": own.code}
            ]
        elif len(entries) >= MAX_ENTRIES:
            errors["household"] = [_("This list is full.")]
        elif message := eligibility_refusal(priority_list.programme, own, priority_list.year):
            errors["household"] = [message]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the household is proposed (its place on the list).")]
    if errors:
        raise ValidationError(errors)
    entry = PriorityEntry(
        priority_list=priority_list,
        household=own,
        unit_path=own.unit_path,
        rank=max((e.rank for e in entries), default=0) + 1,
        reason=reason.strip(),
    )
    entry._history_user = actor
    entry.save()
    _renumber(priority_list, _in_order([*entries, entry]), actor)
    entry.refresh_from_db()
    return entry


def _locked_entry(actor: User, entry: PriorityEntry) -> tuple[PriorityList, list[PriorityEntry]]:
    _require_role(actor, Role.COMMUNE_OFFICER, entry.priority_list.commune)
    priority_list = _lock(entry.priority_list)
    _ensure_draft(priority_list)
    return priority_list, _entries(priority_list)


@transaction.atomic
def priority_entry_move(*, actor: User, entry: PriorityEntry, rank: int) -> PriorityEntry:
    """Put a proposed household at place `rank`; those between shift by one (commune officer)."""
    priority_list, entries = _locked_entry(actor, entry)
    current = next(e for e in entries if e.pk == entry.pk)
    proposed = [e for e in _in_order(entries) if not e.withdrawn]
    if current.withdrawn:
        raise ValidationError({"rank": _("A withdrawn household has no place to move to.")})
    if rank is None or not 1 <= rank <= len(proposed):
        raise ValidationError({"rank": _("Choose a place from 1 to %(n)d.") % {"n": len(proposed)}})
    proposed.remove(current)
    proposed.insert(rank - 1, current)
    withdrawn = [e for e in _in_order(entries) if e.withdrawn]
    _renumber(priority_list, [*proposed, *withdrawn], actor)
    current.refresh_from_db()
    return current


@transaction.atomic
def priority_entry_withdraw(*, actor: User, entry: PriorityEntry, reason: str) -> PriorityEntry:
    """Withdraw a household from the list, saying why: it is kept, marked withdrawn, and goes to
    the end; the places of the others close up (commune officer)."""
    priority_list, entries = _locked_entry(actor, entry)
    current = next(e for e in entries if e.pk == entry.pk)
    if current.withdrawn:
        raise ValidationError({"withdrawn": _("This household is already withdrawn.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the household is withdrawn.")})
    current.withdrawn = True
    current.withdrawn_reason = reason.strip()
    current.withdrawn_at = timezone.now()
    current._history_user = actor
    current.save(update_fields=["withdrawn", "withdrawn_reason", "withdrawn_at"])
    _renumber(priority_list, _in_order(entries), actor)
    current.refresh_from_db()
    return current


@transaction.atomic
def priority_entry_update_reason(
    *, actor: User, entry: PriorityEntry, reason: str
) -> PriorityEntry:
    """Change the reason given for a household's place (commune officer)."""
    _priority_list, entries = _locked_entry(actor, entry)
    current = next(e for e in entries if e.pk == entry.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the household has this place.")})
    current.reason = reason.strip()
    current._history_user = actor
    current.save(update_fields=["reason"])
    return current
