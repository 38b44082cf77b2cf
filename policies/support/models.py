"""Support programmes and what flows through them: dated parameters, allocations from province
to commune (with overrides of a commune's ceiling), the commune's priority lists, the
entitlements that follow each household's status in force, and disbursements.

Money is integer VND. Nothing here is deleted: an allocation change is a new history row with its
reason, a disbursement is undone by a counter-entry (a reversal), and an entitlement that no
longer holds keeps its end date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import Level
from registry.models import AdminUnit

from . import rules
from .choices import (
    AmountRule,
    Beneficiary,
    BenefitKind,
    CountUnit,
    EntitlementBasis,
    EntryKind,
    FundingSource,
    PeriodKind,
    PriorityListStatus,
)
from .querysets import ParameterQuerySet, ProgrammeQuerySet, SupportQuerySet

_USER = settings.AUTH_USER_MODEL


class Programme(models.Model):
    """A support programme: its legal basis, who is eligible, what it delivers and how it is
    counted. National programmes come from the seeded catalogue (`catalogue.py`); a province adds
    its local ones (`province` set)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    benefit_kind = models.CharField(_("delivers"), max_length=16, choices=BenefitKind.choices)
    beneficiary = models.CharField(_("beneficiary"), max_length=10, choices=Beneficiary.choices)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    count_unit = models.CharField(_("counted in"), max_length=10, choices=CountUnit.choices)
    amount_rule = models.CharField(_("amount"), max_length=12, choices=AmountRule.choices)
    funding_sources = models.JSONField(_("funding sources"), default=list)
    # Who is eligible, by the household's status in force ...
    for_poor = models.BooleanField(_("poor households"), default=True)
    for_near_poor = models.BooleanField(_("near-poor households"), default=False)
    escaped_within_years = models.PositiveSmallIntegerField(
        _("households that escaped poverty within (years)"),
        default=0,
        help_text=_("0: not for households that escaped poverty."),
    )
    # ... and, for a per-person programme, by the member.
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(
        _("under age"), null=True, blank=True, help_text=_("The first age no longer eligible.")
    )
    in_school_only = models.BooleanField(_("only members in school or training"), default=False)
    ethnic_minority_only = models.BooleanField(_("only ethnic-minority members"), default=False)
    # How it is delivered.
    uses_priority_list = models.BooleanField(
        _("follows the commune's priority list"),
        default=False,
        help_text=_("For support with more eligible households than places (houses, loans)."),
    )
    capped = models.BooleanField(
        _("limited by the commune's allocation"),
        default=True,
        help_text=_("Disbursements need an allocation and may not exceed it."),
    )
    tracks_entitlements = models.BooleanField(
        _("every eligible household is entitled"),
        default=False,
        help_text=_("The registry lists who is entitled from when to when (cards, subsidies)."),
    )
    province = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Level.PROVINCE},
        verbose_name=_("province"),
        help_text=_("Empty for a national programme; the province for a local one."),
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords()
    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit_kind__in=BenefitKind.values),
                name="policies_programme_benefit_kind",
            ),
            models.CheckConstraint(
                condition=Q(beneficiary__in=Beneficiary.values),
                name="policies_programme_beneficiary",
            ),
            models.CheckConstraint(
                condition=Q(period_kind__in=PeriodKind.values), name="policies_programme_period"
            ),
            models.CheckConstraint(
                condition=Q(amount_rule__in=AmountRule.values), name="policies_programme_amount"
            ),
            models.CheckConstraint(
                condition=Q(for_poor=True) | Q(for_near_poor=True) | Q(escaped_within_years__gt=0),
                name="policies_programme_someone_eligible",
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True)
                | Q(min_age__isnull=True)
                | Q(max_age__gt=F("min_age")),
                name="policies_programme_age_band",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="policies_programme_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def carries_money(self) -> bool:
        return self.amount_rule != AmountRule.NONE

    @property
    def per_person(self) -> bool:
        return self.beneficiary == Beneficiary.PERSON

    @property
    def rule(self) -> rules.Rule:
        """Who the programme covers, as the pure rules read it."""
        return rules.Rule(
            for_poor=self.for_poor,
            for_near_poor=self.for_near_poor,
            escaped_within_years=self.escaped_within_years,
            per_person=self.per_person,
            min_age=self.min_age,
            max_age=self.max_age,
            in_school_only=self.in_school_only,
            ethnic_minority_only=self.ethnic_minority_only,
        )


class ProgrammeParameter(models.Model):
    """A dated number of a programme (an amount, a kWh quantity, a tariff). A new value is a new
    row from a later date, so what was paid under an earlier value never changes."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="parameters", verbose_name=_("programme")
    )
    key = models.CharField(_("parameter"), max_length=30)
    # For programmes with several amounts (a new house or a repair): "" when there is one.
    variant = models.CharField(_("variant"), max_length=20, blank=True)
    value = models.BigIntegerField(_("value"))
    unit = models.CharField(_("unit of measure"), max_length=16, default="VND")
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.TextField(_("legal source"))
    confirmed = models.BooleanField(
        _("confirmed"), help_text=_("False where the research still marks the number unconfirmed.")
    )
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    history = HistoricalRecords()
    objects = ParameterQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme parameter")
        verbose_name_plural = _("programme parameters")
        ordering = ["programme", "key", "variant", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key", "variant", "valid_from"],
                name="policies_programmeparameter_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="policies_programmeparameter_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="policies_programmeparameter_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        variant = f" ({self.variant})" if self.variant else ""
        return f"{self.programme.code} · {self.key}{variant} = {self.value:,} {self.unit}"


class Allocation(models.Model):
    """What a unit receives of a programme for a year: a target quantity and a budget (VND).
    The province's row (no parent) is its plan; each district's or commune's row hangs under the
    row of the unit that allocated it, and the children never add up to more than the parent."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("allocated from"),
    )
    quantity = models.PositiveIntegerField(_("target quantity"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("target beneficiaries"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("budget (VND)"), null=True, blank=True)
    reason = models.TextField(_("reason for the change"))
    changed_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords()
    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["programme", "year", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "unit"], name="policies_allocation_unique_unit"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="policies_allocation_reason_required"
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit_path"], name="allocation_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.year} · {self.unit.name}"


class AllocationOverride(models.Model):
    """Leave, recorded by the district (by the province where there is no district), to pay a
    commune beyond its allocation, by up to the amount and quantity given, with the reason."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("allocation")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    extra_amount = models.PositiveBigIntegerField(_("extra budget (VND)"), default=0)
    extra_quantity = models.PositiveIntegerField(_("extra quantity"), default=0)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation override")
        verbose_name_plural = _("allocation overrides")
        ordering = ["allocation", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="policies_allocationoverride_reason_required"
            ),
            models.CheckConstraint(
                condition=Q(extra_amount__gt=0) | Q(extra_quantity__gt=0),
                name="policies_allocationoverride_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation} + {self.extra_amount:,} VND / {self.extra_quantity}"


class PriorityList(models.Model):
    """The commune's ordered list of eligible households proposed for a programme in a year
    (houses, loans, training), as the village meeting discussed and agreed it."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    unit_path = models.CharField(max_length=80, editable=False)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PriorityListStatus.choices,
        default=PriorityListStatus.DRAFT,
    )
    meeting_on = models.DateField(_("village meeting held on"), null=True, blank=True)
    attendees = models.PositiveSmallIntegerField(_("attendees"), null=True, blank=True)
    agreed = models.PositiveSmallIntegerField(_("agreed"), null=True, blank=True)
    minutes = models.TextField(_("minutes of the meeting"), blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The last reopening of a decided list by the commune chair; every earlier one is kept in
    # the history rows.
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopened_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("priority list")
        verbose_name_plural = _("priority lists")
        ordering = ["-year", "programme", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "commune"], name="policies_prioritylist_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PriorityListStatus.values),
                name="policies_prioritylist_status",
            ),
            models.CheckConstraint(
                condition=Q(agreed__isnull=True)
                | Q(attendees__isnull=True)
                | Q(agreed__lte=F("attendees")),
                name="policies_prioritylist_agreed_le_attendees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.year} · {self.commune.name}"


class PriorityEntry(models.Model):
    """One household's place on a priority list, and why it was put there."""

    priority_list = models.ForeignKey(
        PriorityList, on_delete=models.PROTECT, related_name="entries"
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=80, editable=False)
    rank = models.PositiveSmallIntegerField(_("place on the list"))
    reason = models.TextField(_("reason for the place"))
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("priority list entry")
        verbose_name_plural = _("priority list entries")
        ordering = ["priority_list", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority_list", "household"], name="policies_priorityentry_unique_hh"
            ),
            models.UniqueConstraint(
                fields=["priority_list", "rank"], name="policies_priorityentry_unique_rank"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="policies_priorityentry_rank"),
            models.CheckConstraint(
                condition=Q(withdrawn=False) | ~Q(withdrawn_reason=""),
                name="policies_priorityentry_withdrawn_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority_list} · {self.rank}"


class Entitlement(models.Model):
    """What a household (or one member) is entitled to under a programme, from when to when,
    as the household's status in force gives it. Derived data, kept by `entitlements_sync` when
    a status changes and rebuilt by `manage.py rebuild_entitlements`; an entitlement that ends
    keeps its row with its end date."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="entitlements"
    )
    member = models.ForeignKey(
        "households.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=80, editable=False)
    basis = models.CharField(_("because"), max_length=10, choices=EntitlementBasis.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["household", "programme", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "household", "valid_from"],
                condition=Q(member__isnull=True),
                name="policies_entitlement_unique_household",
            ),
            models.UniqueConstraint(
                fields=["programme", "member", "valid_from"],
                condition=Q(member__isnull=False),
                name="policies_entitlement_unique_member",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")),
                name="policies_entitlement_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "valid_from"], name="entitlement_commune_from"),
            models.Index(fields=["commune", "valid_to"], name="entitlement_commune_to"),
            models.Index(
                fields=["unit_path"], name="entitlement_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.household_id} · {self.valid_from}–{self.valid_to}"


class DisbursementBatch(models.Model):
    """One run of "pay this period to every eligible household of this commune": what it paid
    and what it skipped, and why."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=80, editable=False)
    period = models.CharField(_("period"), max_length=24)
    paid_on = models.DateField(_("paid on"))
    funding_source = models.CharField(
        _("funding source"), max_length=10, choices=FundingSource.choices
    )
    paid_count = models.PositiveIntegerField(_("paid"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    amount_total = models.BigIntegerField(_("total amount (VND)"), default=0)
    # {reason code: count} and the first skipped households with their reasons.
    skipped = models.JSONField(_("skipped"), default=dict)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("disbursement batch")
        verbose_name_plural = _("disbursement batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.commune.name} · {self.period}"


class Disbursement(models.Model):
    """Support delivered to a household (or one member): a payment, or the counter-entry that
    reverses one. A beneficiary is paid at most once per programme and period; the database
    holds that rule."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="disbursements")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="disbursements"
    )
    member = models.ForeignKey(
        "households.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
        verbose_name=_("member"),
    )
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=80, editable=False)
    year = models.PositiveSmallIntegerField(_("plan year"))
    kind = models.CharField(
        _("entry"), max_length=8, choices=EntryKind.choices, default=EntryKind.PAYMENT
    )
    paid_on = models.DateField(_("date"))
    period = models.CharField(_("period"), max_length=24)
    variant = models.CharField(_("variant"), max_length=20, blank=True)
    quantity = models.IntegerField(_("quantity"), default=1)
    amount = models.BigIntegerField(_("amount (VND)"), default=0)
    funding_source = models.CharField(
        _("funding source"), max_length=10, choices=FundingSource.choices
    )
    # The status the eligibility check read, kept for audit.
    classification = models.CharField(_("status on the date"), max_length=16, blank=True)
    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursements"
    )
    batch = models.ForeignKey(
        DisbursementBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
    )
    priority_entry = models.ForeignKey(
        PriorityEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    out_of_order_reason = models.TextField(
        _("why not in the order of the priority list"), blank=True
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reverses"),
    )
    # Set on a payment when its reversal is recorded (the payment row itself is kept).
    is_reversed = models.BooleanField(_("reversed"), default=False)
    reference = models.CharField(_("document or reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The disbursement's key in the system a bulk import came from (unique within the household).
    source_key = models.CharField(_("key in the source file"), max_length=64, blank=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            # Paid at most once per programme, beneficiary and period (a reversed payment no
            # longer counts, so the period can be paid again).
            models.UniqueConstraint(
                fields=["programme", "household", "period"],
                condition=Q(kind="payment", is_reversed=False, member__isnull=True),
                name="policies_disbursement_once_per_household",
            ),
            models.UniqueConstraint(
                fields=["programme", "member", "period"],
                condition=Q(kind="payment", is_reversed=False, member__isnull=False),
                name="policies_disbursement_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["household", "source_key"],
                condition=~Q(source_key=""),
                name="policies_disbursement_unique_source_key",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="policies_disbursement_kind"
            ),
            models.CheckConstraint(
                condition=Q(funding_source__in=FundingSource.values),
                name="policies_disbursement_funding_source",
            ),
            models.CheckConstraint(
                condition=Q(kind="payment", reverses__isnull=True, amount__gte=0, quantity__gt=0)
                | Q(kind="reversal", reverses__isnull=False, amount__lte=0, quantity__lt=0),
                name="policies_disbursement_entry_signs",
            ),
            models.CheckConstraint(
                condition=Q(kind="payment") | Q(is_reversed=False),
                name="policies_disbursement_reversal_not_reversed",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "year", "commune"], name="disb_prog_year_commune"),
            models.Index(fields=["household", "paid_on"], name="disb_household_date"),
            models.Index(fields=["unit_path"], name="disb_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.household_id} · {self.period}"
