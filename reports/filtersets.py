"""The one filterset of the KPI requests, used by the dashboards and the KPI API alike.

Its rows are administrative units (the children of a unit, filtered by level and scheme); the
year, the as-of date and the programme are the parameters the KPI selectors take.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from policies.support.models import Programme
from registry.choices import Level, Scheme
from registry.filters import YearFilter
from registry.models import AdminUnit


def _programmes(request):
    if request is None:
        return Programme.objects.none()
    return Programme.objects.available_to(request.user).order_by("position", "code")


class _Parameter:
    """A filter that only carries a parameter of the selectors: it leaves the rows as they are."""

    @staticmethod
    def keep(queryset, name, value):
        return queryset


class KpiFilterSet(django_filters.FilterSet):
    """KPIs of a year (default this year's list), as of a date, for one programme's support;
    the units listed by level and scheme."""

    year = YearFilter(method=_Parameter.keep, label=_("Year"))
    as_of = django_filters.DateFilter(method=_Parameter.keep, label=_("As of"))
    # By its code ("bhyt"), as the selectors take it.
    programme = django_filters.ModelChoiceFilter(
        queryset=_programmes, to_field_name="code", method=_Parameter.keep, label=_("Programme")
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    scheme = django_filters.ChoiceFilter(choices=Scheme.choices, label=_("Scheme"))

    class Meta:
        model = AdminUnit
        fields = ["year", "as_of", "programme", "level", "scheme"]
