"""Monthly requests: the cycle from the 15th and the 15-day deadline (art. 3.1(b), art. 5)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.campaign.services._common import (
    MONTHLY_CYCLE_DAY,
    MONTHLY_DECISION_DAYS,
    _require_role,
    apply_move,
)
from households.choices import (
    FINAL_STATUSES,
    ReviewKind,
)
from households.models import (
    Household,
    Review,
    ReviewRequest,
)
from registry.choices import Role
from registry.models import User

# --- monthly requests -------------------------------------------------------------------------


def monthly_cycle(requested_on: dt.date) -> tuple[dt.date, dt.date]:
    """The monthly review that takes a request (from the 15th) and the day it must be decided by."""
    start = requested_on.replace(day=MONTHLY_CYCLE_DAY)
    if requested_on.day > MONTHLY_CYCLE_DAY:
        year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
        start = start.replace(year=year, month=month)
    return start, start + dt.timedelta(days=MONTHLY_DECISION_DAYS)


@transaction.atomic
def request_record(
    *,
    actor: User,
    household: Household,
    kind: str,
    channel: str,
    form_number: str,
    requested_on: dt.date,
    monthly: bool = True,
    note: str = "",
) -> ReviewRequest:
    """Record a household's request; a monthly one is listed at once for the next cycle."""
    _require_role(actor, Role.COMMUNE_OFFICER, household.commune)
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": _("The date received cannot be in the future.")})
    request = ReviewRequest(
        household=household,
        kind=kind,
        channel=channel,
        form_number=form_number,
        requested_on=requested_on,
        monthly=monthly,
        note=note.strip(),
        recorded_by=actor,
    )
    if monthly:
        request.cycle_start, request.deadline = monthly_cycle(requested_on)
        # A household may be reviewed every month (art. 3.1(b)), one monthly review at a time.
        if (
            Review.objects.select_for_update(of=("self",))
            .filter(household=household, kind=ReviewKind.MONTHLY)
            .exclude(status__in=FINAL_STATUSES)
            .exists()
        ):
            raise ValidationError(
                {"household": _("This household already has a monthly review in progress.")}
            )
    request.full_clean(exclude=["review"])
    if monthly:
        try:
            with transaction.atomic():  # another request for the household saved just now
                review = Review(
                    household=household,
                    list_year=request.cycle_start.year,
                    kind=ReviewKind.MONTHLY,
                    area_type=household.area_type,
                )
                apply_move(review, "list", actor=actor, commune=household.commune)
        except IntegrityError as error:
            raise ValidationError(
                {"household": _("This household already has a monthly review in progress.")}
            ) from error
        request.review = review
    request._history_user = actor
    request.save()
    return request
