"""The household list: search without diacritics, filters, sorting, pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView

from registry.choices import Level
from registry.models import AdminUnit

from .. import selectors
from ..filtersets import HouseholdFilterSet
from ..models import Household
from ._common import _editable_communes

# --- list -------------------------------------------------------------------------------------


class HouseholdListFilterSet(HouseholdFilterSet):
    """The shared filterset, with villages and communes offered from the user's own area."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        units = AdminUnit.objects.visible_to(user).filter(valid_to__isnull=True)
        villages = units.filter(level=Level.VILLAGE).select_related("parent")
        communes = units.filter(level=Level.COMMUNE).order_by("name")
        self.filters["village"] = django_filters.ModelChoiceFilter(
            field_name="village",
            queryset=villages.order_by("parent__name", "name"),
            label=gettext_lazy("Village"),
            empty_label=gettext_lazy("All villages"),
        )
        self.filters["commune"] = django_filters.ModelChoiceFilter(
            field_name="commune",
            queryset=communes,
            label=gettext_lazy("Commune"),
            empty_label=gettext_lazy("All communes"),
        )


class HouseholdListView(LoginRequiredMixin, FilterView):
    """Households of the user's area: search, filters, sorting, 25 to a page."""

    filterset_class = HouseholdListFilterSet
    template_name = "households/household_list.html"
    paginate_by = 25
    context_object_name = "households"

    def get_queryset(self) -> QuerySet[Household]:
        return selectors.household_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        for field in form.fields.values():
            css = "form-select" if field.widget.input_type == "select" else "form-control"
            field.widget.attrs.setdefault("class", css)
        for name in ("classification", "status"):
            field = form.fields[name]
            field.choices = [("", _("All")), *[c for c in field.choices if c[0] != ""]]
        # Many communes (province staff, administrators): the village list would be too long.
        communes = form.fields["commune"].queryset
        context["commune_count"] = communes.count()
        # The communes the create page offers (an officer of a commune abolished on 1 July 2025
        # enters no new household).
        context["can_create"] = _editable_communes(self.request.user).exists()
        context["ordering"] = self.request.GET.get("ordering", "")
        # The status in force for the list year filtered on (default this year's list).
        chosen = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
        year = int(chosen) if chosen else selectors.current_list_year()
        for household in context["households"]:
            household.status_shown = selectors.household_status(household, year)
        context["status_year"] = year
        return context
