"""Closing lists bottom-up along the hierarchy, and reopening one commune with a reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from households.campaign.selectors import closed_unit_ids
from households.campaign.services._common import _require_role
from households.choices import FINAL_STATUSES
from households.models import (
    Campaign,
    ListClosure,
    Review,
)
from registry.choices import Level, Role
from registry.models import AdminUnit, User
from registry.scoping import scope_for

# --- closing along the hierarchy ---------------------------------------------------------------


def _communes_under(unit: AdminUnit) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(
            path__startswith=unit.path, level=Level.COMMUNE, valid_to=unit.valid_to
        )
    )


@transaction.atomic
def list_close(*, actor: User, campaign: Campaign, unit: AdminUnit) -> ListClosure:
    """Close (lock) a unit's list for the year: a commune once every review is decided, a district
    or province once every commune below it has closed."""
    if not unit.path.startswith(campaign.unit_path):
        raise ValidationError({"unit": _("This unit is not in the campaign's province.")})
    role = {
        Level.COMMUNE: Role.COMMUNE_CHAIR,
        Level.DISTRICT: Role.DISTRICT_STAFF,
        Level.PROVINCE: Role.PROVINCE_STAFF,
    }.get(unit.level)
    if role is None:
        raise ValidationError({"unit": _("Villages have no list of their own to close.")})
    _require_role(actor, role, unit)
    if unit.level == Level.COMMUNE:
        pending = Review.objects.filter(campaign=campaign, household__commune=unit).exclude(
            status__in=FINAL_STATUSES
        )
        if pending.exists():
            raise ValidationError(
                {"unit": _("%(n)d reviews of this commune are not recognised yet.")
                 % {"n": pending.count()}}
            )  # fmt: skip
    else:
        closed = closed_unit_ids(campaign)
        still_open = [c for c in _communes_under(unit) if c.pk not in closed]
        if still_open:
            names = ", ".join(c.name for c in still_open[:5])
            raise ValidationError(
                {"unit": _("%(n)d communes below have not closed yet: %(names)s…")
                 % {"n": len(still_open), "names": names}}
            )  # fmt: skip
    closure, _created = ListClosure.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={"unit_path": unit.path, "is_closed": True, "changed_by": actor, "reason": ""},
    )
    return closure


@transaction.atomic
def list_reopen(*, actor: User, campaign: Campaign, commune: AdminUnit, reason: str) -> ListClosure:
    """District or province staff reopen one commune's list, with a recorded reason; the units
    above it reopen too, since they are closed only while every commune below is."""
    scope = scope_for(actor)
    if not (
        scope.everything
        or scope.has_role(Role.DISTRICT_STAFF, commune.path)
        or scope.has_role(Role.PROVINCE_STAFF, commune.path)
    ):
        raise PermissionDenied(_("Only district or province staff may reopen a commune's list."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the list is reopened.")})
    closure = ListClosure.objects.filter(campaign=campaign, unit=commune, is_closed=True).first()
    if closure is None:
        raise ValidationError({"unit": _("This commune's list is not closed.")})
    for row in ListClosure.objects.filter(
        Q(pk=closure.pk)
        | Q(campaign=campaign, unit_path__in=commune.ancestor_paths, is_closed=True)
    ):
        row.is_closed = False
        row.reason = reason.strip()
        row.changed_by = actor
        row._history_user = actor
        row.save()
    closure.refresh_from_db()
    return closure
