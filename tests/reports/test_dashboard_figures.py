"""The dashboards' presentation, without a database: the children's sort, the numbers' format."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from reports.templatetags import dashboard_format as fmt
from reports.views import figures


def _kpis(name: str, poor_rate: str | None, poor: int):
    rate = Decimal(poor_rate) if poor_rate is not None else None
    return SimpleNamespace(
        unit=SimpleNamespace(name=name),
        rates={"poor_rate": rate},
        counts={"poor_households": poor},
        denominator=100,
    )


CHILDREN = [
    _kpis("Xã Bình Hòa", "4.00", 4),
    _kpis("Phường Long Xuyên", None, 0),  # no denominator: the rate is empty
    _kpis("Xã An Phú", "7.50", 9),
    _kpis("Xã Ấp Mới", "4.00", 4),
]


def _names(rows) -> list[str]:
    return [k.unit.name for k in rows]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Phường Long Xuyên", "Xã An Phú", "Xã Ấp Mới", "Xã Bình Hòa"]),
        ("-poor_rate", ["Xã An Phú", "Xã Ấp Mới", "Xã Bình Hòa", "Phường Long Xuyên"]),
        ("poor_rate", ["Xã Ấp Mới", "Xã Bình Hòa", "Xã An Phú", "Phường Long Xuyên"]),
        ("-poor_households", ["Xã An Phú", "Xã Ấp Mới", "Xã Bình Hòa", "Phường Long Xuyên"]),
        ("no_such_column", ["Phường Long Xuyên", "Xã An Phú", "Xã Ấp Mới", "Xã Bình Hòa"]),
    ],
)
def test_children_sort_by_any_column_empty_rates_last(sort, expected):
    column, descending = figures.parse_sort(sort)
    assert _names(figures.sort_children(CHILDREN, column, descending)) == expected


def test_the_active_heading_links_to_the_reverse_sort():
    column, descending = figures.parse_sort("-poor_rate")
    links = {h.column.key: h.sort for h in figures.headers(column, descending)}
    assert links["poor_rate"] == "poor_rate"
    assert links["poor_households"] == "-poor_households"  # numbers: largest first
    assert links["name"] == "name"


def test_rates_use_the_readers_decimal_mark_and_empty_is_not_zero():
    with translation.override("vi"):
        assert fmt.rate(Decimal("12.50")) == "12,50"
    with translation.override("en"):
        assert fmt.rate(Decimal("12.50")) == "12.50"
    assert fmt.rate(None) == "–"
    assert fmt.count(1234567) == "1.234.567"


def test_changes_are_signed_and_rates_change_in_points():
    with translation.override("vi"):
        assert fmt.change(-3) == "−3"
        assert fmt.change(12) == "+12"
        assert fmt.change(0) == "±0"
        assert fmt.points(Decimal("-0.35")) == "−0,35 điểm"
        assert fmt.points(None) == "–"


def test_the_multidimensional_rate_is_labelled_apart_from_the_poverty_rate():
    with translation.override("en"):
        label = str(figures.MULTIDIMENSIONAL_RATE.label)
        note = str(figures.MULTIDIMENSIONAL_RATE.note)
    assert "poor + near-poor" in label
    assert "not the poverty rate" in note
