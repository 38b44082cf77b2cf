"""The open data: the KPIs of the 2025 units for anyone, when a deployment switches it on
(settings.OPEN_DATA_ENABLED), with every count under 5 suppressed and enough others that none of
them can be worked back out (reports.suppression).

What is published: provinces and communes of the 2025 scheme, year-end figures of a list year
(no "as of" day: two days apart would show single households), the status counts and rates, the
deprivations of poor households, support per whole programme (its variants would add sums across
fields) with the unit's allocation, and progress against "below x %" targets. Not published: the
change from last year and yearly-reduction progress (they would set this year's figures against
last year's, suppressed apart), the 2004 units (their sums across the succession table would tie
the two trees together) and villages.

A province and all its communes are read and suppressed as one table, so a commune's figures are
the same in its own answer and in its province's list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from registry.choices import Level, Scheme
from registry.models import AdminUnit

from . import kpis
from .models import STATUS_COUNTERS, SUPPORT_COUNTERS, TargetKind
from .selectors import REGISTRY, Kpis, TargetProgress, child_units, unscoped_kpis
from .suppression import STATUS_RULES, SUPPORT_RULES, Rules, published_rates, suppress


@dataclass(frozen=True)
class KpiTree:
    """A province and its communes, as published."""

    root: Kpis
    children: list[Kpis]

    def find(self, unit_pk: int) -> Kpis | None:
        if self.root.unit.pk == unit_pk:
            return self.root
        return next((k for k in self.children if k.unit.pk == unit_pk), None)


def open_unit(unit_id: int) -> AdminUnit | None:
    """A unit the open data publishes: a province or commune of the 2025 scheme."""
    return (
        AdminUnit.objects.filter(
            pk=unit_id, scheme=Scheme.CURRENT, level__in=(Level.PROVINCE, Level.COMMUNE)
        )
        .select_related("parent")
        .first()
    )


def open_kpi_tree(*, unit: AdminUnit, year: int, programme: str | None = None) -> KpiTree:
    """The published KPIs of the province of `unit` and of all its communes."""
    province = unit if unit.level == Level.PROVINCE else unit.parent
    communes = child_units(province)
    found = unscoped_kpis(province, [province, *communes], year, programme)
    items = [found[province.pk], *(found[c.pk] for c in communes)]
    shown = _suppressed(items, children={province.pk: [c.pk for c in communes]})
    return KpiTree(shown[0], shown[1:])


# --- one table of every figure ------------------------------------------------------------------

DEPRIVATION = "deprivation:"


def _support_key(programme_id: int, name: str) -> str:
    return f"support:{programme_id}:{name}"


def _whole(item: Kpis):
    """The support of whole programmes (variant "")."""
    return [p for p in item.support if not p.variant]


def _rules(indicators: Iterable[str], programmes: Iterable[int]) -> Rules:
    groups = list(STATUS_RULES.groups)
    populations = dict(STATUS_RULES.populations)
    magnitudes = set()
    for code in indicators:  # poor households deprived in an indicator
        populations[DEPRIVATION + code] = ("poor_households",)
    for pid in programmes:
        groups += [tuple(_support_key(pid, n) for n in group) for group in SUPPORT_RULES.groups]
        for part, wholes in SUPPORT_RULES.populations.items():
            populations[_support_key(pid, part)] = tuple(_support_key(pid, w) for w in wholes)
        magnitudes |= {_support_key(pid, n) for n in SUPPORT_RULES.magnitudes}
    return Rules(tuple(groups), populations, frozenset(magnitudes))


def _suppressed(items: list[Kpis], children: dict[int, list[int]]) -> list[Kpis]:
    indicators = sorted({code for k in items for code in k.deprivations})
    programmes = sorted({p.programme.pk for k in items for p in _whole(k)})
    counts: dict[int, dict[str, int | None]] = {}
    for k in items:
        row: dict[str, int | None] = {n: k.counts.get(n) for n in STATUS_COUNTERS}
        for code in indicators:
            row[DEPRIVATION + code] = k.deprivations.get(code, 0)
        delivered = {p.programme.pk: p for p in _whole(k)}
        for pid in programmes:
            given = delivered.get(pid)
            for name in SUPPORT_COUNTERS:
                row[_support_key(pid, name)] = getattr(given, name) if given else 0
        counts[k.unit.pk] = row
    shown = suppress(counts, children, _rules(indicators, programmes))
    return [_published(k, shown[k.unit.pk], indicators) for k in items]


def _published(item: Kpis, row: dict[str, int | None], indicators: list[str]) -> Kpis:
    status = {n: row[n] for n in STATUS_COUNTERS}
    denominator = status["households"] if item.denominator_source == REGISTRY else item.denominator
    rates = published_rates(item.rates, status, denominator)
    support = [
        replace(p, **{n: row[_support_key(p.programme.pk, n)] for n in SUPPORT_COUNTERS})
        for p in _whole(item)
    ]
    targets = [_progress(t, rates) for t in item.targets]
    return replace(
        item,
        counts=status,
        denominator=denominator,
        rates=rates,
        deprivations={code: row[DEPRIVATION + code] for code in indicators},
        support=support,
        targets=targets,
        previous=None,
    )


def _progress(progress: TargetProgress, rates) -> TargetProgress:
    target = progress.target
    if target.kind == TargetKind.BELOW_BY:
        return TargetProgress(target, kpis.below_by(target.value, rates.get(target.measure)))
    return TargetProgress(target, kpis.Progress(target.value, None, None))
