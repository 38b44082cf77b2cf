"""Helpers shared by the household pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from registry.choices import Level
from registry.models import AdminUnit

MEMBERS_PREFIX = "members"
REVIEW_PREFIX = "review"


def _lang() -> str:
    return "vi" if (get_language() or "vi").startswith("vi") else "en"


def _indicator_name(indicator: Any) -> str:
    return indicator.name_vi if _lang() == "vi" else indicator.name_en


def _not_an_officer() -> str:
    """Why a user without entry rights is refused a household form (in the request's language)."""
    return _("Only a commune officer enters and changes households, in their own commune.")


def _editable_communes(user) -> QuerySet[AdminUnit]:
    """Current communes whose households `user` may enter and change."""
    return (
        AdminUnit.objects.editable_by(user)
        .filter(level=Level.COMMUNE, valid_to__isnull=True)
        .order_by("name")
    )
