"""Writing the audit trail of rows that keep no history of their own (`AuditEntry`).

Rows with `HistoricalRecords` are audited by django-simple-history on `save()`/`delete()` and by
its bulk helpers; the services call `audit_writes` for everything else a household's write
touches: derived rows written in bulk (status periods, entitlements), events (status changes,
certificates, meeting votes) and fields a queryset `update()` changes (it sends no signal, so
history never sees it). One `bulk_create` a call, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from .models.audit import AuditAction, AuditEntry

# Fields an entry never repeats: the row's own key, the household the entry belongs to, copies
# of the household's unit path and bookkeeping dates.
_SKIPPED = {"id", "household", "unit_path", "updated_at", "created_at", "recorded_at"}


def audited_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _SKIPPED]


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The audited values of `obj` as stored (related rows by id), to diff after a change."""
    return {f.name: f.value_from_object(obj) for f in audited_fields(type(obj))}


def _household_id(obj: models.Model) -> int:
    return obj.household_id


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _set(field: str, old, new) -> dict[str, Any]:
    return {"field": field, "old": old, "new": new}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [_set(k, before.get(k), v) for k, v in after.items() if before.get(k) != v]


def _created_changes(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [_set(k, None, v) for k, v in values.items() if not _empty(v)]


def created_entries(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, actor, at
) -> list[dict[str, Any]]:
    """`audit_writes(created=...)` of rows given as values by attname (written in bulk without
    model instances, `households.interchange.bulk.insert_rows`; a field left out holds its
    default): the entries as values, for the same writer."""
    fields = [(f.name, f.attname, f.get_default()) for f in audited_fields(model)]
    label = model._meta.label_lower
    actor_id = getattr(actor, "pk", None)
    return [
        {
            "household_id": row["household_id"],
            "at": at,
            "actor_id": actor_id,
            "model": label,
            "object_id": row["id"],
            "action": AuditAction.CREATED,
            "changes": _created_changes(
                {name: row.get(attname, default) for name, attname, default in fields}
            ),
        }
        for row in rows
    ]


def audit_writes(
    *,
    actor,
    created: Iterable[models.Model] = (),
    changed: Iterable[tuple[models.Model, dict[str, Any]]] = (),
    deleted: Iterable[models.Model] = (),
    household_of: Callable[[models.Model], int] = _household_id,
    at=None,
) -> list[AuditEntry]:
    """Record, in one query, rows created (every value new), rows changed (`(row, snapshot
    before)`: the fields that differ) and rows deleted (every value gone). A change that changed
    nothing is not recorded."""
    at = at or timezone.now()
    actor_id = getattr(actor, "pk", None)
    entries = []

    def entry(obj, action, changes):
        entries.append(
            AuditEntry(
                household_id=household_of(obj),
                at=at,
                actor_id=actor_id,
                model=obj._meta.label_lower,
                object_id=obj.pk,
                action=action,
                changes=changes,
            )
        )

    for obj in created:
        entry(obj, AuditAction.CREATED, _created_changes(snapshot(obj)))
    for obj, before in changed:
        changes = _changes(before, snapshot(obj))
        if changes:
            entry(obj, AuditAction.CHANGED, changes)
    for obj in deleted:
        values = snapshot(obj).items()
        entry(obj, AuditAction.DELETED, [_set(k, v, None) for k, v in values if not _empty(v)])
    if entries:
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return entries
