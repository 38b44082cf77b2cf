"""Bulk imports of the registry: one `ImportBatch` per file written, and the link from every
history record an import writes to its batch (`ImportedHistory`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Numbering(models.TextChoices):
    """The ethnicity code list a file is written in (households.interchange.format)."""

    QD121 = "qd121", _("Decision 121-TCTK/PPCĐ (the registry's list)")
    CENSUS = "census", _("GSO census numbering")


class ImportBatch(models.Model):
    """One file written into the registry by `households.interchange.importing.import_file`:
    who, when, which file (name and SHA-256), its ethnicity numbering and what it changed per
    table. A dry run or a refused file leaves no batch."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    numbering = models.CharField(
        _("ethnicity numbering"), max_length=8, choices=Numbering.choices, default=Numbering.QD121
    )
    # {table: {"created": n, "updated": n, "unchanged": n}}
    counts = models.JSONField(_("rows by table"), default=dict)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(numbering__in=Numbering.values), name="households_importbatch_numbering"
            ),
        ]

    def __str__(self) -> str:
        # In local time, as every other time on the pages (the database keeps UTC).
        return f"{self.file_name} · {timezone.localtime(self.started_at):%d/%m/%Y %H:%M}"


# The batch an import is writing, read by the default of `ImportedHistory.import_batch`: every
# historical record created while it is set (by a save, a delete, or the bulk helpers of
# django-simple-history, which all instantiate the historical model) points to the batch
# without each writer having to pass it along.
_current_batch: ContextVar[int | None] = ContextVar("ansinh_import_batch", default=None)


def current_import_batch_id() -> int | None:
    """The id of the import batch being written in this context (None outside an import)."""
    return _current_batch.get()


@contextmanager
def writing_batch(batch: ImportBatch) -> Iterator[ImportBatch]:
    """Within the block, history records point to `batch`."""
    token = _current_batch.set(batch.pk)
    try:
        yield batch
    finally:
        _current_batch.reset(token)


class ImportedHistory(models.Model):
    """Base of the historical models of registry data: the import batch that wrote the record
    (empty for records written by the pages, the API or the services)."""

    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        default=current_import_batch_id,
        verbose_name=_("import batch"),
    )

    class Meta:
        abstract = True
