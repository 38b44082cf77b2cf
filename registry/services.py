"""Writes to administrative units and assignments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .choices import ROLE_LEVELS, AreaType, Level, Role
from .models import AdminUnit, ApiToken, Assignment, User
from .scoping import forget_scope, scope_for
from .text import search_key

VILLAGE_TYPES = ("thôn", "ấp", "bản", "buôn", "sóc", "tổ dân phố", "khóm", "khu phố")


def assignment_validate(*, role: str, unit: AdminUnit | None) -> None:
    """A role is held at the level it belongs to; only system administrators have no unit."""
    if role == Role.SYSTEM_ADMIN:
        return
    if unit is None:
        raise ValidationError({"unit": _("This role needs a unit.")})
    allowed = ROLE_LEVELS[role]
    if unit.level not in allowed:
        raise ValidationError(
            {
                "unit": _("A %(role)s is assigned to a %(level)s, not to a %(actual)s.")
                % {
                    "role": Role(role).label,
                    "level": Level(allowed[0]).label,
                    "actual": unit.get_level_display(),
                }
            }
        )


@transaction.atomic
def assignment_create(*, user: User, role: str, unit: AdminUnit | None) -> Assignment:
    """Give a user a role at a unit."""
    assignment_validate(role=role, unit=unit)
    assignment, _created = Assignment.objects.get_or_create(user=user, role=role, unit=unit)
    if not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    forget_scope(user)
    return assignment


@transaction.atomic
def village_create(
    *, actor: User, commune: AdminUnit, name: str, division_type: str = "thôn"
) -> AdminUnit:
    """Add a village (thôn, ấp, tổ dân phố…) under a commune the actor may change."""
    if commune.level != Level.COMMUNE:
        raise ValidationError({"parent": _("A village belongs to a commune.")})
    if not scope_for(actor).can_edit(commune.path):
        raise PermissionDenied(_("Only a commune officer adds the villages of their commune."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter the village name.")})
    if division_type not in VILLAGE_TYPES:
        raise ValidationError({"division_type": _("Unknown village type.")})
    siblings = AdminUnit.objects.select_for_update(of=("self",)).filter(parent=commune)
    if any(search_key(v.name) == search_key(name) for v in siblings):
        raise ValidationError({"name": _("This commune already has a village with this name.")})
    seq = siblings.count() + 1
    code = f"{commune.code}-{seq:03d}"
    while AdminUnit.objects.filter(scheme=commune.scheme, level=Level.VILLAGE, code=code).exists():
        seq += 1
        code = f"{commune.code}-{seq:03d}"
    return AdminUnit.objects.create(
        scheme=commune.scheme,
        level=Level.VILLAGE,
        code=code,
        name=name,
        name_search=search_key(name),
        division_type=division_type,
        area_type=commune.area_type or AreaType.RURAL,
        parent=commune,
        path=f"{commune.path}{code}/",
        depth=commune.depth + 1,
        valid_from=commune.valid_from,
    )


# --- secure: API tokens ---
# The longest an API token lives (REST_KNOX["TOKEN_TTL"], 90 days); the owner may choose less.
TOKEN_LIFETIMES_DAYS = (7, 30, 90)


@transaction.atomic
def api_token_create(*, actor: User, name: str, days: int) -> tuple[ApiToken, str]:
    """Make an API token for the actor: the token itself is returned once, only its hash kept."""
    from knox.settings import knox_settings

    if not actor.is_active:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, to tell it apart later.")})
    if days not in TOKEN_LIFETIMES_DAYS:
        raise ValidationError({"days": _("Choose one of the lifetimes offered.")})
    expiry = min(dt.timedelta(days=days), knox_settings.TOKEN_TTL)
    return ApiToken.objects.create(user=actor, expiry=expiry, name=name)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens: it stops working at once."""
    if token.user_id != actor.pk:
        raise PermissionDenied
    token.delete()
