"""Filters of the priority lists, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from registry.filters import IdFilter, YearFilter

from ..choices import PriorityListStatus
from ..models import PriorityList


class PriorityListFilterSet(django_filters.FilterSet):
    """By programme, year, status and commune; the queryset is already the user's area, so a
    commune outside it selects nothing."""

    programme = IdFilter(field_name="programme_id", label=_("Programme"))
    year = YearFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=PriorityListStatus.choices, label=_("Status"))
    commune = IdFilter(field_name="commune_id", label=_("Commune"))

    class Meta:
        model = PriorityList
        fields = ["programme", "year", "status", "commune"]
