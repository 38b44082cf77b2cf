"""Numbers on the dashboards: counts grouped, rates with two decimals in the reader's language,
changes signed, and the plain values the charts read from the tables."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language, gettext

register = template.Library()

EMPTY = "–"  # an empty figure (a rate whose denominator is 0) is shown as empty, never as 0
MINUS = "−"


def _vi() -> bool:
    return not (get_language() or "vi").startswith("en")


def _grouped(value: int) -> str:
    # The registry groups thousands with a dot, as Vietnamese writes them (support pages alike).
    return f"{value:,}".replace(",", ".")


@register.filter
def count(value) -> str:
    """1234567 -> "1.234.567"; None -> "–"."""
    if value is None or value == "":
        return EMPTY
    return _grouped(int(value))


@register.filter
def rate(value) -> str:
    """Decimal("12.50") -> "12,50" in Vietnamese, "12.50" in English; None -> "–"."""
    if value is None or value == "":
        return EMPTY
    text = f"{Decimal(value):.2f}"
    return text.replace(".", ",") if _vi() else text


@register.filter
def change(value, kind: str = "count") -> str:
    """A change from last year, signed: "+12", "−3", "±0"; a rate's in points ("+0,35")."""
    if value is None or value == "":
        return EMPTY
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else MINUS
    magnitude = abs(value)
    return sign + (rate(magnitude) if kind == "rate" else count(magnitude))


@register.filter
def points(value) -> str:
    """A rate's change in percentage points: "+0,35 points"; "–" when either year has none."""
    if value is None or value == "":
        return EMPTY
    return gettext("%(change)s points") % {"change": change(value, "rate")}


@register.filter
def trend(value) -> str:
    """The Bootstrap text class of a change: fewer poor households is good news."""
    if value is None or value == 0:
        return "text-muted"
    return "text-success" if value < 0 else "text-danger"


@register.filter
def raw(value) -> str:
    """The value as the charts read it (data-value): digits and a dot, or empty."""
    if value is None or value == "":
        return ""
    return str(value)
