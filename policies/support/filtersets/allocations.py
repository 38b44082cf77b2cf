"""The filters of the allocation list, shared by the page and the API."""

from __future__ import annotations

import django_filters

from registry.filters import IdFilter, YearFilter

from ..models import Allocation


class AllocationFilterSet(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id")
    year = YearFilter()
    unit = IdFilter(field_name="unit_id")
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Allocation
        fields = ["programme", "year", "unit", "parent"]
