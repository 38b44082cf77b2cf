"""The one function that turns a user into the units they may see and change.

Every queryset of registry data goes through `scope_for(user)`, via `visible_to` / `editable_by`.
Access is by subtree: a user assigned to a unit sees that unit and everything under it.

Records made before 1 July 2025 sit under the old (2004-scheme) communes. Whoever now holds
their territory sees them: a user assigned to a 2025-scheme unit also sees, read-only, the old
communes that communes inside their unit took over, in whole or in part (the succession table,
`registry.models.UnitSuccession`). An old district or province whose communes are all taken over
is seen as one path. An old commune split between several new communes (a partial succession) is
seen by each of its successors, since the registry cannot know on which side of the new border a
household lived; the scope names those shared communes (`shared_paths`). Roles and edit rights
stay with the units the user is assigned to.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, reduce
from operator import or_
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q

from .choices import Level, Role, Scheme

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
    # Everything the user may see: their units, and the old units their units took over.
    view_paths: tuple[str, ...]
    edit_paths: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]  # (role, unit path)
    # The units the user is assigned to (their "area"), without the old units they took over.
    assigned_paths: tuple[str, ...] = ()
    # Old communes seen through a partial succession that also has a successor outside the
    # user's units: their records are seen by the other successors too.
    shared_paths: tuple[str, ...] = ()

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

    def is_shared(self, path: str) -> bool:
        """Whether `path` lies in an old commune this user sees only as one of its successors."""
        return bool(self.shared_paths) and path.startswith(self.shared_paths)

    def has_role(self, role: str, path: str) -> bool:
        """Whether the user holds `role` at the unit with `path` or at a unit above it."""
        return any(r == role and path.startswith(p) for r, p in self.roles)

    def may_act_as(self, role: str, path: str) -> bool:
        """Whether the user may do what `role` does at the unit with `path`: they hold it there
        (or above), or they are a system administrator."""
        return self.everything or self.has_role(role, path)

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


def _parent_path(path: str) -> str:
    """The path of the unit directly above ("2004/91/899/30733/" -> "2004/91/899/")."""
    return path[: path.rstrip("/").rfind("/") + 1]


@lru_cache(maxsize=4096)
def _taken_over_cached(current_paths: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """`_taken_over`, kept per process (settings.SUCCESSIONS_CACHED; off in the tests, whose
    query counts read the successions each time): the successions are reference data that only
    `load_units` changes (restart the app after loading units), and the answer is a set of
    paths, which stay the same when the units are loaded again."""
    paths, shared = _taken_over(set(current_paths))
    return frozenset(paths), frozenset(shared)


def _taken_over(current_paths: set[str]) -> tuple[set[str], set[str]]:
    """The old-scheme paths whose communes the 2025 units at `current_paths` took over, as few
    as possible, and the old communes among them that are shared with a successor outside.

    Two queries: the successions of the old communes linked to the user's communes (with every
    successor, to find the shared ones), and the number of old communes in each district of the
    old provinces involved (to collapse a district or province whose communes are all covered).
    """
    from .models import AdminUnit, UnitSuccession

    mine = reduce(or_, (Q(new_unit__path__startswith=path) for path in current_paths))
    linked = UnitSuccession.objects.filter(mine).values("old_unit_id")
    rows = UnitSuccession.objects.filter(old_unit_id__in=linked).values_list(
        "old_unit__path", "new_unit__path"
    )
    inside = tuple(current_paths)
    covered: set[str] = set()
    outside: set[str] = set()
    for old_path, new_path in rows:
        (covered if new_path.startswith(inside) else outside).add(old_path)
    if not covered:
        return set(), set()

    provinces = {province_path(path) for path in covered}
    communes_per_district = dict(
        AdminUnit.objects.filter(
            reduce(or_, (Q(path__startswith=path) for path in provinces)),
            scheme=Scheme.LEGACY,
            level=Level.COMMUNE,
        )
        .values_list("parent__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    covered_per_district = Counter(_parent_path(path) for path in covered)
    full_districts = {
        district
        for district, n in covered_per_district.items()
        if n == communes_per_district[district]
    }
    full_provinces = {
        province
        for province in provinces
        if all(d in full_districts for d in communes_per_district if d.startswith(province))
    }
    collapsed = tuple(full_provinces | full_districts)
    paths = set(collapsed) | {path for path in covered if not path.startswith(collapsed)}
    return paths, covered & outside


def scope_for(user: AbstractBaseUser | AnonymousUser | None) -> Scope:
    """The scope of `user`, computed once per user object: one query, or three for a user
    assigned to a 2025-scheme unit (the old units their units took over)."""
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
    assigned = _minimal({path for _, path in roles})
    taken_over: set[str] = set()
    shared: set[str] = set()
    current = {path for path in assigned if path.startswith(f"{Scheme.CURRENT}/")}
    if current and not everything:
        if settings.SUCCESSIONS_CACHED:
            taken_over, shared = _taken_over_cached(frozenset(current))
        else:
            taken_over, shared = _taken_over(current)
    scope = Scope(
        everything=everything,
        view_paths=_minimal(set(assigned) | taken_over),
        edit_paths=_minimal({path for role, path in roles if role in EDITING_ROLES}),
        roles=roles,
        assigned_paths=assigned,
        shared_paths=tuple(sorted(shared)),
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
    if scope.everything and not scope.assigned_paths:
        return list(AdminUnit.objects.filter(level="province", valid_to__isnull=True))
    return list(AdminUnit.objects.filter(path__in=scope.assigned_paths).order_by("path"))
