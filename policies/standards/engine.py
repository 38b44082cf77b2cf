"""The machinery every national standard shares: applying parameter overrides, the banded
income (or score) test and recomputing indicators (explanations are in ``explain``).

A standard module supplies only data (its parameter table, its indicator catalogue and the
order of its income bands); the rule variants of domain.md section 7.3 are expressed as
bands, so the same code classifies under each standard.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .base import (
    AreaType,
    Band,
    BandKind,
    Classification,
    Disagreement,
    HouseholdFacts,
    Indicator,
    MemberFacts,
    Parameter,
    StandardError,
    Verdict,
    _is_int,
)
from .derive import DerivationInput, Rule
from .explain import ExplainContext, explain_en, explain_vi

if TYPE_CHECKING:
    from .bulk import BulkClassifier

# Sanity bound of this software, not a legal number: no scoring form comes near it, so a
# larger B1 score is a typing error.
MAX_B1_SCORE = 1_000

POINTS_KEY = "b2_points_per_indicator"
CUTOFF_KEY = "deprivation_cutoff"


@dataclass(frozen=True, slots=True)
class _Resolved:
    values: Mapping[str, int | None]
    overridden: frozenset[str]


@dataclass(frozen=True, eq=False)
class Standard:
    """A national poverty standard: its legal basis, validity, numbers, indicators and rule."""

    code: str
    legal_basis: str  # document number, e.g. "07/2021/NĐ-CP"
    instrument_vi: str  # "Nghị định", "Quyết định"
    instrument_en: str  # "Decree", "Decision"
    name_vi: str
    name_en: str
    first_list_year: int
    last_list_year: int | None  # None: open-ended
    indicator_prefix: str
    indicators: tuple[Indicator, ...]
    parameters: tuple[Parameter, ...]
    income_bands: tuple[Band, ...]
    score_bands: tuple[Band, ...]
    rules: Mapping[str, Rule] = field(repr=False)
    urban_label_vi: str = "thành thị"

    def __post_init__(self) -> None:
        codes = [indicator.code for indicator in self.indicators]
        keys = [parameter.key for parameter in self.parameters]
        problems: list[str] = []
        if len(set(codes)) != len(codes):
            problems.append("duplicate indicator code")
        if len(set(keys)) != len(keys):
            problems.append("duplicate parameter key")
        problems += [f"{c} lacks prefix" for c in codes if not c.startswith(self.indicator_prefix)]
        derivable = {i.code for i in self.indicators if i.derivable}
        if derivable != set(self.rules):
            problems.append("derivable indicators and derivation rules differ")
        needed = {POINTS_KEY, CUTOFF_KEY}
        for area in AreaType:
            needed |= {band.key(area) for band in self.income_bands + self.score_bands}
        problems += [f"missing parameter {k}" for k in sorted(needed - set(keys))]
        if problems:
            raise ValueError(f"{self.code}: " + "; ".join(problems))
        self._check_consistency({p.key: p.value for p in self.parameters})
        object.__setattr__(self, "_indicator_codes", frozenset(codes))

    # --- catalogue -----------------------------------------------------------------------

    @property
    def legal_basis_vi(self) -> str:
        return f"{self.instrument_vi} {self.legal_basis}"

    @property
    def legal_basis_en(self) -> str:
        return f"{self.instrument_en} {self.legal_basis.replace('Đ', 'D')}"

    @property
    def has_income_only_branch(self) -> bool:
        """True when a low enough income alone makes a household poor (2016-2021)."""
        return any(band.kind is BandKind.POOR_ON_INCOME for band in self.income_bands)

    @property
    def unconfirmed_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if not p.confirmed)

    def covers(self, list_year: int) -> bool:
        """Whether this standard sets the list of ``list_year``."""
        last = self.last_list_year
        return self.first_list_year <= list_year and (last is None or list_year <= last)

    def parameter(self, key: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.key == key:
                return parameter
        raise StandardError(f"{self.code} has no parameter {key!r}", field="parameter")

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise StandardError(f"{self.code} has no indicator {code!r}", field="deprivations")

    def indicator_for_theme(self, theme: str) -> Indicator | None:
        """The indicator of this standard that measures ``theme``, if it has one."""
        for indicator in self.indicators:
            if indicator.theme == theme:
                return indicator
        return None

    def area_label_vi(self, area: AreaType) -> str:
        return "nông thôn" if area is AreaType.RURAL else self.urban_label_vi

    # --- parameters and overrides --------------------------------------------------------

    def _resolve(self, overrides: Mapping[str, int] | None) -> _Resolved:
        values: dict[str, int | None] = {p.key: p.value for p in self.parameters}
        if not overrides:
            return _Resolved(values, frozenset())
        if not isinstance(overrides, Mapping):
            raise StandardError("overrides must map parameter keys to values", field="overrides")
        by_key = {p.key: p for p in self.parameters}
        for key, new in overrides.items():
            parameter = by_key.get(key)
            if parameter is None:
                raise StandardError(f"{self.code} has no parameter {key!r}", field="overrides")
            if not _is_int(new) or new <= 0:
                raise StandardError(
                    f"override of {key} must be a positive whole number, got {new!r}",
                    field="overrides",
                )
            if parameter.confirmed and not parameter.is_line:
                raise StandardError(
                    f"{key} is a confirmed national rule and cannot be overridden; "
                    "a correction needs a new version of the standard",
                    field="overrides",
                )
            if parameter.confirmed and parameter.value is not None and new < parameter.value:
                raise StandardError(
                    f"{key} may only be raised above the national {parameter.value:,} "
                    f"{parameter.unit} (a local standard cannot be lower); got {new:,}",
                    field="overrides",
                )
            values[key] = new
        self._check_consistency(values)
        return _Resolved(values, frozenset(overrides))

    def _check_consistency(self, values: Mapping[str, int | None]) -> None:
        for area in AreaType:
            for bands in (self.income_bands, self.score_bands):
                known = [
                    (band.key(area), values[band.key(area)])
                    for band in bands
                    if values[band.key(area)] is not None
                ]
                for (low_key, low), (high_key, high) in itertools.pairwise(known):
                    assert low is not None and high is not None
                    if low >= high:
                        raise StandardError(
                            f"{high_key} ({high:,}) must be above {low_key} ({low:,})",
                            field="overrides",
                        )
        for parameter in self.parameters:
            value = values[parameter.key]
            if parameter.unit == "percent" and value is not None and value > 100:
                raise StandardError(f"{parameter.key} is a percentage", field="overrides")

    # --- classification ------------------------------------------------------------------

    def classify(
        self, facts: HouseholdFacts, *, overrides: Mapping[str, int] | None = None
    ) -> Verdict:
        """Classify one household under this standard (domain.md section 7.3)."""
        if not isinstance(facts, HouseholdFacts):
            raise StandardError("classify() takes HouseholdFacts", field="facts")
        context = self._decide(facts, self._resolve(overrides))
        line_key, line = context.steps[-1]
        return Verdict(
            classification=context.classification,
            standard_code=self.code,
            area_type=context.area,
            line=line,
            line_key=line_key,
            income_per_capita=facts.income_per_capita,
            b1_score=facts.b1_score,
            deprived=tuple(i.code for i in context.deprived),
            deprivation_count=len(context.deprived),
            b2_score=context.b2_score,
            unconfirmed=context.unconfirmed,
            overridden=context.overridden,
            explanation_vi=explain_vi(context),
            explanation_en=explain_en(context),
            unconfirmed_indicators=tuple(i.code for i in context.unconfirmed_indicators),
        )

    def _decide(self, facts: HouseholdFacts, resolved: _Resolved) -> ExplainContext:
        """The decision on ``facts`` with everything the verdict and its prose are made of;
        the one place the banded test is applied (``classify`` and ``bulk`` both call it)."""
        values = resolved.values
        unknown = facts.deprivations - self._indicator_codes
        if unknown:
            raise StandardError(
                f"not indicators of {self.code}: {', '.join(sorted(unknown))}",
                field="deprivations",
            )
        area = facts.area_type
        scored = facts.b1_score is not None
        used: list[str] = []
        if facts.b1_score is not None:
            value = facts.b1_score
            if not 0 <= value <= MAX_B1_SCORE:
                raise StandardError(
                    f"the B1 score must be from 0 to {MAX_B1_SCORE}, got {value}", field="b1_score"
                )
            bands = self.score_bands
            used.append(POINTS_KEY)  # the scored rule is stated in B2 points
        else:
            assert facts.income_per_capita is not None
            value = facts.income_per_capita
            bands = self.income_bands

        deprived = tuple(i for i in self.indicators if i.code in facts.deprivations)
        count = len(deprived)
        b2_score = count * (values[POINTS_KEY] or 0)

        steps: list[tuple[str, int]] = []  # thresholds compared, lowest first
        decided: Band | None = None
        missing_middle = False
        for band in bands:
            key = band.key(area)
            threshold = values[key]
            used.append(key)
            if threshold is None:
                if band.kind is BandKind.MIDDLE_INCOME:
                    missing_middle = True
                    continue
                raise StandardError(
                    f"{key} is not known for {self.code}; an administrator must supply it "
                    "as an override before this input can be classified",
                    field="b1_score" if scored else "income_per_capita",
                )
            steps.append((key, threshold))
            if value <= threshold:
                decided = band
                break

        cutoff = values[CUTOFF_KEY] or 0
        if decided is None:
            classification = Classification.NOT_POOR
        elif decided.kind is BandKind.POOR_ON_INCOME:
            classification = Classification.POOR
        elif decided.kind is BandKind.DEPRIVATION_TEST:
            used.append(CUTOFF_KEY)
            poor = count >= cutoff
            classification = Classification.POOR if poor else Classification.NEAR_POOR
        else:
            classification = Classification.MIDDLE_INCOME

        unconfirmed = tuple(
            p.key
            for p in self.parameters
            if p.key in used and not p.confirmed and p.key not in resolved.overridden
        )
        overridden = tuple(p.key for p in self.parameters if p.key in resolved.overridden)
        # The deprivation count decides only in a deprivation-test band; there every deprived
        # indicator counted, so an unconfirmed definition among them weakens the verdict.
        counted = decided is not None and decided.kind is BandKind.DEPRIVATION_TEST
        unsure = tuple(i for i in deprived if counted and not i.confirmed)
        return ExplainContext(
            standard=self,
            area=area,
            scored=scored,
            value=value,
            steps=tuple(steps),
            decided=decided,
            deprived=deprived,
            cutoff=cutoff,
            b2_score=b2_score,
            missing_middle=missing_middle and decided is None,
            classification=classification,
            unconfirmed=unconfirmed,
            overridden=overridden,
            unconfirmed_indicators=unsure,
        )

    def bulk(self, overrides: Mapping[str, int] | None = None) -> BulkClassifier:
        """This standard with ``overrides``, compiled for classifying many households: the
        same verdicts as ``classify`` without their prose, many times faster (``bulk.py``)."""
        from .bulk import BulkClassifier

        return BulkClassifier(self, overrides)

    # --- recomputing indicators ----------------------------------------------------------

    def derive_indicators(
        self,
        members: Sequence[MemberFacts],
        *,
        housing_area_m2: float | None = None,
        non_durable_main_structures: int | None = None,
        overrides: Mapping[str, int] | None = None,
    ) -> dict[str, bool]:
        """Recompute the derivable indicators from member and dwelling data.

        Returns code -> deprived for each derivable indicator the data can decide; one whose
        inputs were not recorded (None) is left out rather than guessed.
        """
        values = self._resolve(overrides).values
        people = tuple(members)
        if not people:
            raise StandardError("a household has at least one member", field="members")
        if not all(isinstance(m, MemberFacts) for m in people):
            raise StandardError("members must be MemberFacts", field="members")
        if housing_area_m2 is not None and (
            isinstance(housing_area_m2, bool)
            or not isinstance(housing_area_m2, int | float)
            or not housing_area_m2 >= 0
        ):
            raise StandardError(
                "housing area must be a number of square metres, 0 or more",
                field="housing_area_m2",
            )
        if non_durable_main_structures is not None and (
            not _is_int(non_durable_main_structures) or not 0 <= non_durable_main_structures <= 3
        ):
            raise StandardError(
                "count of non-durable main structures (walls, columns, roof) must be 0 to 3",
                field="non_durable_main_structures",
            )
        data = DerivationInput(people, housing_area_m2, non_durable_main_structures)
        derived: dict[str, bool] = {}
        for indicator in self.indicators:
            if indicator.derivable:
                result = self.rules[indicator.code](data, values)
                if result is not None:
                    derived[indicator.code] = result
        return derived

    def compare_derived(
        self, derived: Mapping[str, bool], ticked: Iterable[str]
    ) -> tuple[Disagreement, ...]:
        """The indicators where the recomputed value and the officer's tick differ."""
        ticked_codes = frozenset(ticked)
        known = {i.code for i in self.indicators}
        unknown_ticked = ticked_codes - known
        if unknown_ticked:
            raise StandardError(
                f"not indicators of {self.code}: {', '.join(sorted(unknown_ticked))}",
                field="deprivations",
            )
        unknown_derived = set(derived) - known
        if unknown_derived:
            raise StandardError(
                f"not indicators of {self.code}: {', '.join(sorted(unknown_derived))}",
                field="derived",
            )
        return tuple(
            Disagreement(
                indicator_code=i.code,
                derived=bool(derived[i.code]),
                ticked=i.code in ticked_codes,
                name_vi=i.name_vi,
                name_en=i.name_en,
            )
            for i in self.indicators
            if i.code in derived and bool(derived[i.code]) != (i.code in ticked_codes)
        )
