"""Pages: the programme catalogue ("Hỗ trợ"), a programme with its parameters, local
programmes, plan against actual with drill-down, and allocation editing with its history and
overrides. Thin: a selector reads, a service writes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from registry.choices import Level, Role
from registry.errors import apply_service_errors
from registry.limits import YEAR_RANGE_MESSAGE, pk_or_404, year_in_range
from registry.models import AdminUnit
from registry.scoping import scope_for

from ..forms.allocations import AllocationForm, OverrideForm, ParameterForm, ProgrammeForm
from ..models import Allocation, Programme
from ..selectors import allocations as selectors
from ..services import allocations as services

PLAN_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def _programme(request: HttpRequest, raw: Any) -> Programme:
    return get_object_or_404(selectors.programme_list(user=request.user), pk=pk_or_404(raw))


def _unit(request: HttpRequest, raw: Any) -> AdminUnit:
    units = AdminUnit.objects.visible_to(request.user).filter(level__in=PLAN_LEVELS)
    return get_object_or_404(units.select_related("parent"), pk=pk_or_404(raw))


def _year(raw: Any) -> int:
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    if not year_in_range(year):
        raise Http404
    return year


def _provinces_managed(user) -> list[AdminUnit]:
    scope = scope_for(user)
    if scope.everything:
        return list(AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True))
    paths = [p for r, p in scope.roles if r == Role.PROVINCE_STAFF]
    return list(AdminUnit.objects.filter(path__in=paths, level=Level.PROVINCE))


def _plan_url(programme: Programme | None, year: int, unit: AdminUnit) -> str:
    query = {"year": year, "unit": unit.pk}
    if programme is not None:
        query["programme"] = programme.pk
    return f"{reverse('support:plan')}?{urlencode(query)}"


# --- the catalogue ------------------------------------------------------------------------------


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    """The "Hỗ trợ" landing page: every programme the user's area reports on."""
    programmes = list(selectors.programme_list(user=request.user))
    provinces = _provinces_managed(request.user)
    return render(
        request,
        "support/allocations_programme_list.html",
        {
            "programmes": programmes,
            "can_add": bool(provinces),
            "plan_units": selectors.plan_units(user=request.user),
            "year": timezone.localdate().year,
        },
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    return render(
        request,
        "support/allocations_programme_detail.html",
        {
            "programme": programme,
            "parameters": list(selectors.parameter_history(programme=programme)),
            "can_manage": services.may_manage_programme(request.user, programme),
            "can_edit": programme.province_id is not None
            and services.may_manage_programme(request.user, programme),
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    provinces = _provinces_managed(request.user)
    if not provinces:
        raise PermissionDenied(_("Only province staff add local programmes."))
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        province = provinces[0]
        try:
            programme = services.programme_create_local(
                actor=request.user, province=province, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The programme is added."))
            return redirect("support:programme-detail", pk=programme.pk)
    return render(
        request,
        "support/allocations_programme_form.html",
        {"form": form, "province": provinces[0], "programme": None},
    )


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if programme.province_id is None or not services.may_manage_programme(request.user, programme):
        raise PermissionDenied(
            _(
                "Only the province's staff change its local programmes; national ones are "
                "changed by system administrators."
            )
        )
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update_local(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("support:programme-detail", pk=programme.pk)
    return render(
        request,
        "support/allocations_programme_form.html",
        {"form": form, "province": programme.province, "programme": programme},
    )


@login_required
def parameter_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    if not services.may_manage_programme(request.user, programme):
        raise PermissionDenied(_("National programmes are changed only by system administrators."))
    form = ParameterForm(request.POST or None, initial={"key": request.GET.get("key", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.parameter_add(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The new value is recorded."))
            return redirect("support:programme-detail", pk=programme.pk)
    return render(
        request,
        "support/allocations_parameter_form.html",
        {
            "form": form,
            "programme": programme,
            "parameters": list(selectors.parameter_history(programme=programme)),
        },
    )


# --- plan against actual --------------------------------------------------------------------------


def _may_allocate(user, unit: AdminUnit) -> bool:
    """Whether to offer to set the unit's allocation: province staff above it, district staff
    for their communes (the service decides, and answers 403 otherwise)."""
    scope = scope_for(user)
    return (
        scope.everything
        or scope.has_role(Role.PROVINCE_STAFF, unit.path)
        or (unit.level == Level.COMMUNE and scope.has_role(Role.DISTRICT_STAFF, unit.path))
    )


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """A programme's plan against actual for a unit and the units one level below; without a
    programme, every programme's for the unit."""
    units = selectors.plan_units(user=request.user)
    if request.GET.get("unit"):
        unit = _unit(request, request.GET["unit"])
    elif units:
        unit = units[0]
    else:
        raise Http404
    status = 200
    try:
        year = _year(request.GET.get("year"))
    except Http404:  # a year typed wrong: say so, and show this year
        messages.error(request, f"{_('Year')}: {YEAR_RANGE_MESSAGE}")
        year, status = timezone.localdate().year, 400
    if not request.GET.get("year") and unit.valid_to is not None:
        year = min(year, unit.valid_to.year)  # a unit abolished in 2025: its last year
    programme = (
        _programme(request, request.GET["programme"]) if request.GET.get("programme") else None
    )
    scope = scope_for(request.user)
    ancestors = [a for a in unit.ancestors() if scope.can_view(a.path)] if unit.parent_id else []
    context: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "programme": programme,
        "programmes": list(selectors.programme_list(user=request.user)),
        "ancestors": ancestors,
        "years": range(year - 2, year + 2),
    }
    if programme is None:
        context["summary"] = selectors.support_summary(user=request.user, unit=unit, year=year)
    else:
        result = selectors.plan_against_actual(
            user=request.user, programme=programme, year=year, unit=unit
        )
        context["plan"] = result
        context["can_allocate_own"] = _may_allocate(request.user, unit)
        context["can_allocate_below"] = any(
            _may_allocate(request.user, r.unit) for r in result.rows
        )
    return render(request, "support/allocations_plan.html", context, status=status)


@login_required
def allocation_set(request: HttpRequest) -> HttpResponse:
    """Set or change a unit's allocation of a programme for a year, with the reason."""
    params = request.POST if request.method == "POST" else request.GET
    programme = _programme(request, params.get("programme"))
    unit = _unit(request, params.get("unit"))
    year = _year(params.get("year"))
    if not _may_allocate(request.user, unit):
        raise PermissionDenied(
            _("District and province staff set allocations: the unit above allocates to each unit.")
        )
    current = (
        Allocation.objects.visible_to(request.user)
        .filter(programme=programme, year=year, unit=unit)
        .first()
    )
    initial = {name: getattr(current, name) for name in services.MEASURES} if current else {}
    form = AllocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_set(
                actor=request.user, programme=programme, year=year, unit=unit, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The allocation is saved."))
            back = (
                unit.parent
                if unit.parent_id and scope_for(request.user).can_view(unit.parent.path)
                else unit
            )
            return redirect(_plan_url(programme, year, back))
    return render(
        request,
        "support/allocations_allocation_form.html",
        {
            "form": form,
            "programme": programme,
            "unit": unit,
            "year": year,
            "current": current,
            "back": _plan_url(programme, year, unit),
        },
        status=400 if form.errors else 200,
    )


@login_required
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An allocation with every change (who, when, why) and its overrides."""
    allocation = get_object_or_404(selectors.allocation_list(user=request.user), pk=pk_or_404(pk))
    return render(
        request,
        "support/allocations_allocation_detail.html",
        {
            "allocation": allocation,
            "history": list(selectors.allocation_history(allocation=allocation)),
            "overrides": list(
                selectors.allocation_overrides(user=request.user, allocation=allocation)
            ),
            "can_override": services.may_override(request.user, allocation),
            "back": _plan_url(allocation.programme, allocation.year, allocation.unit),
        },
    )


@login_required
def allocation_override(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = get_object_or_404(selectors.allocation_list(user=request.user), pk=pk_or_404(pk))
    if not services.may_override(request.user, allocation):
        raise PermissionDenied(
            _(
                "The district records overrides of its communes' allocations (the province, "
                "where there are no districts)."
            )
        )
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.allocation_override_create(
                actor=request.user,
                allocation=allocation,
                extra_amount=data["extra_amount"] or 0,
                extra_quantity=data["extra_quantity"] or 0,
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The override is recorded."))
            return redirect("support:allocation-detail", pk=allocation.pk)
    return render(
        request,
        "support/allocations_override_form.html",
        {"form": form, "allocation": allocation},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("", programme_list, name="home"),
    path("programmes/new/", programme_create, name="programme-create"),
    path("programmes/<int:pk>/", programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/parameters/new/", parameter_add, name="parameter-add"),
    path("plan/", plan, name="plan"),
    path("allocations/set/", allocation_set, name="allocation-set"),
    path("allocations/<int:pk>/", allocation_detail, name="allocation-detail"),
    path("allocations/<int:pk>/override/", allocation_override, name="allocation-override"),
]
