"""Where a user's dashboards start: their own unit's, or a choice among their units."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from registry.choices import Level, Role
from registry.models import AdminUnit
from registry.scoping import assigned_units, scope_for

# The levels that have a dashboard: the summaries are kept per commune and summed above it.
DASHBOARD_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
# Staff whose home page is their dashboard (district staff review rollups in the browser,
# province staff read KPIs); commune officers and chairs keep their work list, with a link.
DASHBOARD_ROLES = frozenset({Role.DISTRICT_STAFF, Role.PROVINCE_STAFF})


def staff_dashboard_wanted(user) -> bool:
    """Whether `user`'s home page opens on their dashboard: they are district or province staff."""
    return any(role in DASHBOARD_ROLES for role, _path in scope_for(user).roles)


def dashboard_units(user) -> list[AdminUnit]:
    """The units whose dashboards a user starts from: their own, top-most first (for an
    administrator without an area, every current province)."""
    return [unit for unit in assigned_units(user) if unit.level in DASHBOARD_LEVELS]


@login_required
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """The user's dashboard, or the list of their units when they have several."""
    units = dashboard_units(request.user)
    if len(units) == 1:
        return redirect("reports:unit-dashboard", pk=units[0].pk)
    return render(request, "reports/dashboard_home.html", {"units": units})
