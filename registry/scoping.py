"""The one function that turns a user into the units they may see and change.

Every queryset of registry data goes through `scope_for(user)`, via `visible_to` / `editable_by`.
Access is by subtree: a user assigned to a unit sees that unit and everything under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Q

from .choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import AdminUnit

# Roles that enter and change household data in their area.
EDITING_ROLES = frozenset({Role.COMMUNE_OFFICER})
_CACHE_ATTR = "_ansinh_scope"


@dataclass(frozen=True)
class Scope:
    """The unit paths a user may see and change, and their roles at each path."""

    everything: bool
    view_paths: tuple[str, ...]
    edit_paths: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]  # (role, unit path)

    def view_q(self, field: str = "path") -> Q:
        return self._q(field, self.view_paths)

    def edit_q(self, field: str = "path") -> Q:
        return self._q(field, self.edit_paths)

    def _q(self, field: str, paths: tuple[str, ...]) -> Q:
        if self.everything:
            return Q()
        if not paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))

    def can_view(self, path: str) -> bool:
        return self.everything or path.startswith(self.view_paths)

    def can_edit(self, path: str) -> bool:
        return self.everything or path.startswith(self.edit_paths)

    def has_role(self, role: str, path: str) -> bool:
        """Whether the user holds `role` at the unit with `path` or at a unit above it."""
        return any(r == role and path.startswith(p) for r, p in self.roles)

    @property
    def is_admin(self) -> bool:
        return self.everything


NO_SCOPE = Scope(everything=False, view_paths=(), edit_paths=(), roles=())


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie under another path of the set, so the query has fewer terms."""
    ordered = sorted(paths)
    kept: list[str] = []
    for path in ordered:
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def province_path(path: str) -> str:
    """The path of the province a unit path lies in: its first two segments, the scheme and
    the province code ("2025/91/30313/" -> "2025/91/")."""
    parts = path.strip("/").split("/")
    if len(parts) < 2:
        raise ValueError(f"unit path {path!r} names no province")
    return f"{parts[0]}/{parts[1]}/"


def scope_for(user: AbstractBaseUser | AnonymousUser | None) -> Scope:
    """The scope of `user`, computed once per user object (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import Assignment

    rows = list(
        Assignment.objects.filter(user=user, is_active=True).values_list("role", "unit__path")
    )
    everything = user.is_superuser or any(role == Role.SYSTEM_ADMIN for role, _ in rows)
    roles = tuple((role, path) for role, path in rows if path)
    scope = Scope(
        everything=everything,
        view_paths=_minimal({path for _, path in roles}),
        edit_paths=_minimal({path for role, path in roles if role in EDITING_ROLES}),
        roles=roles,
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: AbstractBaseUser) -> None:
    """Drop the cached scope (after assignments change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def assigned_units(user: AbstractBaseUser | AnonymousUser) -> list[AdminUnit]:
    """The units the user is assigned to (their 'area'), top-most first."""
    from .models import AdminUnit

    scope = scope_for(user)
    if scope.everything and not scope.view_paths:
        return list(AdminUnit.objects.filter(level="province", valid_to__isnull=True))
    return list(AdminUnit.objects.filter(path__in=scope.view_paths).order_by("path"))
