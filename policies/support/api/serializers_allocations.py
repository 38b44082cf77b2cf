"""Serializers of programmes, parameters, allocations and plan against actual."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.campaign.api.serializers._common import AreaUnitField
from registry.api.fields import AmountField, CountField, DateField, YearField
from registry.choices import Level

from ..models import Allocation, AllocationOverride, Programme, ProgrammeParameter
from ..selectors.allocations import programme_list
from ..services.allocations import PROGRAMME_FIELDS

PROGRAMME_NOT_FOUND = _("There is no programme with id {pk_value} for your area.")
PLAN_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


@extend_schema_field(OpenApiTypes.INT)
class ProgrammeField(serializers.PrimaryKeyRelatedField):
    """The id of a programme the user sees (national, or local to their province)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": PROGRAMME_NOT_FOUND})
        super().__init__(queryset=Programme.objects.none(), **kwargs)

    def get_queryset(self):
        return programme_list(user=self.context["request"].user)


# --- programmes ---------------------------------------------------------------------------------


class ParameterSerializer(serializers.ModelSerializer):
    """A dated number of a programme; `confirmed` is false where the research still marks it
    unconfirmed."""

    class Meta:
        model = ProgrammeParameter
        fields = [
            "id",
            "key",
            "variant",
            "value",
            "unit",
            "valid_from",
            "valid_to",
            "source",
            "confirmed",
        ]
        read_only_fields = fields


class ProgrammeSerializer(serializers.ModelSerializer):
    """A support programme: legal basis, who is eligible, what it delivers and how it is
    counted, with the parameters in force today."""

    province_name = serializers.CharField(source="province.name", read_only=True, default="")
    is_local = serializers.SerializerMethodField()
    current_parameters = ParameterSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            *PROGRAMME_FIELDS,
            "province",
            "province_name",
            "is_local",
            "current_parameters",
        ]
        read_only_fields = fields

    def get_is_local(self, programme: Programme) -> bool:
        return programme.province_id is not None


class ProgrammeWriteSerializer(serializers.ModelSerializer):
    """A local programme's fields (the service checks them with the model's rules)."""

    funding_sources = serializers.ListField(child=serializers.CharField(max_length=10))

    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        # The service answers a taken code in its own words, as for the pages.
        extra_kwargs = {"code": {"validators": []}}


class ProgrammeCreateSerializer(ProgrammeWriteSerializer):
    """A province's new local programme."""

    province = AreaUnitField(levels=(Level.PROVINCE,))

    class Meta(ProgrammeWriteSerializer.Meta):
        fields = ["province", *PROGRAMME_FIELDS]


class ParameterAddSerializer(serializers.Serializer):
    """A new value of a parameter from a date; the value in force until then ends the day
    before."""

    key = serializers.CharField(max_length=30)
    variant = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    value = AmountField(min_value=0)
    unit = serializers.CharField(max_length=16, default="VND")
    valid_from = DateField()
    source = serializers.CharField(allow_blank=True)
    confirmed = serializers.BooleanField(default=False)


# --- allocations --------------------------------------------------------------------------------


class AllocationSerializer(serializers.ModelSerializer):
    """What a unit receives of a programme in a year, from which allocation, and the last
    change (who, when, why)."""

    programme_code = serializers.CharField(source="programme.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_level = serializers.CharField(source="unit.level", read_only=True)
    changed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Allocation
        fields = [
            "id",
            "programme",
            "programme_code",
            "year",
            "unit",
            "unit_name",
            "unit_level",
            "parent",
            "quantity",
            "beneficiaries",
            "amount",
            "reason",
            "changed_by",
            "changed_by_name",
            "changed_at",
        ]
        read_only_fields = fields

    def get_changed_by_name(self, allocation: Allocation) -> str:
        return _name(allocation.changed_by)


class AllocationValuesSerializer(serializers.Serializer):
    """The targets and budget (each may be left empty), and why they are set or changed."""

    quantity = CountField(required=False, allow_null=True, default=None)
    beneficiaries = CountField(required=False, allow_null=True, default=None)
    amount = AmountField(min_value=0, required=False, allow_null=True, default=None)
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class AllocationCreateSerializer(AllocationValuesSerializer):
    """Set a unit's allocation of a programme for a year (created, or changed if it exists)."""

    programme = ProgrammeField()
    year = YearField()
    unit = AreaUnitField(levels=PLAN_LEVELS)


class AllocationUpdateSerializer(serializers.Serializer):
    """Change an allocation: the values sent replace the current ones; the reason is required."""

    quantity = CountField(required=False, allow_null=True)
    beneficiaries = CountField(required=False, allow_null=True)
    amount = AmountField(min_value=0, required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class AllocationHistorySerializer(serializers.Serializer):
    """One saved state of an allocation: the values, the reason, who saved it and when."""

    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.CharField(help_text=_("+ created, ~ changed"))
    quantity = serializers.IntegerField(allow_null=True)
    beneficiaries = serializers.IntegerField(allow_null=True)
    amount = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    changed_by = serializers.IntegerField(source="history_user_id", allow_null=True)
    changed_by_name = serializers.SerializerMethodField()

    def get_changed_by_name(self, row) -> str:
        return _name(row.history_user)


class OverrideCreateSerializer(serializers.Serializer):
    """Leave for the commune to exceed its allocation by up to these amounts, and why."""

    extra_amount = AmountField(min_value=0, default=0)
    extra_quantity = CountField(default=0)
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class OverrideSerializer(serializers.ModelSerializer):
    class Meta:
        model = AllocationOverride
        fields = [
            "id",
            "allocation",
            "extra_amount",
            "extra_quantity",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


# --- plan against actual ------------------------------------------------------------------------


class PlanQuerySerializer(serializers.Serializer):
    programme = ProgrammeField()
    year = YearField()
    unit = AreaUnitField(
        levels=PLAN_LEVELS, help_text=_("A province, district or commune of your area.")
    )


class SummaryQuerySerializer(serializers.Serializer):
    year = YearField()
    unit = AreaUnitField(
        levels=PLAN_LEVELS, help_text=_("A province, district or commune of your area.")
    )


class _Actual(serializers.Serializer):
    allocation = serializers.IntegerField(source="allocation.pk", allow_null=True, default=None)
    allocated_quantity = serializers.IntegerField(allow_null=True)
    allocated_beneficiaries = serializers.IntegerField(allow_null=True)
    allocated_amount = serializers.IntegerField(allow_null=True)
    beneficiaries = serializers.IntegerField(
        help_text=_(
            "Distinct households paid (persons for a per-person programme; borrowing "
            "households for loans), reversed payments left out."
        )
    )
    poor_beneficiaries = serializers.IntegerField(
        help_text=_("Of the beneficiaries, those of poor households when they were paid.")
    )
    quantity = serializers.IntegerField(help_text=_("Payments minus reversals (loans: loans)."))
    amount = serializers.IntegerField(help_text=_("VND, payments minus reversals."))
    share_used = serializers.IntegerField(
        allow_null=True,
        help_text=_("Percent of the budget used (of the target quantity where no budget)."),
    )


class PlanRowSerializer(_Actual):
    """A unit's allocation and what was delivered in it."""

    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    unit_level = serializers.CharField(source="unit.level")


class PlanTotalsSerializer(_Actual):
    """The sums of the rows of the units below."""

    allocation = None


class PlanSerializer(serializers.Serializer):
    """A programme's plan against actual for a unit: its own row, a row per unit one level
    below, and their totals (null for a commune)."""

    programme = serializers.IntegerField(source="programme.pk")
    year = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit.pk")
    own = PlanRowSerializer()
    rows = PlanRowSerializer(many=True)
    totals = PlanTotalsSerializer(allow_null=True)


class SummaryRowSerializer(_Actual):
    """One programme in a unit and year."""

    programme = serializers.IntegerField(source="programme.pk")
    programme_code = serializers.CharField(source="programme.code")
    programme_name = serializers.CharField(source="programme.name")
