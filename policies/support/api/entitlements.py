"""REST API: entitlements. The list (with the page's filterset), one row, and what starts, ends
or falls due in a month (GET entitlements/due/?month=YYYY-MM), scoped like the pages."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from households.api.serializers import EnumField
from households.api.views import VALIDATION_ERROR

from ..choices import EntitlementBasis
from ..filtersets.entitlements import EntitlementFilterSet
from ..models import Entitlement
from ..selectors.entitlements import entitlement_list, entitlements_due, parse_month


class EntitlementSerializer(serializers.ModelSerializer):
    """What a household (or one member) is entitled to under a programme, from when to when."""

    programme_code = serializers.CharField(source="programme.code", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    household_code = serializers.CharField(source="household.code", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    member_name = serializers.CharField(
        source="member.full_name", read_only=True, default=None, allow_null=True
    )
    basis = EnumField(EntitlementBasis, read_only=True)

    class Meta:
        model = Entitlement
        fields = [
            "id", "programme", "programme_code", "programme_name", "household",
            "household_code", "head_name", "member", "member_name", "commune", "basis",
            "valid_from", "valid_to", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class DueEntitlementSerializer(EntitlementSerializer):
    """An entitlement of a periodic programme with the period not paid yet."""

    period = serializers.CharField(source="due_period", read_only=True)

    class Meta(EntitlementSerializer.Meta):
        fields = [*EntitlementSerializer.Meta.fields, "period"]
        read_only_fields = fields


class DueSerializer(serializers.Serializer):
    month = serializers.CharField()
    starts = EntitlementSerializer(many=True)
    ends = EntitlementSerializer(many=True)
    loan_windows_closing = EntitlementSerializer(many=True)
    due = DueEntitlementSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary="Entitlements of the households in your area"),
    retrieve=extend_schema(summary="An entitlement"),
)
class EntitlementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Entitlements derived from each household's status in force (read only: they follow the
    status, the members and the programmes)."""

    serializer_class = EntitlementSerializer
    filterset_class = EntitlementFilterSet
    ordering_fields = ["valid_from", "valid_to"]

    def get_queryset(self):
        return entitlement_list(user=self.request.user)

    @extend_schema(
        summary="What starts, ends or falls due in a month in your communes",
        parameters=[
            OpenApiParameter(
                "month", str, description="YYYY-MM (default: this month)", required=False
            )
        ],
        responses={200: DueSerializer, 400: VALIDATION_ERROR},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def due(self, request):
        raw = request.query_params.get("month")
        try:
            month = parse_month(raw) if raw else timezone.localdate().replace(day=1)
        except ValueError:
            raise exceptions.ValidationError(
                {"month": [_("Enter a month as YYYY-MM, e.g. 2026-03.")]}
            ) from None
        found = entitlements_due(user=request.user, month=month)
        return Response(
            DueSerializer(
                {
                    "month": f"{month:%Y-%m}",
                    "starts": found.starts,
                    "ends": found.ends,
                    "loan_windows_closing": found.loan_windows_closing,
                    "due": found.due,
                }
            ).data
        )


def register(router) -> None:
    """Register this area's viewsets on the /api/v1/ router."""
    router.register("entitlements", EntitlementViewSet, basename="entitlement")
