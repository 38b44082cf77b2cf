"""Serializers of the priority-list API: the lists, their entries, and the small inputs of
each action (the rules are the services')."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.api.serializers import (
    COMMUNE_NOT_FOUND,
    HOUSEHOLD_NOT_FOUND,
    HouseholdField,
    UnitField,
)
from registry.api.fields import CountField, DateField, YearField
from registry.choices import Level

from ..models import PriorityEntry, PriorityList, Programme

PROGRAMME_NOT_FOUND = _("There is no programme with id {pk_value} available to you.")
MAX_REASON = 2000


@extend_schema_field(OpenApiTypes.INT)
class ProgrammeField(serializers.PrimaryKeyRelatedField):
    """The id of a programme available to the user; any other id is "not found"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": PROGRAMME_NOT_FOUND})
        super().__init__(queryset=Programme.objects.none(), **kwargs)

    def get_queryset(self):
        return Programme.objects.available_to(self.context["request"].user)


class PriorityEntrySerializer(serializers.ModelSerializer):
    """A household's place on a list: who it is, its status in force today (null: none), whether
    the programme already served it in the list's year, and why it has its place."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    village = serializers.CharField(
        source="household.village.name", read_only=True, allow_null=True, default=None
    )
    status_in_force = serializers.CharField(read_only=True, allow_null=True)
    served = serializers.BooleanField(read_only=True)

    class Meta:
        model = PriorityEntry
        fields = [
            "id",
            "priority_list",
            "rank",
            "household",
            "household_code",
            "head_name",
            "village",
            "status_in_force",
            "served",
            "reason",
            "withdrawn",
            "withdrawn_reason",
            "withdrawn_at",
        ]
        read_only_fields = fields


class PriorityListSerializer(serializers.ModelSerializer):
    """A commune's priority list of a programme for a year, and the meeting that adopted it."""

    programme_code = serializers.CharField(source="programme.code", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    proposed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PriorityList
        fields = [
            "id",
            "programme",
            "programme_code",
            "programme_name",
            "year",
            "commune",
            "commune_name",
            "status",
            "proposed_count",
            "meeting_on",
            "attendees",
            "agreed",
            "minutes",
            "decided_by",
            "decided_at",
            "reopen_reason",
            "reopened_by",
            "reopened_at",
            "created_at",
        ]
        read_only_fields = fields


class PriorityListDetailSerializer(PriorityListSerializer):
    """A list with its entries in order: proposed households first, then withdrawn ones."""

    entries = PriorityEntrySerializer(source="entry_rows", many=True, read_only=True)

    class Meta(PriorityListSerializer.Meta):
        fields = [*PriorityListSerializer.Meta.fields, "entries"]
        read_only_fields = fields


class PriorityListCreateSerializer(serializers.Serializer):
    programme = ProgrammeField()
    year = YearField()
    commune = UnitField(level=Level.COMMUNE, error_messages={"does_not_exist": COMMUNE_NOT_FOUND})


class PriorityEntryCreateSerializer(serializers.Serializer):
    """A household of the list's commune, eligible today or in the list's year, and why."""

    household = HouseholdField(error_messages={"does_not_exist": HOUSEHOLD_NOT_FOUND})
    reason = serializers.CharField(max_length=MAX_REASON, allow_blank=True)


class PriorityDecideSerializer(serializers.Serializer):
    """The village meeting: adopted when more than half of those attending agree."""

    meeting_on = DateField()
    attendees = CountField()
    agreed = CountField()
    minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON, allow_blank=True)


class MoveSerializer(serializers.Serializer):
    rank = CountField(help_text=_("The new place, from 1 to the number of households proposed."))
