"""KPI arithmetic: pure functions over counts, no Django.

A rate is `100 × numerator / denominator` rounded half up to 2 decimals, and empty (None, not 0)
when the denominator is 0 or unknown. The multidimensional rate (poor + near-poor, "tỷ lệ hộ
nghèo đa chiều") is reported apart from the poverty rate and never summed into it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")

# rate name -> (numerator counter(s), denominator: "households" for the unit's denominator, or a
# counter). The ethnic-minority rates are among ethnic-minority households of the registry.
RATES: dict[str, tuple[tuple[str, ...], str]] = {
    "poor_rate": (("poor_households",), "households"),
    "near_poor_rate": (("near_poor_households",), "households"),
    "middle_rate": (("middle_households",), "households"),
    "multidimensional_rate": (("poor_households", "near_poor_households"), "households"),
    "minority_poor_rate": (("minority_poor_households",), "minority_households"),
    "minority_near_poor_rate": (("minority_near_poor_households",), "minority_households"),
    "minority_multidimensional_rate": (
        ("minority_poor_households", "minority_near_poor_households"),
        "minority_households",
    ),
}
# Moves against the previous list that make up "escaped poverty": out of the poor list, to the
# near-poor list or off both.
ESCAPED = ("escaped_poverty", "poor_to_near_poor")


def rate(numerator: int | None, denominator: int | None) -> Decimal | None:
    """100 × numerator / denominator, half up to 2 decimals; None when either is unknown or the
    denominator is 0."""
    if numerator is None or not denominator:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(HUNDREDTH, ROUND_HALF_UP)


def rates(counts: Mapping[str, int], denominator: int | None) -> dict[str, Decimal | None]:
    """Every rate of `RATES` from a unit's counts, `denominator` standing for all households."""
    result = {}
    for name, (numerators, over) in RATES.items():
        total = sum(counts.get(n, 0) for n in numerators)
        result[name] = rate(total, denominator if over == "households" else counts.get(over, 0))
    return result


def change(current: Decimal | int | None, previous: Decimal | int | None):
    """current - previous, or None when either is unknown."""
    if current is None or previous is None:
        return None
    return current - previous


@dataclass(frozen=True)
class Progress:
    """How a rate stands against a target in one year: `expected` is the rate (below-by) or the
    reduction in points (yearly reduction) the target asks for, `actual` what happened."""

    expected: Decimal
    actual: Decimal | None
    met: bool | None  # None: not known (no rate, or no previous year for a reduction)


def below_by(value: Decimal, actual: Decimal | None) -> Progress:
    """A target "below `value` %": met when the rate is under it."""
    return Progress(value, actual, None if actual is None else actual < value)


def yearly_reduction(value: Decimal, actual: Decimal | None, previous: Decimal | None) -> Progress:
    """A target "reduced by `value` points a year": met when the rate fell by at least that."""
    reduction = change(previous, actual)
    return Progress(value, reduction, None if reduction is None else reduction >= value)
