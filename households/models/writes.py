"""What makes writes safe under concurrency: the per-commune counter behind household codes and
the keys that make a submitted form (or API call) take effect once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import AdminUnit


class HouseholdCodeCounter(models.Model):
    """The last sequence number given to a household code of one commune.

    Its row is locked while a code is taken, so two officers creating households at the same
    moment get different codes (a MAX() over the codes gives both the same one)."""

    commune = models.OneToOneField(
        AdminUnit,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    last = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("household code counter")
        verbose_name_plural = _("household code counters")

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.last}"


class Submission(models.Model):
    """One submitted form or API call, by the key its form carried: a second submission with
    the same key (a double click, a resent request) answers with what the first one did."""

    key = models.CharField(_("submission key"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    # What the submission did: "households.household", "support.disbursementbatch", ...
    action = models.CharField(_("action"), max_length=60)
    object_id = models.BigIntegerField(_("object"), null=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "action", "key"], name="households_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"
