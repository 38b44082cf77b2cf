"""Village meetings, public postings and objections."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from households.api.serializers import EnumField
from households.campaign.api.serializers._common import (
    CampaignField,
    ReviewField,
    _commune_field,
    _village_field,
)
from households.campaign.choices import (
    ObjectionKind,
    ObjectionOutcome,
)
from households.campaign.selectors import POSTING_GROUPS
from households.choices import (
    Classification,
    ReviewStatus,
)
from households.models import (
    DistrictConsultation,
    MeetingVote,
    Objection,
    Posting,
    VillageMeeting,
)
from registry.api.fields import CountField, DateField, IdField

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
    review = IdField(help_text=_("A surveyed review of the commune."))
    agreeing = CountField()


class MeetingCreateSerializer(serializers.Serializer):
    """A village meeting (Step 3). 50% or more of the attendees agreeing moves a review on, less
    sends it back to the survey. Refused votes are keyed "votes.<review id>"."""

    commune = _commune_field()
    village = _village_field()
    held_on = DateField()
    attendees = CountField(min_value=1)
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
    posted_from = DateField()
    posted_to = DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PostingMinimumSerializer(serializers.Serializer):
    """The minimum length of a public posting in force today (Decision 24/2021/QĐ-TTg art. 4.4)."""

    days = serializers.IntegerField(
        source="value", help_text=_("Calendar days, the first and last day counted.")
    )
    unconfirmed = serializers.BooleanField(
        help_text=_("True while the law text was not read and no administrator corrected it.")
    )
    corrected = serializers.BooleanField(help_text=_("True when a national correction applies."))
    source = serializers.CharField()


class PublicListQuerySerializer(serializers.Serializer):
    commune = IdField(help_text=_("The commune whose list to post."))
    village = IdField(
        required=False, allow_null=True, default=None, help_text=_("Only this village.")
    )


class PublicListEntrySerializer(serializers.Serializer):
    """One line of the list posted in public: no ID numbers, no income, nothing else private.

    `group` is the part of the list it is posted under: poor, near-poor, escaping poverty or
    escaping near-poverty (a household found neither and not escaping is not posted).
    """

    household_code = serializers.CharField(source="review.household.code")
    head_name = serializers.CharField(source="review.household.head_name")
    village_name = serializers.CharField(
        source="review.household.village.name", default=None, allow_null=True
    )
    address = serializers.CharField(source="review.household.address")
    list_year = serializers.IntegerField(source="review.list_year")
    proposed_classification = EnumField(Classification, source="review.recognised_classification")
    group = serializers.ChoiceField(choices=POSTING_GROUPS, source="result")
    status = EnumField(ReviewStatus, source="review.status")


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
    received_on = DateField()
    content = serializers.CharField()


class ObjectionResolveSerializer(serializers.Serializer):
    """The re-check (phúc tra): upheld sends the household back to the survey."""

    outcome = EnumField(ObjectionOutcome)
    resolution = serializers.CharField(allow_blank=True)
    resolved_on = DateField(
        required=False, help_text=_("The day of the re-check; today if left out.")
    )


# --- district consultation (three-level scheme) -------------------------------------------------


class ConsultationSerializer(serializers.ModelSerializer):
    """The commune's report to and consultation of the district chairman before recognition
    (Decision 24/2021/QĐ-TTg art. 4 step 5; three-level scheme only)."""

    commune_name = serializers.CharField(source="commune.name", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = DistrictConsultation
        fields = [
            "id",
            "campaign",
            "commune",
            "commune_name",
            "district",
            "district_name",
            "consulted_on",
            "comment",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class ConsultationCreateSerializer(serializers.Serializer):
    """District staff record the district's opinion on a commune's posted results."""

    campaign = CampaignField(help_text=_("A campaign of the three-level scheme."))
    commune = _commune_field()
    consulted_on = DateField()
    comment = serializers.CharField(allow_blank=True, max_length=2000)
