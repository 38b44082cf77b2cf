"""What the dashboard pages share: the unit asked for, and who may enter figures for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
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


def _allowed(check: Callable[[Any, AdminUnit], None], user, unit: AdminUnit) -> bool:
    """Whether the service's own check lets `user` write for `unit`: the pages offer a form
    only where the service would accept it, and the rule stays written once."""
    try:
        check(user, unit)
    except (PermissionDenied, Http404):
        return False
    return True


def may_enter_residents(user, unit: AdminUnit) -> bool:
    return services.may_enter(user, unit)


def may_set_targets(user, unit: AdminUnit) -> bool:
    return unit.level in TARGET_LEVELS and _allowed(services._target_setter, user, unit)
