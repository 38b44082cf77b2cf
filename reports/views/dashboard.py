"""The dashboard of a province, district or commune for a year: its KPIs with the change from
last year, its child units (sortable, each opening its own dashboard), the trends, the
deprivations and the support delivered against the plan. Thin: the selectors compute, the
figures module lays out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import urlencode

from households.selectors import current_list_year
from registry.choices import Level
from registry.models import AdminUnit
from registry.scoping import scope_for

from .. import selectors
from ..filtersets import KpiFilterSet, KpiParams
from . import figures
from ._common import dashboard_unit, may_enter_residents, may_set_targets

# The request parameters a dashboard passes on to the dashboards it links to.
CARRIED = ("year", "as_of", "programme")


def kpi_parameters(request: HttpRequest) -> tuple[KpiParams, QueryDict, Any]:
    """The year, as-of date and programme asked for, through the one KPI filterset (the API's).
    A value it refuses is said in a message naming its field and left out: the page shows the
    default instead of refusing to show anything. Returns the parameters, the query the
    dashboard's links carry on, and the programme chosen."""
    filterset = KpiFilterSet(request.GET, queryset=AdminUnit.objects.none(), request=request)
    form = filterset.form
    if not filterset.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            for error in errors:
                messages.error(request, f"{label}: {error}")
    carried = QueryDict(mutable=True)
    for name in CARRIED:
        if name not in form.errors and request.GET.get(name):
            carried[name] = request.GET[name]
    return filterset.params, carried, form.cleaned_data.get("programme")


def _year_choices(year: int, series: list[Any]) -> list[int]:
    years = {k.year for k in series} | {year, current_list_year()}
    return list(range(min(years), max(years) + 1))


def _households_query(unit: AdminUnit, year: int) -> str | None:
    """The household list's filter for a commune and list year (the list offers only current
    communes: an old commune's households are found from its successor's list)."""
    if unit.level != Level.COMMUNE or not unit.is_current:
        return None
    return urlencode({"commune": unit.pk, "year": year})


@login_required
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    unit = dashboard_unit(request, pk)
    params, carried, programme = kpi_parameters(request)
    year, as_of = params.year, params.as_of
    ask = {
        "user": request.user,
        "unit": unit,
        "year": year,
        "as_of": as_of,
        "programme": params.programme,
    }
    kpis = selectors.unit_kpis(**ask)
    children = selectors.children_kpis(**ask)
    series = selectors.kpi_series(user=request.user, unit=unit)

    column, descending = figures.parse_sort(request.GET.get("sort"))
    children = figures.sort_children(children, column, descending)
    scope = scope_for(request.user)
    ancestors = [a for a in unit.ancestors() if scope.can_view(a.path)] if unit.parent_id else []
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "year": year,
        "as_of": as_of,
        "programme": programme,
        "kpis": kpis,
        "previous": figures.compared(kpis),
        "has_moves": any(k.has_transitions for k in series),
        "can_enter_residents": may_enter_residents(request.user, unit),
        "can_set_targets": may_set_targets(request.user, unit),
        "sections": figures.sections(kpis),
        "headline": [
            figures.figure_row(f, kpis)
            for f in (figures.POOR_RATE, figures.NEAR_POOR_RATE, figures.MULTIDIMENSIONAL_RATE)
        ],
        "minority": figures.figure_row(figures.MINORITY_POOR_RATE, kpis),
        "children": [(k, figures.child_cells(k)) for k in children],
        "total_cells": figures.child_cells(kpis),
        "headers": [
            (h, urlencode({**carried.dict(), "sort": h.sort}))
            for h in figures.headers(column, descending)
        ],
        "sort": request.GET.get("sort", ""),
        "series": series,
        "deprivations": figures.deprivation_rows(kpis),
        "years": _year_choices(year, series),
        "programmes": KpiFilterSet.base_filters["programme"]
        .queryset(request)
        .order_by("position", "code"),
        "query": carried.urlencode(),
        "households_query": _households_query(unit, year),
    }
    return render(request, "reports/dashboard.html", context)
