"""REST API: disbursements (recording, listing, reversing) and batch runs for a commune."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser

from households.api.serializers import (
    COMMUNE_NOT_FOUND,
    HOUSEHOLD_NOT_FOUND,
    EnumField,
    HouseholdField,
    UnitField,
)
from households.campaign.api.views._common import WRITE_ERRORS, ServiceWriteMixin
from households.models import Household, Member
from households.submissions import IDEMPOTENCY_KEY, idempotency_key
from registry.api.fields import AmountField, CountField, DateField
from registry.choices import Level

from ..choices import EntryKind, FundingSource
from ..filtersets.disbursements import BatchFilterSet, DisbursementFilterSet
from ..models import Disbursement, DisbursementBatch, Programme
from ..selectors.disbursements import batch_list, disbursement_list
from ..services import disbursements as service

PROGRAMME_NOT_FOUND = _("There is no programme with id {pk_value} for your province.")
MEMBER_NOT_FOUND = _("There is no member with id {pk_value} in your area.")


@extend_schema_field(OpenApiTypes.INT)
class ProgrammeField(serializers.PrimaryKeyRelatedField):
    """The id of a programme of the user's province (national or local)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Programme.objects.none(), **kwargs)

    def get_queryset(self):
        return Programme.objects.available_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class MemberField(serializers.PrimaryKeyRelatedField):
    """The id of a member of a household the user may see."""

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Member.objects.none(), **kwargs)

    def get_queryset(self):
        visible = Household.objects.visible_to(self.context["request"].user)
        return Member.objects.filter(household__in=visible.values("pk"))


# --- output --------------------------------------------------------------------------------------


class DisbursementSerializer(serializers.ModelSerializer):
    """A payment, or the counter-entry that reverses one (negative amount and quantity)."""

    programme_code = serializers.CharField(source="programme.code", read_only=True)
    household_code = serializers.CharField(source="household.code", read_only=True)
    member_name = serializers.CharField(
        source="member.full_name", read_only=True, default=None, allow_null=True
    )
    kind = EnumField(EntryKind, read_only=True)
    funding_source = EnumField(FundingSource, read_only=True)

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "programme",
            "programme_code",
            "household",
            "household_code",
            "member",
            "member_name",
            "commune",
            "year",
            "kind",
            "paid_on",
            "period",
            "variant",
            "quantity",
            "amount",
            "funding_source",
            "classification",
            "allocation",
            "batch",
            "priority_entry",
            "out_of_order_reason",
            "reverses",
            "is_reversed",
            "reference",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class BatchSerializer(serializers.ModelSerializer):
    """A batch run: what it paid, what it skipped (counts by reason and the first skipped
    households with their reasons)."""

    programme_code = serializers.CharField(source="programme.code", read_only=True)
    funding_source = EnumField(FundingSource, read_only=True)

    class Meta:
        model = DisbursementBatch
        fields = [
            "id",
            "programme",
            "programme_code",
            "commune",
            "period",
            "paid_on",
            "funding_source",
            "paid_count",
            "skipped_count",
            "amount_total",
            "skipped",
            "created_at",
        ]
        read_only_fields = fields


# --- input ---------------------------------------------------------------------------------------


class DisbursementCreateSerializer(serializers.Serializer):
    """Support delivered to a household (or one member of it). The period defaults to the one of
    the date (month, quarter, year); a per-delivery programme needs `reference`. The amount is
    worked out from the programme's parameters, except where the programme has it entered."""

    programme = ProgrammeField(error_messages={"does_not_exist": PROGRAMME_NOT_FOUND})
    household = HouseholdField(error_messages={"does_not_exist": HOUSEHOLD_NOT_FOUND})
    member = MemberField(
        required=False, allow_null=True, error_messages={"does_not_exist": MEMBER_NOT_FOUND}
    )
    paid_on = DateField()
    period = serializers.CharField(required=False, allow_blank=True, max_length=24, default="")
    variant = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    quantity = CountField(required=False, default=1)
    amount = AmountField(required=False, allow_null=True, default=None)
    funding_source = EnumField(FundingSource, required=False, allow_null=True, default=None)
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    out_of_order_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class BatchCreateSerializer(serializers.Serializer):
    """Pay every eligible household (or member) of the commune once for the period."""

    programme = ProgrammeField(error_messages={"does_not_exist": PROGRAMME_NOT_FOUND})
    commune = UnitField(level=Level.COMMUNE, error_messages={"does_not_exist": COMMUNE_NOT_FOUND})
    period = serializers.CharField(max_length=24)
    paid_on = DateField()
    funding_source = EnumField(FundingSource, required=False, allow_null=True, default=None)


# --- viewsets ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Payments and reversals of the households in your area"),
    retrieve=extend_schema(summary="A payment or reversal"),
)
class DisbursementViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Support delivered to households: one row per payment, and a counter-entry per reversal."""

    serializer_class = DisbursementSerializer
    filterset_class = DisbursementFilterSet
    ordering_fields = ["paid_on", "recorded_at"]
    ordering = ["-paid_on", "-id"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return disbursement_list(user=self.request.user)

    @extend_schema(
        summary="Record a payment, checked against the status in force, the allocation and "
        "the priority list",
        request=DisbursementCreateSerializer,
        responses={201: DisbursementSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(DisbursementCreateSerializer)
        recorded = service.disbursement_record(actor=request.user, **data)
        return self._respond(recorded, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Reverse a payment by a counter-entry (the payment is kept, marked reversed)",
        request=ReverseSerializer,
        responses={201: DisbursementSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reverse(self, request, pk=None):
        payment = self.get_object()
        data = self._input(ReverseSerializer)
        reversal = service.disbursement_reverse(
            actor=request.user, disbursement=payment, reason=data["reason"]
        )
        return self._respond(reversal, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Batch runs of the communes in your area"),
    retrieve=extend_schema(summary="A batch run: what it paid and skipped"),
)
class BatchViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Runs of "pay this period to every eligible household of this commune"."""

    serializer_class = BatchSerializer
    filterset_class = BatchFilterSet
    ordering_fields = ["created_at", "paid_on"]
    ordering = ["-created_at", "-id"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return batch_list(user=self.request.user)

    @extend_schema(
        summary="Pay every eligible household (or member) of a commune once for a period",
        request=BatchCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: BatchSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(BatchCreateSerializer)
        batch = service.disbursement_batch_run(
            actor=request.user, submission_key=idempotency_key(request), **data
        )
        return self._respond(batch, status.HTTP_201_CREATED)


def register(router) -> None:
    """Register this area's viewsets on the /api/v1/ router."""
    router.register("disbursements", DisbursementViewSet, basename="disbursement")
    router.register("disbursement-batches", BatchViewSet, basename="disbursement-batch")
