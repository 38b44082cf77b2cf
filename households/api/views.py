"""API views for households, members and reviews: scoped reads, writes through the services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from households import services
from households.campaign import services as campaigns
from households.campaign.api.serializers import StatusChangeSerializer
from households.evaluation import evaluate, reasons_payload
from households.filtersets import HouseholdFilterSet, MemberFilterSet, ReviewFilterSet
from households.models import Household, Member
from households.selectors import (
    household_detail,
    household_list,
    household_timeline,
    member_list,
    review_list,
)
from households.submissions import IDEMPOTENCY_KEY, idempotency_key
from registry.api.schema import ERROR_SCHEMA

from .serializers import (
    ClassificationSerializer,
    ClassifySerializer,
    ConflictSerializer,
    DuplicateCheckSerializer,
    DuplicateSerializer,
    HistoryEntrySerializer,
    HouseholdCreateSerializer,
    HouseholdSerializer,
    HouseholdUpdateSerializer,
    MemberSerializer,
    MoveInSerializer,
    MoveOutSerializer,
    ReviewSerializer,
)

# --- errors ------------------------------------------------------------------------------------


def flat_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Serializer errors in the services' shape: "members.2.id_number", and review fields bare.

    A review's fields are keyed without "review." because the services key them so
    ("income_per_capita"), and a client should meet one key per input whoever refused it.
    """
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if key == "non_field_errors" and prefix:
                name = prefix
            elif prefix == "review":
                name = str(key)
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flat_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list) and any(isinstance(item, Mapping) for item in detail):
        flat = {}
        for row, value in enumerate(detail):
            flat.update(flat_errors(value, f"{prefix}.{row}"))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]} if messages else {}


def valid_data(serializer: serializers.Serializer) -> dict[str, Any]:
    if not serializer.is_valid():
        raise exceptions.ValidationError(flat_errors(serializer.errors))
    return serializer.validated_data


VALIDATION_ERROR = OpenApiResponse(
    ERROR_SCHEMA,
    description=gettext_lazy(
        'Refused input: field names (members as "members.<row>.<field>") with their messages.'
    ),
)
CONFLICT = OpenApiResponse(
    ConflictSerializer,
    description=gettext_lazy("Someone else saved the household since you read it."),
)


# --- households --------------------------------------------------------------------------------


def _member_row(member: Member) -> dict[str, Any]:
    return {"id": member.pk, **{field: getattr(member, field) for field in services.MEMBER_FIELDS}}


@extend_schema_view(
    list=extend_schema(summary="Households in your area"),
    retrieve=extend_schema(summary="A household with its current members and latest review"),
)
class HouseholdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Households the user may see. Writes go through the household services; never deleted."""

    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet
    # The filterset has its own `ordering`; DRF's OrderingFilter would read the same parameter.
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]  # members and the review are nested: forms cannot carry them
    throttle_scope = None  # set by the actions that are throttled (ScopedRateThrottle)

    def get_queryset(self):
        if self.action == "list":
            return household_list(user=self.request.user)
        return household_detail(user=self.request.user)

    def get_serializer_class(self):
        return {
            "create": HouseholdCreateSerializer,
            "update": HouseholdUpdateSerializer,
            "partial_update": HouseholdUpdateSerializer,
            "check_duplicates": DuplicateCheckSerializer,
        }.get(self.action, HouseholdSerializer)

    def _respond(self, household: Household, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = household_detail(user=self.request.user).get(pk=household.pk)
        context = self.get_serializer_context()
        return Response(HouseholdSerializer(fresh, context=context).data, status=status_code)

    @extend_schema(
        summary="Register a household",
        request=HouseholdCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: HouseholdSerializer,
            400: VALIDATION_ERROR,
            403: OpenApiResponse(
                description=gettext_lazy("You may see this commune but not change it.")
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = valid_data(
            HouseholdCreateSerializer(data=request.data, context=self.get_serializer_context())
        )
        household = services.household_create(
            actor=request.user,
            commune=data["commune"],
            village=data["village"],
            address=data["address"],
            phone=data["phone"],
            members=data["members"],
            review=data.get("review"),
            submission_key=idempotency_key(request),
        )
        return self._respond(household, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a household, its members and its review",
        request=HouseholdUpdateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: HouseholdSerializer,
            400: VALIDATION_ERROR,
            403: OpenApiResponse(description=gettext_lazy("You may see it but not change it.")),
            409: CONFLICT,
        },
    )
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        household = self.get_object()
        serializer = HouseholdUpdateSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data = valid_data(serializer)
        current = {m.pk: _member_row(m) for m in household.members.all() if m.left_on is None}
        unknown = {
            f"members.{row}.id": [
                _("The household has no current member with id %(id)d.") % {"id": member["id"]}
            ]
            for row, member in enumerate(data.get("members", []))
            if member.get("id") is not None and member["id"] not in current
        }
        if unknown:
            raise exceptions.ValidationError(unknown)
        # A member row with an id changes that member: what it leaves out keeps its value.
        members = (
            [{**current.get(row.get("id"), {}), **row} for row in data["members"]]
            if "members" in data
            else list(current.values())
        )
        try:
            services.household_update(
                actor=request.user,
                household=household,
                expected_version=data["version"],
                village=data.get("village", household.village),
                address=data.get("address", household.address),
                phone=data.get("phone", household.phone),
                members=members,
                review=data.get("review"),
                leave_reason=data.get("leave_reason", ""),
                submission_key=idempotency_key(request),
            )
        except services.ConflictError:
            current_version = (
                Household.objects.filter(pk=household.pk).values_list("version", flat=True).get()
            )
            message = _(
                "Someone else saved this household since you read it (you sent version "
                "%(sent)d; it is now %(current)d). Nothing was saved: read it again, then "
                "send your changes with the new version."
            ) % {"sent": data["version"], "current": current_version}
            return Response(
                {"detail": message, "current_version": current_version},
                status=status.HTTP_409_CONFLICT,
            )
        return self._respond(household)

    @extend_schema(
        summary="Change some fields of a household",
        request=HouseholdUpdateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: HouseholdSerializer,
            400: VALIDATION_ERROR,
            403: OpenApiResponse(description=gettext_lazy("You may see it but not change it.")),
            409: CONFLICT,
        },
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Every recorded write to the household and to what concerns it",
        responses=HistoryEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        household = self.get_object()
        return Response(HistoryEntrySerializer(household_timeline(household), many=True).data)

    @extend_schema(
        summary="Members who may already be registered (at most 50 a request)",
        request=DuplicateCheckSerializer,
        responses={
            200: DuplicateSerializer(many=True),
            400: VALIDATION_ERROR,
            429: OpenApiResponse(description=gettext_lazy("Too many checks: wait a minute.")),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="check-duplicates",
        filter_backends=[],
        pagination_class=None,
        # Each answer says whether ID numbers are registered: a few checks a minute at most.
        throttle_classes=[ScopedRateThrottle],
        throttle_scope="duplicate-check",
    )
    def check_duplicates(self, request):
        data = valid_data(
            DuplicateCheckSerializer(data=request.data, context=self.get_serializer_context())
        )
        found = services.duplicates_find(
            user=request.user,
            commune=data["commune"],
            members=data["members"],
            household=data.get("household"),
        )
        return Response(DuplicateSerializer(found, many=True).data)

    @extend_schema(
        summary="The household moved out of the commune (an event with a date; nothing is deleted)",
        request=MoveOutSerializer,
        responses={201: StatusChangeSerializer, 400: VALIDATION_ERROR},
    )
    @action(detail=True, methods=["post"], url_path="move-out", filter_backends=[])
    def move_out(self, request, pk=None):
        household = self.get_object()
        data = valid_data(MoveOutSerializer(data=request.data))
        change = campaigns.household_move_out(
            actor=request.user, household=household, on=data["on"], reason=data["reason"]
        )
        return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The household moved into the commune from elsewhere on a date",
        request=MoveInSerializer,
        responses={201: StatusChangeSerializer, 400: VALIDATION_ERROR},
    )
    @action(detail=True, methods=["post"], url_path="move-in", filter_backends=[])
    def move_in(self, request, pk=None):
        household = self.get_object()
        data = valid_data(MoveInSerializer(data=request.data))
        change = campaigns.household_move_in(actor=request.user, household=household, on=data["on"])
        return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)


# --- members -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Members of the households in your area"),
    retrieve=extend_schema(summary="A member"),
)
class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Members of the households the user may see (current and former)."""

    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    ordering_fields = ["id", "full_name", "birth_year"]
    ordering = ["household", "id"]

    def get_queryset(self):
        return member_list(user=self.request.user)


# --- reviews -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Reviews of the households in your area"),
    retrieve=extend_schema(summary="A review with its computed classification and reasons"),
)
class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Reviews of the households the user may see, and a classification preview."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet
    ordering_fields = ["list_year", "survey_date", "updated_at"]
    ordering = ["household", "-list_year"]
    parser_classes = [JSONParser]

    def get_queryset(self):
        return review_list(user=self.request.user)

    def get_serializer_class(self):
        return ClassifySerializer if self.action == "classify" else ReviewSerializer

    @extend_schema(
        summary=(
            "Classify facts without saving, under the standard the save would apply (the one "
            "the commune's campaign names, else the list year's)"
        ),
        request=ClassifySerializer,
        responses={200: ClassificationSerializer, 400: VALIDATION_ERROR},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def classify(self, request):
        data = valid_data(
            ClassifySerializer(data=request.data, context=self.get_serializer_context())
        )
        evaluation = evaluate(
            list_year=data["list_year"],
            area_type=data["area_type"],
            income_per_capita=data.get("income_per_capita"),
            b1_score=data.get("b1_score"),
            deprivations=data["deprivations"],
            members=data["members"],
            on=data.get("survey_date") or timezone.localdate(),
            housing_area_m2=data.get("housing_area_m2"),
            unit=data.get("commune"),  # its province's local standard applies, as on saving
        )
        result = {
            "classification": evaluation.verdict.classification.value,
            **reasons_payload(evaluation),
        }
        return Response(ClassificationSerializer(result).data)
