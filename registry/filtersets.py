"""Filters over administrative units, shared by the HTML pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import Level, Scheme
from .filters import IdFilter
from .models import AdminUnit
from .text import search_key


class AdminUnitFilterSet(django_filters.FilterSet):
    """Filter units by level, parent, scheme and name (diacritics and case ignored)."""

    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    scheme = django_filters.ChoiceFilter(choices=Scheme.choices, label=_("Scheme"))
    parent = IdFilter(field_name="parent_id", label=_("Parent unit"))
    q = django_filters.CharFilter(method="filter_name", label=_("Name"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Current units only"))

    class Meta:
        model = AdminUnit
        fields = ["level", "scheme", "parent", "code", "area_type"]

    def filter_name(self, queryset, name, value):
        key = search_key(value)
        return queryset.filter(name_search__contains=key) if key else queryset

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(valid_to__isnull=value)
