"""Pages where a unit enters what its dashboard cannot compute: its total of resident households
for a year (the legal denominator of its rates) and, for a province or district, its
poverty-reduction targets. Thin: the services in reports.services check and write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from households.selectors import current_list_year
from registry.errors import apply_service_errors
from registry.limits import YEAR_RANGE_MESSAGE, pk_or_404, year_in_range
from registry.models import AdminUnit
from registry.scoping import scope_for

from .. import services
from ..forms_dashboard import ResidentCountForm, TargetForm
from ..models import PovertyTarget, ResidentCount
from ._common import TARGET_LEVELS, dashboard_unit, may_enter_residents, may_set_targets

HISTORY_SHOWN = 20


def _not_a_target_setter() -> str:
    return _("Targets are set by province or district staff for their unit.")


def _year(request: HttpRequest, raw: Any) -> int:
    """The year asked for, or this year's list with a message naming the field."""
    if raw in (None, ""):
        return current_list_year()
    try:
        year = int(raw)
    except (TypeError, ValueError):
        year = None
    if year is None or not year_in_range(year):
        messages.error(request, f"{_('Year')}: {YEAR_RANGE_MESSAGE}")
        return current_list_year()
    return year


def _dashboard_url(unit: AdminUnit, year: int) -> str:
    return f"{reverse('reports:unit-dashboard', args=[unit.pk])}?year={year}"


# --- resident households ------------------------------------------------------------------------


@login_required
def resident_count(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's entered totals of resident households by year, with their history; the form
    to enter or correct one, or to remove it (the rates then use the registry's households)."""
    unit = dashboard_unit(request, pk)
    can_enter = may_enter_residents(request.user, unit)
    status = 200
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied(_("Only the unit's own staff enter its figures."))
        form = ResidentCountForm(request.POST)
        if "clear" in request.POST:
            year = _year(request, request.POST.get("year"))
            row = get_object_or_404(ResidentCount, unit=unit, year=year)
            services.resident_count_clear(actor=request.user, row=row)
            messages.success(request, _("The entered total is removed."))
            return redirect(_dashboard_url(unit, year))
        if form.is_valid():
            try:
                row = services.resident_count_set(
                    actor=request.user, unit=unit, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(error, form)
            else:
                messages.success(request, _("The total of resident households is saved."))
                return redirect(_dashboard_url(unit, row.year))
        status = 400
        year = form.cleaned_data.get("year") or current_list_year()
    else:
        year = _year(request, request.GET.get("year"))
        current = ResidentCount.objects.filter(unit=unit, year=year).first()
        initial = {"year": year}
        if current is not None:
            initial.update(
                households=current.households, persons=current.persons, source=current.source
            )
        form = ResidentCountForm(initial=initial)
    rows = list(ResidentCount.objects.filter(unit=unit).select_related("entered_by"))
    history = list(
        ResidentCount.history.filter(unit_id=unit.pk)
        .select_related("history_user")
        .order_by("-history_date")[:HISTORY_SHOWN]
    )
    return render(
        request,
        "reports/dashboard_residents.html",
        {
            "unit": unit,
            "year": year,
            "form": form if can_enter else None,
            "rows": sorted(rows, key=lambda r: -r.year),
            "entered_this_year": any(r.year == year for r in rows),
            "history": history,
        },
        status=status,
    )


# --- targets ------------------------------------------------------------------------------------


def _target_unit(request: HttpRequest, pk: Any) -> AdminUnit:
    unit = dashboard_unit(request, pk)
    if unit.level not in TARGET_LEVELS:
        raise Http404(_("No such unit in your area."))
    return unit


def _save_target(request: HttpRequest, unit: AdminUnit, form: TargetForm, target=None):
    """The saved target, or None with the service's errors beside the fields."""
    if not form.is_valid():
        return None
    try:
        return services.target_save(
            actor=request.user, unit=unit, target=target, **form.cleaned_data
        )
    except ValidationError as error:
        apply_service_errors(error, form)
        return None


@login_required
def target_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A province's or district's targets, with their history, and the form to set one."""
    unit = _target_unit(request, pk)
    can_set = may_set_targets(request.user, unit)
    status = 200
    year = current_list_year()
    form = TargetForm(initial={"from_year": year, "to_year": year + 4})
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied(_not_a_target_setter())
        form = TargetForm(request.POST)
        if _save_target(request, unit, form) is not None:
            messages.success(request, _("The target is saved."))
            return redirect("reports:target-list", pk=unit.pk)
        status = 400
    return render(
        request,
        "reports/dashboard_targets.html",
        {
            "unit": unit,
            "targets": list(PovertyTarget.objects.filter(unit=unit).select_related("entered_by")),
            "history": list(
                PovertyTarget.history.filter(unit_id=unit.pk)
                .select_related("history_user")
                .order_by("-history_date")[:HISTORY_SHOWN]
            ),
            "form": form if can_set else None,
            "year": year,
        },
        status=status,
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change or remove one target."""
    visible = PovertyTarget.objects.filter(scope_for(request.user).view_q("unit_path"))
    target = get_object_or_404(visible.select_related("unit"), pk=pk_or_404(pk))
    unit = target.unit
    if not may_set_targets(request.user, unit):
        raise PermissionDenied(_not_a_target_setter())
    status = 200
    if request.method == "POST":
        if "delete" in request.POST:
            services.target_delete(actor=request.user, target=target)
            messages.success(request, _("The target is removed."))
            return redirect("reports:target-list", pk=unit.pk)
        form = TargetForm(request.POST)
        if _save_target(request, unit, form, target) is not None:
            messages.success(request, _("The target is saved."))
            return redirect("reports:target-list", pk=unit.pk)
        status = 400
    else:
        form = TargetForm(
            initial={
                name: getattr(target, name)
                for name in ("measure", "kind", "value", "from_year", "to_year", "basis")
            }
        )
    return render(
        request,
        "reports/dashboard_target_form.html",
        {"unit": unit, "target": target, "form": form},
        status=status,
    )
