"""What a dashboard shows, as rows the templates lay out: the figures of a unit and year with
their change from last year, the children's table and its sort, the charts' tables.

Only presentation: every number comes from the `Kpis` the selectors computed; the one share
worked out here (of the poor households deprived in an indicator) goes through `reports.kpis.rate`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from policies.standards import all_standards, standard_for_list_year
from registry.text import search_key

COUNT, RATE = "count", "rate"
# Escaped poverty in all: off the poor list, to near-poor or off both (`Kpis.escaped`).
ESCAPED = "escaped"


@dataclass(frozen=True)
class Figure:
    """One KPI: where it is read (a counter or a rate) and how it is labelled."""

    key: str
    label: Promise | str
    kind: str = COUNT
    # What the rate is a share of, said beside it so that nobody reads it against another base.
    base: Promise | str = ""
    note: Promise | str = ""

    def value(self, kpis) -> int | Decimal | None:
        if kpis is None:
            return None
        if self.key == ESCAPED:
            return kpis.escaped
        source = kpis.rates if self.kind == RATE else kpis.counts
        return source.get(self.key)


ALL_HOUSEHOLDS = _("% of all households")
MINORITY_HOUSEHOLDS = _("% of ethnic-minority households")
# The combined rate is reported separately and named so nobody mistakes it for the poverty rate.
MULTIDIMENSIONAL_NOTE = _("poor + near-poor households; not the poverty rate")

POOR_RATE = Figure("poor_rate", _("Poverty rate"), RATE, ALL_HOUSEHOLDS)
NEAR_POOR_RATE = Figure("near_poor_rate", _("Near-poverty rate"), RATE, ALL_HOUSEHOLDS)
MIDDLE_RATE = Figure("middle_rate", _("Middle-income rate"), RATE, ALL_HOUSEHOLDS)
MULTIDIMENSIONAL_RATE = Figure(
    "multidimensional_rate",
    _("Multidimensional rate (poor + near-poor)"),
    RATE,
    ALL_HOUSEHOLDS,
    MULTIDIMENSIONAL_NOTE,
)
MINORITY_POOR_RATE = Figure(
    "minority_poor_rate", _("Poverty rate of ethnic-minority households"), RATE, MINORITY_HOUSEHOLDS
)
MINORITY_NEAR_POOR_RATE = Figure(
    "minority_near_poor_rate",
    _("Near-poverty rate of ethnic-minority households"),
    RATE,
    MINORITY_HOUSEHOLDS,
)
MINORITY_MULTIDIMENSIONAL_RATE = Figure(
    "minority_multidimensional_rate",
    _("Multidimensional rate of ethnic-minority households (poor + near-poor)"),
    RATE,
    MINORITY_HOUSEHOLDS,
    MULTIDIMENSIONAL_NOTE,
)


def _count(key: str, label: Promise) -> Figure:
    return Figure(key, label)


ESCAPED_TOTAL = Figure(ESCAPED, _("Escaped poverty (to near-poor or off both lists)"))


# The table of every figure of the year, in the order a report reads them.
SECTIONS: tuple[tuple[Promise, tuple[Figure, ...]], ...] = (
    (
        _("Households in the registry"),
        (_count("households", _("Households")), _count("persons", _("Persons"))),
    ),
    (
        _("Poor households (hộ nghèo)"),
        (
            _count("poor_households", _("Poor households")),
            POOR_RATE,
            _count("poor_persons", _("Members of poor households")),
        ),
    ),
    (
        _("Near-poor households (hộ cận nghèo)"),
        (
            _count("near_poor_households", _("Near-poor households")),
            NEAR_POOR_RATE,
            _count("near_poor_persons", _("Members of near-poor households")),
        ),
    ),
    (
        _("Poor and near-poor together"),
        (MULTIDIMENSIONAL_RATE,),
    ),
    (
        _("Middle-income households"),
        (
            _count("middle_households", _("Middle-income households")),
            MIDDLE_RATE,
            _count("middle_persons", _("Members of middle-income households")),
        ),
    ),
    (
        _("Ethnic-minority households (by the head)"),
        (
            _count("minority_households", _("All ethnic-minority households")),
            _count("minority_persons", _("Members of ethnic-minority households")),
            _count("minority_poor_households", _("Poor households with an ethnic-minority head")),
            MINORITY_POOR_RATE,
            _count(
                "minority_poor_persons",
                _("Members of poor households with an ethnic-minority head"),
            ),
            _count(
                "minority_near_poor_households",
                _("Near-poor households with an ethnic-minority head"),
            ),
            MINORITY_NEAR_POOR_RATE,
            _count(
                "minority_near_poor_persons",
                _("Members of near-poor households with an ethnic-minority head"),
            ),
            MINORITY_MULTIDIMENSIONAL_RATE,
        ),
    ),
    (
        _("Against the previous year's list"),
        (
            ESCAPED_TOTAL,
            _count("escaped_poverty", _("of them off both lists")),
            _count("poor_to_near_poor", _("of them to near-poor")),
            _count("escaped_near_poverty", _("Escaped near-poverty")),
            _count("newly_poor", _("Newly poor")),
            _count("newly_near_poor", _("Newly near-poor")),
            _count("near_poor_to_poor", _("Near-poor to poor")),
            _count("relapsed", _("Relapsed into poverty")),
        ),
    ),
)


@dataclass(frozen=True)
class FigureRow:
    figure: Figure
    value: int | Decimal | None
    previous: int | Decimal | None

    @property
    def change(self) -> int | Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def compared(kpis):
    """Last year's KPIs when the previous list is in the registry, else None: a year without a
    list is no base for a change (its counts are zeros, not figures)."""
    return kpis.previous if kpis.has_transitions else None


def figure_row(figure: Figure, kpis) -> FigureRow:
    return FigureRow(figure, figure.value(kpis), figure.value(compared(kpis)))


def sections(kpis) -> list[tuple[Promise, list[FigureRow]]]:
    return [(title, [figure_row(f, kpis) for f in figures]) for title, figures in SECTIONS]


# --- the children's table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    read: Callable[[Any], Any]
    kind: str = COUNT
    title: Promise | str = ""  # said on hover: what the figure is a share of


def _counter(key: str) -> Callable[[Any], Any]:
    return lambda k: k.counts.get(key)


def _rate(key: str) -> Callable[[Any], Any]:
    return lambda k: k.rates.get(key)


CHILD_COLUMNS: tuple[Column, ...] = (
    Column("name", _("Unit"), lambda k: search_key(k.unit.name), kind="name"),
    Column("denominator", _("Households (denominator)"), lambda k: k.denominator),
    Column("poor_households", _("Poor households"), _counter("poor_households")),
    Column("poor_rate", _("Poverty rate %"), _rate("poor_rate"), RATE, ALL_HOUSEHOLDS),
    Column("near_poor_households", _("Near-poor households"), _counter("near_poor_households")),
    Column("near_poor_rate", _("Near-poverty rate %"), _rate("near_poor_rate"), RATE),
    Column(
        "multidimensional_rate",
        _("Multidimensional rate % (poor + near-poor)"),
        _rate("multidimensional_rate"),
        RATE,
        MULTIDIMENSIONAL_NOTE,
    ),
    Column(
        "minority_poor_rate",
        _("Ethnic-minority poverty rate %"),
        _rate("minority_poor_rate"),
        RATE,
        MINORITY_HOUSEHOLDS,
    ),
    Column("escaped", _("Escaped poverty"), lambda k: k.escaped),
    Column("newly_poor", _("Newly poor"), _counter("newly_poor")),
)
COLUMNS_BY_KEY = {c.key: c for c in CHILD_COLUMNS}
DEFAULT_SORT = "name"


def parse_sort(raw: str | None) -> tuple[Column, bool]:
    """The column to sort by and whether descending, from `sort=key` or `sort=-key`; anything
    else sorts by name (a sort is a view, not an input to refuse)."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    column = COLUMNS_BY_KEY.get(raw.removeprefix("-"))
    if column is None:
        return COLUMNS_BY_KEY[DEFAULT_SORT], False
    return column, descending


def sort_children(children: Sequence[Any], column: Column, descending: bool) -> list[Any]:
    """Sorted by the column; an empty figure (a rate without denominator) last either way, ties
    by name."""
    present = [k for k in children if column.read(k) is not None]
    empty = [k for k in children if column.read(k) is None]
    by_name = sorted(present, key=lambda k: search_key(k.unit.name))
    ordered = sorted(by_name, key=column.read, reverse=descending)
    return ordered + sorted(empty, key=lambda k: search_key(k.unit.name))


@dataclass(frozen=True)
class Header:
    column: Column
    sort: str  # the `sort` value its link asks for
    active: bool
    descending: bool


def headers(column: Column, descending: bool) -> list[Header]:
    """Each column's link: sort by it (numbers largest first, names A to Z), or reverse the
    current sort."""
    result = []
    for c in CHILD_COLUMNS:
        active = c.key == column.key
        # Numbers sort largest first, names A to Z; the active column reverses.
        wanted_descending = not descending if active else c.kind != "name"
        result.append(Header(c, f"-{c.key}" if wanted_descending else c.key, active, descending))
    return result


def child_cells(kpis) -> list[tuple[Column, Any]]:
    return [(c, c.read(kpis)) for c in CHILD_COLUMNS[1:]]


# --- the charts' tables -----------------------------------------------------------------------


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def indicator_label(code: str, year: int) -> str:
    """The name of a deprivation indicator in the standard of the year (or, for a code of
    another standard, of the one that defines it)."""
    lang = _lang()
    standards = (standard_for_list_year(year), *all_standards())
    for standard in standards:
        for indicator in standard.indicators:
            if indicator.code == code:
                return indicator.name_en if lang == "en" else indicator.name_vi
    return code


def indicator_order(year: int) -> dict[str, int]:
    standard = standard_for_list_year(year)
    return {indicator.code: n for n, indicator in enumerate(standard.indicators)}


@dataclass(frozen=True)
class DeprivationRow:
    code: str
    label: str
    households: int
    share: Decimal | None  # % of the poor households


def deprivation_rows(kpis) -> list[DeprivationRow]:
    """Poor households deprived in each indicator, in the standard's order; the share of the
    poor households is the selectors' rate."""
    from reports.kpis import rate

    order = indicator_order(kpis.year)
    poor = kpis.counts.get("poor_households") or 0
    codes = sorted(kpis.deprivations, key=lambda code: (order.get(code, len(order)), code))
    return [
        DeprivationRow(
            code,
            indicator_label(code, kpis.year),
            kpis.deprivations[code],
            rate(kpis.deprivations[code], poor),
        )
        for code in codes
    ]
