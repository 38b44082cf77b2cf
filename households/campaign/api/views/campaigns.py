"""Campaigns: list, detail, opening, progress, listing, closing and reopening."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from households.api.views import (
    VALIDATION_ERROR,
    valid_data,
)
from households.campaign import services as campaigns
from households.campaign.api.serializers import (
    CampaignCreateSerializer,
    CampaignExtendSerializer,
    CampaignExtensionSerializer,
    CampaignProgressSerializer,
    CampaignSerializer,
    CloseSerializer,
    ListClosureSerializer,
    ListedSerializer,
    ListHouseholdsSerializer,
    ProgressQuerySerializer,
    ReopenSerializer,
)
from households.campaign.api.views._common import (
    NOT_FOUND,
    WRITE_ERRORS,
    ServiceWriteMixin,
)
from households.campaign.filtersets import CampaignFilterSet
from households.campaign.selectors import (
    campaign_extensions,
    campaign_list,
    campaign_progress,
    days_left,
    progress_totals,
)

# --- campaigns ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Review campaigns of the provinces you work in"),
    retrieve=extend_schema(summary="A review campaign"),
)
class CampaignViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A province's periodic review (1/9-14/12), seen by everyone working in the province."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    ordering_fields = ["list_year", "opens_on"]
    ordering = ["-list_year", "province"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return campaign_list(user=self.request.user)

    def get_serializer_class(self):
        return {
            "create": CampaignCreateSerializer,
            "extend": CampaignExtendSerializer,
            "extensions": CampaignExtensionSerializer,
            "list_households": ListHouseholdsSerializer,
            "close": CloseSerializer,
            "reopen": ReopenSerializer,
        }.get(self.action, CampaignSerializer)

    @extend_schema(
        summary="Open the review campaign of a province (province staff)",
        request=CampaignCreateSerializer,
        responses={201: CampaignSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(CampaignCreateSerializer)
        campaign = campaigns.campaign_open(
            actor=request.user,
            province=data["province"],
            list_year=data["list_year"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            standard_code=data["standard_code"],
        )
        return self._respond(campaign, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Progress of each commune of your area, with the totals and the days left",
        parameters=[ProgressQuerySerializer],
        responses={200: CampaignProgressSerializer, 400: VALIDATION_ERROR, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def progress(self, request, pk=None):
        campaign = self.get_object()
        query = ProgressQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        unit = valid_data(query)["unit"]
        if unit is not None and not unit.path.startswith(campaign.unit_path):
            raise ValidationError({"unit": _("This unit is not in the campaign's province.")})
        rows = campaign_progress(user=request.user, campaign=campaign, unit=unit)
        payload = {
            "campaign": campaign.pk,
            "days_left": days_left(campaign),
            "rows": rows,
            "totals": progress_totals(rows),
        }
        return Response(CampaignProgressSerializer(payload).data)

    @extend_schema(
        summary="Step 1: list a commune's households on the current lists and those that asked",
        request=ListHouseholdsSerializer,
        responses={200: ListedSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="list-households",
        filter_backends=[],
        pagination_class=None,
    )
    def list_households(self, request, pk=None):
        campaign = self.get_object()
        data = self._input(ListHouseholdsSerializer)
        listed = campaigns.campaign_list_households(
            actor=request.user, campaign=campaign, commune=data["commune"]
        )
        return Response(ListedSerializer({"listed": listed}).data)

    @extend_schema(
        summary="Close a unit's list: a commune once all is decided, a district or province once "
        "every commune below has closed",
        request=CloseSerializer,
        responses={200: ListClosureSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request, pk=None):
        campaign = self.get_object()
        data = self._input(CloseSerializer)
        closure = campaigns.list_close(actor=request.user, campaign=campaign, unit=data["unit"])
        return Response(ListClosureSerializer(closure).data)

    @extend_schema(
        summary="Reopen a commune's list, with the reason (district or province staff)",
        request=ReopenSerializer,
        responses={200: ListClosureSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request, pk=None):
        campaign = self.get_object()
        data = self._input(ReopenSerializer)
        closure = campaigns.list_reopen(
            actor=request.user, campaign=campaign, commune=data["commune"], reason=data["reason"]
        )
        return Response(ListClosureSerializer(closure).data)

    @extend_schema(
        summary="Extend the review past its closing date, with the reason (province staff)",
        request=CampaignExtendSerializer,
        responses={201: CampaignExtensionSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def extend(self, request, pk=None):
        campaign = self.get_object()
        data = self._input(CampaignExtendSerializer)
        extension = campaigns.campaign_extend(
            actor=request.user,
            campaign=campaign,
            closes_on=data["closes_on"],
            reason=data["reason"],
        )
        return Response(CampaignExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The extensions of the campaign's review period, oldest first",
        responses={200: CampaignExtensionSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def extensions(self, request, pk=None):
        campaign = self.get_object()
        rows = campaign_extensions(user=request.user, campaign=campaign)
        return Response(CampaignExtensionSerializer(rows, many=True).data)
