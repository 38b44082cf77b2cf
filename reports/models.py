"""The summaries that keep rollups fast, and the figures a unit enters for its reports.

Summaries are counters keyed by (commune, year[, programme, variant | indicator]). They are never
typed: `reports.summaries` keeps them equal to what the raw records give (households' status rows,
their reviews, disbursements), in the same transaction as the services that change those records,
and `manage.py rebuild_summaries` rebuilds them from scratch. A unit above the commune is the sum
of its communes' rows, so a parent's counts always equal the sum of its children's.

Entered figures (the resident-household total used as denominator, report rows the registry
cannot compute, the province's targets) keep their history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models.imports import ImportedHistory
from registry.models import AdminUnit

_USER = settings.AUTH_USER_MODEL

# The counters of a (commune, year) status summary: households and persons of the list in force
# at the end of the year, by class and for ethnic-minority households (by the head), and the
# households' moves against the previous year's list.
STATUS_COUNTERS = (
    "households",
    "persons",
    "poor_households",
    "poor_persons",
    "near_poor_households",
    "near_poor_persons",
    "middle_households",
    "middle_persons",
    "minority_households",
    "minority_persons",
    "minority_poor_households",
    "minority_poor_persons",
    "minority_near_poor_households",
    "minority_near_poor_persons",
    "escaped_poverty",
    "escaped_near_poverty",
    "newly_poor",
    "newly_near_poor",
    "poor_to_near_poor",
    "near_poor_to_poor",
    "relapsed",
)
SUPPORT_COUNTERS = (
    "households",
    "persons",
    "payments",
    "quantity",
    "amount",
    "poor_households",
    "poor_persons",
)


class _Cell(models.Model):
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    unit_path = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    updated_at = models.DateTimeField(_("computed at"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.unit_path} · {self.year}"


class StatusSummary(_Cell):
    """Households and persons of one commune's list in force at the end of one list year."""

    households = models.BigIntegerField(_("households"), default=0)
    persons = models.BigIntegerField(_("persons"), default=0)
    poor_households = models.BigIntegerField(_("poor households"), default=0)
    poor_persons = models.BigIntegerField(_("persons of poor households"), default=0)
    near_poor_households = models.BigIntegerField(_("near-poor households"), default=0)
    near_poor_persons = models.BigIntegerField(_("persons of near-poor households"), default=0)
    middle_households = models.BigIntegerField(_("middle-income households"), default=0)
    middle_persons = models.BigIntegerField(_("persons of middle-income households"), default=0)
    minority_households = models.BigIntegerField(_("ethnic-minority households"), default=0)
    minority_persons = models.BigIntegerField(_("persons of ethnic-minority households"), default=0)
    minority_poor_households = models.BigIntegerField(
        _("poor ethnic-minority households"), default=0
    )
    minority_poor_persons = models.BigIntegerField(
        _("persons of poor ethnic-minority households"), default=0
    )
    minority_near_poor_households = models.BigIntegerField(
        _("near-poor ethnic-minority households"), default=0
    )
    minority_near_poor_persons = models.BigIntegerField(
        _("persons of near-poor ethnic-minority households"), default=0
    )
    escaped_poverty = models.BigIntegerField(_("escaped poverty"), default=0)
    escaped_near_poverty = models.BigIntegerField(_("escaped near-poverty"), default=0)
    newly_poor = models.BigIntegerField(_("newly poor"), default=0)
    newly_near_poor = models.BigIntegerField(_("newly near-poor"), default=0)
    poor_to_near_poor = models.BigIntegerField(_("poor to near-poor"), default=0)
    near_poor_to_poor = models.BigIntegerField(_("near-poor to poor"), default=0)
    relapsed = models.BigIntegerField(_("relapsed into poverty"), default=0)

    class Meta:
        verbose_name = _("status summary")
        verbose_name_plural = _("status summaries")
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="reports_status_cell"),
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "year"],
                name="rs_status_path_year",
                opclasses=["varchar_pattern_ops", "int2_ops"],
            ),
        ]


class DeprivationSummary(_Cell):
    """Poor households of one commune and list year deprived in one indicator."""

    indicator = models.CharField(_("indicator"), max_length=40)
    households = models.BigIntegerField(_("poor households deprived"), default=0)

    class Meta:
        verbose_name = _("deprivation summary")
        verbose_name_plural = _("deprivation summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "indicator"], name="reports_deprivation_cell"
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "year"],
                name="rs_depr_path_year",
                opclasses=["varchar_pattern_ops", "int2_ops"],
            ),
        ]


class SupportSummary(_Cell):
    """What one programme delivered in one commune and plan year, for one variant ("" for the
    whole programme): distinct beneficiary households (and persons, for per-person programmes),
    payments not reversed, quantity and amount net of reversals."""

    programme = models.ForeignKey(
        "policies.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
    )
    variant = models.CharField(_("variant"), max_length=20, blank=True)
    households = models.BigIntegerField(_("beneficiary households"), default=0)
    persons = models.BigIntegerField(_("beneficiary persons"), default=0)
    payments = models.BigIntegerField(_("payments"), default=0)
    quantity = models.BigIntegerField(_("quantity"), default=0)
    amount = models.BigIntegerField(_("amount (VND)"), default=0)
    poor_households = models.BigIntegerField(_("poor beneficiary households"), default=0)
    poor_persons = models.BigIntegerField(_("beneficiary persons of poor households"), default=0)

    class Meta:
        verbose_name = _("support summary")
        verbose_name_plural = _("support summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "programme", "variant"], name="reports_support_cell"
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "year"],
                name="rs_support_path_year",
                opclasses=["varchar_pattern_ops", "int2_ops"],
            ),
        ]


class ResidentCount(models.Model):
    """The unit's total of resident households for a year, entered or imported: the legal
    denominator of its rates when not every household is in the registry."""

    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    households = models.PositiveIntegerField(_("resident households"))
    persons = models.PositiveIntegerField(_("resident persons"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    entered_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["entered_at"], bases=[ImportedHistory])

    class Meta:
        verbose_name = _("resident household count")
        verbose_name_plural = _("resident household counts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="reports_resident_count_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year} · {self.households}"


class ReportEntry(models.Model):
    """A row of the yearly report the registry cannot compute from its households (for example
    health-insurance cards issued to social-assistance beneficiaries who are not in it), entered
    per unit and year and shown as entered."""

    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    row = models.CharField(_("report row"), max_length=40)
    value = models.BigIntegerField(_("value"))
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["entered_at"])

    class Meta:
        verbose_name = _("entered report row")
        verbose_name_plural = _("entered report rows")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "row"], name="reports_entry_row"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year} · {self.row}"


class TargetMeasure(models.TextChoices):
    POOR_RATE = "poor_rate", _("Poverty rate")
    MULTIDIMENSIONAL_RATE = "multidimensional_rate", _("Multidimensional rate (poor + near-poor)")
    MINORITY_POOR_RATE = "minority_poor_rate", _("Poverty rate of ethnic-minority households")


class TargetKind(models.TextChoices):
    BELOW_BY = "below_by", _("Below a rate by a year")
    YEARLY_REDUCTION = "yearly_reduction", _("Reduced by points each year")


class PovertyTarget(models.Model):
    """A target a province (or district) sets: a rate below `value` % by `to_year`, or reduced by
    `value` points a year from `from_year` to `to_year`."""

    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    measure = models.CharField(_("measure"), max_length=24, choices=TargetMeasure.choices)
    kind = models.CharField(_("kind of target"), max_length=20, choices=TargetKind.choices)
    value = models.DecimalField(_("value (%, or points a year)"), max_digits=5, decimal_places=2)
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("by year"))
    basis = models.CharField(_("resolution or plan"), max_length=200)
    entered_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["entered_at"])

    class Meta:
        verbose_name = _("poverty-reduction target")
        verbose_name_plural = _("poverty-reduction targets")
        ordering = ["unit", "measure", "from_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_year__gte=models.F("from_year")), name="reports_target_years"
            ),
            models.CheckConstraint(
                condition=Q(measure__in=TargetMeasure.values), name="reports_target_measure"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TargetKind.values), name="reports_target_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_measure_display()} · {self.from_year}-{self.to_year}"
