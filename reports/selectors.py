"""Reading the rollups: KPIs of a unit, of its children and over the years, from the summaries.

Every function takes the user and answers 404 for a unit outside their area. A unit's counts are
the sums of its communes' summary cells, so they always equal the sums of its children's. A unit
of the 2025 scheme also sums the cells of the old communes that its communes took over (the
succession table), so years before 1 July 2025 read under the new units; a unit of the 2004
scheme reads its own records. An old commune split between new communes (a partial succession)
counts under each successor, and the figures say so (`shared`).

The queries are a constant number whatever the number of households: the unit and its children,
the successions, the status cells, the deprivation cells, the support cells with the programmes,
the allocations, the entered resident totals and the targets. "As of" a date reads the status
periods in force on that day instead of the year-end cells: one aggregate over the raw rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from households.choices import Classification as C
from households.models import StatusPeriod
from households.selectors import current_list_year
from registry.choices import Level, Scheme, SuccessionKind
from registry.lookups import AnyOf
from registry.models import AdminUnit, UnitSuccession
from registry.scoping import scope_for

from . import kpis
from .models import (
    STATUS_COUNTERS,
    SUPPORT_COUNTERS,
    DeprivationSummary,
    PovertyTarget,
    ResidentCount,
    StatusSummary,
    SupportSummary,
    TargetKind,
)

REGISTRY = "registry"
ENTERED = "entered"
TRANSITIONS = (
    "escaped_poverty", "escaped_near_poverty", "newly_poor", "newly_near_poor",
    "poor_to_near_poor", "near_poor_to_poor", "relapsed",
)  # fmt: skip


@dataclass(frozen=True)
class ProgrammeKpi:
    """What one programme (one variant, or "" for the whole programme) delivered in a unit and
    plan year, beside the unit's allocation (for a province: its plan)."""

    programme: Any  # policies.support.models.Programme
    variant: str
    households: int = 0
    persons: int = 0
    payments: int = 0
    quantity: int = 0
    amount: int = 0
    poor_households: int = 0
    poor_persons: int = 0
    allocated_quantity: int | None = None
    allocated_beneficiaries: int | None = None
    allocated_amount: int | None = None

    @property
    def beneficiaries(self) -> int:
        return self.persons if self.programme.per_person else self.households

    @property
    def budget_used(self) -> Decimal | None:
        return kpis.rate(self.amount, self.allocated_amount)

    @property
    def target_reached(self) -> Decimal | None:
        return kpis.rate(self.beneficiaries, self.allocated_beneficiaries)


@dataclass(frozen=True)
class TargetProgress:
    target: PovertyTarget
    progress: kpis.Progress


@dataclass(frozen=True)
class Kpis:
    """The KPIs of one unit and year (or as of one day)."""

    unit: AdminUnit
    year: int
    as_of: dt.date | None
    computed_at: dt.datetime | None
    counts: dict[str, int]
    denominator: int | None
    denominator_source: str  # REGISTRY or ENTERED
    rates: dict[str, Decimal | None]
    deprivations: dict[str, int] = field(default_factory=dict)
    support: list[ProgrammeKpi] = field(default_factory=list)
    targets: list[TargetProgress] = field(default_factory=list)
    previous: Kpis | None = None
    shared: bool = False  # counts include old communes split with units outside this one
    has_transitions: bool = False  # the previous list is in the registry
    # When anything behind the figures last changed: the cells (this year's and last year's),
    # the entered resident totals, the allocations and the targets (for Last-Modified).
    changed_at: dt.datetime | None = None

    def change(self, name: str):
        """This year's count or rate `name` minus last year's (None when unknown)."""
        if self.previous is None:
            return None
        if name in self.rates:
            return kpis.change(self.rates[name], self.previous.rates.get(name))
        return kpis.change(self.counts.get(name), self.previous.counts.get(name))

    @property
    def escaped(self) -> int | None:
        """Households that escaped poverty (off the poor list, to near-poor or off both)."""
        if not self.has_transitions:
            return None
        return sum(self.counts.get(n, 0) for n in kpis.ESCAPED)


# --- units ------------------------------------------------------------------------------------


def visible_unit(*, user, unit_id: int) -> AdminUnit:
    """The unit, if the user may see it; 404 otherwise (the same answer as for no unit)."""
    unit = AdminUnit.objects.filter(pk=unit_id).exclude(level=Level.VILLAGE).first()
    if unit is None or not scope_for(user).can_view(unit.path):
        raise Http404(_("No such unit in your area."))
    return unit


def _check(user, unit: AdminUnit) -> None:
    if not scope_for(user).can_view(unit.path):
        raise Http404(_("No such unit in your area."))


def child_units(unit: AdminUnit) -> list[AdminUnit]:
    """The units one level below (districts or communes), by name; none below a commune."""
    if unit.level == Level.COMMUNE:
        return []
    return list(
        AdminUnit.objects.filter(parent=unit, level__in=(Level.DISTRICT, Level.COMMUNE)).order_by(
            "name"
        )
    )


@dataclass(frozen=True)
class _Area:
    """Where a unit's cells lie: under its own path; in the old communes that its communes took
    over (2025 units: old commune path -> the new commune paths that took it over; cells are
    keyed by their commune's exact path); or under further prefixes (a table of old units)."""

    unit: AdminUnit
    old: dict[str, tuple[str, ...]]
    partial: frozenset[str]
    prefixes: tuple[str, ...] = ()
    # The old communes as the database reads them: the old provinces or districts all of whose
    # communes were taken over (a prefix each) and the other old communes (registry.succession).
    old_districts: tuple[str, ...] = ()
    old_communes: tuple[str, ...] = ()

    def q(self) -> Q:
        query = Q(unit_path__startswith=self.unit.path)
        for prefix in (*self.old_districts, *self.prefixes):
            query |= Q(unit_path__startswith=prefix)
        if self.old_communes:
            query |= Q(AnyOf(F("unit_path"), self.old_communes))
        return query

    def paths_of(self, cell_path: str) -> tuple[str, ...]:
        """The paths under which a cell counts: its own, and its successors'."""
        return (cell_path, *self.old.get(cell_path, ()))


class _Units:
    """The units a table lists, found from a cell's path by its prefixes (a dict look-up per
    segment, whatever the number of units)."""

    def __init__(self, area: _Area, units: list[AdminUnit]):
        self.area = area
        self.by_path = {u.path: u for u in units}
        self.memo: dict[str, list[AdminUnit]] = {}

    def of(self, cell_path: str) -> list[AdminUnit]:
        found = self.memo.get(cell_path)
        if found is None:
            seen: dict[int, AdminUnit] = {}
            for path in self.area.paths_of(cell_path):
                end = path.find("/")
                while end != -1:
                    unit = self.by_path.get(path[: end + 1])
                    if unit is not None:
                        seen[unit.pk] = unit
                    end = path.find("/", end + 1)
            found = self.memo[cell_path] = list(seen.values())
        return found


def _area(unit: AdminUnit) -> _Area:
    """The unit's area, read once per unit object (a page asks for its KPIs, children and
    series)."""
    cached = getattr(unit, "_reports_area", None)
    if cached is None:
        cached = unit._reports_area = _read_area(unit)
    return cached


def _read_area(unit: AdminUnit) -> _Area:
    if unit.scheme != Scheme.CURRENT:
        return _Area(unit, {}, frozenset())
    if settings.SUCCESSIONS_CACHED:  # reference data, read once per process (registry.scoping)
        old, partial, districts, communes = _successions_cached(unit.path)
    else:
        old, partial, districts, communes = _successions(unit.path)
    return _Area(unit, old, partial, old_districts=districts, old_communes=communes)


# Beyond this many old communes an area reads whole old districts by their path prefix: the
# database compares a prefix in a range of its index, but every path of a long list with each
# row (a province of 2025 took over about 300 old communes).
_MANY_OLD_COMMUNES = 32


def _successions(path: str):
    """Old commune path -> the new commune paths under `path` that took it over; the old
    communes only partly taken over; and the old communes as the prefixes of the old provinces
    or districts all of whose communes were taken over, and the other old communes' paths. One
    query, and one more (the communes of their old provinces counted by district) beyond
    `_MANY_OLD_COMMUNES`."""
    old: dict[str, list[str]] = defaultdict(list)
    partial = set()
    for old_path, new_path, kind in UnitSuccession.objects.filter(
        new_unit__path__startswith=path
    ).values_list("old_unit__path", "new_unit__path", "kind"):
        old[old_path].append(new_path)
        if kind == SuccessionKind.PARTIAL:
            partial.add(old_path)
    districts: tuple[str, ...] = ()
    communes = tuple(sorted(old))
    if len(old) > _MANY_OLD_COMMUNES:
        by_district: dict[str, list[str]] = defaultdict(list)
        for commune in communes:
            by_district[commune[: commune.rstrip("/").rfind("/") + 1]].append(commune)
        provinces = {d[: d.rstrip("/").rfind("/") + 1] for d in by_district}
        sizes: dict[str, dict[str, int]] = defaultdict(dict)  # province -> district -> communes
        for district, province, count in (
            AdminUnit.objects.filter(parent__parent__path__in=provinces, level=Level.COMMUNE)
            .values_list("parent__path", "parent__parent__path")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            sizes[province][district] = count
        whole, communes = [], []
        for province in sorted(provinces):
            taken = {d: by_district.get(d, []) for d in sizes[province]}
            full = [d for d, count in sizes[province].items() if len(taken[d]) == count]
            if len(full) == len(taken):
                whole.append(province)
                continue
            whole += full
            communes += [c for d in sorted(set(taken) - set(full)) for c in taken[d]]
        districts, communes = tuple(whole), tuple(communes)
    return {k: tuple(v) for k, v in old.items()}, frozenset(partial), districts, communes


_successions_cached = lru_cache(maxsize=4096)(_successions)


# --- reading the cells ------------------------------------------------------------------------


def _group(area: _Area, units: list[AdminUnit], *fields: str) -> tuple[str, ...]:
    """What the cells are grouped by: with a single unit every cell is its, so the database sums
    them (by `fields` only); for a table, also by the cell's commune path."""
    return fields if len(units) == 1 and units[0].pk == area.unit.pk else ("unit_path", *fields)


def _units_of(index: _Units, units: list[AdminUnit], row: dict) -> list[AdminUnit]:
    """The units a grouped row counts under (all of them when the rows were not grouped by
    commune)."""
    return index.of(row["unit_path"]) if "unit_path" in row else units


def _status_cells(area: _Area, units: list[AdminUnit], years: list[int]):
    """{(unit pk, year): counts}, {(unit pk, year): latest update}, in one query."""
    index = _Units(area, units)
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(STATUS_COUNTERS, 0)
    )
    latest: dict[tuple[int, int], dt.datetime] = {}
    rows = (
        StatusSummary.objects.filter(area.q(), year__in=years)
        .values(*_group(area, units, "year"))
        .annotate(**{f"sum_{f}": Sum(f) for f in STATUS_COUNTERS}, latest=Max("updated_at"))
        .order_by()
    )
    for row in rows:
        for unit in _units_of(index, units, row):
            key = (unit.pk, row["year"])
            cell = counts[key]
            for f in STATUS_COUNTERS:
                cell[f] += row[f"sum_{f}"] or 0
            if key not in latest or row["latest"] > latest[key]:
                latest[key] = row["latest"]
    return counts, latest


def _deprivations(area: _Area, units: list[AdminUnit], year: int) -> dict[int, dict[str, int]]:
    index = _Units(area, units)
    result: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        DeprivationSummary.objects.filter(area.q(), year=year)
        .values(*_group(area, units, "indicator"))
        .annotate(total=Sum("households"))
        .order_by()
    )
    for row in rows:
        for unit in _units_of(index, units, row):
            cell = result[unit.pk]
            cell[row["indicator"]] = cell.get(row["indicator"], 0) + row["total"]
    return {pk: dict(sorted(v.items())) for pk, v in result.items()}


def _support(
    area: _Area, units: list[AdminUnit], year: int, programme: str | None, user
) -> tuple[dict[int, list[ProgrammeKpi]], dict[int, dt.datetime]]:
    """{unit pk: [ProgrammeKpi]} in two queries: the cells with their programmes, and the
    allocations of the units; and {unit pk: when its allocations last changed}."""
    index = _Units(area, units)
    from policies.support.models import Allocation, Programme

    rows = SupportSummary.objects.filter(area.q(), year=year)
    if programme:
        rows = rows.filter(programme__code=programme)
    totals: dict[tuple[int, int, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(SUPPORT_COUNTERS, 0)
    )
    for row in (
        rows.values(*_group(area, units, "programme_id", "variant"))
        .annotate(**{f"sum_{f}": Sum(f) for f in SUPPORT_COUNTERS})
        .order_by()
    ):
        for unit in _units_of(index, units, row):
            cell = totals[(unit.pk, row["programme_id"], row["variant"])]
            for f in SUPPORT_COUNTERS:
                cell[f] += row[f"sum_{f}"] or 0
    allocations = Allocation.objects.filter(
        year=year, unit_id__in=[u.pk for u in units]
    ).select_related("programme")
    if programme:
        allocations = allocations.filter(programme__code=programme)
    allocated = {(a.unit_id, a.programme_id): a for a in allocations}
    allocated_at: dict[int, dt.datetime] = {}
    for a in allocated.values():
        allocated_at[a.unit_id] = max(a.changed_at, allocated_at.get(a.unit_id, a.changed_at))
    programmes = {a.programme_id: a.programme for a in allocated.values()}
    missing = {pid for _u, pid, _v in totals} - set(programmes)
    if missing:
        programmes.update(Programme.objects.in_bulk(missing))
    result: dict[int, list[ProgrammeKpi]] = defaultdict(list)
    keys = set(totals) | {(u, p, "") for u, p in allocated}
    for unit_pk, programme_id, variant in sorted(
        keys, key=lambda k: (k[0], programmes[k[1]].code, k[2])
    ):
        allocation = allocated.get((unit_pk, programme_id)) if not variant else None
        counts = totals.get((unit_pk, programme_id, variant), {})
        result[unit_pk].append(
            ProgrammeKpi(
                programme=programmes[programme_id],
                variant=variant,
                **counts,
                allocated_quantity=allocation.quantity if allocation else None,
                allocated_beneficiaries=allocation.beneficiaries if allocation else None,
                allocated_amount=allocation.amount if allocation else None,
            )
        )
    return result, allocated_at


def _resident(
    units: list[AdminUnit], years: list[int]
) -> dict[tuple[int, int], tuple[int, dt.datetime]]:
    """{(unit pk, year): (entered resident households, when entered)}."""
    return {
        (unit_id, year): (households, entered_at)
        for unit_id, year, households, entered_at in ResidentCount.objects.filter(
            unit_id__in=[u.pk for u in units], year__in=years
        ).values_list("unit_id", "year", "households", "entered_at")
    }


def _latest(*times: dt.datetime | None) -> dt.datetime | None:
    return max((t for t in times if t is not None), default=None)


def _targets(units: list[AdminUnit], year: int) -> dict[int, list[PovertyTarget]]:
    result: dict[int, list[PovertyTarget]] = defaultdict(list)
    for target in PovertyTarget.objects.filter(
        unit_id__in=[u.pk for u in units], from_year__lte=year, to_year__gte=year
    ).order_by("measure", "from_year", "pk"):
        result[target.unit_id].append(target)
    return result


def _progress(target: PovertyTarget, current: Kpis) -> TargetProgress:
    actual = current.rates.get(target.measure)
    if target.kind == TargetKind.BELOW_BY:
        return TargetProgress(target, kpis.below_by(target.value, actual))
    previous = current.previous.rates.get(target.measure) if current.previous else None
    return TargetProgress(target, kpis.yearly_reduction(target.value, actual, previous))


def _kpis(
    unit: AdminUnit,
    year: int,
    counts: dict[str, int],
    computed_at: dt.datetime | None,
    resident: tuple[int, dt.datetime] | None,
    *,
    changed_also: tuple[dt.datetime | None, ...] = (),
    **extra: Any,
) -> Kpis:
    """The KPIs from the counts; `changed_also`: when other records behind them changed."""
    total, entered_at = resident if resident is not None else (None, None)
    denominator = total if total is not None else counts.get("households", 0)
    return Kpis(
        unit=unit,
        year=year,
        as_of=extra.pop("as_of", None),
        computed_at=computed_at,
        counts=counts,
        denominator=denominator,
        denominator_source=ENTERED if total is not None else REGISTRY,
        rates=kpis.rates(counts, denominator),
        changed_at=_latest(computed_at, entered_at, *changed_also),
        **extra,
    )


def _year_kpis(
    area: _Area, units: list[AdminUnit], year: int, programme: str | None, user
) -> dict[int, Kpis]:
    """The KPIs of each of `units` for `year`, with last year's as `previous`."""
    years = [year - 1, year]
    counts, latest = _status_cells(area, units, years)
    deprivations = _deprivations(area, units, year)
    support, allocated_at = _support(area, units, year, programme, user)
    resident = _resident(units, years)
    targets = _targets(units, year)
    result = {}
    for unit in units:
        empty = dict.fromkeys(STATUS_COUNTERS, 0)
        before = counts.get((unit.pk, year - 1), empty)
        previous = _kpis(
            unit,
            year - 1,
            before,
            latest.get((unit.pk, year - 1)),
            resident.get((unit.pk, year - 1)),
        )
        has_previous = before["households"] > 0
        current = _kpis(
            unit,
            year,
            counts.get((unit.pk, year), dict(empty)),
            latest.get((unit.pk, year)),
            resident.get((unit.pk, year)),
            deprivations=deprivations.get(unit.pk, {}),
            support=support.get(unit.pk, []),
            previous=previous,
            shared=_is_shared(area, unit),
            has_transitions=has_previous,
            changed_also=(previous.changed_at, allocated_at.get(unit.pk)),
        )
        if not has_previous:  # no previous list: the moves against it are unknown
            for name in TRANSITIONS:
                current.counts[name] = None
        unit_targets = targets.get(unit.pk, [])
        result[unit.pk] = _with(
            current,
            targets=[_progress(t, current) for t in unit_targets],
            changed_at=_latest(current.changed_at, *(t.entered_at for t in unit_targets)),
        )
    return result


def _with(value: Kpis, **changes: Any) -> Kpis:
    from dataclasses import replace

    return replace(value, **changes)


def _is_shared(area: _Area, unit: AdminUnit) -> bool:
    """Whether an old commune split between successors (a partial succession) counts both under
    `unit` and under a unit outside it."""
    return any(
        old in area.partial
        and any(p.startswith(unit.path) for p in new)
        and not all(p.startswith(unit.path) for p in new)
        for old, new in area.old.items()
    )


# --- as of a day ------------------------------------------------------------------------------

_AS_OF = {
    "households": Q(),
    "poor_households": Q(classification=C.POOR),
    "near_poor_households": Q(classification=C.NEAR_POOR),
    "middle_households": Q(classification=C.MIDDLE_INCOME),
    "minority_households": Q(is_ethnic_minority=True),
    "minority_poor_households": Q(is_ethnic_minority=True, classification=C.POOR),
    "minority_near_poor_households": Q(is_ethnic_minority=True, classification=C.NEAR_POOR),
}


def _as_of_kpis(area: _Area, units: list[AdminUnit], day: dt.date) -> dict[int, Kpis]:
    """The status in force on `day` (the periods covering it), with persons from the status row
    of the same list year; no moves or deprivations. One aggregate over the raw rows."""
    index = _Units(area, units)
    same_year = Q(household__years__list_year=F("list_year"))
    aggregates = {}
    for name, condition in _AS_OF.items():
        aggregates[name] = Count("pk", filter=condition & same_year)
        persons = name.replace("households", "persons")
        aggregates[persons] = Sum("household__years__persons", filter=condition & same_year)
    rows = (
        StatusPeriod.objects.filter(area.q(), valid_from__lte=day, valid_to__gte=day)
        .values("unit_path")
        .annotate(**aggregates)
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUS_COUNTERS, 0))
    for row in rows:
        for unit in index.of(row["unit_path"]):
            for name in aggregates:
                counts[unit.pk][name] += row[name] or 0
    resident = _resident(units, [day.year])
    now = timezone.now()
    result = {}
    for unit in units:
        unit_counts = counts.get(unit.pk) or dict.fromkeys(STATUS_COUNTERS, 0)
        for name in TRANSITIONS:
            unit_counts[name] = None
        result[unit.pk] = _kpis(
            unit,
            day.year,
            unit_counts,
            now,
            resident.get((unit.pk, day.year)),
            as_of=day,
            shared=_is_shared(area, unit),
        )
    return result


# --- the selectors ----------------------------------------------------------------------------


def unit_kpis(
    *,
    user,
    unit: AdminUnit,
    year: int | None = None,
    as_of: dt.date | None = None,
    programme: str | None = None,
) -> Kpis:
    """The KPIs of `unit` for `year` (default: the current list year), or as of a day."""
    _check(user, unit)
    area = _area(unit)
    if as_of is not None:
        return _as_of_kpis(area, [unit], as_of)[unit.pk]
    return _year_kpis(area, [unit], year or current_list_year(), programme, user)[unit.pk]


def children_kpis(
    *,
    user,
    unit: AdminUnit,
    year: int | None = None,
    as_of: dt.date | None = None,
    programme: str | None = None,
) -> list[Kpis]:
    """The KPIs of each unit one level below `unit` (by name); their counts sum to the unit's
    (but for old communes split between them: `shared`)."""
    _check(user, unit)
    children = child_units(unit)
    if not children:
        return []
    area = _area(unit)
    if as_of is not None:
        found = _as_of_kpis(area, children, as_of)
    else:
        found = _year_kpis(area, children, year or current_list_year(), programme, user)
    return [found[c.pk] for c in children]


def kpi_series(*, user, unit: AdminUnit, years: tuple[int, int] | None = None) -> list[Kpis]:
    """The unit's KPIs for every year with data (or in `years`, inclusive), oldest first, each
    with the year before as `previous`. Three queries after the scope: successions, cells,
    entered totals."""
    _check(user, unit)
    area = _area(unit)
    cells = StatusSummary.objects.filter(area.q())
    if years:
        cells = cells.filter(year__gte=years[0] - 1, year__lte=years[1])
    found = sorted(set(cells.values_list("year", flat=True).distinct().order_by()))
    if not found:
        return []
    counts, latest = _status_cells(area, [unit], found)
    resident = _resident([unit], found)
    series: list[Kpis] = []
    previous = None
    for year in found:
        current = counts.get((unit.pk, year), dict.fromkeys(STATUS_COUNTERS, 0))
        has_previous = (
            previous is not None
            and previous.year == year - 1
            and (previous.counts["households"] > 0)
        )
        if not has_previous:
            current = {**current, **dict.fromkeys(TRANSITIONS)}
        item = _kpis(
            unit,
            year,
            current,
            latest.get((unit.pk, year)),
            resident.get((unit.pk, year)),
            previous=previous if has_previous else None,
            has_transitions=has_previous,
            shared=_is_shared(area, unit),
            changed_also=(previous.changed_at,) if has_previous else (),
        )
        series.append(item)
        previous = _with(item, previous=None)
    if years:
        series = [k for k in series if k.year >= years[0]]
    return series


# --- reports: api ---
# The units a KPI table lists (any level below, or the old units a 2025 unit took over), and
# when the figures last changed (for Last-Modified). The open data's tree: reports.open_data.

_DEPTH = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


def _old_units(unit: AdminUnit, level: str) -> list[AdminUnit]:
    """The 2004 units at `level` whose communes the 2025 `unit` took over (in whole or part)."""
    old_paths = UnitSuccession.objects.filter(new_unit__path__startswith=unit.path).values_list(
        "old_unit__path", flat=True
    )
    depth = _DEPTH[level] + 2  # segments: the scheme, the province, ...
    prefixes = {"/".join(p.strip("/").split("/")[:depth]) + "/" for p in old_paths}
    return list(
        AdminUnit.objects.filter(path__in=prefixes, level=level, scheme=Scheme.LEGACY).order_by(
            "name"
        )
    )


def _own_area(units: list[AdminUnit]) -> _Area:
    """The cells under the units' own paths only (no successions)."""
    return _Area(units[0], {}, frozenset(), prefixes=tuple(u.path for u in units[1:]))


def listed_kpis(
    *,
    user,
    unit: AdminUnit,
    level: str | None = None,
    scheme: str | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
    programme: str | None = None,
) -> list[Kpis]:
    """The KPIs of the units a table under `unit` lists, by name: those at `level` (default:
    one level below) of the unit's own scheme; or, with `scheme` 2004 for a 2025 unit, the old
    units at `level` (default: the unit's own) that it took over, with their own figures (the
    years before 1 July 2025 as they were recorded). Only units the user may see."""
    from django.core.exceptions import ValidationError

    _check(user, unit)
    other = scheme is not None and scheme != unit.scheme
    if other and unit.scheme != Scheme.CURRENT:
        raise ValidationError(
            {"scheme": [_("Old units are listed under the units that took them over only.")]}
        )
    if level is not None and (
        _DEPTH[level] < _DEPTH[unit.level] or (_DEPTH[level] == _DEPTH[unit.level] and not other)
    ):
        raise ValidationError({"level": [_("Choose a level below the unit's.")]})
    if other:
        units = _old_units(unit, level or unit.level)
        area = _own_area(units) if units else None
    elif level is None:
        units, area = child_units(unit), _area(unit)
    else:
        units = list(
            AdminUnit.objects.filter(path__startswith=unit.path, level=level)
            .exclude(pk=unit.pk)
            .order_by("name")
        )
        area = _area(unit)
    scope = scope_for(user)
    units = [u for u in units if scope.can_view(u.path)]
    if not units:
        return []
    if other:
        area = _own_area(units)
    if as_of is not None:
        found = _as_of_kpis(area, units, as_of)
    else:
        found = _year_kpis(area, units, year or current_list_year(), programme, user)
    return [found[u.pk] for u in units]


def unscoped_kpis(
    unit: AdminUnit, units: list[AdminUnit], year: int, programme: str | None = None
) -> dict[int, Kpis]:
    """{unit pk: Kpis} of `units` (all under `unit`) for `year`, with no user's scope: only for
    figures published to everyone after suppression (reports.open_data)."""
    return _year_kpis(_area(unit), units, year, programme, None)


def kpis_changed_at(items: list[Kpis]) -> dt.datetime | None:
    """When the figures of `items` last changed (their summaries, last year's, targets, entered
    resident totals and allocations), as the selectors read them: no query."""
    return _latest(*(k.changed_at for k in items))
