"""Filters of disbursements and batch runs, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from registry.choices import Level
from registry.filters import IdFilter, YearFilter
from registry.models import AdminUnit

from ..choices import EntryKind
from ..models import Disbursement, DisbursementBatch, Programme


def _programmes(request):
    user = getattr(request, "user", None)
    return Programme.objects.available_to(user) if user is not None else Programme.objects.none()


def _communes(request):
    user = getattr(request, "user", None)
    if user is None:
        return AdminUnit.objects.none()
    return AdminUnit.objects.visible_to(user).filter(level=Level.COMMUNE).order_by("name")


class DisbursementFilterSet(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=_programmes, label=_("Programme"))
    commune = django_filters.ModelChoiceFilter(queryset=_communes, label=_("Commune"))
    period = django_filters.CharFilter(label=_("Period"), max_length=24)
    year = YearFilter(label=_("Plan year"))
    household = IdFilter(field_name="household_id", label=_("Household"))
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label=_("Entry"))
    batch = IdFilter(field_name="batch_id", label=_("Batch"))

    class Meta:
        model = Disbursement
        fields = ["programme", "commune", "period", "year", "household", "kind", "batch"]


class BatchFilterSet(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=_programmes, label=_("Programme"))
    commune = django_filters.ModelChoiceFilter(queryset=_communes, label=_("Commune"))
    period = django_filters.CharFilter(label=_("Period"), max_length=24)

    class Meta:
        model = DisbursementBatch
        fields = ["programme", "commune", "period"]
