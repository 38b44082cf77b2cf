"""Writing many rows at once, with their history: PostgreSQL's COPY where the database is
PostgreSQL, `bulk_create` elsewhere (SQLite in development and the tests).

COPY needs the primary keys before the rows are sent (the history rows and the rows that refer
to them name them), so they are taken from the table's sequence in one query; `bulk_create`
returns them on both back-ends. Either way the rows are written in the caller's transaction,
with the same values: the fields' `pre_save` (auto_now dates) and database preparation run as
they do for `save()`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

BATCH = 5000  # rows a COPY or a bulk_create sends at once


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, int, Decimal, float)):
        return str(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _db_value(field: models.Field, obj: models.Model):
    value = field.pre_save(obj, add=True)
    if isinstance(field, models.JSONField):
        return None if value is None else json.dumps(value, cls=field.encoder, ensure_ascii=False)
    return field.get_db_prep_save(value, connection)


def _copy(model: type[models.Model], objs: Sequence[models.Model], *, with_pk: bool) -> None:
    fields = [
        f
        for f in model._meta.concrete_fields
        if with_pk or not (f.primary_key and isinstance(f, models.AutoField))
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    buffer = io.StringIO()
    for obj in objs:
        buffer.write("\t".join(_copy_text(_db_value(f, obj)) for f in fields))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", buffer
        )


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert new rows (their primary keys are set on the objects)."""
    for start in range(0, len(objs), BATCH):
        part = objs[start : start + BATCH]
        if uses_copy():
            missing = [obj for obj in part if obj.pk is None]
            for obj, pk in zip(missing, _allocate_ids(model, len(missing)), strict=True):
                obj.pk = pk
            _copy(model, part, with_pk=True)
        else:
            model.objects.bulk_create(part)
        for obj in part:
            obj._state.adding = False


def history(
    model: type[models.Model],
    objs: Iterable[models.Model],
    *,
    history_type: str,
    user_id: int | None,
    when: dt.datetime | None = None,
    reason: str = "",
) -> int:
    """Write one historical record per object ("+" created, "~" changed), as a `save()` would;
    the records point to the import batch being written (`ImportedHistory`). Returns how many."""
    historical = model.history.model
    when = when or timezone.now()
    tracked = historical.tracked_fields
    rows = [
        historical(
            history_date=when,
            history_user_id=user_id,
            history_change_reason=reason or None,
            history_type=history_type,
            **{field.attname: getattr(obj, field.attname) for field in tracked},
        )
        for obj in objs
    ]
    for start in range(0, len(rows), BATCH):
        part = rows[start : start + BATCH]
        if uses_copy():
            _copy(historical, part, with_pk=False)
        else:
            historical.objects.bulk_create(part)
    return len(rows)


def update(model: type[models.Model], objs: Sequence[models.Model], fields: list[str]) -> None:
    """Write changed fields of existing rows (few: an updated file changes some rows)."""
    if objs:
        model.objects.bulk_update(objs, fields, batch_size=1000)
