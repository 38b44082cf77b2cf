"""What every step of the campaign shares: legal time limits, role checks, recording a step."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from households.campaign.selectors import list_is_closed
from households.choices import Classification
from households.models import (
    Review,
    ReviewStep,
)
from registry.choices import Role
from registry.models import AdminUnit, User
from registry.scoping import scope_for

# Decision 24/2021/QĐ-TTg art. 3.1(a): the periodic review runs from 1 September to the end of
# 14 December; the review in year Y sets the list of year Y+1.
PERIODIC_OPENS = (9, 1)
PERIODIC_CLOSES = (12, 14)
# Decision 24/2021/QĐ-TTg art. 3.1(b): the monthly review starts on the 15th of each month;
# art. 5: the decision and certificate come within 15 days from the start of the review.
MONTHLY_CYCLE_DAY = 15
MONTHLY_DECISION_DAYS = 15
# Certificates are valid for the list year they recognise (Decision 24 appendix certificate).
CERTIFIED = frozenset({Classification.POOR, Classification.NEAR_POOR})


def _commune_of(review: Review) -> AdminUnit:
    return review.household.commune


def _require_role(actor: User, role: str, unit: AdminUnit) -> None:
    scope = scope_for(actor)
    if not (scope.everything or scope.has_role(role, unit.path)):
        raise PermissionDenied(
            _("Only a %(role)s of %(unit)s may do this.") % {"role": Role(role).label, "unit": unit}
        )


def _step(review: Review, *, move: str, to: str, actor: User, comment: str = "") -> None:
    """Move a review and record the step."""
    ReviewStep.objects.create(
        review=review,
        move=move,
        from_status=review.status,
        to_status=to,
        actor=actor,
        comment=comment,
    )
    review.status = to
    review._history_user = actor
    review.save(update_fields=["status", "updated_at"])


def _ensure_open(review: Review) -> None:
    """A recognised commune list is locked for its year: later changes need a monthly review."""
    if review.campaign_id and list_is_closed(
        campaign=review.campaign_id, unit=review.household.commune
    ):
        raise ValidationError(
            {
                "status": _(
                    "The %(year)d list of this commune is closed; record a monthly review instead."
                )
                % {"year": review.list_year}
            }
        )


def _lock_reviews(ids: Iterable[int]) -> list[Review]:
    return list(
        Review.objects.select_for_update()
        .filter(pk__in=list(ids))
        .select_related("household__commune")
        .order_by("pk")
    )
