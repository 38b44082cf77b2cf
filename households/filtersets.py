"""The one filterset over households, used by the HTML list and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.filters import IdFilter, YearFilter
from registry.text import search_key

from .choices import Classification, HouseholdStatus, ReviewKind, ReviewStatus
from .models import Household, HouseholdYear, Member, Review
from .selectors import current_list_year
from .validators import normalise_id_number

# The fewest digits the search reads as (the start of) a personal ID number rather than a name.
ID_NUMBER_SEARCH_MIN_DIGITS = 6


def is_id_number_search(digits: str) -> bool:
    """Whether a normalised search text looks up members by ID number."""
    return digits.isdigit() and len(digits) >= ID_NUMBER_SEARCH_MIN_DIGITS


class HouseholdFilterSet(django_filters.FilterSet):
    """Search by name or ID number (diacritics ignored); filter by village, class, status, year."""

    q = django_filters.CharFilter(method="filter_q", label=_("Name or ID number"))
    village = IdFilter(field_name="village_id", label=_("Village"))
    commune = IdFilter(field_name="commune_id", label=_("Commune"))
    status = django_filters.ChoiceFilter(
        choices=HouseholdStatus.choices, label=_("Status"), empty_label=_("All")
    )
    classification = django_filters.ChoiceFilter(
        choices=Classification.choices,
        method="filter_classification",
        label=_("Recognised classification"),
        empty_label=_("All"),
    )
    year = YearFilter(method="filter_year", label=_("List year"))
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("head_name_search", "head"), ("updated_at", "updated")),
        field_labels={"code": _("Code"), "head_name_search": _("Head"), "updated_at": _("Updated")},
        label=_("Sort by"),
    )

    class Meta:
        model = Household
        fields = ["q", "village", "commune", "status", "classification", "year"]

    def filter_q(self, queryset, name, value):
        digits = normalise_id_number(value)
        if is_id_number_search(digits):
            members = Member.objects.filter(id_number__startswith=digits)
            return queryset.filter(Q(pk__in=members.values("household_id")))
        key = search_key(value)
        if not key:
            return queryset
        # The head is a current member too, so one semi-join on members finds heads and others;
        # without an OR the trigram index on members.name_search drives it (PostgreSQL).
        members = Member.objects.filter(name_search__contains=key, left_on__isnull=True)
        return queryset.filter(pk__in=members.values("household_id"))

    def filter_classification(self, queryset, name, value):
        # The class recognised and in force for the list year (default this year's list), never
        # the class typed or computed at the survey: households.selectors.household_status.
        year = self.form.cleaned_data.get("year") or current_list_year()
        statuses = HouseholdYear.objects.filter(list_year=int(year), classification=value)
        return queryset.filter(pk__in=statuses.values("household_id"))

    def filter_year(self, queryset, name, value):
        if self.form.cleaned_data.get("classification"):
            return queryset  # applied together with the classification
        return queryset.filter(reviews__list_year=value).distinct()


class MemberFilterSet(django_filters.FilterSet):
    """Members of one household; current members or those who left."""

    household = IdFilter(field_name="household_id", label=_("Household"))
    current = django_filters.BooleanFilter(
        field_name="left_on", lookup_expr="isnull", label=_("Current members only")
    )

    class Meta:
        model = Member
        fields = ["household", "current"]


class ReviewFilterSet(django_filters.FilterSet):
    """Reviews by list year, kind, recognised classification, status and household."""

    list_year = YearFilter(label=_("List year"))
    kind = django_filters.ChoiceFilter(choices=ReviewKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Status"))
    classification = django_filters.ChoiceFilter(
        field_name="recognised_classification",
        choices=Classification.choices,
        label=_("Classification"),
    )
    household = IdFilter(field_name="household_id", label=_("Household"))

    class Meta:
        model = Review
        fields = ["list_year", "kind", "status", "classification", "household"]
