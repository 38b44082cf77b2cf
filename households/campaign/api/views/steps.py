"""Village meetings, public postings and objections."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
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
    ConsultationCreateSerializer,
    ConsultationSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    ObjectionCreateSerializer,
    ObjectionResolveSerializer,
    ObjectionSerializer,
    PostingCreateSerializer,
    PostingMinimumSerializer,
    PostingSerializer,
    PublicListEntrySerializer,
    PublicListQuerySerializer,
)
from households.campaign.api.views._common import (
    NOT_FOUND,
    WRITE_ERRORS,
    ServiceWriteMixin,
)
from households.campaign.filtersets import (
    ConsultationFilterSet,
    MeetingFilterSet,
    ObjectionFilterSet,
    PostingFilterSet,
)
from households.campaign.selectors import (
    consultation_list,
    meeting_list,
    objection_register,
    posting_register,
    public_list,
)
from registry.choices import Level
from registry.selectors import unit_list

# --- village meetings --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Village meetings in your area"),
    retrieve=extend_schema(summary="A village meeting with its votes"),
)
class MeetingViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Village meetings (họp dân) that discussed survey results (Step 3)."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    ordering_fields = ["held_on", "created_at"]
    ordering = ["-held_on", "-id"]
    parser_classes = [JSONParser]  # the votes are nested

    def get_queryset(self):
        return meeting_list(user=self.request.user)

    def get_serializer_class(self):
        return MeetingCreateSerializer if self.action == "create" else MeetingSerializer

    @extend_schema(
        summary="Record a village meeting: 50% or more agreeing moves a review on",
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(MeetingCreateSerializer)
        meeting = campaigns.meeting_record(
            actor=request.user,
            commune=data["commune"],
            village=data["village"],
            held_on=data["held_on"],
            attendees=data["attendees"],
            chaired_by=data["chaired_by"],
            votes=data["votes"],
            notes=data["notes"],
        )
        return self._respond(meeting, status.HTTP_201_CREATED)


# --- postings ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Public postings in your area"),
    retrieve=extend_schema(summary="A public posting"),
)
class PostingViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Public postings (niêm yết) of the results agreed at village meetings (Step 4)."""

    serializer_class = PostingSerializer
    filterset_class = PostingFilterSet
    ordering_fields = ["posted_from", "created_at"]
    ordering = ["-posted_from", "-id"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return posting_register(user=self.request.user)

    def get_serializer_class(self):
        return PostingCreateSerializer if self.action == "create" else PostingSerializer

    @extend_schema(
        summary="Post the agreed results of a village (or of the commune) publicly",
        request=PostingCreateSerializer,
        responses={201: PostingSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(PostingCreateSerializer)
        posting = campaigns.posting_record(
            actor=request.user,
            commune=data["commune"],
            village=data["village"],
            posted_from=data["posted_from"],
            posted_to=data["posted_to"],
            place=data["place"],
        )
        return self._respond(posting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="The minimum length of a posting in force today, and whether it is confirmed",
        responses={200: PostingMinimumSerializer},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def minimum(self, request):
        return Response(PostingMinimumSerializer(campaigns.posting_minimum()).data)

    @extend_schema(
        summary=(
            "The list to post in public, as the printed one: poor, near-poor and escaping "
            "households only, with code, head, village, address and proposed result"
        ),
        parameters=[PublicListQuerySerializer],
        responses={
            200: PublicListEntrySerializer(many=True),
            400: VALIDATION_ERROR,
            404: NOT_FOUND,
        },
    )
    @action(detail=False, methods=["get"], url_path="public-list", filter_backends=[])
    def public_list(self, request):
        query = valid_data(PublicListQuerySerializer(data=request.query_params))
        units = unit_list(user=request.user)
        commune = get_object_or_404(units.filter(level=Level.COMMUNE), pk=query["commune"])
        village = None
        if query["village"] is not None:
            village = get_object_or_404(
                units.filter(level=Level.VILLAGE, parent=commune), pk=query["village"]
            )
        entries = public_list(user=request.user, commune=commune, village=village)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(PublicListEntrySerializer(page, many=True).data)


# --- objections --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The objection register of your area"),
    retrieve=extend_schema(summary="An objection"),
)
class ObjectionViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Objections against posted results and their re-checks (Step 5)."""

    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilterSet
    ordering_fields = ["received_on", "outcome"]
    ordering = ["outcome", "-received_on", "-id"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return objection_register(user=self.request.user)

    def get_serializer_class(self):
        return {
            "create": ObjectionCreateSerializer,
            "resolve": ObjectionResolveSerializer,
        }.get(self.action, ObjectionSerializer)

    @extend_schema(
        summary="Record an objection against a posted result",
        request=ObjectionCreateSerializer,
        responses={201: ObjectionSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(ObjectionCreateSerializer)
        objection = campaigns.objection_record(
            actor=request.user,
            review=data["review"],
            kind=data["kind"],
            author=data["author"],
            received_on=data["received_on"],
            content=data["content"],
        )
        return self._respond(objection, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the re-check: upheld sends the household back to the survey",
        request=ObjectionResolveSerializer,
        responses={200: ObjectionSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def resolve(self, request, pk=None):
        objection = self.get_object()
        data = self._input(ObjectionResolveSerializer)
        campaigns.objection_resolve(
            actor=request.user,
            objection=objection,
            outcome=data["outcome"],
            resolution=data["resolution"],
            resolved_on=data.get("resolved_on") or timezone.localdate(),
        )
        return self._respond(objection)


# --- district consultation (three-level scheme) -------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="District consultations of your area (three-level scheme)"),
    retrieve=extend_schema(summary="A district consultation"),
)
class ConsultationViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The commune's report to and consultation of the district chairman before recognition
    (Decision 24/2021/QĐ-TTg art. 4 step 5), for campaigns of the three-level scheme only."""

    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilterSet
    ordering_fields = ["consulted_on", "created_at"]
    ordering = ["-consulted_on", "-id"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return consultation_list(user=self.request.user)

    def get_serializer_class(self):
        return ConsultationCreateSerializer if self.action == "create" else ConsultationSerializer

    @extend_schema(
        summary="Record the district's opinion on a commune's posted results (district staff)",
        request=ConsultationCreateSerializer,
        responses={201: ConsultationSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(ConsultationCreateSerializer)
        consultation = campaigns.consultation_record(
            actor=request.user,
            campaign=data["campaign"],
            commune=data["commune"],
            consulted_on=data["consulted_on"],
            comment=data["comment"],
        )
        return self._respond(consultation, status.HTTP_201_CREATED)
