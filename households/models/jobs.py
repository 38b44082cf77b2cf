"""Background jobs of the interchange (`Job`): an upload imported by the worker, or an export
written by it, with who asked, for which unit, where it is and what came of it.

The row is written before the task starts and after it ends, never while an import's own
transaction is open; the progress of a running job lives outside the database, in a file of the
job's folder (`households.interchange.jobs`), so it can be read while the import is uncommitted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import AdminUnit

from ..choices import JobKind, JobState
from ..querysets import JobQuerySet


class Job(models.Model):
    """One import or export run by the task worker for one user, in one unit of their area."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interchange_jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    # The unit the job is about (the area of an import, the unit exported); its path is kept on
    # the row so that `visible_to` is one indexed filter.
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    unit_path = models.CharField(_("unit path"), max_length=80, editable=False)
    # What was asked: the file name, numbering and dry run of an import; the years and format
    # of an export.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # What came of it: counts, the first problems and their totals, the import batch.
    summary = models.JSONField(_("result"), default=dict, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import or export job")
        verbose_name_plural = _("import and export jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=JobKind.values), name="households_job_kind"
            ),
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="households_job_state"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="households_job_owner_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
