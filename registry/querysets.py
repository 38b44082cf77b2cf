"""Querysets that restrict registry data to what a user may see or change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from .scoping import scope_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows carry a unit path; `visible_to` and `editable_by` restrict by it.

    Subclasses name the field that holds the unit path (`scope_path_field`).
    """

    scope_path_field = "path"

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ScopedQuerySet:
        return self.filter(scope_for(user).view_q(self.scope_path_field))

    def editable_by(self, user: AbstractBaseUser | AnonymousUser) -> ScopedQuerySet:
        return self.filter(scope_for(user).edit_q(self.scope_path_field))


class AdminUnitQuerySet(ScopedQuerySet):
    """Administrative units."""

    def current(self) -> AdminUnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def descendants_of(self, unit, *, include_self: bool = False) -> AdminUnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)
