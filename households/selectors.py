"""Reads of households, members and reviews: always scoped, always in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .campaign.selectors import review_steps
from .choices import EDITABLE_STATUSES
from .models import Household, HouseholdYear, Member, Review, StatusPeriod
from .privacy import mask_id_number

# --- the status in force ----------------------------------------------------------------------


def current_list_year(on: dt.date | None = None) -> int:
    """The list year in force on `on` (default today): a list runs from 1 January to 31 December
    of its year (Decision 24/2021/QĐ-TTg art. 3.1: the autumn review sets next year's list)."""
    return (on or timezone.localdate()).year


def _years() -> Prefetch:
    rows = HouseholdYear.objects.select_related("review", "decision").order_by("-list_year")
    return Prefetch("years", queryset=rows)


def household_status(household: Household, year: int) -> HouseholdYear | None:
    """The status of this household in list year `year`: the class recognised for that year (by
    the periodic review or a later monthly one), or None when it is on no list of that year.

    The one answer to "is this household poor in year Y": pages, the API, the campaign and
    `standard_impact` all ask here. Uses the rows prefetched by the household selectors."""
    if "years" in getattr(household, "_prefetched_objects_cache", {}):
        return next((row for row in household.years.all() if row.list_year == year), None)
    return (
        HouseholdYear.objects.select_related("review", "decision")
        .filter(household=household, list_year=year)
        .first()
    )


def household_statuses(
    households: Iterable[Household | int], year: int
) -> dict[int, HouseholdYear]:
    """`household_status` for many households in one query: {household id: status}."""
    ids = [h if isinstance(h, int) else h.pk for h in households]
    rows = HouseholdYear.objects.filter(household_id__in=ids, list_year=year).select_related(
        "review", "decision"
    )
    return {row.household_id: row for row in rows}


def status_in_force(household: Household, on: dt.date | None = None) -> HouseholdYear | None:
    """The status that holds on `on` (today): this year's, unless it ended (moved out)."""
    on = on or timezone.localdate()
    status = household_status(household, current_list_year(on))
    return status if status is not None and status.in_force_on(on) else None


def statuses_before(household_ids: Iterable[int], list_year: int) -> dict[int, HouseholdYear]:
    """The list in force just before a recognition for `list_year`, per household: the status of
    that year if the household has one (a monthly review replacing it), else the status of the
    year before (the periodic review replacing last year's list), whether it came from the
    periodic or a monthly review. A status ended by a move out counts as none."""
    rows = HouseholdYear.objects.filter(
        household_id__in=list(household_ids), list_year__in=[list_year - 1, list_year]
    ).order_by("list_year")
    latest = {row.household_id: row for row in rows}  # this year's wins over last year's
    return {household_id: row for household_id, row in latest.items() if not row.ended_early}


def _period_rows() -> QuerySet[StatusPeriod]:
    return StatusPeriod.objects.select_related("decision").order_by("valid_from")


def status_periods_prefetch() -> Prefetch:
    """Prefetch of households' periods, oldest first, which `status_periods` and `status_on`
    then read without a query."""
    return Prefetch("status_periods", queryset=_period_rows())


def status_periods(household: Household) -> list[StatusPeriod]:
    """Every period of this household, oldest first: which recognised status held from when to
    when, all segments of each list year (a monthly recognition splits its year). One query,
    none when prefetched (`status_periods_prefetch`)."""
    if "status_periods" in getattr(household, "_prefetched_objects_cache", {}):
        return list(household.status_periods.all())
    return list(_period_rows().filter(household=household))


def status_on(household: Household, day: dt.date) -> StatusPeriod | None:
    """The status in force on `day`, whichever segment of its year holds it, or None when the
    household was on no list that day (or had moved out). Support eligibility asks here."""
    if "status_periods" in getattr(household, "_prefetched_objects_cache", {}):
        return next((p for p in household.status_periods.all() if p.in_force_on(day)), None)
    return _period_rows().filter(household=household).covering(day).first()


def statuses_on(household_ids: Iterable[int], day: dt.date) -> dict[int, StatusPeriod]:
    """`status_on` for many households in one query: {household id: period in force}."""
    rows = (
        StatusPeriod.objects.filter(household_id__in=list(household_ids))
        .covering(day)
        .select_related("decision")
    )
    return {row.household_id: row for row in rows}


def editable_review(household: Household) -> Review | None:
    """The review whose facts may still be entered (listed or surveyed), newest first."""
    return next((r for r in household.reviews.all() if r.status in EDITABLE_STATUSES), None)


def latest_review(household: Household) -> Review | None:
    """The newest review whatever its step: newest list year first and, within a year, its monthly
    reviews (newest first), which come after its periodic one."""
    return next(iter(household.reviews.all()), None)


# --- households -------------------------------------------------------------------------------


def household_list(*, user) -> QuerySet[Household]:
    """Households `user` may see, with their units and current members joined."""
    return (
        Household.objects.visible_to(user)
        .select_related("commune", "village")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.filter(left_on__isnull=True)),
            Prefetch("reviews", queryset=Review.objects.order_by("-list_year", "kind", "-pk")),
            _years(),
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
                queryset=Review.objects.select_related("reviewer", "decision")
                .prefetch_related(Prefetch("steps", queryset=review_steps()))
                .order_by("-list_year", "kind", "-pk"),
            ),
            _years(),
        )
    )


def _record_label(record, kind: str, household: Household) -> str:
    """A history record's name, read from the record itself (no query per record)."""
    if kind == "member":
        return record.full_name
    if kind in ("review", "status"):
        return f"{household.code} · {record.list_year}"
    if kind == "request":
        return f"{record.get_kind_display()} · {record.requested_on:%d/%m/%Y}"
    if kind == "objection":
        return f"{record.get_kind_display()} · {record.received_on:%d/%m/%Y}"
    if kind == "priority_entry":
        row = record.priority_list
        return f"{row.programme.name} · {row.year} · #{record.rank}"
    return household.code


# django-simple-history's record types, named as the pages and the API show them.
HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# The timeline's kinds of entry, in the order they are read (the API's `kind` enum).
TIMELINE_KINDS = (
    "household",
    "member",
    "review",
    "status",
    "request",
    "objection",
    "priority_entry",
    "review_step",
    "disbursement",
    "status_period",
    "entitlement",
    "status_change",
    "certificate",
    "meeting_vote",
)
# Rows audited by `AuditEntry` (households.audit), by model label.
AUDIT_KINDS = {
    "households.statusperiod": "status_period",
    "policies.entitlement": "entitlement",
    "households.statuschange": "status_change",
    "households.certificate": "certificate",
    "households.meetingvote": "meeting_vote",
    "policies.disbursement": "disbursement",
}
# What a disbursement's own row says of it (it is written once; a reversal is a new row).
DISBURSEMENT_FIELDS = (
    "kind",
    "member",
    "paid_on",
    "period",
    "variant",
    "quantity",
    "amount",
    "funding_source",
    "classification",
    "batch",
    "reverses",
    "out_of_order_reason",
    "reference",
    "note",
    "source_key",
)


# The rows a related row's name reads (its __str__), joined so that naming costs no query.
NAME_JOINS = {
    "households.review": ("household",),
    "policies.disbursement": ("programme",),
    "policies.disbursementbatch": ("programme", "commune"),
    "policies.priorityentry": ("priority_list__programme", "priority_list__commune"),
    "households.villagemeeting": ("village", "commune"),
}


def _who(user) -> dict[str, Any]:
    return {
        "who": user,
        "who_name": (user.get_full_name() or user.get_username()) if user else None,
        "who_username": user.get_username() if user else None,
    }


def _history_sources(household: Household) -> list[tuple[QuerySet, str]]:
    from policies.support.models import PriorityEntry

    from .models import Objection, ReviewRequest

    pk = household.pk
    return [
        (household.history.all(), "household"),
        (Member.history.filter(household_id=pk), "member"),
        (Review.history.filter(household_id=pk), "review"),
        (HouseholdYear.history.filter(household_id=pk), "status"),
        (ReviewRequest.history.filter(household_id=pk), "request"),
        (Objection.history.filter(review__household_id=pk), "objection"),
        (
            PriorityEntry.history.filter(household_id=pk).select_related(
                "priority_list__programme"
            ),
            "priority_entry",
        ),
    ]


def _history_entries(household: Household) -> list[dict[str, Any]]:
    """The django-simple-history records of the household and the rows of it that keep one:
    one query per kind."""
    entries = []
    for queryset, kind in _history_sources(household):
        joins = ["history_user"]
        if any(f.name == "import_batch" for f in queryset.model._meta.fields):
            joins.append("import_batch")
        records = list(queryset.select_related(*joins).order_by("history_date", "history_id"))
        previous_by_id: dict[int, object] = {}
        for record in records:
            previous = previous_by_id.get(record.id)
            changes = (
                [
                    {"field": c.field, **_masked(c.field, c.old, c.new)}
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
                    **_who(record.history_user),
                    "kind": kind,
                    "action": HISTORY_ACTIONS[record.history_type],
                    "object": _record_label(record, kind, household),
                    "model": record.instance_type._meta,
                    "model_name": record.instance_type._meta.verbose_name,
                    "import_batch": getattr(record, "import_batch", None),
                    "changes": changes,
                }
            )
    return entries


def _step_entries(household: Household) -> list[dict[str, Any]]:
    """Each move of the household's reviews (a `ReviewStep` is its own record: who, when, from,
    to, why). One query."""
    from .models import ReviewStep

    steps = ReviewStep.objects.filter(review__household_id=household.pk).select_related(
        "actor", "review"
    )
    entries = []
    for step in steps.order_by("at", "id"):
        changes = [
            {"field": "to_status", "label": _("step"), "old": step.from_status,
             "new": step.to_status}
        ]  # fmt: skip
        if step.comment:
            changes.append(
                {"field": "comment", "label": _("comment"), "old": None, "new": step.comment}
            )
        entries.append(
            {
                "when": step.at,
                **_who(step.actor),
                "kind": "review_step",
                "action": "changed",
                "object": f"{household.code} · {step.review.list_year}",
                "model": ReviewStep._meta,
                "model_name": ReviewStep._meta.verbose_name,
                "import_batch": None,
                "changes": changes,
            }
        )
    return entries


def _disbursement_entries(household: Household) -> list[dict[str, Any]]:
    """Every payment and reversal of the household, in a batch or alone, as recorded (the row is
    written once: who, when and every value it holds). One query."""
    from policies.support.models import Disbursement

    rows = Disbursement.objects.filter(household_id=household.pk).select_related(
        "programme", "recorded_by"
    )
    meta = Disbursement._meta
    entries = []
    for row in rows.order_by("recorded_at", "id"):
        changes = []
        for name in DISBURSEMENT_FIELDS:
            value = meta.get_field(name).value_from_object(row)
            if value is not None and value != "":
                changes.append({"field": name, "old": None, "new": value})
        entries.append(
            {
                "when": row.recorded_at,
                **_who(row.recorded_by),
                "kind": "disbursement",
                "action": "created",
                "object": f"{row.programme.name} · {row.period}",
                "model": meta,
                "model_name": meta.verbose_name,
                "import_batch": None,
                "changes": changes,
            }
        )
    return entries


def _audit_entries(household: Household) -> list[dict[str, Any]]:
    """The household's `AuditEntry` rows (households.audit): rows without a history of their
    own. One query."""
    from django.apps import apps

    from .models import AuditEntry

    rows = AuditEntry.objects.filter(household_id=household.pk).select_related(
        "actor", "import_batch"
    )
    entries = []
    for row in rows.order_by("at", "id"):
        meta = apps.get_model(row.model)._meta
        changes = [
            {
                "field": c["field"],
                "old": _from_json(meta, c["field"], c["old"]),
                "new": _from_json(meta, c["field"], c["new"]),
            }
            for c in row.changes
            if _has_field(meta, c["field"])
        ]
        entries.append(
            {
                "when": row.at,
                **_who(row.actor),
                "kind": AUDIT_KINDS.get(row.model, row.model),
                "action": row.action,
                "object": f"{household.code} · #{row.object_id}",
                "model": meta,
                "model_name": meta.verbose_name,
                "import_batch": row.import_batch,
                "changes": changes,
            }
        )
    return entries


def _has_field(meta, name: str) -> bool:
    try:
        meta.get_field(name)
    except Exception:  # a field removed since the entry was written
        return False
    return True


def _from_json(meta, name: str, value):
    """A value as the field holds it (dates come back from JSON as text)."""
    if value is None:
        return None
    field = meta.get_field(name)
    if field.is_relation:
        return value
    try:
        return field.to_python(value)
    except Exception:
        return value


def household_timeline(household: Household) -> list[dict[str, Any]]:
    """Every recorded write to the household and to what concerns it, newest first: the one
    timeline the household page and the API's history show (to those who may see the
    household: callers pass a household read through `visible_to`).

    Read from the history of the household, its members, reviews, status rows, requests,
    objections and priority-list places; the review steps; the disbursements (payments and
    reversals, in a batch or alone); and the audit trail of the rows without history (status
    periods, entitlements, status changes, certificates, meeting votes, a payment marked
    reversed). Each entry: when, who (a user or None), who_name, who_username, kind (one of
    `TIMELINE_KINDS`), action ("created", "changed", "deleted"), object, model_name,
    import_batch (the `ImportBatch` that wrote it, or None) and changes, each change with its
    field, label, old and new values as stored, and old_display / new_display as a person reads
    them (choices by label, related rows by name). Ten queries, and one more per kind of
    related row that changed.
    """
    entries = [
        *_history_entries(household),
        *_step_entries(household),
        *_disbursement_entries(household),
        *_audit_entries(household),
    ]
    _describe_changes(entries)
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def _masked(field: str, old, new) -> dict[str, Any]:
    """A change's values as the history shows them: an ID number by its last digits only, to
    everyone (the full number is on the member, for those who may see it)."""
    if field == "id_number":
        return {"old": mask_id_number(old) or None, "new": mask_id_number(new) or None}
    return {"old": old, "new": new}


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
    related = {model: _names(model, ids) for model, ids in related_ids.items()}
    for entry in entries:
        for change in entry["changes"]:
            field = entry["model"].get_field(change["field"])
            change.setdefault("label", str(field.verbose_name))
            change["old_display"] = _value_display(field, change["old"], related)
            change["new_display"] = _value_display(field, change["new"], related)


def _names(model, ids) -> dict[Any, str]:
    rows = model._default_manager.filter(pk__in=ids)
    if joins := NAME_JOINS.get(model._meta.label_lower):
        rows = rows.select_related(*joins)
    return {obj.pk: str(obj) for obj in rows}


def _value_display(field, value, related) -> str:
    if value is None or value == "":
        return "—"
    if field.name == "id_number":  # history diffs show the last 4 digits to everyone
        return mask_id_number(value) or "—"
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
    # The commune: a review stored without its prose renders it with the commune's overrides
    # (households.evaluation.review_explanations), in the same query.
    return Review.objects.visible_to(user).select_related("household__commune", "reviewer")
