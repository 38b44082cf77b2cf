"""Reading records of one scheme under the units of the other (the 1 July 2025 reform).

Households and reviews recorded before 1 July 2025 sit under the old communes (2004 scheme);
reports since then are by the new communes (2025 scheme). The succession table maps one to the
other, so any subtree can be summed under either scheme by the unit paths these functions return.
An old commune split between several new ones (a partial succession) is counted under each of
them and flagged, since the registry cannot know on which side of the new border a household
lives until it is re-registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .choices import Level, Scheme, SuccessionKind
from .models import AdminUnit, UnitSuccession


@dataclass(frozen=True)
class Equivalent:
    """The unit paths that together make up `unit` in the other scheme."""

    unit: AdminUnit
    paths: tuple[str, ...]
    partial: tuple[str, ...]  # paths of old communes only partly merged into `unit`

    def q(self, field: str = "unit_path") -> Q:
        """Rows under `unit` in either scheme."""
        query = Q(**{f"{field}__startswith": self.unit.path})
        for path in self.paths:
            query |= Q(**{f"{field}__startswith": path})
        return query


def _communes_under(unit: AdminUnit) -> list[int]:
    if unit.level == Level.COMMUNE:
        return [unit.pk]
    return list(
        AdminUnit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE).values_list(
            "pk", flat=True
        )
    )


def equivalent(unit: AdminUnit) -> Equivalent:
    """The other scheme's communes that make up `unit` (a commune or province), in two queries.

    For a 2025 unit: the old communes it took over. For a 2004 unit: the new communes that took
    it over (in whole or part).
    """
    communes = _communes_under(unit)
    if unit.scheme == Scheme.CURRENT:
        rows = UnitSuccession.objects.filter(new_unit__in=communes).values_list(
            "old_unit__path", "kind"
        )
    else:
        rows = UnitSuccession.objects.filter(old_unit__in=communes).values_list(
            "new_unit__path", "kind"
        )
    paths = sorted({path for path, _kind in rows})
    partial = sorted({path for path, kind in rows if kind == SuccessionKind.PARTIAL})
    return Equivalent(unit=unit, paths=tuple(paths), partial=tuple(partial))


def counterparts(unit: AdminUnit):
    """The communes of the other scheme linked to a commune: successors or predecessors."""
    if unit.scheme == Scheme.LEGACY:
        return AdminUnit.objects.filter(predecessors__old_unit=unit).distinct()
    return AdminUnit.objects.filter(successors__new_unit=unit).distinct()
