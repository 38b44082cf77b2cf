"""Households moving in and out of the commune: events with dates, never deletions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.campaign.choices import TransitionKind
from households.campaign.services._common import _require_role
from households.choices import HouseholdStatus
from households.choices import ReviewStatus as S
from households.models import (
    Household,
    Review,
    StatusChange,
)
from registry.choices import Role
from registry.models import User

# --- moves in and out ---------------------------------------------------------------------------


def _move_event(*, household: Household, kind: str, on: dt.date) -> StatusChange:
    latest = (
        Review.objects.filter(household=household, status=S.RECOGNISED)
        .order_by("-list_year")
        .values_list("recognised_classification", flat=True)
        .first()
    )
    change, _created = StatusChange.objects.update_or_create(
        household=household,
        list_year=on.year,
        kind=kind,
        defaults={
            "unit_path": household.unit_path,
            "previous_classification": latest or "",
            "classification": latest or "",
            "effective_on": on,
        },
    )
    return change


@transaction.atomic
def household_move_out(
    *, actor: User, household: Household, on: dt.date, reason: str
) -> StatusChange:
    """The household left the commune: an event with a date; the household and its history stay."""
    _require_role(actor, Role.COMMUNE_OFFICER, household.commune)
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say where or why the household moved.")})
    if household.status != HouseholdStatus.ACTIVE:
        raise ValidationError({"status": _("This household no longer lives in the commune.")})
    household.status = HouseholdStatus.MOVED_OUT
    household.version += 1
    household._history_user = actor
    household._change_reason = reason.strip()
    household.save(update_fields=["status", "version", "updated_at"])
    return _move_event(household=household, kind=TransitionKind.MOVED_OUT, on=on)


@transaction.atomic
def household_move_in(*, actor: User, household: Household, on: dt.date) -> StatusChange:
    """Record that a registered household moved into the commune from elsewhere on `on`."""
    _require_role(actor, Role.COMMUNE_OFFICER, household.commune)
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    return _move_event(household=household, kind=TransitionKind.MOVED_IN, on=on)
