"""API views for administrative units, scoped like every other registry read."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from registry.filtersets import AdminUnitFilterSet
from registry.selectors import unit_list
from registry.services import village_create
from registry.succession import counterparts

from .serializers import AdminUnitSerializer, VillageCreateSerializer


class AdminUnitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Administrative units the user may see: list, detail, children and, across the 1 July
    2025 reform, the communes of the other scheme that succeeded or preceded a commune."""

    serializer_class = AdminUnitSerializer
    filterset_class = AdminUnitFilterSet
    ordering_fields = ["path", "name", "code"]
    ordering = ["path"]

    def get_queryset(self):
        return unit_list(user=self.request.user)

    @extend_schema(request=VillageCreateSerializer, responses={201: AdminUnitSerializer})
    def create(self, request, *args, **kwargs):
        """Add a village under a commune the user may change (the only units users create)."""
        data = VillageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        commune = self.get_queryset().filter(pk=data.validated_data["parent"]).first()
        if commune is None:
            raise ValidationError({"parent": [_("Choose a commune in your area.")]})
        village = village_create(
            actor=request.user,
            commune=commune,
            name=data.validated_data["name"],
            division_type=data.validated_data["division_type"],
        )
        return Response(AdminUnitSerializer(village).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=AdminUnitSerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        unit = self.get_object()
        queryset = self.filter_queryset(self.get_queryset().filter(parent=unit))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=AdminUnitSerializer(many=True))
    @action(detail=True, methods=["get"])
    def counterparts(self, request, pk=None):
        """The other scheme's communes linked to this one (the official succession table is
        public reference data, so they are listed even outside the user's area)."""
        unit = self.get_object()
        queryset = counterparts(unit).select_related("parent").order_by("path")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@csrf_exempt  # it changes nothing: a refused token would answer a 403 page instead of the 404
def api_not_found(request, *args, **kwargs):
    """404 in the API's shape for a path under /api/v1/ that names no endpoint (an id that is not
    a number, a misspelt route), instead of the site's HTML page."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
