"""Querysets of support data, restricted by the one scoping function."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from registry.querysets import ScopedQuerySet
from registry.scoping import province_path, scope_for


class ProgrammeQuerySet(models.QuerySet):
    """National programmes are seen by everyone signed in; a province's local programmes by the
    users of that province (and of the units under it)."""

    def available_to(self, user) -> ProgrammeQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        provinces = {province_path(path) for path in scope.view_paths if path.count("/") >= 2}
        if not provinces:
            return self.filter(province__isnull=True)
        return self.filter(
            Q(province__isnull=True) | reduce(or_, (Q(province__path=p) for p in provinces))
        )

    def manageable_by(self, user) -> ProgrammeQuerySet:
        """Local programmes the user may change (province staff of that province)."""
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(province__isnull=False).filter(scope.edit_q("province__path"))

    def in_force(self, day) -> ProgrammeQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class ParameterQuerySet(models.QuerySet):
    def in_force(self, day) -> ParameterQuerySet:
        """Parameters that apply on `day` (`valid_to` is the last day they apply)."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class SupportQuerySet(ScopedQuerySet):
    """Rows that carry the unit path of the household or unit they belong to."""

    scope_path_field = "unit_path"
