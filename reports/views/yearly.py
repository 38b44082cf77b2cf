"""Pages of the yearly report: the printable table of a unit and year, its XLSX export, and the
form where the unit's own staff enter the rows the registry cannot compute. Thin: the builder
and the service in `reports.yearly` do the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from registry.errors import apply_service_errors
from registry.limits import pk_or_404, year_in_range
from registry.models import AdminUnit

from .. import yearly
from ..forms_yearly import ReportEntriesForm, note_name
from ..xlsx import yearly_workbook
from ..yearly import _c

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit(request: HttpRequest, raw: Any) -> AdminUnit:
    """A province, district or commune the user may see; any other id answers 404."""
    units = AdminUnit.objects.visible_to(request.user).filter(level__in=yearly.REPORT_LEVELS)
    return get_object_or_404(units, pk=pk_or_404(raw))


def _year(raw: Any) -> int:
    """The year asked for (this year when none); a year the registry cannot hold answers 404."""
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    if not year_in_range(year):
        raise Http404
    return year


def _url(name: str, unit: AdminUnit, year: int) -> str:
    return f"{reverse(name, args=[unit.pk])}?year={year}"


@login_required
def yearly_report(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    year = _year(request.GET.get("year"))
    report = yearly.yearly_report(user=request.user, unit=unit, year=year)
    return render(
        request,
        "reports/yearly.html",
        {
            "report": report,
            "unit": unit,
            "year": year,
            "authority": yearly.authority(unit),
            "notes": yearly.report_notes(report),
            "entry_texts": [yearly.entry_text(e) for e in report.entries],
            "may_enter": yearly.may_enter(request.user, unit),
            "xlsx_url": _url("reports:yearly-xlsx", unit, year),
            "entries_url": _url("reports:yearly-entries", unit, year),
        },
    )


@login_required
def yearly_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    year = _year(request.GET.get("year"))
    report = yearly.yearly_report(user=request.user, unit=unit, year=year)
    response = HttpResponse(yearly_workbook(report), content_type=XLSX)
    filename = f"bao-cao-giam-ngheo-{unit.scheme}-{unit.code}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def yearly_entries(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    year = _year(request.GET.get("year"))
    if not yearly.may_enter(request.user, unit):
        raise PermissionDenied(_c("Only the unit's own staff enter its report rows."))
    entries = yearly.entries_of(unit=unit, year=year)
    initial: dict[str, Any] = {}
    for note in entries.notes:
        if note.own is not None:
            initial[note.row.code] = note.own
            initial[note_name(note.row.code)] = note.note
    below = {n.row.code: n for n in entries.notes if n.below_units}
    form = ReportEntriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = yearly.report_entries_set(
                actor=request.user,
                unit=unit,
                year=year,
                values=form.values(),
                notes=form.notes(),
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            if changed:
                messages.success(request, _c("The entered rows are saved."))
            else:
                messages.info(request, _c("Nothing was changed."))
            return redirect(_url("reports:yearly", unit, year))
    return render(
        request,
        "reports/yearly_entries.html",
        {
            "unit": unit,
            "year": year,
            "form": form,
            "rows": [(row, value, note, below.get(row.code)) for row, value, note in form.rows()],
            "history": [
                (yearly.ROWS_BY_CODE.get(h.row), h)
                for h in yearly.entry_history(unit=unit, year=year)
            ],
            "report_url": _url("reports:yearly", unit, year),
        },
    )
