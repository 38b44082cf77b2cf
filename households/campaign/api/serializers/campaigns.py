"""Campaigns and their progress."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from households.api.serializers import UnitField
from households.campaign.api.serializers._common import (
    PROVINCE_NOT_FOUND,
    AreaUnitField,
    _commune_field,
)
from households.campaign.selectors import days_left
from households.models import (
    Campaign,
    CampaignExtension,
    ListClosure,
)
from registry.api.fields import DateField, YearField
from registry.choices import Level

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
    list_year = YearField()
    opens_on = DateField(required=False, allow_null=True, default=None)
    closes_on = DateField(required=False, allow_null=True, default=None)
    standard_code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )


class CampaignExtendSerializer(serializers.Serializer):
    """The province extends its review past the closing date: until when, and why."""

    closes_on = DateField(help_text=_("The new closing date, after the current one."))
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class CampaignExtensionSerializer(serializers.ModelSerializer):
    """One extension of a campaign's review period: from which closing date to which, by whom,
    when and why."""

    extended_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CampaignExtension
        fields = [
            "id",
            "campaign",
            "previous_closes_on",
            "closes_on",
            "reason",
            "extended_by",
            "extended_by_name",
            "extended_at",
        ]
        read_only_fields = fields

    def get_extended_by_name(self, extension: CampaignExtension) -> str:
        user = extension.extended_by
        return user.get_full_name() or user.username


class StepCountsSerializer(serializers.Serializer):
    """How many reviews reached each step (a later step counts for the earlier), and the share
    recognised: the counts a commune's row and the totals share."""

    listed = serializers.IntegerField()
    surveyed = serializers.IntegerField()
    discussed = serializers.IntegerField()
    posted = serializers.IntegerField()
    recognised = serializers.IntegerField()
    percent_recognised = serializers.IntegerField()


class CommuneProgressSerializer(StepCountsSerializer):
    """How many of a commune's reviews reached each step (a later step counts for the earlier)."""

    commune = serializers.IntegerField(source="commune.pk")
    commune_code = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    closed = serializers.BooleanField()


class ProgressTotalsSerializer(StepCountsSerializer):
    """The sums over the rows (households.campaign.selectors.progress_totals), as the page shows."""

    communes = serializers.IntegerField()
    communes_started = serializers.IntegerField(
        help_text=_("Communes with at least one household listed.")
    )
    communes_closed = serializers.IntegerField()


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
