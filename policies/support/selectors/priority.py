"""Reads of the priority lists: the lists of the user's area, a list with its entries (the
household, its status in force today, whether the programme already served it) and the next
household in line."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from households.choices import Classification

from .. import status
from ..choices import EntryKind
from ..models import Disbursement, PriorityEntry, PriorityList


def priority_list_list(*, user) -> QuerySet[PriorityList]:
    """The priority lists of the user's area, with how many households each proposes."""
    return (
        PriorityList.objects.visible_to(user)
        .select_related("programme", "commune")
        .annotate(proposed_count=Count("entries", filter=Q(entries__withdrawn=False)))
        .order_by("-year", "programme__position", "programme__code", "unit_path")
    )


def _served() -> Exists:
    """Whether the entry's household already received the programme in the list's year: a
    payment not reversed (a payment recorded against this entry counts whatever its year)."""
    return Exists(
        Disbursement.objects.filter(
            Q(year=OuterRef("priority_list__year")) | Q(priority_entry=OuterRef("pk")),
            programme=OuterRef("priority_list__programme"),
            household=OuterRef("household"),
            kind=EntryKind.PAYMENT,
            is_reversed=False,
        )
    )


def priority_entry_list(*, user) -> QuerySet[PriorityEntry]:
    """Entries of priority lists in the user's area, with `served`."""
    return (
        PriorityEntry.objects.visible_to(user)
        .select_related("priority_list__programme", "priority_list__commune", "household__village")
        .annotate(served=_served())
    )


def with_status(entries: Sequence[PriorityEntry]) -> list[PriorityEntry]:
    """Give each entry `status_in_force`: its household's recognised class today, or None (one
    query for all)."""
    entries = list(entries)
    in_force = status.statuses_on([e.household_id for e in entries], timezone.localdate())
    for entry in entries:
        segment = in_force.get(entry.household_id)
        entry.status_in_force = segment.classification if segment else None
        entry.status_label = Classification(segment.classification).label if segment else ""
    return entries


def priority_entries(priority_list: PriorityList) -> list[PriorityEntry]:
    """The list's entries in order (proposed, then withdrawn), with `served` and
    `status_in_force`."""
    entries = (
        PriorityEntry.objects.filter(priority_list=priority_list)
        .select_related("household__village")
        .annotate(served=_served())
        .order_by("rank")
    )
    return with_status(entries)


def priority_list_detail(*, user, pk: int) -> PriorityList:
    """A list of the user's area with its ordered `entry_rows`; 404 outside the area."""
    priority_list = priority_list_list(user=user).filter(pk=pk).first()
    if priority_list is None:
        raise Http404
    priority_list.entry_rows = priority_entries(priority_list)
    return priority_list


def next_in_line(priority_list: PriorityList) -> PriorityEntry | None:
    """The first household of the list neither withdrawn nor served yet, or None."""
    return (
        PriorityEntry.objects.filter(priority_list=priority_list, withdrawn=False)
        .annotate(served=_served())
        .filter(served=False)
        .select_related("household")
        .order_by("rank")
        .first()
    )
