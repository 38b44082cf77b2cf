"""Numbers on the support pages as officers write them (1.234.000, a dash for none), and the
names of the programmes' parameters and variants."""

from django import template

from policies.support import catalogue

register = template.Library()


@register.filter
def grouped(value) -> str:
    if value is None or value == "":
        return "–"
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def parameter_label(key: str) -> str:
    return catalogue.parameter_label(key)


@register.filter
def variant_label(code: str) -> str:
    return catalogue.variant_label(code)


@register.filter
def period_label(key: str) -> str:
    """A disbursement's period as officers read it ("once" in words; other keys as they are)."""
    from django.utils.translation import gettext

    return gettext("once") if key == "once" else key


@register.filter
def by_programme(rows) -> list[tuple[str, int]]:
    """(programme name, number of rows) in the order the programmes first appear."""
    counts: dict[str, int] = {}
    for row in rows:
        name = row.programme.name
        counts[name] = counts.get(name, 0) + 1
    return list(counts.items())


@register.filter
def due_batches(rows) -> list[tuple]:
    """(programme, period) of the payments due, once each, for batch programmes only."""
    seen: dict[tuple[int, str], tuple] = {}
    for row in rows:
        programme = row.programme
        if programme.uses_priority_list or programme.amount_rule == "entered":
            continue
        seen.setdefault((programme.pk, row.due_period), (programme, row.due_period))
    return list(seen.values())
