"""API views of the review campaign (Decision 24/2021/QĐ-TTg): scoped reads through the campaign
selectors or `visible_to`, every write through a service of `households.campaigns`.

A service's ValidationError becomes a 400 keyed by field ("votes.<review id>",
"reviews.<review id>"), its PermissionDenied a 403, through the one exception handler.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from households import campaigns
from households.campaign_filtersets import (
    CampaignFilterSet,
    CertificateFilterSet,
    DecisionFilterSet,
    MeetingFilterSet,
    ObjectionFilterSet,
    PostingFilterSet,
    QueueFilterSet,
    RequestFilterSet,
    StatusChangeFilterSet,
)
from households.campaign_selectors import (
    campaign_list,
    campaign_progress,
    certificate_list,
    chair_queue,
    days_left,
    objection_register,
    posting_list,
    request_list,
)
from households.models import (
    Certificate,
    MeetingVote,
    Posting,
    RecognitionDecision,
    Review,
    StatusChange,
    VillageMeeting,
)
from households.selectors import review_list
from registry.choices import Level
from registry.selectors import unit_list

from .campaign_serializers import (
    CampaignCreateSerializer,
    CampaignProgressSerializer,
    CampaignSerializer,
    CertificateSerializer,
    CloseSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    ListClosureSerializer,
    ListedSerializer,
    ListHouseholdsSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    ObjectionCreateSerializer,
    ObjectionResolveSerializer,
    ObjectionSerializer,
    PostingCreateSerializer,
    PostingSerializer,
    ProgressQuerySerializer,
    PublicListEntrySerializer,
    PublicListQuerySerializer,
    QueueEntrySerializer,
    RefuseSerializer,
    ReopenSerializer,
    RequestCreateSerializer,
    RequestSerializer,
    ReturnSerializer,
    ReviewStepSerializer,
    StatusChangeSerializer,
)
from .serializers import ReviewSerializer
from .views import VALIDATION_ERROR, valid_data

FORBIDDEN = OpenApiResponse(
    description=gettext_lazy("You may see this unit, but your role there does not allow this.")
)
NOT_FOUND = OpenApiResponse(description=gettext_lazy("Not in your area, or no such row."))
WRITE_ERRORS = {400: VALIDATION_ERROR, 403: FORBIDDEN}


class ServiceWriteMixin:
    """Answer a write with the row as the list shows it, read again through the scoped queryset."""

    def _respond(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(
            self.serializer_class(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def _input(self, serializer_class) -> dict[str, Any]:
        return valid_data(
            serializer_class(data=self.request.data, context=self.get_serializer_context())
        )


# --- campaigns ---------------------------------------------------------------------------------


def _totals(rows) -> dict[str, int]:
    steps = ("listed", "surveyed", "discussed", "posted", "recognised")
    totals = {step: sum(getattr(row, step) for row in rows) for step in steps}
    totals["communes"] = len(rows)
    totals["communes_closed"] = sum(row.closed for row in rows)
    listed = totals["listed"]
    totals["percent_recognised"] = round(100 * totals["recognised"] / listed) if listed else 0
    return totals


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
            "totals": _totals(rows),
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
        votes = MeetingVote.objects.select_related("review__household").order_by("id")
        return (
            VillageMeeting.objects.visible_to(self.request.user)
            .select_related("commune", "village")
            .prefetch_related(Prefetch("votes", queryset=votes))
        )

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
        return (
            Posting.objects.visible_to(self.request.user)
            .select_related("commune", "village")
            .prefetch_related(Prefetch("reviews", queryset=Review.objects.only("id")))
        )

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
        summary="The list to post in public: code, head, village, address, proposed result only",
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
        reviews = posting_list(user=request.user, commune=commune, village=village)
        page = self.paginate_queryset(reviews)
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


# --- recognition -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Posted results awaiting the chair (none the user recorded), open objections "
        "counted"
    )
)
class ChairQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The chair's queue: posted reviews to recognise, return or (monthly) refuse."""

    serializer_class = QueueEntrySerializer
    filterset_class = QueueFilterSet
    filter_backends = [DjangoFilterBackend]  # the selector's order: commune, village, code

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no user to exclude
            return Review.objects.none()
        return chair_queue(user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Recognition decisions in your area"),
    retrieve=extend_schema(summary="A recognition decision with its certificates"),
)
class DecisionViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The commune chair's recognition decisions and the certificates they issued (Step 6)."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    ordering_fields = ["signed_on", "number"]
    ordering = ["-signed_on", "-id"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        certificates = Certificate.objects.select_related("household").order_by("number")
        return (
            RecognitionDecision.objects.visible_to(self.request.user)
            .select_related("commune")
            .prefetch_related(
                Prefetch("reviews", queryset=Review.objects.only("id", "decision_id")),
                Prefetch("certificates", queryset=certificates),
            )
        )

    def get_serializer_class(self):
        return DecisionCreateSerializer if self.action == "create" else DecisionSerializer

    @extend_schema(
        summary="Recognise posted results by a decision, issuing the certificates",
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = self._input(DecisionCreateSerializer)
        ids = list(dict.fromkeys(data["reviews"]))
        visible = set(
            Review.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        unknown = [pk for pk in ids if pk not in visible]
        if unknown:
            message = _("There is no review with this id in your area.")
            raise ValidationError({f"reviews.{pk}": [message] for pk in unknown})
        decision = campaigns.recognition_decide(
            actor=request.user,
            commune=data["commune"],
            number=data["number"],
            signed_on=data["signed_on"],
            review_ids=ids,
        )
        return self._respond(decision, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Certificates of the households in your area"),
    retrieve=extend_schema(summary="A certificate"),
)
class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    """Certificates of poor and near-poor households, issued by recognition decisions."""

    serializer_class = CertificateSerializer
    filterset_class = CertificateFilterSet
    ordering_fields = ["number", "valid_from"]
    ordering = ["number"]

    def get_queryset(self) -> QuerySet[Certificate]:
        return certificate_list(user=self.request.user)


class CampaignReviewViewSet(viewsets.GenericViewSet):
    """The workflow verbs on a review that the campaign adds: return, refuse, and its steps."""

    serializer_class = ReviewSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        return review_list(user=self.request.user)

    def get_serializer_class(self):
        return {
            "return_": ReturnSerializer,
            "refuse": RefuseSerializer,
            "steps": ReviewStepSerializer,
        }.get(self.action, ReviewSerializer)

    def _respond(self, review: Review) -> Response:
        fresh = self.get_queryset().get(pk=review.pk)
        return Response(ReviewSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Send a review back one step, saying what must be corrected",
        request=ReturnSerializer,
        responses={200: ReviewSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        filter_backends=[],
        pagination_class=None,
    )
    def return_(self, request, pk=None):
        review = self.get_object()
        data = valid_data(ReturnSerializer(data=request.data))
        campaigns.review_return(actor=request.user, review=review, comment=data["comment"])
        return self._respond(review)

    @extend_schema(
        summary="Refuse a posted monthly review, with the reasons (commune chair)",
        request=RefuseSerializer,
        responses={200: ReviewSerializer, **WRITE_ERRORS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def refuse(self, request, pk=None):
        review = self.get_object()
        data = valid_data(RefuseSerializer(data=request.data))
        campaigns.review_refuse(actor=request.user, review=review, reason=data["reason"])
        return self._respond(review)

    @extend_schema(
        summary="Every move of the review: who, when, from which step to which, and why",
        responses={200: ReviewStepSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def steps(self, request, pk=None):
        review = self.get_object()
        steps = review.steps.select_related("actor").order_by("at", "id")
        return Response(ReviewStepSerializer(steps, many=True).data)


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
        return StatusChange.objects.visible_to(self.request.user).select_related(
            "household", "decision"
        )
