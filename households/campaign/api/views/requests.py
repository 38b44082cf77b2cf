"""Monthly requests and the status changes between recognised lists."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import JSONParser

from households.campaign import services as campaigns
from households.campaign.api.serializers import (
    RequestCreateSerializer,
    RequestSerializer,
    StatusChangeSerializer,
)
from households.campaign.api.views._common import (
    WRITE_ERRORS,
    ServiceWriteMixin,
)
from households.campaign.filtersets import (
    RequestFilterSet,
    StatusChangeFilterSet,
)
from households.campaign.selectors import request_list, status_change_list

# --- monthly requests --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Requests of the households in your area (overdue=true: late)"),
    retrieve=extend_schema(summary="A request"),
)
class RequestViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Households' requests to be reviewed, to enter or to leave the lists (Form 01/04)."""

    serializer_class = RequestSerializer
    filterset_class = RequestFilterSet
    ordering_fields = ["requested_on", "deadline"]
    ordering = ["-requested_on", "-id"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return request_list(user=self.request.user)

    def get_serializer_class(self):
        return RequestCreateSerializer if self.action == "create" else RequestSerializer

    @extend_schema(
        summary="Record a household's request; a monthly one is listed for the next cycle",
        request=RequestCreateSerializer,
        responses={201: RequestSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(RequestCreateSerializer)
        recorded = campaigns.request_record(
            actor=request.user,
            household=data["household"],
            kind=data["kind"],
            channel=data["channel"],
            form_number=data["form_number"],
            requested_on=data["requested_on"],
            monthly=data["monthly"],
            note=data["note"],
        )
        return self._respond(recorded, status.HTTP_201_CREATED)


# --- transitions between lists -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Households' moves between consecutive recognised lists")
)
class StatusChangeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Escapes, entries and relapses between the recognised lists, as dated events."""

    serializer_class = StatusChangeSerializer
    filterset_class = StatusChangeFilterSet
    ordering_fields = ["list_year", "effective_on"]
    ordering = ["household", "list_year", "id"]

    def get_queryset(self):
        return status_change_list(user=self.request.user)
