"""The audit trail of the rows that keep no django-simple-history of their own: derived rows
(entitlements, status periods), events (status changes, certificates, meeting votes) and the
fields that bulk writes or queryset updates change (a payment marked reversed). Household,
Member, Review and the other rows with `HistoricalRecords` are audited by their history."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.querysets import ScopedQuerySet

from .household import Household
from .imports import ImportBatch, current_import_batch_id


class AuditAction(models.TextChoices):
    """What a write did to a row (the timeline's actions, as django-simple-history's)."""

    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")


class AuditEntryQuerySet(ScopedQuerySet):
    scope_path_field = "household__unit_path"


class AuditEntry(models.Model):
    """One write to a row of a household that keeps no history of its own: who, when, which row
    (`model` as "app_label.model_name" and `object_id`), what it did and, field by field, the
    values before and after (`changes`: [{"field", "old", "new"}], related rows by id)."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        default=current_import_batch_id,
        verbose_name=_("import batch"),
    )
    model = models.CharField(_("record"), max_length=60)
    object_id = models.BigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=list, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["household", "at", "id"]
        indexes = [models.Index(fields=["household", "at"], name="audit_household_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="households_auditentry_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id} · {self.action} · {self.at:%d/%m/%Y %H:%M}"
