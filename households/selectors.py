"""Reads of households, members and reviews: always scoped, always in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Household, Member, Review, ReviewStep


def household_list(*, user) -> QuerySet[Household]:
    """Households `user` may see, with their units and current members joined."""
    return (
        Household.objects.visible_to(user)
        .select_related("commune", "village")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.filter(left_on__isnull=True)),
            Prefetch("reviews", queryset=Review.objects.order_by("-list_year", "kind")),
        )
    )


def household_detail(*, user) -> QuerySet[Household]:
    """Households `user` may see, with everything a household page shows."""
    return (
        Household.objects.visible_to(user)
        .select_related("commune", "village", "province", "created_by")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("left_on", "id")),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer")
                .prefetch_related(
                    Prefetch("steps", queryset=ReviewStep.objects.select_related("actor"))
                )
                .order_by("-list_year", "kind"),
            ),
        )
    )


def _record_label(record, kind: str, household: Household) -> str:
    """A history record's name, read from the record itself (no query per record)."""
    if kind == "member":
        return record.full_name
    if kind == "review":
        return f"{household.code} · {record.list_year}"
    return household.code


def household_timeline(household: Household) -> list[dict]:
    """Every recorded change to the household, its members and reviews, newest first."""
    entries = []
    sources = [
        (household.history.all(), "household"),
        (Member.history.filter(household_id=household.pk), "member"),
        (Review.history.filter(household_id=household.pk), "review"),
    ]
    for queryset, kind in sources:
        records = list(queryset.select_related("history_user").order_by("history_date"))
        previous_by_id: dict[int, object] = {}
        for record in records:
            previous = previous_by_id.get(record.id)
            changes = (
                [
                    {"field": c.field, "old": c.old, "new": c.new}
                    for c in record.diff_against(previous).changes
                ]
                if previous is not None
                else []
            )
            previous_by_id[record.id] = record
            if record.history_type == "~" and not changes:
                continue  # a save that changed nothing recorded
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "kind": kind,
                    "action": record.history_type,  # + created, ~ changed, - deleted
                    "object": _record_label(record, kind, household),
                    "changes": changes,
                    "model": record.instance_type._meta,
                }
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def member_list(*, user) -> QuerySet[Member]:
    return Member.objects.visible_to(user).select_related("household")


def review_list(*, user) -> QuerySet[Review]:
    return Review.objects.visible_to(user).select_related("household", "reviewer")
