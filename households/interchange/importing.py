"""Importing an interchange file into the registry: `import_file`.

Two passes over the file, each streaming its rows (`reader`): the first checks every row
(`validation`) and writes nothing; a file with any error is refused whole, with a report of
every problem (file, row, column, value, problem in the user's language). A valid file is then
written (`writing`) in one transaction as one `ImportBatch` that every history record written
points to; the checks that need what the file itself writes (a disbursement's eligibility on
the status its reviews give) are made there, and an error found then undoes the whole
transaction, so a refused file never leaves anything half-written. A dry run goes through both
passes and undoes the transaction at the end: it reports what the import would do, and writes
nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models.imports import ImportBatch, Numbering, writing_batch
from registry.models import User

from . import format as fmt
from .context import Context
from .problems import Problem, report_csv
from .reader import FileRefused, open_source
from .spool import Spool
from .validation import Validation
from .writing import Writer

__all__ = ["ImportResult", "Problem", "import_file"]

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What an import did (or, refused or dry, would have done)."""

    ok: bool
    dry_run: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    batch: ImportBatch | None = None
    # How many problems were found (the lists hold at most context.MAX_LISTED of each).
    error_count: int = 0
    warning_count: int = 0

    def report_csv(self) -> bytes:
        """The report of every problem listed, errors first, as a CSV file in UTF-8."""
        error, warning = _("error"), _("warning")
        return report_csv(
            [(error, problem) for problem in self.errors]
            + [(warning, problem) for problem in self.warnings]
        )


class _Undo(Exception):
    """Leave the import's transaction without keeping anything."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    *,
    actor: User,
    path: str | Path,
    filename: str,
    numbering: str = Numbering.QD121,
    dry_run: bool = False,
    on_progress: Callable[[str, int, int | None], None] | None = None,
) -> ImportResult:
    """Check the file at `path` (named `filename` by the user) and, when it has no error and
    this is not a dry run, write it into the registry as one import batch by `actor`.

    `numbering` is the ethnicity numbering of the file (`qd121` or `census`). `on_progress`
    is called every few thousand rows with the phase (`validate:<table>`, `write:<table>`,
    `status`, `summaries`, then `commit`), the rows done and the total when known; it must
    not write through the import's database transaction (progress kept there would be
    invisible until the end)."""
    ctx = Context(actor=actor, numbering=numbering, filename=filename, on_progress=on_progress)
    result = ImportResult(ok=False, dry_run=dry_run)
    if numbering not in fmt.NUMBERINGS:
        ctx.error(None, "", numbering, _("Choose the numbering qd121 or census."))
        return _finish(result, ctx)
    if not ctx.everywhere and not ctx.area:
        ctx.error(
            None, "", "",
            _("Only commune officers, district and province staff import households, into "
              "their own area."),
        )  # fmt: skip
        return _finish(result, ctx)
    try:
        source = open_source(path, filename)
    except FileRefused as refused:
        ctx.add(refused.problems)
        return _finish(result, ctx)
    with source, Spool() as spool:
        ctx.spool = spool  # each row parsed once, by the checks; written from the spool
        validation = Validation(ctx, source)
        validation.run()
        if ctx.error_count:
            return _finish(result, ctx)
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.create(
                    actor=actor,
                    started_at=timezone.now(),
                    file_name=filename[:255],
                    sha256=file_sha256(Path(path)),
                    numbering=numbering,
                )
                with writing_batch(batch):
                    result.counts = Writer(ctx, source, validation, batch).run()
                if ctx.error_count or dry_run:
                    raise _Undo
                batch.counts = result.counts
                batch.finished_at = timezone.now()
                batch.save(update_fields=["counts", "finished_at"])
                result.batch = batch
                ctx.progress("commit", 0)  # PostgreSQL checks the deferred foreign keys now
        except _Undo:
            result.batch = None
        except IntegrityError as error:
            # The checks should leave the database nothing to refuse; its words may quote other
            # areas' rows, so they go to the log and the user gets the fact.
            logger.warning("import of %s refused by the database: %s", filename, error)
            result.batch = None
            ctx.error(
                None, "", "",
                _("The database refused the file and nothing was written (two rows may give the "
                  "same ID number or key). Tell the administrator if the report shows no other "
                  "problem."),
            )  # fmt: skip
    return _finish(result, ctx)


def _finish(result: ImportResult, ctx: Context) -> ImportResult:
    result.errors, result.warnings = ctx.errors, ctx.warnings
    result.error_count, result.warning_count = ctx.error_count, ctx.warning_count
    result.ok = ctx.error_count == 0
    if not result.ok:
        result.batch = None
    return result
