"""Writing many rows at once, with their history: PostgreSQL's COPY where the database is
PostgreSQL, `bulk_create` elsewhere (SQLite in development and the tests).

COPY needs the primary keys before the rows are sent (the history rows and the rows that refer
to them name them), so they are taken from the table's sequence in one query; `bulk_create`
returns them on both back-ends. Either way the rows are written in the caller's transaction,
with the same values: the fields' `pre_save` (auto_now dates) and database preparation run as
they do for `save()`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 5000  # rows a COPY or a bulk_create sends at once


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if kind is int:
        return str(value)
    if kind is bool:
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


def _converter(field: models.Field):
    """How to turn a value of `field` into its COPY text: as it is, through what
    `get_db_prep_save` does for the few kinds of field the registry uses (it is by far the
    slowest part of a COPY otherwise)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def json_text(value):
            if value is None:
                return "\\N"
            return _copy_text(json.dumps(value, cls=encoder, ensure_ascii=False))

        return json_text
    if isinstance(field, models.DecimalField):
        return lambda value: _copy_text(field.get_db_prep_save(value, connection))
    return _copy_text


def _auto_now(field: models.Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _reader(field: models.Field):
    """How to read the COPY text of `field` from an object."""
    if _auto_now(field):
        return lambda obj: _copy_text(field.pre_save(obj, add=True))
    attname, convert = field.attname, _converter(field)
    return lambda obj: convert(getattr(obj, attname))


class _RowPlan:
    """How rows given as values by attname (every row with the same ones, `given`) become the
    tuples of a COPY in CSV format: the given columns read in one step (`itemgetter`), the JSON
    ones encoded, then the columns left out, which hold the same value on every row (their
    default; the time of the write for an auto_now date). The CSV itself is written by the
    csv module (C), which is several times faster than building COPY's text format a value at
    a time."""

    def __init__(
        self,
        fields: Sequence[models.Field],
        given: Collection[str],
        now: dt.datetime,
        constants: dict[str, Any] | None = None,
    ) -> None:
        constants = constants or {}
        present = [f for f in fields if f.attname in given and f.attname not in constants]
        absent = [f for f in fields if f not in present]
        self.columns = [f.column for f in present] + [f.column for f in absent]
        names = [f.attname for f in present]
        getter = itemgetter(*names) if names else (lambda row: ())
        self._get = (lambda row: (getter(row),)) if len(names) == 1 else getter
        self._json = [
            (i, f.encoder) for i, f in enumerate(present) if isinstance(f, models.JSONField)
        ]
        self._rest = tuple(
            constants[f.attname] if f.attname in constants else self._default(f, now)
            for f in absent
        )

    @staticmethod
    def _default(field: models.Field, now: dt.datetime) -> Any:
        """What a model instance would hold for a field left out (its default, "" for text)."""
        if _auto_now(field):
            return now
        value = field.get_default()
        if isinstance(field, models.JSONField) and value is not None:
            return json.dumps(value, cls=field.encoder, ensure_ascii=False)
        return value

    def values(self, row: dict[str, Any]) -> tuple:
        values = self._get(row)
        if self._json:
            values = list(values)
            for i, encoder in self._json:
                if values[i] is not None:
                    values[i] = json.dumps(values[i], cls=encoder, ensure_ascii=False)
            values = tuple(values)
        return values + self._rest


STREAM_ROWS = 256  # rows made at each read of a COPY's stream
STREAM_BYTES = 64 * 1024  # what psycopg2 asks of the stream at a time (a hint: any length goes)


class _Stream:
    """The file psycopg2's `copy_expert` reads a COPY's data from, made a few hundred items at a
    time as it asks (`render` turns them into COPY's text): PostgreSQL (another process, on
    another core) inserts what it was sent while the next rows are made, instead of waiting for
    the whole batch to be built first."""

    def __init__(self, items: Iterable[Any], render: Callable[[list[Any]], str]) -> None:
        self._items = iter(items)
        self._render = render

    def read(self, size: int = -1) -> str:
        part = list(islice(self._items, STREAM_ROWS))
        return self._render(part) if part else ""  # "": the end of the data


def _csv_text(rows: list[tuple]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _lines_text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _write_csv(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """COPY rows into `table` in CSV format: every value but None quoted (so that an empty
    string stays one), None unquoted and empty (NULL); booleans, numbers, dates and times as
    `str` gives them, which PostgreSQL reads as such."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sql = f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, _Stream(rows, _csv_text), size=STREAM_BYTES)


def _write(model: type[models.Model], columns: list[str], lines: Iterable[str]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, _Stream(lines, _lines_text), size=STREAM_BYTES)


def _copy(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    fields = model._meta.concrete_fields
    readers = [_reader(f) for f in fields]
    _write(
        model,
        [f.column for f in fields],
        ("\t".join(read(obj) for read in readers) for obj in objs),
    )


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert new rows (their primary keys are set on the objects)."""
    for start in range(0, len(objs), BATCH):
        part = objs[start : start + BATCH]
        if uses_copy():
            missing = [obj for obj in part if obj.pk is None]
            for obj, pk in zip(missing, _allocate_ids(model, len(missing)), strict=True):
                obj.pk = pk
            _copy(model, part)
        else:
            model.objects.bulk_create(part)
        for obj in part:
            obj._state.adding = False


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert new rows given as values by attname, every row with the same ones, without
    building a model instance a row (at a province's scale, most of the time of a COPY): the
    fields left out take their defaults, and each row gets its primary key."""
    pk = model._meta.pk.attname
    fields = model._meta.concrete_fields
    for start in range(0, len(rows), BATCH):
        part = rows[start : start + BATCH]
        now = timezone.now()
        for field in fields:  # the same time in the rows' history (`history_rows`)
            if _auto_now(field) and field.attname not in part[0]:
                for row in part:
                    row[field.attname] = now
        if uses_copy():
            for row, value in zip(part, _allocate_ids(model, len(part)), strict=True):
                row[pk] = value
            plan = _RowPlan(fields, part[0].keys(), now)
            _write_csv(model._meta.db_table, plan.columns, map(plan.values, part))
        else:
            objs = [model(**row) for row in part]
            model.objects.bulk_create(objs)  # sets the auto_now dates again
            stamped = [f.attname for f in fields if _auto_now(f)]
            for row, obj in zip(part, objs, strict=True):
                row[pk] = obj.pk
                for attname in stamped:
                    row[attname] = getattr(obj, attname)


def _history_columns(model: type[models.Model], reader, *, history_type, user_id, when, reason):
    """The columns of `model`'s historical table and how to read each from a row (`reader`
    of a tracked field): the historical model's own fields are the same for every row, and
    the records point to the import batch being written (`ImportedHistory`)."""
    from households.models.imports import current_import_batch_id

    historical = model.history.model
    own = {
        "history_date": _copy_text(when),
        "history_change_reason": _copy_text(reason or None),
        "history_type": _copy_text(history_type),
        "history_user_id": _copy_text(user_id),
        "import_batch_id": _copy_text(current_import_batch_id()),
    }
    tracked = {f.attname: f for f in historical.tracked_fields}
    columns, readers = [], []
    for field in historical._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        columns.append(field.column)
        if field.attname in own:
            text = own[field.attname]
            readers.append(lambda row, text=text: text)
        else:
            readers.append(reader(tracked[field.attname]))
    return columns, readers


def history(
    model: type[models.Model],
    objs: Sequence[models.Model],
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
    if uses_copy():
        columns, readers = _history_columns(
            model, _reader, history_type=history_type, user_id=user_id, when=when, reason=reason
        )
        for start in range(0, len(objs), BATCH):
            part = objs[start : start + BATCH]
            _write(historical, columns, ("\t".join(r(obj) for r in readers) for obj in part))
        return len(objs)
    rows = [
        historical(
            history_date=when,
            history_user_id=user_id,
            history_change_reason=reason or None,
            history_type=history_type,
            **{field.attname: getattr(obj, field.attname) for field in historical.tracked_fields},
        )
        for obj in objs
    ]
    historical.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def history_rows(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    history_type: str,
    user_id: int | None,
    when: dt.datetime | None = None,
) -> int:
    """`history` of rows written by `insert_rows` (values by attname, the defaults left out)."""
    if not rows:
        return 0
    when = when or timezone.now()
    if not uses_copy():
        objs = [model(**row) for row in rows]
        return history(model, objs, history_type=history_type, user_id=user_id, when=when)
    from households.models.imports import current_import_batch_id

    historical = model.history.model
    # The historical model's own fields, the same for every row.
    own = {
        "history_date": when,
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": user_id,
        "import_batch_id": current_import_batch_id(),
    }
    fields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    plan = _RowPlan(fields, rows[0].keys(), when, constants=own)
    for start in range(0, len(rows), BATCH):
        _write_csv(
            historical._meta.db_table, plan.columns, map(plan.values, rows[start : start + BATCH])
        )
    return len(rows)


def update(model: type[models.Model], objs: Sequence[models.Model], fields: list[str]) -> None:
    """Write changed fields of existing rows (few: an updated file changes some rows)."""
    if objs:
        model.objects.bulk_update(objs, fields, batch_size=1000)


def analyze(models_: Iterable[type[models.Model]]) -> None:
    """Refresh the planner's statistics of tables just filled in bulk (PostgreSQL).

    An import writes hundreds of thousands of rows in one transaction; until the tables are
    analysed the planner still sees them as they were before (an empty registry: a few rows),
    and plans the later look-ups by a list of ids (`household_id IN (...)`, thousands at a time)
    as full scans of tables now a million rows long. ANALYZE inside the transaction reads its
    own rows, so the rest of the import is planned on what is there.
    """
    models_ = list(models_)
    if not uses_copy() or not models_:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models_)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
