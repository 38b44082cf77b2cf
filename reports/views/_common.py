"""What the dashboard pages share: the unit asked for, and who may enter figures for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from registry.choices import Level
from registry.limits import pk_or_404
from registry.models import AdminUnit

from .. import services
from .home import DASHBOARD_LEVELS

TARGET_LEVELS = (Level.PROVINCE, Level.DISTRICT)


def dashboard_unit(request: HttpRequest, pk: Any) -> AdminUnit:
    """A unit with a dashboard that the user may see; any other answers 404 as a missing one."""
    units = AdminUnit.objects.visible_to(request.user).filter(level__in=DASHBOARD_LEVELS)
    return get_object_or_404(units, pk=pk_or_404(pk))


def may_enter_residents(user, unit: AdminUnit) -> bool:
    return services.may_enter(user, unit)


def may_set_targets(user, unit: AdminUnit) -> bool:
    return unit.level in TARGET_LEVELS and services.may_set_targets(user, unit)
