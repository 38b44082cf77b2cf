"""Reads of households, members and reviews: always scoped, always in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from .campaign.selectors import review_steps
from .models import Household, Member, Review


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
                .prefetch_related(Prefetch("steps", queryset=review_steps()))
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


# django-simple-history's record types, named as the pages and the API show them.
HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def household_timeline(household: Household) -> list[dict[str, Any]]:
    """Every recorded change to the household, its members and reviews, newest first: the one
    timeline the household page and the API's history show.

    Each entry: when, who (a user or None), who_name, who_username, kind ("household",
    "member", "review"), action ("created", "changed", "deleted"), object, model_name and
    changes, each change with its field, label, old and new values as stored, and old_display /
    new_display as a person reads them (choices by label, related rows by name). Three
    queries, and one more per kind of related row that changed.
    """
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
            user = record.history_user
            entries.append(
                {
                    "when": record.history_date,
                    "who": user,
                    "who_name": (user.get_full_name() or user.get_username()) if user else None,
                    "who_username": user.get_username() if user else None,
                    "kind": kind,
                    "action": HISTORY_ACTIONS[record.history_type],
                    "object": _record_label(record, kind, household),
                    "model": record.instance_type._meta,
                    "model_name": record.instance_type._meta.verbose_name,
                    "changes": changes,
                }
            )
    _describe_changes(entries)
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def _describe_changes(entries: list[dict[str, Any]]) -> None:
    """Give each change its field's label and readable values (one query per related model)."""
    related_ids: dict[Any, set] = defaultdict(set)
    for entry in entries:
        for change in entry["changes"]:
            field = entry["model"].get_field(change["field"])
            if field.is_relation:
                related_ids[field.related_model].update(
                    v for v in (change["old"], change["new"]) if v is not None
                )
    related = {
        model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
        for model, ids in related_ids.items()
    }
    for entry in entries:
        for change in entry["changes"]:
            field = entry["model"].get_field(change["field"])
            change["label"] = str(field.verbose_name)
            change["old_display"] = _value_display(field, change["old"], related)
            change["new_display"] = _value_display(field, change["new"], related)


def _value_display(field, value, related) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return related.get(field.related_model, {}).get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def member_list(*, user) -> QuerySet[Member]:
    return Member.objects.visible_to(user).select_related("household")


def review_list(*, user) -> QuerySet[Review]:
    return Review.objects.visible_to(user).select_related("household", "reviewer")
