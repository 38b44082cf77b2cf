"""The export page and the blank template of the interchange format."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from registry.limits import pk_or_404

from ..interchange import export, jobs
from ..interchange.forms import ExportForm, export_units
from ..models import Household

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _households_to_export(user, unit) -> int:
    households = Household.objects.visible_to(user)
    if unit is not None:
        households = households.filter(unit_path__startswith=unit.path)
    return households.count()


def _page(request: HttpRequest, form: ExportForm, **extra) -> HttpResponse:
    may_import = jobs.importable_units(request.user).exists()  # the tabs
    return render(
        request, "households/export.html", {"form": form, "may_import": may_import, **extra}
    )


@login_required
@require_GET
def household_export(request: HttpRequest) -> HttpResponse:
    """A form (no `format` asked yet), or the file of the unit chosen. A unit outside the
    user's area answers 404, as a unit that does not exist."""
    user = request.user
    unit = None
    if request.GET.get("unit"):
        unit = get_object_or_404(export_units(user), pk=pk_or_404(request.GET["unit"]))
    if "format" not in request.GET:
        form = ExportForm(user=user)
        return _page(request, form)
    form = ExportForm(request.GET, user=user)
    if not form.is_valid():
        return _page(request, form)
    # A large area is too long for one request: the page offers a background job instead.
    count = _households_to_export(user, unit)
    limit = settings.INTERCHANGE_DIRECT_EXPORT_MAX_HOUSEHOLDS
    if count > limit:  # offered as a background job (households.interchange.jobs)
        return _page(request, form, too_many={"count": count, "limit": limit})
    data = form.cleaned_data
    fmt, table, today = data["format"], data["table"], timezone.localdate()
    if table:
        rows = export.export_rows(user, unit=unit, years=form.years, numbering=data["numbering"])
        response = StreamingHttpResponse(
            export.stream_csv(table, rows[table]), content_type="text/csv; charset=utf-8"
        )
        code = unit.code if unit is not None else "all"
        response["Content-Disposition"] = (
            f'attachment; filename="ansinh-{code}-{today:%Y%m%d}-{table}.csv"'
        )
        return response
    # Written to a temporary file (on disk past a few megabytes), then streamed from it.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    export.write_export(user, unit, form.years, fmt, out, numbering=data["numbering"])
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=export.export_filename(unit, fmt, today),
        content_type=XLSX_TYPE if fmt == "xlsx" else "application/zip",
    )


@login_required
@require_GET
def interchange_template(request: HttpRequest) -> HttpResponse:
    """The blank workbook of the interchange format, with a sheet describing the columns."""
    response = HttpResponse(export.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="ansinh-mau-nhap-lieu.xlsx"'
    return response
