"""The one filterset of the KPI parameters, shared by the dashboards and the KPI API.

It filters no queryset of its own: it reads and checks the request's parameters (a refused one
is an error of its field: a 400 naming it in the API, a message beside it on a page) and hands
them to the selectors as `KpiParams`. Both front doors build it the same way, with the request
(for the programmes the user may see), so a parameter means the same on a page and in the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from households.selectors import current_list_year
from registry.choices import Level, Scheme
from registry.filters import YearFilter
from registry.limits import YEAR_RANGE_MESSAGE, year_in_range
from registry.models import AdminUnit

# The levels a KPI table can list: villages have no figures of their own.
KPI_LEVELS = [(value, label) for value, label in Level.choices if value != Level.VILLAGE]


@dataclass(frozen=True)
class KpiParams:
    """The KPI parameters of one request, checked."""

    year: int
    as_of: dt.date | None = None
    programme: str | None = None  # a programme's code
    level: str | None = None  # the level of the units a table lists (default: one below)
    scheme: str | None = None  # the scheme of the units a table lists (default: the unit's)
    from_year: int | None = None  # a series' first year
    to_year: int | None = None  # a series' last year

    @property
    def years(self) -> tuple[int, int] | None:
        """The series' years (inclusive), None for every year with data."""
        if self.from_year is None and self.to_year is None:
            return None
        return (self.from_year or self.to_year, self.to_year or self.from_year)


def _in_range(day: dt.date) -> None:
    if not year_in_range(day.year):
        raise ValidationError(YEAR_RANGE_MESSAGE, code="year_range")


class _AsOfField(forms.DateField):
    default_validators = [_in_range]


class AsOfFilter(django_filters.DateFilter):
    field_class = _AsOfField


def _programmes(request):
    from policies.support.models import Programme

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:  # the open data: every programme is public
        return Programme.objects.all()
    return Programme.objects.available_to(user)


def _keep(queryset, name, value):
    return queryset


class KpiFilterSet(django_filters.FilterSet):
    """year (default: the current list year), as_of, programme, level, scheme, from_year and
    to_year (a series)."""

    year = YearFilter(
        method=_keep, label=_("Year"), help_text=_("List year (default: the current one).")
    )
    as_of = AsOfFilter(
        method=_keep,
        label=_("As of"),
        help_text=_("The status in force on this day instead of at the end of the year."),
    )
    programme = django_filters.ModelChoiceFilter(
        method=_keep,
        queryset=_programmes,
        to_field_name="code",
        label=_("Programme"),
        help_text=_("Support of one programme only (its code)."),
    )
    level = django_filters.ChoiceFilter(
        method=_keep,
        choices=KPI_LEVELS,
        label=_("Level"),
        help_text=_("The level of the units listed (default: the one below the unit)."),
    )
    scheme = django_filters.ChoiceFilter(
        method=_keep,
        choices=Scheme.choices,
        label=_("Scheme"),
        help_text=_(
            "The scheme of the units listed: 2004 lists the old units a 2025 unit took over, "
            "with their own figures (default: the unit's)."
        ),
    )
    from_year = YearFilter(method=_keep, label=_("From year"), help_text=_("First year."))
    to_year = YearFilter(method=_keep, label=_("To year"), help_text=_("Last year."))

    class Meta:
        model = AdminUnit
        fields: list[str] = []

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        data = self.form.cleaned_data
        year, as_of = data.get("year"), data.get("as_of")
        if year is not None and as_of is not None and as_of.year != year:
            self.form.add_error("as_of", _("Choose a day of the year asked for."))
        first, last = data.get("from_year"), data.get("to_year")
        if first is not None and last is not None and first > last:
            self.form.add_error("to_year", _("The last year cannot come before the first."))
        return not self.form.errors

    @property
    def params(self) -> KpiParams:
        """The checked parameters (call `is_valid()` first)."""
        data = self.form.cleaned_data
        as_of = data.get("as_of")
        programme = data.get("programme")
        return KpiParams(
            year=data.get("year") or (as_of.year if as_of else current_list_year()),
            as_of=as_of,
            programme=programme.code if programme else None,
            level=data.get("level") or None,
            scheme=data.get("scheme") or None,
            from_year=data.get("from_year"),
            to_year=data.get("to_year"),
        )
