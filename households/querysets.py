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


class HouseholdYearQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"

    def of_year(self, year: int):
        return self.filter(list_year=year)

    def in_force_on(self, day):
        """Statuses that held on `day` (the list of day's year, not ended before it)."""
        return self.filter(list_year=day.year, valid_from__lte=day, valid_to__gte=day)


class StatusPeriodQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"

    def of_year(self, year: int):
        return self.filter(list_year=year)

    def covering(self, day):
        """The segments in force on `day` (at most one per household)."""
        return self.filter(valid_from__lte=day, valid_to__gte=day)

    def overlapping(self, start, end):
        """The segments in force on at least one day of `start`-`end` (both included)."""
        return self.filter(valid_from__lte=end, valid_to__gte=start)


# --- interchange: jobs ---
class JobQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"

    def of_owner(self, user):
        """The jobs `user` started (a job is seen by its owner only)."""
        return self.filter(owner_id=user.pk) if user.is_authenticated else self.none()
