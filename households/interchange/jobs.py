"""Background jobs of the interchange: who may start one, starting it (its row, its folder, the
task), its progress while it runs, its end, and the reads of the pages.

A job's files live in its folder `settings.JOBS_DIR/<id>/`: the upload (deleted when the import
ends), the problem report, the export, and `progress.json`. The progress is a file, written
atomically (a temporary file renamed over it), because an import writes everything in one long
transaction: a progress row written through that connection would stay invisible until the
commit, and on SQLite a second connection could not write while it runs. The job's row is
written before the task starts and after it ends, never inside the import's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from households.choices import JobKind, JobState
from households.models import Job
from registry.choices import Level, Role
from registry.logs import current_request_id
from registry.models import AdminUnit
from registry.scoping import scope_for

logger = logging.getLogger(__name__)

PROGRESS_FILE = "progress.json"
REPORT_FILE = "report.csv"
UPLOAD_STEM = "upload"
EXPORT_STEM = "export"
# What the upload page takes: CSV of one table, a ZIP of CSV files, an XLSX workbook.
UPLOAD_SUFFIXES = (".csv", ".zip", ".xlsx")
EXPORT_FORMATS = {"xlsx": ".xlsx", "csv": ".zip"}  # a CSV export is a ZIP of one file per table
try:  # the interchange format's own list, once households.interchange.format is there
    from households.interchange.format import NUMBERINGS
except ImportError:  # pragma: no cover
    NUMBERINGS = ("qd121", "census")
# The job page lists the first problems; the full list is the downloadable report.
SHOWN_PROBLEMS = 50
# The progress file is rewritten at most this often (and at every new phase).
PROGRESS_INTERVAL = 0.5  # seconds
RECENT_JOBS = 50


# --- who may do what ------------------------------------------------------------------------------


def may_import(user, unit: AdminUnit) -> bool:
    """Whether `user` may import a file into `unit`: a commune officer into their commune,
    district staff into their district, a system administrator anywhere. Chairs recognise and
    do not enter data; province staff read their province and do not enter it either."""
    scope = scope_for(user)
    if scope.everything:
        return True
    if unit.level == Level.COMMUNE:
        return (Role.COMMUNE_OFFICER, unit.path) in scope.roles
    if unit.level == Level.DISTRICT:
        return (Role.DISTRICT_STAFF, unit.path) in scope.roles
    return False


def importable_units(user) -> QuerySet[AdminUnit]:
    """The units `user` may import into (for an administrator, the current provinces)."""
    scope = scope_for(user)
    if scope.everything:
        return AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by(
            "path"
        )
    paths = [
        path for role, path in scope.roles if role in (Role.COMMUNE_OFFICER, Role.DISTRICT_STAFF)
    ]
    return AdminUnit.objects.filter(
        path__in=paths, level__in=(Level.COMMUNE, Level.DISTRICT)
    ).order_by("path")


def exportable_units(user) -> QuerySet[AdminUnit]:
    """The units `user` may export: the units they are assigned to and the districts and
    communes under them (for an administrator, the current provinces)."""
    scope = scope_for(user)
    if scope.everything:
        return AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by(
            "path"
        )
    if not scope.assigned_paths:
        return AdminUnit.objects.none()
    under = reduce(or_, (Q(path__startswith=path) for path in scope.assigned_paths))
    return AdminUnit.objects.filter(under).exclude(level=Level.VILLAGE).order_by("path")


def single_export_unit(user) -> AdminUnit | None:
    """The unit an export of "my whole area" stands for: the user's one assigned unit (None
    when they have several, or none)."""
    scope = scope_for(user)
    paths = set(scope.assigned_paths)
    if scope.everything or len(paths) != 1:
        return None
    return AdminUnit.objects.filter(path__in=paths).first()


def not_an_importer() -> str:
    """Why the upload page refuses a user (in the request's language)."""
    return _(
        "Only a commune officer (for their commune) or district staff (for their district) "
        "import files into the registry."
    )


# --- the folder of a job --------------------------------------------------------------------------


def job_dir(job: Job) -> Path:
    return Path(settings.JOBS_DIR) / str(job.pk)


def upload_path(job: Job) -> Path:
    return job_dir(job) / f"{UPLOAD_STEM}{job.params.get('suffix', '')}"


def report_path(job: Job) -> Path:
    return job_dir(job) / REPORT_FILE


def export_path(job: Job) -> Path:
    return job_dir(job) / f"{EXPORT_STEM}{EXPORT_FORMATS.get(job.params.get('format'), '')}"


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- progress -------------------------------------------------------------------------------------


def progress_write(job: Job, *, phase: str, done: int = 0, total: int | None = None) -> None:
    """Record where a job is (outside the database: see the module's docstring)."""
    payload = {"phase": phase, "done": done, "total": total, "at": time.time()}
    _write_atomically(job_dir(job) / PROGRESS_FILE, json.dumps(payload).encode())


def progress_read(job: Job) -> dict[str, Any] | None:
    """The last progress a job recorded, or None before its first."""
    try:
        return json.loads((job_dir(job) / PROGRESS_FILE).read_bytes())
    except (FileNotFoundError, ValueError):
        return None


class ProgressRecorder:
    """The `on_progress(phase, done, total)` callback given to an import or export: it writes
    the progress file at most every PROGRESS_INTERVAL seconds and at every new phase, touching
    neither the database nor the import's transaction."""

    def __init__(self, job: Job, *, interval: float | None = None) -> None:
        self.job = job
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self.phase: str | None = None
        self.written_at = 0.0

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.written_at < self.interval:
            return
        self.phase, self.written_at = phase, now
        progress_write(self.job, phase=phase, done=done, total=total)


# --- starting a job -------------------------------------------------------------------------------


def _enqueue(job: Job, task) -> None:
    """Hand the job to the task worker (after the job's row is committed)."""
    try:
        result = task.enqueue(job.pk)
    except Exception:
        logger.exception("Could not enqueue job %s", job.pk)
        job_fail(job)
        return
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def _fresh_dir(job: Job) -> None:
    """An empty folder for a new job (nothing left by a job of a database since reset)."""
    shutil.rmtree(job_dir(job), ignore_errors=True)
    job_dir(job).mkdir(parents=True)


def _start(job: Job, task) -> Job:
    progress_write(job, phase="queued")
    transaction.on_commit(lambda: _enqueue(job, task))
    return job


def import_job_create(
    *,
    actor,
    unit: AdminUnit,
    upload: UploadedFile,
    numbering: str = "qd121",
    dry_run: bool = False,
) -> Job:
    """Save an uploaded file in a new job's folder and queue its import (or dry run)."""
    from households.interchange.tasks import run_import

    if not may_import(actor, unit):
        raise PermissionDenied(not_an_importer())
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    errors: dict[str, list[str]] = {}
    if suffix not in UPLOAD_SUFFIXES:
        errors["file"] = [_("Upload a CSV file, a ZIP of CSV files or an XLSX workbook.")]
    if upload.size > settings.IMPORT_UPLOAD_MAX_BYTES:
        errors["file"] = [upload_too_large()]
    if numbering not in NUMBERINGS:
        errors["numbering"] = [_("Choose the ethnicity numbering of the file.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            kind=JobKind.IMPORT,
            unit=unit,
            unit_path=unit.path,
            params={
                "filename": name[:255],
                "suffix": suffix,
                "size": upload.size,
                "numbering": numbering,
                "dry_run": bool(dry_run),
                "request_id": current_request_id(),
            },
        )
        try:
            _fresh_dir(job)
            target = upload_path(job)
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        except BaseException:
            shutil.rmtree(job_dir(job), ignore_errors=True)
            raise
        return _start(job, run_import)


def export_job_create(
    *,
    actor,
    unit: AdminUnit,
    years: Iterable[int] | None = None,
    fmt: str = "xlsx",
    numbering: str = "qd121",
) -> Job:
    """Queue an export of what `actor` may see of `unit` (some list years, or all)."""
    from households.interchange.tasks import run_export

    if not AdminUnit.objects.visible_to(actor).filter(pk=unit.pk).exists():
        raise Http404
    if fmt not in EXPORT_FORMATS:
        raise ValidationError({"format": [_("Choose XLSX or CSV.")]})
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            kind=JobKind.EXPORT,
            unit=unit,
            unit_path=unit.path,
            params={
                "years": sorted(set(years)) if years else None,
                "format": fmt,
                "numbering": numbering,
                "request_id": current_request_id(),
            },
        )
        _fresh_dir(job)
        return _start(job, run_export)


def upload_limit() -> str:
    """The upload page's limit, as people read a size ("200,0 MB")."""
    return filesizeformat(settings.IMPORT_UPLOAD_MAX_BYTES)


def upload_too_large() -> str:
    limit = upload_limit()
    return _(
        "The file is larger than %(limit)s, the most the upload page takes. Split it (one "
        "file per table, or per commune), or ask an administrator to import it with the "
        "import_registry command, which takes files of any size."
    ) % {"limit": limit}


# --- running and ending a job (called by the tasks) -----------------------------------------------


def job_claim(job: Job) -> bool:
    """Mark a queued job as running; False when it was already taken (a task run twice runs
    the job once)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now
    )
    if claimed:
        job.state, job.started_at = JobState.RUNNING, now
        progress_write(job, phase="started")
    return bool(claimed)


def _end(job: Job, state: str, summary: dict[str, Any]) -> Job:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=state, summary=summary, finished_at=now)
    job.state, job.summary, job.finished_at = state, summary, now
    progress = progress_read(job) or {}
    progress_write(job, phase="finished", done=progress.get("done") or 0, total=None)
    return job


def job_fail(job: Job) -> Job:
    """End a job that raised: the user is told it stopped, the log has the traceback."""
    upload_path(job).unlink(missing_ok=True)
    return _end(job, JobState.FAILED, {"failed": True})


def _problem(problem: Any) -> dict[str, Any]:
    return {
        name: "" if getattr(problem, name, None) is None else str(getattr(problem, name))
        for name in ("file", "row", "column", "value", "message")
    }


def import_summary(result: Any) -> dict[str, Any]:
    """What the job page shows of an ImportResult (households.interchange.importing): counts,
    the first problems and their totals, the batch."""
    errors, warnings = list(result.errors), list(result.warnings)
    batch = getattr(result, "batch", None)
    return {
        "ok": bool(result.ok),
        "dry_run": bool(result.dry_run),
        "counts": {
            table: {key: int(n) for key, n in counts.items()}
            for table, counts in (result.counts or {}).items()
        },
        "error_count": len(errors),
        "warning_count": len(warnings),
        "errors": [_problem(p) for p in errors[:SHOWN_PROBLEMS]],
        "warnings": [_problem(p) for p in warnings[:SHOWN_PROBLEMS]],
        "batch": getattr(batch, "pk", None),
    }


def import_job_finish(job: Job, result: Any) -> Job:
    """End an import: keep its report when it found problems, drop the upload."""
    summary = import_summary(result)
    if summary["error_count"] or summary["warning_count"]:
        _write_atomically(report_path(job), result.report_csv())
        summary["report"] = True
    upload_path(job).unlink(missing_ok=True)
    return _end(job, JobState.DONE, summary)


def export_job_finish(job: Job) -> Job:
    path = export_path(job)
    return _end(job, JobState.DONE, {"size": path.stat().st_size, "format": job.params["format"]})


# --- housekeeping ---------------------------------------------------------------------------------


def job_last_sign(job: Job) -> float | None:
    """When a running job last showed it was alive (its progress file, else its start), as a
    timestamp; None when it has not started."""
    progress = progress_read(job) or {}
    if progress.get("at"):
        return float(progress["at"])
    return job.started_at.timestamp() if job.started_at else None


def jobs_tidy(*, now: float | None = None) -> dict[str, int]:
    """Housekeeping of the jobs, run by `manage.py tidy_jobs` (at every `make run`, and daily
    in production, docs/deployment.md):

    - a running job that has shown no progress for `settings.JOBS_STALE_AFTER` seconds lost its
      worker (killed, or the machine restarted): it is marked failed, so that its owner sees it
      stopped and may start it again. Its import, one transaction, was rolled back with the
      worker's connection, so nothing of it was written;
    - the files of a job that ended more than `settings.JOBS_KEEP_DAYS` days ago (the export,
      the problem report) are deleted; the job's row and its summary stay in the list.
    """
    now = time.time() if now is None else now
    stale_after = float(settings.JOBS_STALE_AFTER)
    failed = 0
    for job in Job.objects.filter(state=JobState.RUNNING):
        last = job_last_sign(job)
        if last is not None and now - last > stale_after:
            with transaction.atomic():
                # Only if it is still running: a worker that ends it meanwhile wins.
                ended = Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
                    state=JobState.FAILED,
                    summary={"failed": True, "stale": True},
                    finished_at=timezone.now(),
                )
            if ended:
                upload_path(job).unlink(missing_ok=True)
                logger.warning("job %s showed no progress for %.0f s: marked failed", job.pk,
                               now - last)  # fmt: skip
                failed += 1
    cutoff = dt.datetime.fromtimestamp(now, tz=dt.UTC) - dt.timedelta(days=settings.JOBS_KEEP_DAYS)
    pruned = 0
    ended_long_ago = Job.objects.filter(
        state__in=(JobState.DONE, JobState.FAILED), finished_at__lt=cutoff
    ).exclude(summary__has_key="pruned")
    for job in ended_long_ago:
        shutil.rmtree(job_dir(job), ignore_errors=True)
        job.summary = {**job.summary, "pruned": True}
        job.save(update_fields=["summary"])
        pruned += 1
    return {"failed": failed, "pruned": pruned}


# --- reads for the pages --------------------------------------------------------------------------


def jobs_visible_to(user) -> QuerySet[Job]:
    """The jobs a user may see: their own, while the job's unit is still in their area."""
    return Job.objects.of_owner(user).visible_to(user).select_related("unit")


def job_list(user) -> list[Job]:
    return list(jobs_visible_to(user)[:RECENT_JOBS])


def job_get(user, pk: int) -> Job:
    """The job, or 404 when it is not the user's or its unit left their area."""
    job = jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


PHASES = {
    # The phases households.interchange.importing reports; an unknown phase reads "working".
    "queued": gettext_noop("Waiting for the worker"),
    "started": gettext_noop("Starting"),
    "read": gettext_noop("Reading the file"),
    "validate": gettext_noop("Checking the rows"),
    "write": gettext_noop("Writing to the registry"),
    "summaries": gettext_noop("Updating the summaries"),
    "commit": gettext_noop("Saving the import"),
    "export": gettext_noop("Writing the export"),
    "finished": gettext_noop("Finished"),
}


def job_progress(job: Job) -> dict[str, Any]:
    """The progress bar of a job: a percentage (None when the total is unknown), the phase in
    the user's language, the rows done and the total."""
    progress = progress_read(job) or {}
    phase = progress.get("phase") or "queued"
    done, total = int(progress.get("done") or 0), progress.get("total")
    if job.state not in (JobState.QUEUED, JobState.RUNNING):
        percent: int | None = 100
    elif total:
        percent = max(0, min(99, int(done * 100 / int(total))))
    else:
        percent = 0 if job.state == JobState.QUEUED else None
    return {
        "phase": phase,
        "label": _(PHASES.get(phase, gettext_noop("Working"))),
        "done": done,
        "total": total,
        "percent": percent,
    }
