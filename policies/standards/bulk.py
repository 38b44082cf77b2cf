"""The fast path for bulk work: a standard compiled, with one set of overrides, into tables that
classify hundreds of thousands of households a second, giving the verdict without its prose.

A verdict depends on the income (or B1 score) only through the interval of the standard's
lines it falls in: between two consecutive lines every comparison ``value <= line`` the
engine makes comes out the same, and so do the classification, the line quoted, the
parameters relied on and the deprivations counted. Only the prose quotes the value itself.
So ``BulkClassifier`` finds the interval by bisection over the lines (read from the standard,
never restated here), and keeps, per interval and set of ticked indicators, the verdict the
engine's decision (``Standard._decide``, which ``classify`` also calls before writing the prose)
gave the first household seen there. Every verdict therefore comes from the one engine, and
every input the engine refuses (an unknown indicator, a negative income, an unknown line...)
goes to it and is refused with the same ``StandardError``. The tables stay small: at most
(lines + 1) x (subsets of the indicators) entries per area and input form, and only the
combinations met are filled.

The prose is rendered later, when a review is shown, from its stored facts: ``explanations``
(the normal path, which quotes the income).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .base import AreaType, Classification, HouseholdFacts, Verdict
from .engine import MAX_B1_SCORE, Standard

_NO_DEPRIVATIONS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BulkVerdict:
    """A verdict without its prose and without the input value: the classification and the
    reasons stored with a review (the same fields, with the same values, as ``Verdict``)."""

    classification: Classification
    standard_code: str
    line: int
    line_key: str
    deprived: tuple[str, ...]
    deprivation_count: int
    b2_score: int
    unconfirmed: tuple[str, ...]
    unconfirmed_indicators: tuple[str, ...]
    overridden: tuple[str, ...]

    @classmethod
    def of(cls, verdict: Verdict) -> BulkVerdict:
        return cls(
            classification=verdict.classification,
            standard_code=verdict.standard_code,
            line=verdict.line,
            line_key=verdict.line_key,
            deprived=verdict.deprived,
            deprivation_count=verdict.deprivation_count,
            b2_score=verdict.b2_score,
            unconfirmed=verdict.unconfirmed,
            unconfirmed_indicators=verdict.unconfirmed_indicators,
            overridden=verdict.overridden,
        )

    def reasons(self) -> dict[str, Any]:
        """The engine's part of a review's stored reasons, in the order and with the keys of
        ``households.evaluation.reasons_payload`` (a new dict each call: the verdict is shared)."""
        return {
            "standard_code": self.standard_code,
            "line": self.line,
            "line_key": self.line_key,
            "deprived": list(self.deprived),
            "deprivation_count": self.deprivation_count,
            "b2_score": self.b2_score,
            "unconfirmed": list(self.unconfirmed),
            "unconfirmed_indicators": list(self.unconfirmed_indicators),
            "overridden": list(self.overridden),
        }


# Lines of one area and input form, lowest first, and per interval between them the verdicts
# found so far by set of ticked indicators. Interval i holds the values above i lines.
_Table = tuple[tuple[int, ...], tuple[dict[frozenset[str], BulkVerdict], ...]]


class BulkClassifier:
    """One standard with one set of overrides, compiled for classifying many households."""

    __slots__ = ("_income", "_resolved", "_scored", "standard")

    def __init__(self, standard: Standard, overrides: Mapping[str, int] | None = None) -> None:
        # Refuses invalid overrides here, as classify() would on every call.
        self._resolved = standard._resolve(dict(overrides) if overrides else None)
        values = self._resolved.values
        self.standard = standard
        self._income: dict[str, _Table] = {}
        self._scored: dict[str, _Table] = {}
        for area in AreaType:
            for tables, bands in (
                (self._income, standard.income_bands),
                (self._scored, standard.score_bands),
            ):
                # A line not known (None) compares nothing: the engine skips it or refuses.
                lines = tuple(
                    line for band in bands if (line := values[band.key(area)]) is not None
                )
                tables[area.value] = (lines, tuple({} for _ in range(len(lines) + 1)))

    def classify(
        self,
        area_type: str,
        income_per_capita: int | None = None,
        b1_score: int | None = None,
        deprivations: Iterable[str] = _NO_DEPRIVATIONS,
    ) -> BulkVerdict:
        """The verdict ``standard.classify`` gives these facts, less its prose; raises the
        same ``StandardError`` for the same invalid input."""
        if not isinstance(area_type, str):
            return self._engine(area_type, income_per_capita, b1_score, deprivations)
        if b1_score is None:
            table = self._income.get(area_type)
            value = income_per_capita
            if table is None or type(value) is not int or value < 0:
                return self._engine(area_type, income_per_capita, b1_score, deprivations)
        else:
            table = self._scored.get(area_type)
            value = b1_score
            if (
                table is None
                or income_per_capita is not None
                or type(value) is not int
                or not 0 <= value <= MAX_B1_SCORE
            ):
                return self._engine(area_type, income_per_capita, b1_score, deprivations)
        if type(deprivations) is frozenset:
            ticked = deprivations
        elif isinstance(deprivations, str):
            return self._engine(area_type, income_per_capita, b1_score, deprivations)
        else:
            try:
                ticked = frozenset(deprivations)
            except TypeError:
                return self._engine(area_type, income_per_capita, b1_score, deprivations)
        lines, cells = table
        cell = cells[bisect_left(lines, value)]
        found = cell.get(ticked)
        if found is None:
            found = cell[ticked] = self._engine(area_type, income_per_capita, b1_score, ticked)
        return found

    def _engine(
        self,
        area_type: Any,
        income_per_capita: Any,
        b1_score: Any,
        deprivations: Any,
    ) -> BulkVerdict:
        facts = HouseholdFacts(
            area_type=area_type,
            income_per_capita=income_per_capita,
            b1_score=b1_score,
            deprivations=deprivations,
        )
        context = self.standard._decide(facts, self._resolved)
        line_key, line = context.steps[-1]
        return BulkVerdict(
            classification=context.classification,
            standard_code=self.standard.code,
            line=line,
            line_key=line_key,
            deprived=tuple(i.code for i in context.deprived),
            deprivation_count=len(context.deprived),
            b2_score=context.b2_score,
            unconfirmed=context.unconfirmed,
            unconfirmed_indicators=tuple(i.code for i in context.unconfirmed_indicators),
            overridden=context.overridden,
        )


def explanations(
    standard: Standard,
    *,
    area_type: str,
    income_per_capita: int | None = None,
    b1_score: int | None = None,
    deprivations: Iterable[str] = _NO_DEPRIVATIONS,
    overrides: Mapping[str, int] | None = None,
) -> tuple[str, str]:
    """The prose a bulk verdict left out, (Vietnamese, English), rendered from a review's
    stored facts by the normal path."""
    facts = HouseholdFacts(
        area_type=area_type,
        income_per_capita=income_per_capita,
        b1_score=b1_score,
        deprivations=frozenset(deprivations),
    )
    verdict = standard.classify(facts, overrides=overrides)
    return verdict.explanation_vi, verdict.explanation_en
