"""What a change of standard does to the same households: each is classified under the old and
the new standard and the moves between classifications are counted.

Indicator codes never carry across standards, so deprivations are translated through the
``theme`` each indicator carries: an old indicator maps to the new indicator with the same
theme; one with no counterpart (e.g. "access to health services" of 2016) is dropped and
counted in ``Comparison.dropped``; a new indicator with no old counterpart (e.g. waste
handling of 2027) counts as not deprived. Where a household was surveyed under both
standards, pass the pair ``(old_facts, new_facts)`` instead and no translation is made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .base import Classification, HouseholdFacts, StandardError
from .engine import Standard

_ORDER = tuple(sorted(Classification, key=lambda c: c.severity, reverse=True))


@dataclass(frozen=True, slots=True)
class ClassificationFlow:
    """For one classification: how many households had it before and after, how many kept it,
    how many moved into it from another class and how many moved out of it."""

    classification: Classification
    old_count: int
    new_count: int
    stay: int
    move_in: int
    move_out: int


@dataclass(frozen=True, slots=True)
class Comparison:
    """The result of classifying the same households under two standards."""

    old_code: str
    new_code: str
    total: int
    matrix: Mapping[tuple[Classification, Classification], int]  # (old, new) -> households
    flows: tuple[ClassificationFlow, ...]  # poor first
    dropped: Mapping[str, int]  # old indicator code without counterpart -> households

    def flow(self, classification: Classification) -> ClassificationFlow:
        for flow in self.flows:
            if flow.classification is classification:
                return flow
        raise KeyError(classification)  # pragma: no cover - every class has a flow


def translate_deprivations(codes: Iterable[str], old: Standard, new: Standard) -> frozenset[str]:
    """Map deprivation codes of ``old`` to the codes of ``new`` by indicator theme."""
    translated: set[str] = set()
    for code in codes:
        counterpart = new.indicator_for_theme(old.indicator(code).theme)
        if counterpart is not None:
            translated.add(counterpart.code)
    return frozenset(translated)


def compare_standards(
    households: Iterable[HouseholdFacts | tuple[HouseholdFacts, HouseholdFacts]],
    old: Standard,
    new: Standard,
    *,
    old_overrides: Mapping[str, int] | None = None,
    new_overrides: Mapping[str, int] | None = None,
) -> Comparison:
    """Classify each household under ``old`` and ``new`` and count the moves."""
    matrix: Counter[tuple[Classification, Classification]] = Counter()
    dropped: Counter[str] = Counter()
    total = 0
    for item in households:
        if isinstance(item, HouseholdFacts):
            old_facts = item
            unknown = old_facts.deprivations - {i.code for i in old.indicators}
            if unknown:
                raise StandardError(
                    f"not indicators of {old.code}: {', '.join(sorted(unknown))}",
                    field="deprivations",
                )
            for code in old_facts.deprivations:
                if new.indicator_for_theme(old.indicator(code).theme) is None:
                    dropped[code] += 1
            new_facts = HouseholdFacts(
                area_type=item.area_type,
                income_per_capita=item.income_per_capita,
                b1_score=item.b1_score,
                deprivations=translate_deprivations(item.deprivations, old, new),
            )
        else:
            old_facts, new_facts = item
        before = old.classify(old_facts, overrides=old_overrides).classification
        after = new.classify(new_facts, overrides=new_overrides).classification
        matrix[(before, after)] += 1
        total += 1

    full = {(a, b): matrix[(a, b)] for a in _ORDER for b in _ORDER}
    flows = tuple(
        ClassificationFlow(
            classification=c,
            old_count=sum(full[(c, b)] for b in _ORDER),
            new_count=sum(full[(a, c)] for a in _ORDER),
            stay=full[(c, c)],
            move_in=sum(full[(a, c)] for a in _ORDER if a is not c),
            move_out=sum(full[(c, b)] for b in _ORDER if b is not c),
        )
        for c in _ORDER
    )
    return Comparison(
        old_code=old.code,
        new_code=new.code,
        total=total,
        matrix=MappingProxyType(full),
        flows=flows,
        dropped=MappingProxyType(dict(sorted(dropped.items()))),
    )
