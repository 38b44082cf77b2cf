"""The status in force of a household for one list year: the one record that says whether a
household is poor in year Y. Support eligibility and rollups read it; `households.household_year`
keeps it current from the raw records (reviews, decisions, members, moves)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import AreaType
from registry.models import AdminUnit

from ..choices import Classification, ReviewKind, StatusEnd
from ..querysets import HouseholdYearQuerySet
from .household import Household, Review


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

    history = HistoricalRecords(excluded_fields=["updated_at"])
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
