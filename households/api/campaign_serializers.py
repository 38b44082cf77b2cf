"""API representations of the review campaign (Decision 24/2021/QĐ-TTg) and the input each step
takes.

Output serializers read rows the selectors fetched; input serializers only check types and
choices and resolve ids to rows the user may see, then hand plain values to the services in
`households.campaigns`, which hold every rule of the law.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.campaign_selectors import days_left
from households.choices import (
    Classification,
    ObjectionKind,
    ObjectionOutcome,
    RequestChannel,
    RequestForm,
    RequestKind,
    ReviewKind,
    ReviewStatus,
    TransitionKind,
)
from households.models import (
    Campaign,
    Certificate,
    ListClosure,
    MeetingVote,
    Objection,
    Posting,
    RecognitionDecision,
    Review,
    ReviewRequest,
    ReviewStep,
    StatusChange,
    VillageMeeting,
)
from registry.choices import Level
from registry.models import AdminUnit
from registry.selectors import unit_list

from .serializers import (
    COMMUNE_NOT_FOUND,
    HOUSEHOLD_NOT_FOUND,
    VILLAGE_NOT_FOUND,
    EnumField,
    HouseholdField,
    UnitField,
)

UNIT_NOT_FOUND = _("Choose a unit in your area (there is none with id {pk_value}).")
PROVINCE_NOT_FOUND = _("Choose a province in your area (there is none with id {pk_value}).")
REVIEW_NOT_FOUND = _("There is no review with id {pk_value} in your area.")


# --- references to rows the user may see -------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class AreaUnitField(serializers.PrimaryKeyRelatedField):
    """The id of a unit of one of `levels` in the user's area; any other id is "not found"."""

    def __init__(self, *, levels: tuple[str, ...], **kwargs) -> None:
        self.levels = levels
        kwargs.setdefault("error_messages", {"does_not_exist": UNIT_NOT_FOUND})
        super().__init__(queryset=AdminUnit.objects.none(), **kwargs)

    def get_queryset(self):
        return unit_list(user=self.context["request"].user).filter(level__in=self.levels)


@extend_schema_field(OpenApiTypes.INT)
class ReviewField(serializers.PrimaryKeyRelatedField):
    """The id of a review the user may see; any other id is "not found"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": REVIEW_NOT_FOUND})
        super().__init__(queryset=Review.objects.none(), **kwargs)

    def get_queryset(self):
        return Review.objects.visible_to(self.context["request"].user).select_related(
            "household__commune"
        )


def _commune_field(**kwargs) -> UnitField:
    return UnitField(
        level=Level.COMMUNE, error_messages={"does_not_exist": COMMUNE_NOT_FOUND}, **kwargs
    )


def _village_field() -> UnitField:
    return UnitField(
        level=Level.VILLAGE,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": VILLAGE_NOT_FOUND},
    )


# --- campaigns ---------------------------------------------------------------------------------


class CampaignSerializer(serializers.ModelSerializer):
    """A province's periodic review for one list year; `days_left` until it closes (negative
    once past)."""

    province_name = serializers.CharField(source="province.name", read_only=True)
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "province",
            "province_name",
            "list_year",
            "opens_on",
            "closes_on",
            "standard_code",
            "days_left",
            "created_at",
        ]
        read_only_fields = fields

    def get_days_left(self, campaign: Campaign) -> int:
        return days_left(campaign)


class CampaignCreateSerializer(serializers.Serializer):
    """A campaign to open. Dates left out default to 1 September - 14 December of the year before
    the list year (Decision 24/2021/QĐ-TTg art. 3.1(a)); `standard_code` left empty applies the
    standard in force for the list year."""

    province = UnitField(
        level=Level.PROVINCE, error_messages={"does_not_exist": PROVINCE_NOT_FOUND}
    )
    list_year = serializers.IntegerField(min_value=2000, max_value=2200)
    opens_on = serializers.DateField(required=False, allow_null=True, default=None)
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)
    standard_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )


class CommuneProgressSerializer(serializers.Serializer):
    """How many of a commune's reviews reached each step (a later step counts for the earlier)."""

    commune = serializers.IntegerField(source="commune.pk")
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    listed = serializers.IntegerField()
    surveyed = serializers.IntegerField()
    discussed = serializers.IntegerField()
    posted = serializers.IntegerField()
    recognised = serializers.IntegerField()
    percent_recognised = serializers.IntegerField()
    closed = serializers.BooleanField()


class ProgressTotalsSerializer(serializers.Serializer):
    communes = serializers.IntegerField()
    communes_closed = serializers.IntegerField()
    listed = serializers.IntegerField()
    surveyed = serializers.IntegerField()
    discussed = serializers.IntegerField()
    posted = serializers.IntegerField()
    recognised = serializers.IntegerField()
    percent_recognised = serializers.IntegerField()


class CampaignProgressSerializer(serializers.Serializer):
    """A campaign's progress per commune of the user's area (or of `unit`), with the totals."""

    campaign = serializers.IntegerField()
    days_left = serializers.IntegerField()
    rows = CommuneProgressSerializer(many=True)
    totals = ProgressTotalsSerializer()


class ProgressQuerySerializer(serializers.Serializer):
    unit = AreaUnitField(
        levels=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Only the communes under this unit (a province, district or commune)."),
    )


class ListHouseholdsSerializer(serializers.Serializer):
    """Step 1: list a commune's households on the current lists and those that asked."""

    commune = _commune_field()


class ListedSerializer(serializers.Serializer):
    listed = serializers.IntegerField(help_text=_("Reviews listed now; listing twice adds none."))


class CloseSerializer(serializers.Serializer):
    """The unit whose list to close: a commune (its chair), district or province (their staff)."""

    unit = AreaUnitField(levels=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE))


class ReopenSerializer(serializers.Serializer):
    """The commune whose list to reopen, and why (recorded with the units above it)."""

    commune = _commune_field()
    reason = serializers.CharField(allow_blank=True)


class ListClosureSerializer(serializers.ModelSerializer):
    """Whether a unit's list of the campaign is closed, who changed it last, and why it reopened."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ListClosure
        fields = [
            "id",
            "campaign",
            "unit",
            "unit_name",
            "is_closed",
            "reason",
            "changed_by",
            "changed_at",
        ]
        read_only_fields = fields


# --- village meetings --------------------------------------------------------------------------


class MeetingVoteSerializer(serializers.ModelSerializer):
    """How many attendees agreed with one household's result, and whether it passed (≥ 50%)."""

    household_code = serializers.CharField(source="review.household.code", read_only=True)

    class Meta:
        model = MeetingVote
        fields = ["review", "household_code", "agreeing", "share_percent", "passed"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    """A village meeting with its votes; `passed` are the reviews it moved on, `sent_back` those
    it sent back to the survey."""

    commune_name = serializers.CharField(source="commune.name", read_only=True)
    village_name = serializers.CharField(
        source="village.name", read_only=True, default=None, allow_null=True
    )
    votes = MeetingVoteSerializer(many=True, read_only=True)
    passed = serializers.SerializerMethodField()
    sent_back = serializers.SerializerMethodField()

    class Meta:
        model = VillageMeeting
        fields = [
            "id",
            "campaign",
            "commune",
            "commune_name",
            "village",
            "village_name",
            "held_on",
            "attendees",
            "chaired_by",
            "notes",
            "votes",
            "passed",
            "sent_back",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_passed(self, meeting: VillageMeeting) -> list[int]:
        return [vote.review_id for vote in meeting.votes.all() if vote.passed]

    def get_sent_back(self, meeting: VillageMeeting) -> list[int]:
        return [vote.review_id for vote in meeting.votes.all() if not vote.passed]


class VoteInputSerializer(serializers.Serializer):
    review = serializers.IntegerField(help_text=_("A surveyed review of the commune."))
    agreeing = serializers.IntegerField(min_value=0)


class MeetingCreateSerializer(serializers.Serializer):
    """A village meeting (Step 3). 50% or more of the attendees agreeing moves a review on, less
    sends it back to the survey. Refused votes are keyed "votes.<review id>"."""

    commune = _commune_field()
    village = _village_field()
    held_on = serializers.DateField()
    attendees = serializers.IntegerField(min_value=1)
    chaired_by = serializers.CharField(max_length=120)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    votes = VoteInputSerializer(many=True, allow_empty=False)

    def validate_votes(self, votes: list[dict]) -> dict[int, int]:
        by_review: dict[int, int] = {}
        for vote in votes:
            if vote["review"] in by_review:
                raise serializers.ValidationError(
                    _("Review %(id)d is voted on twice.") % {"id": vote["review"]}
                )
            by_review[vote["review"]] = vote["agreeing"]
        return by_review


# --- postings ----------------------------------------------------------------------------------


class PostingSerializer(serializers.ModelSerializer):
    """A public posting of a village's (or the commune's) agreed results."""

    commune_name = serializers.CharField(source="commune.name", read_only=True)
    village_name = serializers.CharField(
        source="village.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Posting
        fields = [
            "id",
            "campaign",
            "commune",
            "commune_name",
            "village",
            "village_name",
            "posted_from",
            "posted_to",
            "place",
            "reviews",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class PostingCreateSerializer(serializers.Serializer):
    """Step 4: post every result of the village (or, without `village`, of the commune) agreed
    at a village meeting."""

    commune = _commune_field()
    village = _village_field()
    posted_from = serializers.DateField()
    posted_to = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PublicListQuerySerializer(serializers.Serializer):
    commune = serializers.IntegerField(help_text=_("The commune whose list to post."))
    village = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("Only this village.")
    )


class PublicListEntrySerializer(serializers.Serializer):
    """One line of the list posted in public: no ID numbers, no income, nothing else private."""

    household_code = serializers.CharField(source="household.code")
    head_name = serializers.CharField(source="household.head_name")
    village_name = serializers.CharField(
        source="household.village.name", default=None, allow_null=True
    )
    address = serializers.CharField(source="household.address")
    list_year = serializers.IntegerField()
    proposed_classification = EnumField(Classification, source="recognised_classification")
    status = EnumField(ReviewStatus)


# --- objections --------------------------------------------------------------------------------


class ObjectionSerializer(serializers.ModelSerializer):
    """An objection against a posted result and, once re-checked, its outcome."""

    household_code = serializers.CharField(source="review.household.code", read_only=True)
    kind = EnumField(ObjectionKind, read_only=True)
    outcome = EnumField(ObjectionOutcome, read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "review",
            "household_code",
            "kind",
            "author",
            "received_on",
            "content",
            "outcome",
            "resolution",
            "resolved_on",
            "recorded_by",
            "resolved_by",
        ]
        read_only_fields = fields


class ObjectionCreateSerializer(serializers.Serializer):
    """Step 5: an objection (khiếu nại, kiến nghị) against a posted result."""

    review = ReviewField()
    kind = EnumField(ObjectionKind)
    author = serializers.CharField(max_length=120)
    received_on = serializers.DateField()
    content = serializers.CharField()


class ObjectionResolveSerializer(serializers.Serializer):
    """The re-check (phúc tra): upheld sends the household back to the survey."""

    outcome = EnumField(ObjectionOutcome)
    resolution = serializers.CharField(allow_blank=True)
    resolved_on = serializers.DateField(
        required=False, help_text=_("The day of the re-check; today if left out.")
    )


# --- recognition -------------------------------------------------------------------------------


class QueueEntrySerializer(serializers.ModelSerializer):
    """A posted result awaiting the chair: recognise it, return it, or (monthly) refuse it."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    commune = serializers.IntegerField(source="household.commune_id", read_only=True)
    commune_name = serializers.CharField(source="household.commune.name", read_only=True)
    village_name = serializers.CharField(
        source="household.village.name", read_only=True, default=None, allow_null=True
    )
    kind = EnumField(ReviewKind, read_only=True)
    computed_classification = EnumField(Classification, read_only=True)
    recognised_classification = EnumField(Classification, read_only=True)
    open_objections = serializers.IntegerField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "household",
            "household_code",
            "head_name",
            "commune",
            "commune_name",
            "village_name",
            "list_year",
            "kind",
            "computed_classification",
            "recognised_classification",
            "is_overridden",
            "reviewer",
            "open_objections",
        ]
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    """The certificate of a poor or near-poor household (Số …/GCN-HN.HCN)."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    classification = EnumField(Classification, read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "household",
            "household_code",
            "review",
            "decision",
            "classification",
            "valid_from",
            "valid_to",
            "revoked_on",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    """The commune chair's decision, the reviews it recognised and the certificates it issued."""

    commune_name = serializers.CharField(source="commune.name", read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta:
        model = RecognitionDecision
        fields = [
            "id",
            "commune",
            "commune_name",
            "campaign",
            "list_year",
            "number",
            "signed_on",
            "signed_by",
            "reviews",
            "certificates",
            "created_at",
        ]
        read_only_fields = fields


class DecisionCreateSerializer(serializers.Serializer):
    """Step 6: the chair recognises posted results. Refused reviews are keyed
    "reviews.<review id>" (e.g. one the chair recorded, or one with an open objection)."""

    commune = _commune_field()
    number = serializers.CharField(max_length=40)
    signed_on = serializers.DateField()
    reviews = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class ReturnSerializer(serializers.Serializer):
    """Send a review back one step, saying what must be corrected."""

    comment = serializers.CharField(allow_blank=True)


class RefuseSerializer(serializers.Serializer):
    """Refuse a posted monthly review, with the reasons sent to the household in writing."""

    reason = serializers.CharField(allow_blank=True)


class ReviewStepSerializer(serializers.ModelSerializer):
    """One move of a review: who, when, from which step to which, and why."""

    actor_name = serializers.CharField(source="actor.get_username", read_only=True)
    from_status = serializers.SerializerMethodField()
    to_status = EnumField(ReviewStatus, read_only=True)

    class Meta:
        model = ReviewStep
        fields = ["id", "move", "from_status", "to_status", "actor", "actor_name", "at", "comment"]
        read_only_fields = fields

    @extend_schema_field(EnumField(ReviewStatus, allow_null=True))
    def get_from_status(self, step: ReviewStep) -> str | None:
        return step.from_status or None  # the first step comes from nowhere


# --- monthly requests --------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    """A household's request (Form 01/04); a monthly one has its cycle and its deadline."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    kind = EnumField(RequestKind, read_only=True)
    channel = EnumField(RequestChannel, read_only=True)
    form_number = EnumField(RequestForm, read_only=True)
    review_status = EnumField(
        ReviewStatus, source="review.status", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ReviewRequest
        fields = [
            "id",
            "household",
            "household_code",
            "kind",
            "channel",
            "form_number",
            "requested_on",
            "monthly",
            "cycle_start",
            "deadline",
            "review",
            "review_status",
            "note",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class RequestCreateSerializer(serializers.Serializer):
    """A request received from a household. A monthly one is listed at once for the cycle that
    starts on the next 15th and must be decided within 15 days (Decision 24/2021 art. 3, 5); a
    periodic one waits for the campaign to list the commune."""

    household = HouseholdField(error_messages={"does_not_exist": HOUSEHOLD_NOT_FOUND})
    kind = EnumField(RequestKind)
    channel = EnumField(RequestChannel)
    form_number = EnumField(RequestForm)
    requested_on = serializers.DateField()
    monthly = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- transitions between lists -----------------------------------------------------------------


class StatusChangeSerializer(serializers.ModelSerializer):
    """A household's move between two consecutive recognised lists."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    kind = EnumField(TransitionKind, read_only=True)
    previous_classification = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "household",
            "household_code",
            "head_name",
            "list_year",
            "kind",
            "previous_classification",
            "classification",
            "effective_on",
            "decision",
            "decision_number",
        ]
        read_only_fields = fields

    @extend_schema_field(EnumField(Classification, allow_null=True))
    def get_previous_classification(self, change: StatusChange) -> str | None:
        return change.previous_classification or None  # not on a list before

    @extend_schema_field(EnumField(Classification, allow_null=True))
    def get_classification(self, change: StatusChange) -> str | None:
        return change.classification or None  # left the lists
