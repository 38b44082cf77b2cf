"""Filters of the review campaign, shared by its pages and its API (one filterset each)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from households.campaign.choices import (
    ObjectionKind,
    ObjectionOutcome,
    RequestKind,
    TransitionKind,
)
from households.campaign.selectors import (
    escaped_within,
    overdue_requests,
)
from households.choices import (
    Classification,
    ReviewKind,
)
from households.models import (
    Campaign,
    Certificate,
    DistrictConsultation,
    Objection,
    Posting,
    RecognitionDecision,
    Review,
    ReviewRequest,
    StatusChange,
    VillageMeeting,
)
from registry.filters import IdFilter, IntegerFilter, YearFilter
from registry.limits import MAX_YEARS_BACK


class CampaignFilterSet(django_filters.FilterSet):
    list_year = YearFilter(label=_("List year"))
    province = IdFilter(field_name="province_id", label=_("Province"))

    class Meta:
        model = Campaign
        fields = ["list_year", "province"]


class UnitRowFilterSet(django_filters.FilterSet):
    """Rows of one commune or village (meetings, postings)."""

    commune = IdFilter(field_name="commune_id", label=_("Commune"))
    village = IdFilter(field_name="village_id", label=_("Village"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))


class MeetingFilterSet(UnitRowFilterSet):
    class Meta:
        model = VillageMeeting
        fields = ["commune", "village", "campaign"]


class PostingFilterSet(UnitRowFilterSet):
    class Meta:
        model = Posting
        fields = ["commune", "village", "campaign"]


class ConsultationFilterSet(django_filters.FilterSet):
    commune = IdFilter(field_name="commune_id", label=_("Commune"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))

    class Meta:
        model = DistrictConsultation
        fields = ["commune", "campaign"]


class ObjectionFilterSet(django_filters.FilterSet):
    """The objection register: open (awaiting re-check) or resolved, by outcome and kind."""

    state = django_filters.ChoiceFilter(
        choices=[("open", _("Awaiting re-check")), ("resolved", _("Resolved"))],
        method="filter_state",
        label=_("State"),
    )
    outcome = django_filters.ChoiceFilter(choices=ObjectionOutcome.choices, label=_("Outcome"))
    kind = django_filters.ChoiceFilter(choices=ObjectionKind.choices, label=_("Kind"))
    review = IdFilter(field_name="review_id", label=_("Review"))

    class Meta:
        model = Objection
        fields = ["state", "outcome", "kind", "review"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(outcome=ObjectionOutcome.OPEN)
        return queryset.exclude(outcome=ObjectionOutcome.OPEN)


class QueueFilterSet(django_filters.FilterSet):
    commune = IdFilter(field_name="household__commune_id", label=_("Commune"))
    kind = django_filters.ChoiceFilter(choices=ReviewKind.choices, label=_("Kind"))

    class Meta:
        model = Review
        fields = ["commune", "kind"]


class DecisionFilterSet(django_filters.FilterSet):
    commune = IdFilter(field_name="commune_id", label=_("Commune"))
    list_year = YearFilter(label=_("List year"))

    class Meta:
        model = RecognitionDecision
        fields = ["commune", "list_year"]


class CertificateFilterSet(django_filters.FilterSet):
    household = IdFilter(field_name="household_id", label=_("Household"))
    decision = IdFilter(field_name="decision_id", label=_("Decision"))
    classification = django_filters.ChoiceFilter(
        choices=Classification.choices, label=_("Classification")
    )

    class Meta:
        model = Certificate
        fields = ["household", "decision", "classification"]


class RequestFilterSet(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Monthly requests past their 15-day deadline without a decision"),
    )
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices, label=_("Request"))
    monthly = django_filters.BooleanFilter(label=_("Monthly review"))
    household = IdFilter(field_name="household_id", label=_("Household"))

    class Meta:
        model = ReviewRequest
        fields = ["overdue", "kind", "monthly", "household"]

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_requests(user=self.request.user).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class StatusChangeFilterSet(django_filters.FilterSet):
    list_year = YearFilter(label=_("List year"))
    kind = django_filters.ChoiceFilter(choices=TransitionKind.choices, label=_("Change"))
    household = IdFilter(field_name="household_id", label=_("Household"))
    escaped_within_years = IntegerFilter(
        min_value=1,
        max_value=MAX_YEARS_BACK,
        method="filter_escaped_within",
        label=_("Escaped poverty within this many years before today"),
    )

    class Meta:
        model = StatusChange
        fields = ["list_year", "kind", "household", "escaped_within_years"]

    def filter_escaped_within(self, queryset, name, value):
        if value is None:
            return queryset
        recent = escaped_within(user=self.request.user, years=value)
        return queryset.filter(pk__in=recent.values("pk"))
