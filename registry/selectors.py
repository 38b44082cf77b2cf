"""Reads of administrative units."""

from django.db.models import QuerySet

from .models import AdminUnit


def unit_list(*, user) -> QuerySet[AdminUnit]:
    """The units `user` may see, with their parents joined."""
    return AdminUnit.objects.visible_to(user).select_related("parent")
