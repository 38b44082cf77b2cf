"""Households moving in and out of the commune: events with dates, never deletions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.audit import audit_writes, snapshot
from households.campaign.choices import CertificateEnd, TransitionKind
from households.campaign.services._common import _require_role
from households.choices import HouseholdStatus
from households.household_year import household_years_sync
from households.models import (
    Certificate,
    Household,
    StatusChange,
)
from households.selectors import household_status
from registry.choices import Role
from registry.models import User

# --- moves in and out ---------------------------------------------------------------------------


def _move_event(*, household: Household, kind: str, on: dt.date, actor: User) -> StatusChange:
    status = household_status(household, on.year)  # the list in force on the day of the move
    classification = status.classification if status else ""
    values = {
        "unit_path": household.unit_path,
        "previous_classification": classification,
        "classification": classification,
        "effective_on": on,
    }
    change = (
        StatusChange.objects.select_for_update()
        .filter(household=household, list_year=on.year, kind=kind, decision=None)
        .first()
    )
    if change is None:
        change = StatusChange.objects.create(
            household=household, list_year=on.year, kind=kind, decision=None, **values
        )
        audit_writes(actor=actor, created=[change])
        return change
    before = snapshot(change)
    for field, value in values.items():
        setattr(change, field, value)
    change.save()
    audit_writes(actor=actor, changed=[(change, before)])
    return change


def _revoke_certificates(*, household: Household, on: dt.date, actor: User) -> None:
    """End the household's certificates still valid on `on` (a move out), each one audited."""
    certificates = list(
        Certificate.objects.select_for_update().filter(
            household=household, revoked_on__isnull=True, valid_to__gte=on
        )
    )
    before = [snapshot(c) for c in certificates]
    for certificate in certificates:
        certificate.revoked_on = on
        certificate.revoke_reason = CertificateEnd.MOVED_OUT
    Certificate.objects.bulk_update(certificates, ["revoked_on", "revoke_reason"])
    audit_writes(actor=actor, changed=zip(certificates, before, strict=True))


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
    change = _move_event(household=household, kind=TransitionKind.MOVED_OUT, on=on, actor=actor)
    # The status ends with the move, and the certificates with it (Decision 24/2021 appendix:
    # a certificate attests the household's residence and status in the commune).
    _revoke_certificates(household=household, on=on, actor=actor)
    household_years_sync([household.pk], actor=actor)
    return change


@transaction.atomic
def household_move_in(*, actor: User, household: Household, on: dt.date) -> StatusChange:
    """Record that a registered household moved into the commune from elsewhere on `on`."""
    _require_role(actor, Role.COMMUNE_OFFICER, household.commune)
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    change = _move_event(household=household, kind=TransitionKind.MOVED_IN, on=on, actor=actor)
    # A status ended by an earlier move out stays ended: back in the commune, the household
    # enters its lists by a (monthly) review; a later status is no longer cut by that move.
    household_years_sync([household.pk], actor=actor)
    return change
