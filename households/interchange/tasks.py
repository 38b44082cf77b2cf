"""The background tasks of the interchange, run by the task worker (`manage.py db_worker`).

Thin: each takes its job, marks it running, calls the import or the export with a progress
recorder that writes outside the database, and records the outcome. A task that raises marks its
job failed and raises again, so the worker keeps the traceback in its task result.
"""

from __future__ import annotations

import logging
import os
from importlib import import_module
from typing import Any

from django.tasks import task

from households.interchange import jobs
from households.models import Job
from registry.logs import work_context

logger = logging.getLogger(__name__)


def _job(job_id: int) -> Job:
    return Job.objects.select_related("owner", "unit").get(pk=job_id)


def _logged(job: Job):
    """Log lines of the task carry the id of the request that queued it, its owner and job."""
    return work_context(
        request_id=job.params.get("request_id"), user_id=job.owner_id, job_id=job.pk
    )


@task()
def run_import(job_id: int) -> dict[str, Any]:
    """Import (or only validate) the file uploaded with a job."""
    job = _job(job_id)
    with _logged(job):
        return _import(job)


def _import(job: Job) -> dict[str, Any]:
    if not jobs.job_claim(job):
        return {"skipped": True}
    try:
        importing = import_module("households.interchange.importing")
        result = importing.import_file(
            actor=job.owner,
            path=jobs.upload_path(job),
            filename=job.params["filename"],
            numbering=job.params.get("numbering", "qd121"),
            dry_run=bool(job.params.get("dry_run")),
            on_progress=jobs.ProgressRecorder(job),
        )
        jobs.import_job_finish(job, result)
    except BaseException:  # a worker stopped mid-task (SystemExit) ends the job too
        logger.exception("Import job %s failed", job.pk)
        jobs.job_fail(job)
        raise
    return {"ok": job.summary["ok"], "errors": job.summary["error_count"]}


@task()
def run_export(job_id: int) -> dict[str, Any]:
    """Write what the job's owner may see of its unit, in the interchange format."""
    job = _job(job_id)
    with _logged(job):
        return _export(job)


def _export(job: Job) -> dict[str, Any]:
    if not jobs.job_claim(job):
        return {"skipped": True}
    target = jobs.export_path(job)
    partial = target.with_name(f".{target.name}.part")
    recorder = jobs.ProgressRecorder(job)
    try:
        export = import_module("households.interchange.export")
        recorder("export", 0, None)
        with partial.open("wb") as out:
            export.write_export(
                job.owner,
                job.unit,
                job.params.get("years"),
                job.params["format"],
                out,
                numbering=job.params.get("numbering", "qd121"),
                on_progress=recorder,
            )
        os.replace(partial, target)
        jobs.export_job_finish(job)
    except BaseException:
        logger.exception("Export job %s failed", job.pk)
        partial.unlink(missing_ok=True)
        jobs.job_fail(job)
        raise
    return {"size": job.summary["size"]}
