"""The poverty standards as data: a mirror of each standard's numbers and indicators (loaded from
the pure modules in ``policies.standards`` by ``manage.py load_standards``), and the overrides
that correct an unconfirmed number nationally or raise a line for a province's local standard.

The pure modules stay the source of truth: classification never reads the mirror tables, only
``ParameterOverride`` (through ``policies.selectors.overrides_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.choices import Level
from registry.models import AdminUnit


class StandardParameter(models.Model):
    """One number of a national standard, as its law module states it (read-only mirror)."""

    standard_code = models.CharField(_("standard"), max_length=20)
    key = models.CharField(_("parameter"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # NULL: the research found no number; an administrator must supply it as an override.
    value = models.BigIntegerField(_("value"), null=True, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=16)
    source = models.TextField(_("legal source"))
    confirmed = models.BooleanField(
        _("confirmed"),
        help_text=_("False where the research still marks the number as unconfirmed."),
    )
    is_line = models.BooleanField(
        _("is a line"),
        help_text=_(
            "Income lines and score cut-offs: a province may raise them for its local standard."
        ),
    )

    class Meta:
        verbose_name = _("standard parameter")
        verbose_name_plural = _("standard parameters")
        ordering = ["standard_code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard_code", "key"], name="policies_standardparameter_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard_code} · {self.key}"


class IndicatorRecord(models.Model):
    """One deprivation indicator of a national standard, as its law module states it."""

    standard_code = models.CharField(_("standard"), max_length=20)
    code = models.CharField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    dimension_code = models.CharField(_("dimension code"), max_length=30)
    dimension_vi = models.CharField(_("dimension (Vietnamese)"), max_length=120)
    dimension_en = models.CharField(_("dimension (English)"), max_length=120)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    rule_text = models.TextField(_("rule"))
    rule_text_vi = models.TextField(_("rule (Vietnamese)"), blank=True)
    theme = models.CharField(_("theme"), max_length=60)
    derivable = models.BooleanField(
        _("derivable"), help_text=_("Recomputed from member and dwelling data.")
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        help_text=_("False when the threshold is not yet checked against the legal text."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["standard_code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard_code", "code"], name="policies_indicatorrecord_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard_code} · {self.code}"


class ParameterOverrideQuerySet(models.QuerySet):
    def in_force(self, on) -> ParameterOverrideQuerySet:
        """Overrides that apply on the date ``on`` (``valid_to`` is the first day they no
        longer apply)."""
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))

    def open(self) -> ParameterOverrideQuerySet:
        """Overrides not ended yet (possibly starting in the future)."""
        return self.filter(valid_to__isnull=True)


class ParameterOverride(models.Model):
    """A replacement for one number of one standard: a national correction by a system
    administrator (no unit), or a province's local standard above the national line.

    Rows are never deleted: an override is ended by setting ``valid_to``, and a new value is a
    new row that ends the previous one, so every earlier classification can be explained.
    """

    standard_code = models.CharField(_("standard"), max_length=20)
    key = models.CharField(_("parameter"), max_length=60)
    value = models.PositiveBigIntegerField(_("value"))
    unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Level.PROVINCE},
        verbose_name=_("province"),
        help_text=_("Empty for a national correction; a province for its local standard."),
    )
    reason = models.TextField(_("reason"))
    source = models.CharField(
        _("legal source"),
        max_length=200,
        blank=True,
        help_text=_("Decision number and date, e.g. 12/2025/QĐ-UBND."),
    )
    valid_from = models.DateField(
        _("valid from"),
        default=timezone.localdate,
        help_text=_("Reviews surveyed on or after this date use the override."),
    )
    valid_to = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("The first day the override no longer applies; empty while it is in force."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ParameterOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("parameter override")
        verbose_name_plural = _("parameter overrides")
        ordering = ["standard_code", "key", "-valid_from"]
        constraints = [
            # One open override per number and scope; two conditions because NULL units are
            # distinct from each other in a plain unique constraint.
            models.UniqueConstraint(
                fields=["standard_code", "key"],
                condition=Q(unit__isnull=True, valid_to__isnull=True),
                name="policies_parameteroverride_one_open_national",
            ),
            models.UniqueConstraint(
                fields=["standard_code", "key", "unit"],
                condition=Q(unit__isnull=False, valid_to__isnull=True),
                name="policies_parameteroverride_one_open_local",
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0), name="policies_parameteroverride_value_positive"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="policies_parameteroverride_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="policies_parameteroverride_reason_required"
            ),
        ]
        indexes = [
            models.Index(fields=["standard_code", "valid_from"], name="policies_override_std"),
        ]

    def __str__(self) -> str:
        scope = self.unit.name if self.unit_id else _("national")
        return f"{self.standard_code} · {self.key} = {self.value:,} ({scope})"

    @property
    def is_national(self) -> bool:
        return self.unit_id is None


# The support models live in their own package; importing them here registers them with the app.
from policies.support.models import (  # noqa: E402
    Allocation,
    AllocationOverride,
    Disbursement,
    DisbursementBatch,
    Entitlement,
    PriorityEntry,
    PriorityList,
    Programme,
    ProgrammeParameter,
)

__all__ = [
    "Allocation",
    "AllocationOverride",
    "Disbursement",
    "DisbursementBatch",
    "Entitlement",
    "IndicatorRecord",
    "ParameterOverride",
    "PriorityEntry",
    "PriorityList",
    "Programme",
    "ProgrammeParameter",
    "StandardParameter",
]
