"""The chair's queue, decisions, certificates and review steps."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.api.serializers import EnumField
from households.campaign.api.serializers._common import _commune_field
from households.campaign.choices import CertificateEnd
from households.choices import (
    Classification,
    ReviewKind,
    ReviewStatus,
)
from households.models import (
    Certificate,
    RecognitionDecision,
    Review,
    ReviewStep,
)
from registry.api.fields import DateField, IdField

# --- recognition -------------------------------------------------------------------------------


class QueueEntrySerializer(serializers.ModelSerializer):
    """A posted result awaiting the chair: recognise it, return it, or (monthly) refuse it."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    commune = serializers.IntegerField(source="household.commune_id", read_only=True)
    commune_name = serializers.CharField(source="household.commune.name", read_only=True)
    village_name = serializers.CharField(
        source="household.village.name", read_only=True, default=None, allow_null=True
    )
    kind = EnumField(ReviewKind, read_only=True)
    computed_classification = EnumField(Classification, read_only=True)
    recognised_classification = EnumField(Classification, read_only=True)
    open_objections = serializers.IntegerField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "household",
            "household_code",
            "head_name",
            "commune",
            "commune_name",
            "village_name",
            "list_year",
            "kind",
            "computed_classification",
            "recognised_classification",
            "is_overridden",
            "reviewer",
            "open_objections",
        ]
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    """The certificate of a poor or near-poor household (Số …/GCN-HN.HCN)."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    classification = EnumField(Classification, read_only=True)
    revoke_reason = EnumField(CertificateEnd, read_only=True, allow_blank=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "household",
            "household_code",
            "review",
            "decision",
            "classification",
            "valid_from",
            "valid_to",
            "revoked_on",
            "revoked_by",
            "revoke_reason",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    """The commune chair's decision, the reviews it recognised and the certificates it issued."""

    commune_name = serializers.CharField(source="commune.name", read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta:
        model = RecognitionDecision
        fields = [
            "id",
            "commune",
            "commune_name",
            "campaign",
            "list_year",
            "number",
            "signed_on",
            "signed_by",
            "reviews",
            "certificates",
            "created_at",
        ]
        read_only_fields = fields


class DecisionCreateSerializer(serializers.Serializer):
    """Step 6: the chair recognises posted results. Refused reviews are keyed
    "reviews.<review id>" (e.g. one the chair recorded, or one with an open objection)."""

    commune = _commune_field()
    number = serializers.CharField(max_length=40)
    signed_on = DateField()
    reviews = serializers.ListField(child=IdField(), allow_empty=False)


class ReturnSerializer(serializers.Serializer):
    """Send a review back one step, saying what must be corrected."""

    comment = serializers.CharField(allow_blank=True)


class RefuseSerializer(serializers.Serializer):
    """Refuse a posted monthly review, with the reasons sent to the household in writing."""

    reason = serializers.CharField(allow_blank=True)


class ReviewStepSerializer(serializers.ModelSerializer):
    """One move of a review: who, when, from which step to which, and why."""

    actor_name = serializers.CharField(source="actor.get_username", read_only=True)
    from_status = serializers.SerializerMethodField()
    to_status = EnumField(ReviewStatus, read_only=True)

    class Meta:
        model = ReviewStep
        fields = ["id", "move", "from_status", "to_status", "actor", "actor_name", "at", "comment"]
        read_only_fields = fields

    @extend_schema_field(EnumField(ReviewStatus, allow_null=True))
    def get_from_status(self, step: ReviewStep) -> str | None:
        return step.from_status or None  # the first step comes from nowhere
