"""Reads of the standards' data: the overrides in force for a unit, and what a change of standard
would do to a set of households."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from policies.standards import (
    PROCEDURE,
    Comparison,
    HouseholdFacts,
    compare_standards,
    get_standard,
)
from registry.models import AdminUnit
from registry.scoping import province_path

from .models import ParameterOverride


def overrides_for(
    *, standard_code: str, unit: AdminUnit | None, on: dt.date | None = None
) -> dict[str, int]:
    """Parameter key -> value in force on ``on`` (default today) for households of ``unit``:
    the national corrections, then the local standard of the unit's province on top. One query.
    """
    on = on or timezone.localdate()
    rows = _scoped(standard_code, unit).in_force(on).values_list("key", "value", "unit_id")
    return _merged(rows)


def overrides_by_day(
    *, standard_code: str, unit: AdminUnit | None
) -> Callable[[dt.date], dict[str, int]]:
    """``overrides_for`` on any day, from one query: for showing many reviews of a province,
    each read on its own day. The rows (every override of the standard, national or of the
    unit's province, ended or not: a few) are read now; the function picks those in force."""
    rows = list(
        _scoped(standard_code, unit).values_list(
            "key", "value", "unit_id", "valid_from", "valid_to"
        )
    )

    def on(day: dt.date) -> dict[str, int]:
        # ParameterOverrideQuerySet.in_force, in Python.
        return _merged(
            (key, value, unit_id)
            for key, value, unit_id, valid_from, valid_to in rows
            if valid_from <= day and (valid_to is None or valid_to > day)
        )

    return on


def _scoped(standard_code: str, unit: AdminUnit | None):
    """The overrides of a standard that may apply to households of ``unit``: the national
    ones, and with a unit those of its province."""
    scope = Q(unit__isnull=True)
    if unit is not None:
        scope |= Q(unit__path=province_path(unit.path))
    return ParameterOverride.objects.filter(standard_code=standard_code).filter(scope)


def _merged(rows: Iterable[tuple[str, int, int | None]]) -> dict[str, int]:
    """The national corrections, then the province's local standard on top."""
    rows = list(rows)
    national = {key: value for key, value, unit_id in rows if unit_id is None}
    local = {key: value for key, value, unit_id in rows if unit_id is not None}
    return national | local


def override_list(*, standard_code: str | None = None):
    """Every override, newest first per number, with its province and author joined."""
    queryset = ParameterOverride.objects.select_related("unit", "created_by")
    if standard_code:
        queryset = queryset.filter(standard_code=standard_code)
    return queryset


def _facts(item: HouseholdFacts | Any) -> HouseholdFacts:
    """A household's facts from HouseholdFacts or anything shaped like households.Review."""
    if isinstance(item, HouseholdFacts):
        return item
    return HouseholdFacts(
        area_type=item.area_type,
        income_per_capita=item.income_per_capita,
        b1_score=item.b1_score,
        deprivations=frozenset(item.deprivations or ()),
    )


def standard_impact(
    *,
    households: Iterable[HouseholdFacts | Any],
    old_code: str,
    new_code: str,
    unit: AdminUnit | None = None,
    on: dt.date | None = None,
) -> Comparison:
    """Classify the same households under two standards, each with the overrides in force for
    ``unit`` (national corrections, and the province's local standard when a unit is given).

    ``households`` holds HouseholdFacts or reviews (households.Review), whose deprivations are
    in the codes of ``old_code``. Raises StandardError on facts the standards refuse.
    """
    old, new = get_standard(old_code), get_standard(new_code)
    return compare_standards(
        (_facts(item) for item in households),
        old,
        new,
        old_overrides=overrides_for(standard_code=old.code, unit=unit, on=on),
        new_overrides=overrides_for(standard_code=new.code, unit=unit, on=on),
    )


@dataclass(frozen=True)
class ProcedureNumber:
    """A number of the review procedure as it applies on a day, and how sure it is.

    ``confirmed`` is False while the law module marks the number unconfirmed and no national
    correction replaces it; ``corrected`` is True when an administrator's correction applies.
    """

    key: str
    value: int
    unit: str
    source: str
    confirmed: bool
    corrected: bool

    @property
    def unconfirmed(self) -> bool:
        """Flag it to users: the law was not read and no administrator corrected it yet."""
        return not self.confirmed and not self.corrected


def procedure_number(key: str, *, on: dt.date | None = None) -> ProcedureNumber:
    """A number of the review procedure (Decision 24/2021/QĐ-TTg) in force on ``on``: the
    national correction if an administrator set one, else the law module's value. One query."""
    parameter = PROCEDURE.parameter(key)
    corrected = overrides_for(standard_code=PROCEDURE.code, unit=None, on=on).get(key)
    value = corrected if corrected is not None else parameter.value
    assert value is not None  # every procedure number has a placeholder value
    return ProcedureNumber(
        key=key,
        value=value,
        unit=parameter.unit,
        source=parameter.source,
        confirmed=parameter.confirmed,
        corrected=corrected is not None,
    )
