"""Monthly requests and the status changes between recognised lists."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.api.serializers import (
    HOUSEHOLD_NOT_FOUND,
    EnumField,
    HouseholdField,
)
from households.campaign.choices import (
    RequestChannel,
    RequestForm,
    RequestKind,
    TransitionKind,
)
from households.choices import (
    Classification,
    ReviewStatus,
)
from households.models import (
    ReviewRequest,
    StatusChange,
)
from registry.api.fields import DateField

# --- monthly requests --------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    """A household's request (Form 01/04); a monthly one has its cycle and its deadline."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    kind = EnumField(RequestKind, read_only=True)
    channel = EnumField(RequestChannel, read_only=True)
    form_number = EnumField(RequestForm, read_only=True)
    review_status = EnumField(
        ReviewStatus, source="review.status", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ReviewRequest
        fields = [
            "id",
            "household",
            "household_code",
            "kind",
            "channel",
            "form_number",
            "requested_on",
            "monthly",
            "cycle_start",
            "deadline",
            "review",
            "review_status",
            "note",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class RequestCreateSerializer(serializers.Serializer):
    """A request received from a household. A monthly one is listed at once for the cycle that
    starts on the next 15th and must be decided within 15 days (Decision 24/2021 art. 3, 5); a
    periodic one waits for the campaign to list the commune."""

    household = HouseholdField(error_messages={"does_not_exist": HOUSEHOLD_NOT_FOUND})
    kind = EnumField(RequestKind)
    channel = EnumField(RequestChannel)
    form_number = EnumField(RequestForm)
    requested_on = DateField()
    monthly = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- transitions between lists -----------------------------------------------------------------


class StatusChangeSerializer(serializers.ModelSerializer):
    """A household's move between two consecutive recognised lists."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    kind = EnumField(TransitionKind, read_only=True)
    previous_classification = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "household",
            "household_code",
            "head_name",
            "list_year",
            "kind",
            "previous_classification",
            "classification",
            "effective_on",
            "decision",
            "decision_number",
        ]
        read_only_fields = fields

    @extend_schema_field(EnumField(Classification, allow_null=True))
    def get_previous_classification(self, change: StatusChange) -> str | None:
        return change.previous_classification or None  # not on a list before

    @extend_schema_field(EnumField(Classification, allow_null=True))
    def get_classification(self, change: StatusChange) -> str | None:
        return change.classification or None  # left the lists
