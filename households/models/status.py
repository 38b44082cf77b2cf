"""The status in force of a household for one list year (`HouseholdYear`): the one record that
says whether a household is poor in year Y; and its segments within the year (`StatusPeriod`):
the status in force on any given day. Support eligibility and rollups read them;
`households.household_year` keeps both current from the raw records (reviews, decisions,
members, moves)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import AreaType
from registry.models import AdminUnit

from ..choices import Classification, ReviewKind, StatusEnd
from ..querysets import HouseholdYearQuerySet, StatusPeriodQuerySet
from .household import Household, Review
from .imports import ImportedHistory


class HouseholdYear(models.Model):
    """What is in force for one household in one list year: the class last recognised for that
    year (by the periodic review or a later monthly one), with the review and decision behind it.

    `persons` and `is_ethnic_minority` are those of the current members when the status was
    recognised, kept up to date on member changes while the list year lasts; a household is
    ethnic-minority when its head is (as in the GSO's household surveys). `valid_from`-`valid_to`
    is the period it held: from the decision (never before 1 January of the list year) to the
    end of the list year, or the day before the household moved out (`end_reason`); a row whose
    `valid_to` falls before `valid_from` never took effect. Earlier states of the same year (a
    status replaced by a later monthly recognition) are in the history.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="years", verbose_name=_("household")
    )
    list_year = models.PositiveSmallIntegerField(_("list year"))
    classification = models.CharField(
        _("recognised classification"), max_length=16, choices=Classification.choices
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review"),
    )
    decision = models.ForeignKey(
        "RecognitionDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recognition decision"),
    )
    review_kind = models.CharField(_("set by"), max_length=10, choices=ReviewKind.choices)
    # A refused monthly request leaves the status as it was: the latest one is noted here.
    considered_review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest request refused"),
    )
    persons = models.PositiveSmallIntegerField(_("persons"))
    is_ethnic_minority = models.BooleanField(_("ethnic-minority household"))
    head_ethnicity = models.CharField(_("ethnicity of the head"), max_length=2, blank=True)
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=80)
    area_type = models.CharField(_("area type"), max_length=5, choices=AreaType.choices)
    standard_code = models.CharField(_("standard"), max_length=20)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"))
    end_reason = models.CharField(
        _("ended early because"), max_length=10, choices=StatusEnd.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ImportedHistory])
    objects = HouseholdYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("household status of a list year")
        verbose_name_plural = _("household statuses by list year")
        ordering = ["household", "-list_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "list_year"], name="households_householdyear_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(classification__in=Classification.values),
                name="households_householdyear_classification",
            ),
            models.CheckConstraint(
                condition=Q(review_kind__in=ReviewKind.values),
                name="households_householdyear_review_kind",
            ),
            models.CheckConstraint(
                condition=Q(area_type__in=AreaType.values),
                name="households_householdyear_area_type",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(end_reason__in=StatusEnd.values),
                name="households_householdyear_end_reason",
            ),
            # A period runs forward, unless it was cut short (moved out before it began).
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")) | ~Q(end_reason=""),
                name="households_householdyear_period_ordered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit_path"], name="hy_unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["list_year", "classification"], name="hy_year_class"),
            models.Index(fields=["province", "list_year"], name="hy_province_year"),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.list_year} · {self.get_classification_display()}"

    @property
    def ended_early(self) -> bool:
        return bool(self.end_reason)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether this status held on `day` (for a day before a same-year replacement, read the
        history)."""
        return self.valid_from <= day <= self.valid_to


class StatusPeriod(models.Model):
    """One segment of a list year during which one recognised status held: the answer to "what
    was this household on day D" (support eligibility: a disbursement for a date, an entitlement
    from when to when).

    Derived with `HouseholdYear` from the same recognitions, never typed: each recognised review
    of the year holds from its `valid_from` until the day before a later recognition takes over,
    or to its own period end (31 December, or the day before a move out: `end_reason`). A
    recognition replaced before it took effect leaves no segment. The last segment of a year is
    the year's `HouseholdYear` (same class, review, dates and end), kept even when it never took
    effect (moved out before it began: `valid_to` before `valid_from`, as on that row).
    `valid_to` is inclusive. No history: the `HouseholdYear` history is the record.
    """

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="status_periods",
        verbose_name=_("household"),
    )
    list_year = models.PositiveSmallIntegerField(_("list year"))
    classification = models.CharField(
        _("recognised classification"), max_length=16, choices=Classification.choices
    )
    # Never empty when derived; nullable like HouseholdYear.review for rows loaded in bulk.
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("review"),
    )
    decision = models.ForeignKey(
        "RecognitionDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recognition decision"),
    )
    review_kind = models.CharField(_("set by"), max_length=10, choices=ReviewKind.choices)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"))
    end_reason = models.CharField(
        _("ended early because"), max_length=10, choices=StatusEnd.choices, blank=True
    )
    is_ethnic_minority = models.BooleanField(_("ethnic-minority household"))
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=80)
    standard_code = models.CharField(_("standard"), max_length=20)

    objects = StatusPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("status period")
        verbose_name_plural = _("status periods")
        ordering = ["household", "valid_from"]
        constraints = [
            # Also the index of a household's periods in order (no second one needed).
            models.UniqueConstraint(
                fields=["household", "valid_from"], name="households_statusperiod_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(classification__in=Classification.values),
                name="households_statusperiod_classification",
            ),
            models.CheckConstraint(
                condition=Q(review_kind__in=ReviewKind.values),
                name="households_statusperiod_review_kind",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(end_reason__in=StatusEnd.values),
                name="households_statusperiod_end_reason",
            ),
            # A segment runs forward, unless it was cut short (moved out before it began).
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")) | ~Q(end_reason=""),
                name="households_statusperiod_period_ordered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit_path"], name="sp_unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["commune", "list_year"], name="sp_commune_year"),
            models.Index(fields=["list_year", "classification"], name="sp_year_class"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.household_id} · {self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y} · "
            f"{self.get_classification_display()}"
        )

    @property
    def took_effect(self) -> bool:
        """False for a year's last period cut off by a move out before it began."""
        return self.valid_from <= self.valid_to

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to
