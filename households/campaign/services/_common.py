"""What every step of the campaign shares: legal time limits, the one function that moves a
review (checked against the state machine), role checks, the campaign's window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from households.campaign.selectors import list_is_closed
from households.campaign.workflow import MOVES, NEW, refusal, role_refusal, target_of
from households.choices import Classification
from households.models import (
    Campaign,
    Review,
    ReviewStep,
)
from policies.selectors import ProcedureNumber, procedure_number
from policies.standards import POSTING_MIN_DAYS
from registry.choices import Role, Scheme
from registry.models import AdminUnit, User
from registry.scoping import scope_for

# Decision 24/2021/QĐ-TTg art. 3.1(a): the periodic review runs from 1 September to the end of
# 14 December; the review in year Y sets the list of year Y+1. Only the province extends it,
# explicitly (CampaignExtension).
PERIODIC_OPENS = (9, 1)
PERIODIC_CLOSES = (12, 14)
# Decision 24/2021/QĐ-TTg art. 3.1(b): the monthly review starts on the 15th of each month;
# art. 5: the decision and certificate come within 15 days from the start of the review.
MONTHLY_CYCLE_DAY = 15
MONTHLY_DECISION_DAYS = 15
# Certificates are valid for the list year they recognise (Decision 24 appendix certificate).
CERTIFIED = frozenset({Classification.POOR, Classification.NEAR_POOR})
# Decision 24/2021/QĐ-TTg art. 4 step 5: the commune reports to and consults the district
# chairman before recognition. Districts ceased on 1 July 2025 (two-level local government), so
# the step belongs to the campaigns of provinces of the 2004 scheme (lists of 2025 and before).
THREE_LEVEL_SCHEME = Scheme.LEGACY


def _commune_of(review: Review) -> AdminUnit:
    return review.household.commune


def _require_role(actor: User, role: str, unit: AdminUnit) -> None:
    scope = scope_for(actor)
    if not scope.may_act_as(role, unit.path):
        raise PermissionDenied(
            _("Only a %(role)s of %(unit)s may do this.") % {"role": Role(role).label, "unit": unit}
        )


# --- moving a review through the state machine ----------------------------------------------


def _roles_at(actor: User, unit: AdminUnit) -> set[str] | None:
    """The roles `actor` holds at `unit` or above it; None for a system administrator."""
    scope = scope_for(actor)
    if scope.everything:
        return None
    return {role for role, path in scope.roles if unit.path.startswith(path)}


def require_move_roles(actor: User, move_names: Iterable[str], unit: AdminUnit) -> None:
    """Refuse (403) an actor who may not make every one of these moves at `unit`."""
    roles = _roles_at(actor, unit)
    for name in move_names:
        problem = role_refusal(name, roles, unit=unit.name)
        if problem is not None:
            raise PermissionDenied(problem.message)


def state_refusal(review: Review, move_name: str) -> str | None:
    """Why `review` is at the wrong step for `move_name` (for errors per row), or None."""
    problem = refusal(move_name, review.status if review.pk else NEW, None)
    return problem.message if problem is not None else None


def apply_move(
    review: Review,
    move_name: str,
    *,
    actor: User,
    comment: str = "",
    commune: AdminUnit | None = None,
    fields: Iterable[str] | None = (),
) -> ReviewStep:
    """The one way a review changes step: check the move against the state machine (the
    review's step, the actor's role at its commune), move it and record who, when and why.

    A review not saved yet starts from NEW and is saved whole; `fields` names other fields to
    save with the status (None: every field). Raises PermissionDenied for the wrong role,
    ValidationError on "status" for the wrong step.
    """
    commune = commune or review.household.commune
    source = review.status if review.pk else NEW
    problem = refusal(move_name, source, _roles_at(actor, commune), unit=commune.name)
    if problem is not None:
        if problem.field == "role":
            raise PermissionDenied(problem.message)
        raise ValidationError({"status": problem.message})
    target = target_of(MOVES[move_name], source)
    review.status = target
    review._history_user = actor
    if review.pk is None or fields is None:
        review.save()
    else:
        review.save(update_fields=["status", "updated_at", *fields])
    return ReviewStep.objects.create(
        review=review,
        move=move_name,
        from_status=source,
        to_status=target,
        actor=actor,
        comment=comment,
    )


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
        Review.objects.select_for_update(of=("self",))
        .filter(pk__in=list(ids))
        .select_related("household__commune", "campaign__province")
        .order_by("pk")
    )


# --- the campaign's window and the posting period --------------------------------------------


def statutory_window(list_year: int) -> tuple[dt.date, dt.date]:
    """1 September to 14 December of the year before the list year (art. 3.1(a))."""
    return dt.date(list_year - 1, *PERIODIC_OPENS), dt.date(list_year - 1, *PERIODIC_CLOSES)


def window_error(campaign: Campaign | None, day: dt.date | None) -> str | None:
    """Why `day` is outside the campaign's review period (with its extension), or None; a
    review outside any campaign (a monthly one) has no such window."""
    if campaign is None or day is None or campaign.opens_on <= day <= campaign.closes_on:
        return None
    return _(
        "%(date)s is outside the review period of the campaign, %(opens)s to %(closes)s "
        "(Decision 24/2021/QĐ-TTg art. 3.1(a)); only the province may extend it."
    ) % {
        "date": day.strftime("%d/%m/%Y"),
        "opens": campaign.opens_on.strftime("%d/%m/%Y"),
        "closes": campaign.closes_on.strftime("%d/%m/%Y"),
    }


def check_window(
    campaigns: Iterable[Campaign | None], day: dt.date | None, field: str, errors: dict
) -> None:
    """Add an error on `field` when `day` lies outside the window of any of the campaigns."""
    for campaign in {c.pk: c for c in campaigns if c is not None}.values():
        message = window_error(campaign, day)
        if message:
            errors.setdefault(field, []).append(message)
            return


def posting_minimum(on: dt.date | None = None) -> ProcedureNumber:
    """The minimum length of the public posting, in days (UNCONFIRMED: Decision 24 art. 4.4)."""
    return procedure_number(POSTING_MIN_DAYS, on=on)


def posting_days(posted_from: dt.date, posted_to: dt.date) -> int:
    """How many days a posting lasts, its first and last day counted."""
    return (posted_to - posted_from).days + 1


def three_level(campaign: Campaign | None) -> bool:
    """Whether the campaign runs under the three-level scheme, so the commune consults the
    district before recognition (Decision 24/2021/QĐ-TTg art. 4 step 5)."""
    return campaign is not None and campaign.province.scheme == THREE_LEVEL_SCHEME
