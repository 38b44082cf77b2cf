"""Keeping the summaries (`reports.models`) equal to what the raw records give.

Every counter is a sum over households: what one household adds to each cell is a function of
its own records only (its status rows for the status and deprivation cells, its disbursements for
the support cells). So a service that changes some households' records brings the summaries up to
date by computing those households' contributions before and after its writes and adding the
difference to the cells (`UPDATE ... SET n = n + delta`, which commutes with any other
transaction's difference). `summaries_rebuild` sums the same contributions over every household
and writes the result, so the incremental cells are, by construction, what a rebuild gives.

The rules of what a household contributes:
- Its status row of list year Y counts in the cell (its commune, Y) when it was in force at the
  end of the year (not ended early by a move out): one household, its persons, by class, and by
  the ethnicity of its head.
- Its move against the previous list (households.campaign.transitions): the class of its row of
  Y - 1 (none: not on that list) to the class of Y, relapsed when it escaped poverty in an earlier
  year; counted in the cell of its row of Y.
- A poor household counts once in each indicator its recognised review found it deprived in.
- Support: per (commune, plan year, programme, variant; variant "" for the whole programme): one
  beneficiary household when it has a payment not reversed, its distinct members paid (per-person
  programmes), the payments not reversed, and quantity and amount net of reversals; of them those
  paid while poor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from households.campaign.choices import TransitionKind as T
from households.campaign.transitions import transition_kind
from households.choices import Classification as C
from households.models import Household, HouseholdYear
from registry.models import AdminUnit

from .models import (
    STATUS_COUNTERS,
    SUPPORT_COUNTERS,
    DeprivationSummary,
    StatusSummary,
    SupportSummary,
)

REBUILD_BATCH = 5000

# A cell: (model, key); the key's fields by model.
KEYS = {
    StatusSummary: ("commune_id", "year"),
    DeprivationSummary: ("commune_id", "year", "indicator"),
    SupportSummary: ("commune_id", "year", "programme_id", "variant"),
}
COUNTERS = {
    StatusSummary: STATUS_COUNTERS,
    DeprivationSummary: ("households",),
    SupportSummary: SUPPORT_COUNTERS,
}
Cells = dict[tuple[type, tuple], dict[str, int]]

_CLASS_FIELDS = {C.POOR: "poor", C.NEAR_POOR: "near_poor", C.MIDDLE_INCOME: "middle"}
_TRANSITION_FIELDS = {
    T.ESCAPED_POVERTY: "escaped_poverty",
    T.ESCAPED_NEAR_POVERTY: "escaped_near_poverty",
    T.NEWLY_POOR: "newly_poor",
    T.NEWLY_NEAR_POOR: "newly_near_poor",
    T.POOR_TO_NEAR_POOR: "poor_to_near_poor",
    T.NEAR_POOR_TO_POOR: "near_poor_to_poor",
    T.RELAPSED: "relapsed",
}
STATUS_VALUES = (
    "household_id", "list_year", "classification", "persons", "is_ethnic_minority",
    "commune_id", "end_reason", "review__deprivations",
)  # fmt: skip
SUPPORT_VALUES = (
    "household_id", "member_id", "commune_id", "year", "programme_id", "variant", "kind",
    "is_reversed", "quantity", "amount", "classification",
)  # fmt: skip


def _add(cells: Cells, model: type, key: tuple, **counts: int) -> None:
    cell = cells.setdefault((model, key), {})
    for name, value in counts.items():
        if value:
            cell[name] = cell.get(name, 0) + value


# --- what households contribute ---------------------------------------------------------------


def _status_of(rows: list[dict[str, Any]], cells: Cells) -> None:
    """Add one household's status rows (all its list years) to `cells`."""
    by_year = {row["list_year"]: row for row in rows}
    escaped = False
    for year in sorted(by_year):
        row = by_year[year]
        previous = by_year.get(year - 1)
        kind = transition_kind(
            previous["classification"] if previous else None,
            row["classification"],
            escaped_before=escaped,
        )
        if kind == T.ESCAPED_POVERTY:
            escaped = True
        if row["end_reason"]:  # not on the list at the end of the year
            continue
        key = (row["commune_id"], year)
        persons = row["persons"]
        counts = {"households": 1, "persons": persons}
        group = _CLASS_FIELDS.get(row["classification"])
        if group:
            counts[f"{group}_households"] = 1
            counts[f"{group}_persons"] = persons
        if row["is_ethnic_minority"]:
            counts["minority_households"] = 1
            counts["minority_persons"] = persons
            if group in ("poor", "near_poor"):
                counts[f"minority_{group}_households"] = 1
                counts[f"minority_{group}_persons"] = persons
        if kind in _TRANSITION_FIELDS:
            counts[_TRANSITION_FIELDS[kind]] = 1
        _add(cells, StatusSummary, key, **counts)
        if row["classification"] == C.POOR:
            for indicator in set(row["review__deprivations"] or ()):
                _add(cells, DeprivationSummary, (*key, str(indicator)), households=1)


def status_contributions(household_ids: Iterable[int]) -> Cells:
    """What these households' status rows add to the status and deprivation cells. One query."""
    by_household: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in HouseholdYear.objects.filter(household_id__in=list(household_ids)).values(
        *STATUS_VALUES
    ):
        by_household[row["household_id"]].append(row)
    cells: Cells = {}
    for rows in by_household.values():
        _status_of(rows, cells)
    return cells


def _support_of(rows: list[dict[str, Any]], cells: Cells) -> None:
    """Add one household's disbursements (of any programmes) to `cells`."""
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        base = (row["commune_id"], row["year"], row["programme_id"])
        groups[(*base, "")].append(row)
        if row["variant"]:
            groups[(*base, row["variant"])].append(row)
    for key, entries in groups.items():
        paid = [e for e in entries if e["kind"] == "payment" and not e["is_reversed"]]
        poor = [e for e in paid if e["classification"] == C.POOR]
        _add(
            cells,
            SupportSummary,
            key,
            households=1 if paid else 0,
            persons=len({e["member_id"] for e in paid if e["member_id"]}),
            payments=len(paid),
            quantity=sum(e["quantity"] for e in entries),
            amount=sum(e["amount"] for e in entries),
            poor_households=1 if poor else 0,
            poor_persons=len({e["member_id"] for e in poor if e["member_id"]}),
        )


def support_contributions(
    household_ids: Iterable[int], programme_ids: Iterable[int] | None = None
) -> Cells:
    """What these households' disbursements (of these programmes, or all) add to the support
    cells. One query."""
    from policies.support.models import Disbursement  # here: policies imports households

    rows = Disbursement.objects.filter(household_id__in=list(household_ids))
    if programme_ids is not None:
        rows = rows.filter(programme_id__in=list(programme_ids))
    by_household: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows.values(*SUPPORT_VALUES):
        by_household[row["household_id"]].append(row)
    cells: Cells = {}
    for entries in by_household.values():
        _support_of(entries, cells)
    return cells


# --- writing differences ----------------------------------------------------------------------


def lock_households(household_ids: Iterable[int]) -> None:
    """Serialise the summary updates of the same households (call before reading their
    contributions "before"): a second transaction waits, then reads what the first committed."""
    list(
        Household.objects.select_for_update()
        .filter(pk__in=sorted(set(household_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _delta(before: Cells, after: Cells) -> Cells:
    delta: Cells = {}
    for cell in sorted(set(before) | set(after), key=lambda c: (c[0].__name__, c[1])):
        old, new = before.get(cell, {}), after.get(cell, {})
        changed = {f: new.get(f, 0) - old.get(f, 0) for f in set(old) | set(new)}
        changed = {f: v for f, v in changed.items() if v}
        if changed:
            delta[cell] = changed
    return delta


def _paths(commune_ids: set[int]) -> dict[int, str]:
    return dict(AdminUnit.objects.filter(pk__in=commune_ids).values_list("pk", "path"))


def apply(before: Cells, after: Cells) -> int:
    """Add `after - before` to the stored cells (creating missing ones). Returns how many cells
    changed."""
    delta = _delta(before, after)
    if not delta:
        return 0
    now = timezone.now()
    paths = _paths({key[0] for _model, key in delta})
    by_model: dict[type, list[tuple]] = defaultdict(list)
    for model, key in delta:
        by_model[model].append(key)
    for model, keys in by_model.items():
        fields = KEYS[model]
        model.objects.bulk_create(
            [
                model(
                    **dict(zip(fields, key, strict=True)), unit_path=paths[key[0]], updated_at=now
                )
                for key in keys
            ],
            ignore_conflicts=True,
        )
    if connection.vendor == "postgresql":
        for model, keys in by_model.items():
            for start in range(0, len(keys), APPLY_BATCH):
                _add_in_one_update(model, keys[start : start + APPLY_BATCH], delta, now)
        return len(delta)
    for (model, key), changed in delta.items():
        model.objects.filter(**dict(zip(KEYS[model], key, strict=True))).update(
            **{f: F(f) + v for f, v in changed.items()}, updated_at=now
        )
    return len(delta)


APPLY_BATCH = 2000  # cells of one model added to in one UPDATE (PostgreSQL)


def _add_in_one_update(model: type, keys: list[tuple], delta: Cells, now) -> None:
    """`UPDATE ... SET n = n + v.n FROM (VALUES ...)`: the same additions as one UPDATE a cell,
    in one statement (an import changes thousands of cells)."""
    quote = connection.ops.quote_name
    key_fields, counters = KEYS[model], COUNTERS[model]
    table = quote(model._meta.db_table)
    names = [*key_fields, *counters]
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    params: list[Any] = [now]
    for key in keys:
        changed = delta[(model, key)]
        params.extend(key)
        params.extend(changed.get(f, 0) for f in counters)
    sets = ", ".join(f"{quote(f)} = t.{quote(f)} + v.{quote(f)}" for f in counters)
    where = " AND ".join(f"t.{quote(f)} = v.{quote(f)}" for f in key_fields)
    sql = (
        f"UPDATE {table} AS t SET {sets}, updated_at = %s "
        f"FROM (VALUES {', '.join([row] * len(keys))}) AS v ({', '.join(map(quote, names))}) "
        f"WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # `updated_at` comes first in the statement, then VALUES


def contributions(household_ids: Iterable[int], *, batch_size: int = REBUILD_BATCH) -> Cells:
    """What these households add to every cell (status, deprivation and support), read a batch
    at a time (a province's import names hundreds of thousands of households)."""
    ids = sorted(set(household_ids))
    cells: Cells = {}
    for start in range(0, len(ids), batch_size):
        part = ids[start : start + batch_size]
        for found in (status_contributions(part), support_contributions(part)):
            for cell, counts in found.items():
                _add(cells, cell[0], cell[1], **counts)
    return cells


class Tracker:
    """`with summaries.tracking(ids, status=True)`: reads the households' contributions on
    entry, and adds the difference on exit, in the caller's transaction."""

    def __init__(self, household_ids: Iterable[int], *, status: bool, programme_ids=None):
        self.ids = sorted(set(household_ids))
        self.status = status
        self.programme_ids = programme_ids

    def _read(self) -> Cells:
        if self.status:
            return status_contributions(self.ids)
        return support_contributions(self.ids, self.programme_ids)

    def __enter__(self) -> Tracker:
        if self.ids:
            lock_households(self.ids)
            self.before = self._read()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None and self.ids:
            apply(self.before, self._read())


def tracking_status(household_ids: Iterable[int]) -> Tracker:
    """Keep the status and deprivation cells of these households current across the block."""
    return Tracker(household_ids, status=True)


def tracking_support(household_ids: Iterable[int], programme_ids: Iterable[int]) -> Tracker:
    """Keep the support cells of these households' programmes current across the block."""
    return Tracker(household_ids, status=False, programme_ids=list(programme_ids))


# --- rebuilding -------------------------------------------------------------------------------


def expected_cells(*, batch_size: int = REBUILD_BATCH) -> Cells:
    """Every cell the raw records give, summed over all households, a batch at a time."""
    from policies.support.models import Disbursement

    cells: Cells = {}

    def merge(part: Cells) -> None:
        for cell, counts in part.items():
            _add(cells, cell[0], cell[1], **counts)

    status_ids = sorted(set(HouseholdYear.objects.values_list("household_id", flat=True)))
    for start in range(0, len(status_ids), batch_size):
        merge(status_contributions(status_ids[start : start + batch_size]))
    paid_ids = sorted(set(Disbursement.objects.values_list("household_id", flat=True)))
    for start in range(0, len(paid_ids), batch_size):
        merge(support_contributions(paid_ids[start : start + batch_size]))
    return cells


def stored_cells() -> Cells:
    """The stored cells, without those whose counters are all zero."""
    cells: Cells = {}
    for model, fields in KEYS.items():
        for row in model.objects.values(*fields, *COUNTERS[model]):
            counts = {f: row[f] for f in COUNTERS[model] if row[f]}
            if counts:
                cells[(model, tuple(row[f] for f in fields))] = counts
    return cells


def _comparable(cells: Cells) -> Cells:
    """Without zero counters and empty cells: a cell whose counts all went back to 0 is the same
    as no cell."""
    kept = {c: {f: v for f, v in n.items() if v} for c, n in cells.items()}
    return {c: n for c, n in kept.items() if n}


@transaction.atomic
def summaries_rebuild(*, batch_size: int = REBUILD_BATCH) -> int:
    """Rewrite every summary from the raw records. Returns how many cells differed (0 when the
    summaries were already right)."""
    expected = _comparable(expected_cells(batch_size=batch_size))
    stored = _comparable(stored_cells())
    differing = sum(1 for c in set(expected) | set(stored) if expected.get(c) != stored.get(c))
    if not differing:
        return 0
    now = timezone.now()
    paths = _paths({key[0] for _model, key in expected})
    for model, fields in KEYS.items():
        model.objects.all().delete()
        model.objects.bulk_create(
            [
                model(
                    **dict(zip(fields, key, strict=True)),
                    **counts,
                    unit_path=paths[key[0]],
                    updated_at=now,
                )
                for (cell_model, key), counts in expected.items()
                if cell_model is model
            ],
            batch_size=2000,
        )
    return differing
