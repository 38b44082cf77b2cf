"""Helpers shared by the campaign pages: looking things up within the user's area."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from households.campaign import selectors
from households.models import Campaign
from registry.choices import Level, Role
from registry.limits import pk_or_404
from registry.models import AdminUnit
from registry.scoping import scope_for

PAGE_SIZE = 25
# The role that closes a unit's list, by level (households.campaign.services.list_close).
CLOSING_ROLE = {
    Level.COMMUNE: Role.COMMUNE_CHAIR,
    Level.DISTRICT: Role.DISTRICT_STAFF,
    Level.PROVINCE: Role.PROVINCE_STAFF,
}


def _may(user, role: str, unit: AdminUnit) -> bool:
    """Whether to offer a button: the service checks again and answers 403."""
    scope = scope_for(user)
    return scope.may_act_as(role, unit.path)


def _filtered(request: HttpRequest, filterset) -> tuple[Any, int]:
    """The rows a page's filters select and the page's status: with a filter refused (say an id
    of 24 digits), no rows, the filter named with its problem above the page, and 400."""
    if filterset.is_valid():
        return filterset.qs, 200
    for name, errors in filterset.errors.items():
        field = filterset.form.fields.get(name)
        label = field.label if field is not None else name
        messages.error(request, f"{label}: {' '.join(errors)}")
    return filterset.queryset.none(), 400


_pk = pk_or_404


# --- looking things up within the user's area ------------------------------------------------


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)


def _unit(
    request: HttpRequest, campaign: Campaign, raw: Any, *, level: str | None = None
) -> AdminUnit:
    """A unit of the campaign's province that the user may see, or 404."""
    units = AdminUnit.objects.visible_to(request.user).filter(
        path__startswith=campaign.unit_path, valid_to=campaign.province.valid_to
    )
    if level:
        units = units.filter(level=level)
    return get_object_or_404(units, pk=_pk(raw))


def _own_units(request: HttpRequest, campaign: Campaign) -> list[AdminUnit]:
    """The units the user is assigned to within the campaign's province, top-most first."""
    scope = scope_for(request.user)
    return list(
        AdminUnit.objects.filter(path__in=scope.view_paths, path__startswith=campaign.unit_path)
        .exclude(level=Level.VILLAGE)
        .order_by("depth", "name")
    )


def _page_unit(request: HttpRequest, campaign: Campaign) -> AdminUnit | None:
    """The unit a campaign page is about: ?unit=, else the province, else the user's own unit;
    None when the user works in several units of the province (the page shows them all)."""
    if request.GET.get("unit"):
        unit = _unit(request, campaign, request.GET["unit"])
        if unit.level == Level.VILLAGE:
            raise Http404
        return unit
    if scope_for(request.user).can_view(campaign.unit_path):
        return campaign.province
    own = _own_units(request, campaign)
    return own[0] if len(own) == 1 else None


def _commune_param(request: HttpRequest, campaign: Campaign, params) -> AdminUnit:
    if params.get("commune"):
        return _unit(request, campaign, params["commune"], level=Level.COMMUNE)
    own = [u for u in _own_units(request, campaign) if u.level == Level.COMMUNE]
    if len(own) != 1:
        raise Http404
    return own[0]


def _village_param(request: HttpRequest, commune: AdminUnit, params) -> AdminUnit | None:
    if not params.get("village"):
        return None
    return get_object_or_404(
        AdminUnit.objects.visible_to(request.user).filter(parent=commune, level=Level.VILLAGE),
        pk=_pk(params["village"]),
    )


def _villages(request: HttpRequest, commune: AdminUnit) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.visible_to(request.user)
        .filter(parent=commune, level=Level.VILLAGE, valid_to__isnull=True)
        .order_by("name")
    )


def _place_query(commune: AdminUnit, village: AdminUnit | None) -> str:
    query = f"?commune={commune.pk}"
    return query + (f"&village={village.pk}" if village else "")
