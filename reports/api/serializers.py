"""The KPI API's shapes: one unit and year, a table of units, a series; and the open data's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.api.fields import DateField
from registry.choices import Level, Scheme

from .. import kpis
from ..models import STATUS_COUNTERS, StatusSummary, SupportSummary, TargetKind, TargetMeasure
from ..selectors import ENTERED, REGISTRY

RATE_LABELS = {
    "poor_rate": _("Poverty rate: poor households per 100 households"),
    "near_poor_rate": _("Near-poor households per 100 households"),
    "middle_rate": _("Middle-income households per 100 households"),
    "multidimensional_rate": _(
        "Multidimensional rate: poor and near-poor households per 100 households (not the "
        "poverty rate)"
    ),
    "minority_poor_rate": _("Poor households per 100 ethnic-minority households"),
    "minority_near_poor_rate": _("Near-poor households per 100 ethnic-minority households"),
    "minority_multidimensional_rate": _(
        "Poor and near-poor households per 100 ethnic-minority households"
    ),
}


def _rate(**kwargs) -> serializers.DecimalField:
    """A rate: a string with 2 decimals ("42.86"), null when its denominator is 0."""
    return serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, **kwargs)


def _count(help_text) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    scheme = serializers.ChoiceField(choices=Scheme.choices)


KpiCountsSerializer = type(
    "KpiCountsSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "The unit's counts (null: not known, such as moves without a previous list).",
        **{
            name: _count(StatusSummary._meta.get_field(name).verbose_name)
            for name in STATUS_COUNTERS
        },
    },
)
KpiRatesSerializer = type(
    "KpiRatesSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "100 × numerator / denominator, half up to 2 decimals; null for an empty "
        "denominator.",
        **{name: _rate(help_text=RATE_LABELS[name]) for name in kpis.RATES},
    },
)


class DenominatorSerializer(serializers.Serializer):
    value = serializers.IntegerField(source="denominator", allow_null=True)
    source = serializers.ChoiceField(
        source="denominator_source",
        choices=[
            (REGISTRY, _("the registry's households in the unit")),
            (ENTERED, _("the unit's entered total of resident households")),
        ],
    )


def _support(name: str):
    return SupportSummary._meta.get_field(name).verbose_name


class ProgrammeKpiSerializer(serializers.Serializer):
    programme = serializers.CharField(source="programme.code")
    name_vi = serializers.CharField(source="programme.name_vi")
    name_en = serializers.CharField(source="programme.name_en")
    variant = serializers.CharField(help_text=_('"" for the whole programme.'))
    households = _count(_support("households"))
    persons = _count(_support("persons"))
    payments = _count(_support("payments"))
    quantity = _count(_support("quantity"))
    amount = _count(_support("amount"))
    poor_households = _count(_support("poor_households"))
    poor_persons = _count(_support("poor_persons"))
    allocated_quantity = serializers.IntegerField(allow_null=True)
    allocated_beneficiaries = serializers.IntegerField(allow_null=True)
    allocated_amount = serializers.IntegerField(allow_null=True)
    budget_used = _rate(help_text=_("amount per 100 VND allocated"))
    target_reached = _rate(help_text=_("beneficiaries per 100 allocated"))


class TargetProgressSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(source="target.measure", choices=TargetMeasure.choices)
    kind = serializers.ChoiceField(source="target.kind", choices=TargetKind.choices)
    value = serializers.DecimalField(source="target.value", max_digits=5, decimal_places=2)
    from_year = serializers.IntegerField(source="target.from_year")
    to_year = serializers.IntegerField(source="target.to_year")
    basis = serializers.CharField(source="target.basis")
    expected = _rate(source="progress.expected")
    actual = _rate(
        source="progress.actual",
        help_text=_("The rate (below-by), or its fall in points since last year (reduction)."),
    )
    met = serializers.BooleanField(source="progress.met", allow_null=True)


class _FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    computed_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When the summaries these figures come from were last brought up to date."),
    )
    denominator = DenominatorSerializer(source="*")
    counts = KpiCountsSerializer()
    rates = KpiRatesSerializer()


class PreviousYearSerializer(_FiguresSerializer):
    """Last year's figures, for the change."""


class KpiSerializer(_FiguresSerializer):
    """The KPIs of one unit and year (or as of one day)."""

    unit = UnitRefSerializer()
    as_of = DateField(allow_null=True)
    shared = serializers.BooleanField(
        help_text=_("The counts include old communes split with units outside this one.")
    )
    has_transitions = serializers.BooleanField(
        help_text=_("The previous list is in the registry, so the moves against it are known.")
    )
    deprivations = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text=_("Poor households deprived in each indicator, by its code."),
    )
    support = ProgrammeKpiSerializer(many=True)
    targets = TargetProgressSerializer(many=True)
    previous = PreviousYearSerializer(allow_null=True)

    field_order = (
        "unit", "year", "as_of", "computed_at", "shared", "has_transitions", "denominator",
        "counts", "rates", "deprivations", "support", "targets", "previous",
    )  # fmt: skip

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {name: data[name] for name in self.field_order}


class KpiTableSerializer(serializers.Serializer):
    """The KPIs of the units listed under one unit."""

    unit = UnitRefSerializer()
    year = serializers.IntegerField()
    as_of = DateField(allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices, allow_null=True)
    scheme = serializers.ChoiceField(choices=Scheme.choices)
    count = serializers.IntegerField()
    results = KpiSerializer(many=True)


class KpiSeriesSerializer(serializers.Serializer):
    """The unit's KPIs year by year, oldest first (support, deprivations and targets are per
    year: ask for the year)."""

    unit = UnitRefSerializer()
    from_year = serializers.IntegerField(allow_null=True)
    to_year = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    results = KpiSerializer(many=True)


class OpenKpiSerializer(KpiSerializer):
    """The published KPIs of one unit and year: a count is null when suppressed (under 5, or
    suppressed so that no small count can be worked out from the others), and so is every rate
    computed from a suppressed count."""

    previous = None
    field_order = tuple(n for n in KpiSerializer.field_order if n != "previous")


class OpenKpiTableSerializer(KpiTableSerializer):
    """The published KPIs of every commune of a province."""

    results = OpenKpiSerializer(many=True)
