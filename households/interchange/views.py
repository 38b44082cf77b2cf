"""The pages of the interchange: the upload page, the export page, the user's jobs, a job's page
with its progress bar (polled by htmx), its problem report and its export file.

A job is seen by its owner only, while its unit is still in their area; anyone else is answered
404, as if it did not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from households.choices import ACTIVE_JOB_STATES, JobKind
from households.models import Job
from registry.errors import apply_service_errors
from registry.limits import pk_or_404

from . import jobs
from .forms import ExportForm, ImportForm, UploadLimit

# How often the job page asks for its progress (htmx `every`).
POLL_EVERY = "1s"


# The tables of the interchange format, in the order of households.interchange.format.TABLES.
TABLE_LABELS = {
    "households": gettext_lazy("Households"),
    "members": gettext_lazy("Members"),
    "reviews": gettext_lazy("Reviews"),
    "disbursements": gettext_lazy("Disbursements"),
    "resident_counts": gettext_lazy("Resident households of units"),
}


def _count_rows(counts: dict) -> list[dict]:
    ordered = [t for t in TABLE_LABELS if t in counts] + sorted(set(counts) - set(TABLE_LABELS))
    return [
        {
            "label": TABLE_LABELS.get(table, table),
            **{key: counts[table].get(key, 0) for key in ("created", "updated", "unchanged")},
        }
        for table in ordered
    ]


def _job_context(job: Job) -> dict:
    summary = job.summary
    return {
        "job": job,
        "count_rows": _count_rows(summary.get("counts") or {}),
        "problem_groups": [
            (_("Errors"), summary.get("errors") or [], summary.get("error_count", 0)),
            (_("Warnings"), summary.get("warnings") or [], summary.get("warning_count", 0)),
        ],
        "active": job.state in ACTIVE_JOB_STATES,
        "progress": jobs.job_progress(job),
        "summary": job.summary,
        "poll_every": POLL_EVERY,
        "keep_days": settings.JOBS_KEEP_DAYS,
        "has_report": job.kind == JobKind.IMPORT
        and bool(job.summary.get("report"))
        and not job.summary.get("pruned"),
        "has_file": job.kind == JobKind.EXPORT
        and bool(job.summary.get("size"))
        and not job.summary.get("pruned"),
    }


# --- import ---------------------------------------------------------------------------------------


@login_required
@csrf_exempt  # checked by `_import_upload`, once the upload's limit is in place
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload page: a file imported by the worker, then the job's page."""
    if request.method == "POST":
        # Before anything reads the body (the CSRF check does): the limit stops the upload.
        request.upload_handlers.insert(0, UploadLimit(request, settings.IMPORT_UPLOAD_MAX_BYTES))
    return _import_upload(request)


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not jobs.importable_units(user).exists():
        raise PermissionDenied(jobs.not_an_importer())
    if request.method == "POST":
        form = ImportForm(
            request.POST,
            request.FILES,
            user=user,
            too_large=getattr(request, "upload_too_large", False),
        )
        if form.is_valid():
            try:
                job = jobs.import_job_create(
                    actor=user,
                    unit=form.cleaned_data["unit"],
                    upload=form.cleaned_data["file"],
                    numbering=form.cleaned_data["numbering"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ValidationError as error:
                apply_service_errors(error, form)
            else:
                return redirect("households:job-detail", pk=job.pk)
    else:
        form = ImportForm(user=user)
    return render(
        request,
        "households/interchange/import_form.html",
        {"form": form, "limit": jobs.upload_limit()},
    )


# --- export ---------------------------------------------------------------------------------------


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    """An export written by the worker (the export page offers it for an area too large to
    download at once): what the user may see of a unit, in the interchange format."""
    user = request.user
    form = ExportForm(request.POST, user=user)
    if form.is_valid():
        unit = form.cleaned_data["unit"] or jobs.single_export_unit(user)
        if unit is None:
            form.add_error("unit", _("Choose the unit to export."))
        else:
            try:
                job = jobs.export_job_create(
                    actor=user,
                    unit=unit,
                    years=form.years,
                    fmt=form.cleaned_data["format"],
                    numbering=form.cleaned_data["numbering"],
                )
            except ValidationError as error:
                apply_service_errors(error, form)
            else:
                return redirect("households:job-detail", pk=job.pk)
    context = {"form": form, "may_import": jobs.importable_units(user).exists()}
    return render(request, "households/export.html", context, status=400)


# --- jobs -----------------------------------------------------------------------------------------


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's recent imports and exports."""
    return render(
        request,
        "households/interchange/job_list.html",
        {
            "jobs": jobs.job_list(request.user),
            "may_import": jobs.importable_units(request.user).exists(),
        },
    )


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_get(request.user, pk_or_404(pk))
    return render(request, "households/interchange/job_detail.html", _job_context(job))


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress bar, or its result once it ended: the fragment the page polls."""
    job = jobs.job_get(request.user, pk_or_404(pk))
    return render(request, "households/interchange/_job_status.html", _job_context(job))


@login_required
@require_GET
def job_report(request: HttpRequest, pk: int) -> FileResponse:
    """Every problem the import found (file, row, column, value, problem), as CSV."""
    job = jobs.job_get(request.user, pk_or_404(pk))
    path = jobs.report_path(job)
    if job.kind != JobKind.IMPORT or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"bao-cao-nhap-lieu-{job.pk}.csv",
        content_type="text/csv; charset=utf-8",
    )


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file an export job wrote."""
    job = jobs.job_get(request.user, pk_or_404(pk))
    path = jobs.export_path(job)
    if job.kind != JobKind.EXPORT or not path.is_file():
        raise Http404
    day = timezone.localtime(job.created_at).strftime("%Y%m%d")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"ansinh-{job.unit.code}-{day}{path.suffix}",
    )
