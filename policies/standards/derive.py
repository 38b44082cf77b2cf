"""Recomputing deprivation indicators from member and dwelling data.

Each rule is a small factory that takes the parameter keys of the standard using it, so the
ages and areas stay in that standard's data table. Rules use three-valued logic: True
(deprived), False (not deprived) or None (the recorded data cannot tell), so a missing field
never silently counts as "not deprived".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .base import MemberFacts

Tri = bool | None


@dataclass(frozen=True, slots=True)
class DerivationInput:
    """Everything a derivation rule may read about one household."""

    members: tuple[MemberFacts, ...]
    housing_area_m2: float | None
    non_durable_main_structures: int | None


Params = Mapping[str, int | None]
Rule = Callable[[DerivationInput, Params], Tri]


def tri_not(value: Tri) -> Tri:
    return None if value is None else not value


def tri_and(*values: Tri) -> Tri:
    """False if any is False, else None if any is unknown, else True (a plain loop: this runs
    for every member of every household a bulk import classifies)."""
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def tri_or(*values: Tri) -> Tri:
    """True if any is True, else None if any is unknown, else False."""
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def tri_any(values: Iterable[Tri]) -> Tri:
    return tri_or(*values)


def _age_at_least(member: MemberFacts, years: int) -> Tri:
    return None if member.age is None else member.age >= years


def _age_below(member: MemberFacts, years: int) -> Tri:
    return None if member.age is None else member.age < years


def _param(params: Params, key: str) -> int:
    value = params[key]
    if value is None:  # pragma: no cover - a derivable indicator always has its numbers
        raise KeyError(key)
    return value


def health_insurance(min_age_key: str) -> Rule:
    """A member aged ``min_age`` or over has no health insurance."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        min_age = _param(params, min_age_key)
        return tri_any(
            tri_and(_age_at_least(m, min_age), tri_not(m.has_health_insurance))
            for m in data.members
        )

    return rule


def child_school_attendance(age_from_key: str, age_below_key: str, *, check_level: bool) -> Rule:
    """A child in the school-age band is out of school (or, with ``check_level``, not at the
    level that matches their age)."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        age_from = _param(params, age_from_key)
        age_below = _param(params, age_below_key)
        results: list[Tri] = []
        for m in data.members:
            in_band = tri_and(_age_at_least(m, age_from), _age_below(m, age_below))
            lacking = tri_not(m.in_school)
            if check_level:
                lacking = tri_or(lacking, tri_not(m.school_level_matches_age))
            results.append(tri_and(in_band, lacking))
        return tri_any(results)

    return rule


def adult_education(age_from_key: str, upper_band_from_key: str, age_to_key: str) -> Rule:
    """A member aged from ``age_from`` to ``age_to`` is not in training and lacks the
    qualification expected for their age: lower secondary below ``upper_band_from``, upper
    secondary or vocational training from it."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        age_from = _param(params, age_from_key)
        upper_from = _param(params, upper_band_from_key)
        age_to = _param(params, age_to_key)
        results: list[Tri] = []
        for m in data.members:
            lower_band = tri_and(_age_at_least(m, age_from), _age_below(m, upper_from))
            upper_band = tri_and(_age_at_least(m, upper_from), _age_below(m, age_to + 1))
            results.append(
                tri_or(
                    tri_and(lower_band, tri_not(m.in_school), tri_not(m.completed_lower_secondary)),
                    tri_and(
                        upper_band,
                        tri_not(m.in_school),
                        tri_not(m.completed_upper_secondary_or_vocational),
                    ),
                )
            )
        return tri_any(results)

    return rule


def nutrition(child_below_key: str) -> Rule:
    """A child under ``child_below`` years is malnourished (stunted or underweight)."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        below = _param(params, child_below_key)
        return tri_any(tri_and(_age_below(m, below), m.malnourished) for m in data.members)

    return rule


def employment(min_age_key: str) -> Rule:
    """A member of working age is unemployed or works for wages without a labour contract."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        min_age = _param(params, min_age_key)
        return tri_any(
            tri_and(
                _age_at_least(m, min_age),
                tri_or(m.unemployed, m.wage_work_without_contract),
            )
            for m in data.members
        )

    return rule


def dependants(child_below_key: str, share_above_percent_key: str) -> Rule:
    """More than ``share`` percent of members are dependants: children under ``child_below``
    or people on the monthly social allowance."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        below = _param(params, child_below_key)
        share = _param(params, share_above_percent_key)
        flags = [
            tri_or(_age_below(m, below), m.receives_monthly_social_allowance) for m in data.members
        ]
        total = len(flags)
        certain = sum(1 for flag in flags if flag is True)
        possible = sum(1 for flag in flags if flag is not False)
        if certain * 100 > share * total:
            return True
        if possible * 100 <= share * total:
            return False
        return None

    return rule


def housing_area(min_m2_per_person_key: str) -> Rule:
    """Housing floor area per member is below ``min_m2_per_person``."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        if data.housing_area_m2 is None:
            return None
        minimum = _param(params, min_m2_per_person_key)
        return data.housing_area_m2 < minimum * len(data.members)

    return rule


def housing_quality(min_non_durable_key: str) -> Rule:
    """At least ``min_non_durable`` of the three main structures (walls, columns, roof) are
    of non-durable materials."""

    def rule(data: DerivationInput, params: Params) -> Tri:
        if data.non_durable_main_structures is None:
            return None
        return data.non_durable_main_structures >= _param(params, min_non_durable_key)

    return rule
