"""Querysets of households, members and reviews, restricted by the one scoping function."""

from registry.querysets import ScopedQuerySet


class HouseholdQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"


class MemberQuerySet(ScopedQuerySet):
    scope_path_field = "household__unit_path"

    def current(self):
        return self.filter(left_on__isnull=True)


class ReviewQuerySet(ScopedQuerySet):
    scope_path_field = "household__unit_path"
