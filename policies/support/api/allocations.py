"""REST API: programmes and their parameters, allocations (with their history and overrides),
and plan against actual."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from households.api.views import VALIDATION_ERROR, valid_data

from ..filtersets.allocations import AllocationFilterSet
from ..selectors import allocations as selectors
from ..services import allocations as services
from .serializers_allocations import (
    AllocationCreateSerializer,
    AllocationHistorySerializer,
    AllocationSerializer,
    AllocationUpdateSerializer,
    OverrideCreateSerializer,
    OverrideSerializer,
    ParameterAddSerializer,
    ParameterSerializer,
    PlanQuerySerializer,
    PlanSerializer,
    ProgrammeCreateSerializer,
    ProgrammeSerializer,
    ProgrammeWriteSerializer,
    SummaryQuerySerializer,
    SummaryRowSerializer,
)

FORBIDDEN = OpenApiResponse(
    description=gettext_lazy("You may see this, but your role does not allow this change.")
)
NOT_FOUND = OpenApiResponse(description=gettext_lazy("Not in your area, or no such row."))
WRITE_ERRORS = {400: VALIDATION_ERROR, 403: FORBIDDEN}


class _Inputs:
    def _input(self, serializer_class, **kwargs):
        return valid_data(
            serializer_class(
                data=self.request.data, context=self.get_serializer_context(), **kwargs
            )
        )

    def _respond(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(
            self.serializer_class(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )


@extend_schema_view(
    list=extend_schema(summary="Support programmes: national, and your province's local ones"),
    retrieve=extend_schema(summary="A support programme, with its parameters in force"),
)
class ProgrammeViewSet(
    _Inputs, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The programme catalogue. Province staff add and change their province's local
    programmes; national ones are changed by system administrators only."""

    serializer_class = ProgrammeSerializer
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["position", "code"]
    ordering = ["position", "code"]

    def get_queryset(self):
        return selectors.programme_list(user=self.request.user)

    @extend_schema(
        summary="Add a local programme of your province (province staff)",
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = dict(self._input(ProgrammeCreateSerializer))
        province = data.pop("province")
        programme = services.programme_create_local(actor=request.user, province=province, **data)
        return self._respond(programme, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a local programme (province staff of its province)",
        request=ProgrammeWriteSerializer,
        responses={200: ProgrammeSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    def partial_update(self, request, *args, **kwargs):
        programme = self.get_object()
        data = self._input(ProgrammeWriteSerializer, partial=True)
        services.programme_update_local(actor=request.user, programme=programme, **data)
        return self._respond(programme)

    @extend_schema(
        methods=["GET"],
        summary="Every dated value of the programme's parameters",
        responses={200: ParameterSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a parameter's value from a date; the value in force ends the day before",
        request=ParameterAddSerializer,
        responses={201: ParameterSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def parameters(self, request, pk=None):
        programme = self.get_object()
        if request.method == "GET":
            rows = selectors.parameter_history(programme=programme)
            return Response(ParameterSerializer(rows, many=True).data)
        data = self._input(ParameterAddSerializer)
        parameter = services.parameter_add(actor=request.user, programme=programme, **data)
        return Response(ParameterSerializer(parameter).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Allocations of the units of your area"),
    retrieve=extend_schema(summary="An allocation"),
)
class AllocationViewSet(
    _Inputs, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What each unit receives of a programme in a year. The province sets its plan and
    allocates it to districts or communes; a district allocates to its communes; the children of
    an allocation never add up to more than it."""

    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["year", "unit_path"]

    def get_queryset(self):
        return selectors.allocation_list(user=self.request.user)

    @extend_schema(
        summary="Set a unit's allocation (created, or changed if it exists), with the reason",
        request=AllocationCreateSerializer,
        responses={201: AllocationSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(AllocationCreateSerializer)
        allocation = services.allocation_set(actor=request.user, **data)
        return self._respond(allocation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an allocation, with the reason",
        request=AllocationUpdateSerializer,
        responses={200: AllocationSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    def partial_update(self, request, *args, **kwargs):
        allocation = self.get_object()
        data = self._input(AllocationUpdateSerializer)
        values = {name: data.get(name, getattr(allocation, name)) for name in services.MEASURES}
        services.allocation_set(
            actor=request.user,
            programme=allocation.programme,
            year=allocation.year,
            unit=allocation.unit,
            reason=data["reason"],
            **values,
        )
        return self._respond(allocation)

    @extend_schema(
        summary="Every saved state of the allocation, newest first, with who and why",
        responses={200: AllocationHistorySerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        allocation = self.get_object()
        rows = selectors.allocation_history(allocation=allocation)
        return Response(AllocationHistorySerializer(rows, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="The overrides of a commune's allocation",
        responses={200: OverrideSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Let a commune exceed its allocation, with the reason (its district; the "
        "province where there are no districts)",
        request=OverrideCreateSerializer,
        responses={201: OverrideSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def override(self, request, pk=None):
        allocation = self.get_object()
        if request.method == "GET":
            rows = selectors.allocation_overrides(user=request.user, allocation=allocation)
            return Response(OverrideSerializer(rows, many=True).data)
        data = self._input(OverrideCreateSerializer)
        override = services.allocation_override_create(
            actor=request.user, allocation=allocation, **data
        )
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class PlanViewSet(viewsets.GenericViewSet):
    """Plan against actual: what a unit and each unit one level below were allocated and what
    was delivered (beneficiaries, quantity, amount, share of the budget used)."""

    pagination_class = None
    filter_backends: list = []
    serializer_class = PlanSerializer

    def get_queryset(self):
        return selectors.allocation_list(user=self.request.user)

    @extend_schema(
        summary="Plan against actual of a programme in a year, for a unit and the units below",
        parameters=[PlanQuerySerializer],
        responses={200: PlanSerializer, 400: VALIDATION_ERROR},
    )
    def list(self, request):
        query = valid_data(
            PlanQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        )
        plan = selectors.plan_against_actual(user=request.user, **query)
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        summary="Every programme's allocation and delivery in a unit and year",
        parameters=[SummaryQuerySerializer],
        responses={200: SummaryRowSerializer(many=True), 400: VALIDATION_ERROR},
    )
    @action(detail=False, methods=["get"])
    def summary(self, request):
        query = valid_data(
            SummaryQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        )
        rows = selectors.support_summary(user=request.user, **query)
        return Response(SummaryRowSerializer(rows, many=True).data)


def register(router) -> None:
    """Register this area's viewsets on the /api/v1/ router."""
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("allocations", AllocationViewSet, basename="allocation")
    router.register("plan-vs-actual", PlanViewSet, basename="plan-vs-actual")
