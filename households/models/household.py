"""Households, their members and their yearly reviews, with the history of every change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import AreaType
from registry.models import AdminUnit

from ..choices import (
    Classification,
    Employment,
    HouseholdStatus,
    Qualification,
    Relationship,
    ReviewKind,
    ReviewStatus,
    SchoolStatus,
    Sex,
)
from ..ethnicity import ETHNIC_GROUPS, is_ethnic_minority
from ..querysets import HouseholdQuerySet, MemberQuerySet, ReviewQuerySet
from .imports import ImportedHistory


class Household(models.Model):
    """A household (hộ gia đình) registered in one commune.

    `unit_path` is the path of the village (or the commune), so that everything under any unit
    is one indexed prefix query; `province` is stored for partitioning and rollups.
    """

    code = models.CharField(_("registry code"), max_length=24, unique=True, editable=False)
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    village = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("village"),
    )
    province = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("province"),
    )
    unit_path = models.CharField(_("unit path"), max_length=80, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    area_type = models.CharField(_("area type"), max_length=5, choices=AreaType.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    # Head's name folded for search without diacritics; kept by the services.
    head_name = models.CharField(_("head of household"), max_length=120, blank=True)
    head_name_search = models.CharField(max_length=120, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "head_name_search"], bases=[ImportedHistory]
    )
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        indexes = [
            models.Index(
                fields=["unit_path"], name="hh_unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["commune", "head_name_search"], name="hh_commune_head"),
            models.Index(fields=["province", "status"], name="hh_province_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_type__in=AreaType.values), name="households_household_area_type"
            ),
            models.CheckConstraint(
                condition=Q(status__in=HouseholdStatus.values), name="households_household_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.head_name}"


class Member(models.Model):
    """A person of a household. Members join and leave with dates; rows are never deleted."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    name_search = models.CharField(max_length=120, editable=False, db_index=True)
    relationship = models.CharField(
        _("relationship to the head"), max_length=20, choices=Relationship.choices
    )
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # Asked of every member: no default (a silent Kinh would hide ethnic-minority households).
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNIC_GROUPS)
    # NULL rather than "" when absent, so that the unique constraint allows many absent numbers.
    id_number = models.CharField(
        _("personal ID number"), max_length=12, null=True, blank=True, unique=True
    )
    has_health_insurance = models.BooleanField(_("has a health-insurance card"), default=False)
    health_insurance_valid_to = models.DateField(
        _("health insurance valid until"), null=True, blank=True
    )
    school_status = models.CharField(
        _("schooling"),
        max_length=16,
        choices=SchoolStatus.choices,
        default=SchoolStatus.NOT_APPLICABLE,
    )
    school_level_matches_age = models.BooleanField(
        _("in the class right for their age"), null=True, blank=True
    )
    qualification = models.CharField(
        _("highest qualification"),
        max_length=16,
        choices=Qualification.choices,
        default=Qualification.NONE,
    )
    employment = models.CharField(
        _("work"), max_length=16, choices=Employment.choices, default=Employment.NOT_WORKING
    )
    has_disability = models.BooleanField(_("has a disability"), default=False)
    receives_social_allowance = models.BooleanField(
        _("receives the monthly social allowance"), default=False
    )
    malnourished = models.BooleanField(
        _("child malnourished (stunted or underweight)"), default=False
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    # The member's key in the system a bulk import came from (stable within the household).
    source_key = models.CharField(_("key in the source file"), max_length=40, blank=True)

    history = HistoricalRecords(excluded_fields=["name_search"], bases=[ImportedHistory])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", "id"]
        constraints = [
            # Exactly one head among current members: at most one here, at least one in services.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship="head", left_on__isnull=True),
                name="households_member_one_current_head",
            ),
            models.UniqueConstraint(
                fields=["household", "source_key"],
                condition=~Q(source_key=""),
                name="households_member_unique_source_key",
            ),
            models.CheckConstraint(
                condition=Q(relationship__in=Relationship.values),
                name="households_member_relationship",
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="households_member_sex"),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1880, birth_year__lte=2200),
                name="households_member_birth_year_range",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="households_member_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def is_ethnic_minority(self) -> bool:
        return is_ethnic_minority(self.ethnicity)


class Review(models.Model):
    """One household's review under the standard in force: the periodic review of a list year,
    or one of its monthly reviews (any number a year, one open at a time).

    Holds the facts (income or B1 score, ticked indicators), what the standard computed with its
    reasons and the standard's code, and the classification finally recognised.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("household")
    )
    list_year = models.PositiveSmallIntegerField(_("list year"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=ReviewKind.choices, default=ReviewKind.PERIODIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SURVEYED
    )
    campaign = models.ForeignKey(
        "Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("campaign"),
    )
    survey_date = models.DateField(_("survey date"), null=True, blank=True)
    standard_code = models.CharField(_("standard"), max_length=20, editable=False)
    area_type = models.CharField(_("area type"), max_length=5, choices=AreaType.choices)
    income_per_capita = models.BigIntegerField(
        _("income per person per month (VND)"), null=True, blank=True
    )
    b1_score = models.PositiveSmallIntegerField(_("B1 score"), null=True, blank=True)
    deprivations = models.JSONField(_("deprived indicators"), default=list, blank=True)
    housing_area_m2 = models.DecimalField(
        _("housing area (m²)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    computed_classification = models.CharField(
        _("computed classification"),
        max_length=16,
        choices=Classification.choices,
        blank=True,
        editable=False,
    )
    computed_line = models.BigIntegerField(_("computed line"), null=True, editable=False)
    computed_reasons = models.JSONField(_("computed reasons"), default=dict, editable=False)
    recognised_classification = models.CharField(
        _("recognised classification"), max_length=16, choices=Classification.choices, blank=True
    )
    override_reason = models.TextField(_("reason the recognised result differs"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recognised by"),
    )
    decision = models.ForeignKey(
        "RecognitionDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("recognition decision"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ImportedHistory])
    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["household", "-list_year"]
        constraints = [
            # One periodic review a list year; monthly reviews any number a year (Decision
            # 24/2021/QĐ-TTg art. 3.1(b): every month from the 15th), one of them open at a time.
            models.UniqueConstraint(
                fields=["household", "list_year"],
                condition=Q(kind=ReviewKind.PERIODIC),
                name="households_review_unique_periodic_year",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(kind=ReviewKind.MONTHLY)
                & ~Q(status__in=[ReviewStatus.RECOGNISED, ReviewStatus.REFUSED]),
                name="households_review_one_open_monthly",
            ),
            models.CheckConstraint(
                condition=Q(income_per_capita__isnull=True) | Q(income_per_capita__gte=0),
                name="households_review_income_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.LISTED)
                | Q(income_per_capita__isnull=False)
                | Q(b1_score__isnull=False),
                name="households_review_income_or_score",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="households_review_status"
            ),
            models.CheckConstraint(
                condition=Q(recognised_classification=models.F("computed_classification"))
                | ~Q(override_reason=""),
                name="households_review_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["list_year", "recognised_classification"], name="review_year_class"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.list_year}"

    @property
    def is_overridden(self) -> bool:
        return self.recognised_classification != self.computed_classification
