"""Numbers on the allocation pages, as officers write them: 1.234.000 (a dash for none)."""

from django import template

register = template.Library()


@register.filter
def grouped(value) -> str:
    if value is None or value == "":
        return "–"
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)
