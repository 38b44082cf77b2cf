"""The chair's queue, decisions, certificates and the workflow verbs on a review."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from households.api.serializers import ReviewSerializer
from households.api.views import valid_data
from households.campaign import services as campaigns
from households.campaign.api.serializers import (
    CertificateSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    QueueEntrySerializer,
    RefuseSerializer,
    ReturnSerializer,
    ReviewStepSerializer,
)
from households.campaign.api.views._common import (
    NOT_FOUND,
    WRITE_ERRORS,
    ServiceWriteMixin,
)
from households.campaign.filtersets import (
    CertificateFilterSet,
    DecisionFilterSet,
    QueueFilterSet,
)
from households.campaign.selectors import (
    certificate_list,
    chair_queue,
    decision_register,
    review_steps,
)
from households.models import (
    Certificate,
    Review,
)
from households.selectors import review_list

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
        return decision_register(user=self.request.user)

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
        steps = review_steps().filter(review=review)
        return Response(ReviewStepSerializer(steps, many=True).data)
