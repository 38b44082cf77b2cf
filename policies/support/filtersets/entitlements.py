"""The one filterset of entitlements, for the list page and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.choices import Level
from registry.models import AdminUnit

from ..choices import EntitlementBasis
from ..models import Entitlement, Programme
from ..selectors.entitlements import month_bounds, parse_month


class MonthField(forms.CharField):
    """A month typed "YYYY-MM" (what <input type="month"> sends), as its first day."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise ValidationError(
                _("Enter a month as YYYY-MM, e.g. 2026-03."), code="invalid"
            ) from None


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        first, last = month_bounds(value)
        return qs.filter(**{f"{self.field_name}__range": (first, last)})


def _programmes(request):
    user = getattr(request, "user", None)
    found = Programme.objects.filter(tracks_entitlements=True)
    return found.available_to(user) if user is not None else found.none()


def _communes(request):
    user = getattr(request, "user", None)
    if user is None:
        return AdminUnit.objects.none()
    return AdminUnit.objects.visible_to(user).filter(level=Level.COMMUNE).order_by("name")


class EntitlementFilterSet(django_filters.FilterSet):
    """By programme, basis, commune (among those the user sees), the day it is in force, and
    the month it starts or ends in."""

    programme = django_filters.ModelChoiceFilter(
        queryset=_programmes, label=_("Programme"), empty_label=_("All")
    )
    basis = django_filters.ChoiceFilter(
        choices=EntitlementBasis.choices, label=_("Because"), empty_label=_("All")
    )
    commune = django_filters.ModelChoiceFilter(
        queryset=_communes, label=_("Commune"), empty_label=_("All")
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("In force on"))
    starts_in = MonthFilter(field_name="valid_from", label=_("Starts in (month)"))
    ends_in = MonthFilter(field_name="valid_to", label=_("Ends in (month)"))

    class Meta:
        model = Entitlement
        fields = ["programme", "basis", "commune", "active_on", "starts_in", "ends_in"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(valid_from__lte=value, valid_to__gte=value)
