"""REST API: the commune's priority lists and their entries. Reads through the selectors
(an object outside the user's area answers 404), every write through a service of
`policies.support.services.priority`; its ValidationError is a 400 keyed by field and its
PermissionDenied a 403, through the one exception handler."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from households.api.views import valid_data
from households.campaign.api.views import NOT_FOUND, WRITE_ERRORS

from ..filtersets.priority import PriorityListFilterSet
from ..selectors.priority import (
    priority_entry_list,
    priority_list_detail,
    priority_list_list,
    with_status,
)
from ..services import priority as services
from .serializers_priority import (
    MoveSerializer,
    PriorityDecideSerializer,
    PriorityEntryCreateSerializer,
    PriorityEntrySerializer,
    PriorityListCreateSerializer,
    PriorityListDetailSerializer,
    PriorityListSerializer,
    ReasonSerializer,
)


class _Inputs:
    def _input(self, serializer_class):
        return valid_data(
            serializer_class(data=self.request.data, context=self.get_serializer_context())
        )


@extend_schema_view(
    list=extend_schema(summary="Priority lists of the communes in your area"),
    retrieve=extend_schema(
        summary="A priority list with its households in order",
        responses={200: PriorityListDetailSerializer, 404: NOT_FOUND},
    ),
)
class PriorityListViewSet(
    _Inputs, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The commune's ordered lists of eligible households for programmes with more eligible
    households than places (houses, loans, land, training), adopted at a village meeting."""

    serializer_class = PriorityListSerializer
    filterset_class = PriorityListFilterSet
    ordering_fields = ["year", "created_at"]
    ordering = ["-year", "programme", "unit_path"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return priority_list_list(user=self.request.user)

    def get_serializer_class(self):
        return {
            "create": PriorityListCreateSerializer,
            "retrieve": PriorityListDetailSerializer,
            "entries": PriorityEntryCreateSerializer,
            "decide": PriorityDecideSerializer,
            "reopen": ReasonSerializer,
        }.get(self.action, PriorityListSerializer)

    def _detail(self, pk, status_code: int = status.HTTP_200_OK) -> Response:
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise Http404 from None
        found = priority_list_detail(user=self.request.user, pk=pk)
        return Response(PriorityListDetailSerializer(found).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(kwargs["pk"])

    @extend_schema(
        summary="Open the commune's priority list of a programme for a year (commune officer)",
        request=PriorityListCreateSerializer,
        responses={201: PriorityListDetailSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(PriorityListCreateSerializer)
        created = services.priority_list_create(actor=request.user, **data)
        return self._detail(created.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Propose a household of the commune, at the end of the list (commune officer)",
        request=PriorityEntryCreateSerializer,
        responses={201: PriorityEntrySerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def entries(self, request, pk=None):
        priority_list = self.get_object()
        data = self._input(PriorityEntryCreateSerializer)
        entry = services.priority_entry_add(actor=request.user, priority_list=priority_list, **data)
        fresh = with_status([priority_entry_list(user=request.user).get(pk=entry.pk)])[0]
        return Response(PriorityEntrySerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the village meeting that adopted the list, and lock it (commune officer)",
        request=PriorityDecideSerializer,
        responses={200: PriorityListDetailSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def decide(self, request, pk=None):
        priority_list = self.get_object()
        data = self._input(PriorityDecideSerializer)
        services.priority_list_decide(actor=request.user, priority_list=priority_list, **data)
        return self._detail(priority_list.pk)

    @extend_schema(
        summary="Reopen an adopted list, with the reason (commune chair)",
        request=ReasonSerializer,
        responses={200: PriorityListDetailSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request, pk=None):
        priority_list = self.get_object()
        data = self._input(ReasonSerializer)
        services.priority_list_reopen(actor=request.user, priority_list=priority_list, **data)
        return self._detail(priority_list.pk)


@extend_schema_view(
    retrieve=extend_schema(
        summary="A household's place on a priority list",
        responses={200: PriorityEntrySerializer, 404: NOT_FOUND},
    ),
)
class PriorityEntryViewSet(_Inputs, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A household's place on a priority list: moved, withdrawn (kept, at the end), its reason."""

    serializer_class = PriorityEntrySerializer
    parser_classes = [JSONParser]
    filter_backends: list = []

    def get_queryset(self):
        return priority_entry_list(user=self.request.user)

    def get_serializer_class(self):
        return {"move": MoveSerializer, "withdraw": ReasonSerializer}.get(
            self.action, PriorityEntrySerializer
        )

    def _entry(self, pk) -> Response:
        fresh = with_status([self.get_queryset().get(pk=pk)])[0]
        return Response(PriorityEntrySerializer(fresh).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(PriorityEntrySerializer(with_status([self.get_object()])[0]).data)

    @extend_schema(
        summary="Put the household at another place; those between shift by one (commune officer)",
        request=MoveSerializer,
        responses={200: PriorityEntrySerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        entry = self.get_object()
        data = self._input(MoveSerializer)
        services.priority_entry_move(actor=request.user, entry=entry, rank=data["rank"])
        return self._entry(entry.pk)

    @extend_schema(
        summary="Withdraw the household, with the reason: kept, marked, moved to the end "
        "(commune officer)",
        request=ReasonSerializer,
        responses={200: PriorityEntrySerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        entry = self.get_object()
        data = self._input(ReasonSerializer)
        services.priority_entry_withdraw(actor=request.user, entry=entry, reason=data["reason"])
        return self._entry(entry.pk)


def register(router) -> None:
    """Register this area's viewsets on the /api/v1/ router."""
    router.register("priority-lists", PriorityListViewSet, basename="priority-list")
    router.register("priority-entries", PriorityEntryViewSet, basename="priority-entry")
