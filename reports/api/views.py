"""The KPI API: one unit and year, the units under it, a series; and the open data.

Thin: the parameters through the one KPI filterset (reports.filtersets), the figures from the
selectors (scoped: a unit outside the caller's area answers 404 as a missing one), and a
response a client may keep: an ETag (a hash of the payload) and a Last-Modified (when the
figures last changed), answered 304 on a repeat.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from households.api.views import VALIDATION_ERROR
from registry.limits import pk_or_404

from .. import open_data, selectors
from ..filtersets import KpiFilterSet, KpiParams
from . import examples
from .serializers import (
    KpiSerializer,
    KpiSeriesSerializer,
    KpiTableSerializer,
    OpenKpiSerializer,
    OpenKpiTableSerializer,
    UnitRefSerializer,
)

NOT_FOUND = OpenApiResponse(description=gettext_lazy("No such unit in your area."))
NOT_MODIFIED = OpenApiResponse(
    description=gettext_lazy(
        "Not modified: the figures are those of the ETag in If-None-Match (or have not changed "
        "since If-Modified-Since)."
    )
)
OPEN_NOT_FOUND = OpenApiResponse(
    description=gettext_lazy(
        "No such province or commune of the 2025 scheme, or the open data is switched off."
    )
)
UNIT_ID = OpenApiParameter("unit_id", int, OpenApiParameter.PATH, description="The unit's id.")


def _parameters(*names: str) -> list[OpenApiParameter]:
    """The OpenAPI parameters of the KPI filterset's fields `names`, described by it."""
    found = []
    for name in names:
        field = KpiFilterSet.base_filters[name]
        if name == "as_of":
            kind = OpenApiTypes.DATE
        elif name in ("year", "from_year", "to_year"):
            kind = OpenApiTypes.INT
        else:
            kind = OpenApiTypes.STR
        choices = field.extra.get("choices")
        found.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                description=field.extra.get("help_text") or field.label,
                enum=[value for value, _label in choices] if choices else None,
            )
        )
    return found


def _params(request) -> KpiParams:
    filters = KpiFilterSet(request.query_params, request=request)
    if not filters.is_valid():
        raise exceptions.ValidationError(
            {field: list(messages) for field, messages in filters.errors.items()}
        )
    return filters.params


def _etag(payload) -> str:
    body = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def _respond(request, payload, changed_at, *, public: bool = False) -> Response:
    """The payload, or 304 when the client holds it already."""
    etag = _etag(payload)
    modified = int(changed_at.timestamp()) if changed_at else None
    if_none_match = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if if_none_match is not None:
        held = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        fresh = "*" in held or etag in held
    else:
        fresh = since is not None and modified is not None and modified <= since
    response = Response(status=304) if fresh else Response(payload)
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    if public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        # The figures depend on who asks (their area): kept by the client only, revalidated.
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie", "Authorization"))
    return response


class KpiViewSet(viewsets.ViewSet):
    """KPIs of the units in the caller's area (404 for any other, as for a missing one)."""

    lookup_field = "unit_id"
    lookup_value_regex = "[0-9]+"

    def _unit(self, unit_id):
        return selectors.visible_unit(user=self.request.user, unit_id=pk_or_404(unit_id))

    @extend_schema(
        summary="KPIs of one unit for one year (or as of one day)",
        parameters=[UNIT_ID, *_parameters("year", "as_of", "programme")],
        responses={200: KpiSerializer, 304: NOT_MODIFIED, 400: VALIDATION_ERROR, 404: NOT_FOUND},
        examples=[examples.UNIT, examples.BAD_YEAR],
    )
    def retrieve(self, request, unit_id=None):
        params = _params(request)
        unit = self._unit(unit_id)
        item = selectors.unit_kpis(
            user=request.user,
            unit=unit,
            year=params.year,
            as_of=params.as_of,
            programme=params.programme,
        )
        return _respond(request, KpiSerializer(item).data, selectors.kpis_changed_at([item]))

    @extend_schema(
        summary="KPIs of the units under one unit (one level below, or `level`; or the old "
        "units it took over, `scheme`=2004)",
        parameters=[UNIT_ID, *_parameters("year", "as_of", "programme", "level", "scheme")],
        responses={
            200: KpiTableSerializer,
            304: NOT_MODIFIED,
            400: VALIDATION_ERROR,
            404: NOT_FOUND,
        },
        examples=[examples.TABLE, examples.BAD_LEVEL],
    )
    @action(detail=True, methods=["get"])
    def children(self, request, unit_id=None):
        params = _params(request)
        unit = self._unit(unit_id)
        items = selectors.listed_kpis(
            user=request.user,
            unit=unit,
            level=params.level,
            scheme=params.scheme,
            year=params.year,
            as_of=params.as_of,
            programme=params.programme,
        )
        payload = {
            "unit": UnitRefSerializer(unit).data,
            "year": params.year,
            "as_of": params.as_of,
            "level": params.level,
            "scheme": params.scheme or unit.scheme,
            "count": len(items),
            "results": KpiSerializer(items, many=True).data,
        }
        return _respond(request, payload, selectors.kpis_changed_at(items))

    @extend_schema(
        summary="KPIs of one unit year by year",
        parameters=[UNIT_ID, *_parameters("from_year", "to_year")],
        responses={
            200: KpiSeriesSerializer,
            304: NOT_MODIFIED,
            400: VALIDATION_ERROR,
            404: NOT_FOUND,
        },
        examples=[examples.SERIES],
    )
    @action(detail=True, methods=["get"])
    def series(self, request, unit_id=None):
        params = _params(request)
        unit = self._unit(unit_id)
        items = selectors.kpi_series(user=request.user, unit=unit, years=params.years)
        years = params.years or (None, None)
        payload = {
            "unit": UnitRefSerializer(unit).data,
            "from_year": years[0],
            "to_year": years[1],
            "count": len(items),
            "results": KpiSerializer(items, many=True).data,
        }
        return _respond(request, payload, selectors.kpis_changed_at(items))


class OpenKpiViewSet(viewsets.ViewSet):
    """The open data (when the deployment switches it on): the KPIs of the 2025 provinces and
    communes for anyone, every count under 5 suppressed, and others with them so that none can
    be worked out by subtracting the published ones (null: suppressed)."""

    lookup_field = "unit_id"
    lookup_value_regex = "[0-9]+"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def _tree(self, unit_id):
        if not settings.OPEN_DATA_ENABLED:
            raise exceptions.NotFound()
        unit = open_data.open_unit(pk_or_404(unit_id))
        if unit is None:
            raise exceptions.NotFound()
        params = _params(self.request)
        if params.as_of is not None:  # two days apart would show single households
            raise exceptions.ValidationError(
                {"as_of": [_("The open data publishes year-end figures only.")]}
            )
        tree = open_data.open_kpi_tree(unit=unit, year=params.year, programme=params.programme)
        return unit, params, tree

    @extend_schema(
        summary="Open data: the published KPIs of one province or commune for one year",
        parameters=[UNIT_ID, *_parameters("year", "programme")],
        responses={
            200: OpenKpiSerializer,
            304: NOT_MODIFIED,
            400: VALIDATION_ERROR,
            404: OPEN_NOT_FOUND,
        },
        examples=[examples.OPEN_UNIT],
        auth=[],
    )
    def retrieve(self, request, unit_id=None):
        unit, _unused, tree = self._tree(unit_id)
        item = tree.find(unit.pk)
        return _respond(request, OpenKpiSerializer(item).data, _changed(tree), public=True)

    @extend_schema(
        summary="Open data: the published KPIs of every commune of a province",
        parameters=[UNIT_ID, *_parameters("year", "programme")],
        responses={
            200: OpenKpiTableSerializer,
            304: NOT_MODIFIED,
            400: VALIDATION_ERROR,
            404: OPEN_NOT_FOUND,
        },
        auth=[],
    )
    @action(detail=True, methods=["get"])
    def children(self, request, unit_id=None):
        unit, params, tree = self._tree(unit_id)
        items = tree.children if unit.level == "province" else []
        payload = {
            "unit": UnitRefSerializer(unit).data,
            "year": params.year,
            "as_of": None,
            "level": None,
            "scheme": unit.scheme,
            "count": len(items),
            "results": OpenKpiSerializer(items, many=True).data,
        }
        return _respond(request, payload, _changed(tree), public=True)


def _changed(tree: open_data.KpiTree):
    """When any figure of the province's table last changed (its suppression depends on all)."""
    return selectors.kpis_changed_at([tree.root, *tree.children])
