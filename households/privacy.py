"""Who sees a personal ID number (CCCD) in full: the officers and the chair of the household's
own commune. Everyone else who may see the household (district and province staff, system
administrators in the app, the history's diffs) sees its last four digits."""

from __future__ import annotations

from registry.choices import Role
from registry.scoping import scope_for

# The roles of the household's own commune, who register and recognise its members.
COMMUNE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR})
SHOWN_DIGITS = 4  # the last digits shown of a masked ID number
MASK = "•"


def mask_id_number(value: str | None) -> str:
    """The ID number with all but its last four digits hidden ("••••••••6789")."""
    if not value:
        return value or ""
    return MASK * max(len(value) - SHOWN_DIGITS, 0) + value[-SHOWN_DIGITS:]


def sees_id_numbers(user, unit_path: str) -> bool:
    """Whether `user` sees in full the ID numbers of a household at `unit_path`: they hold a
    commune role at its commune, or, holding only commune roles, they see the old commune
    their commune took over (the same territory, before 1 July 2025)."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    if any(role in COMMUNE_ROLES and unit_path.startswith(p) for role, p in scope.roles):
        return True
    return (
        not scope.everything
        and bool(scope.roles)
        and all(role in COMMUNE_ROLES for role, _path in scope.roles)
        and scope.can_view(unit_path)
    )


def id_number_for(user, member) -> str:
    """The member's ID number as `user` may see it."""
    if sees_id_numbers(user, member.household.unit_path):
        return member.id_number or ""
    return mask_id_number(member.id_number)
