"""API views for administrative units, scoped like every other registry read."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from registry.filtersets import AdminUnitFilterSet
from registry.selectors import unit_list

from .serializers import AdminUnitSerializer


class AdminUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units the user may see: list, detail and children."""

    serializer_class = AdminUnitSerializer
    filterset_class = AdminUnitFilterSet
    ordering_fields = ["path", "name", "code"]
    ordering = ["path"]

    def get_queryset(self):
        return unit_list(user=self.request.user)

    @extend_schema(responses=AdminUnitSerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        unit = self.get_object()
        queryset = self.filter_queryset(self.get_queryset().filter(parent=unit))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
