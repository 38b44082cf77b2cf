"""Steps 3 to 5: village meeting (50% rule), public posting, objections; sending back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.audit import audit_writes
from households.campaign.choices import ObjectionOutcome
from households.campaign.services._common import (
    _commune_of,
    _ensure_open,
    _lock_reviews,
    _require_role,
    apply_move,
    check_window,
    posting_days,
    posting_minimum,
    require_move_roles,
    state_refusal,
)
from households.campaign.workflow import (
    MEETING_AGREEMENT_PERCENT,
    MOVES,
)
from households.choices import ReviewStatus as S
from households.models import (
    MeetingVote,
    Objection,
    Posting,
    Review,
    VillageMeeting,
)
from registry.choices import Role
from registry.models import AdminUnit, User

# --- village meeting, posting, objections ------------------------------------------------------


def _vote_household(vote: MeetingVote) -> int:
    return vote.review.household_id


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    commune: AdminUnit,
    village: AdminUnit | None,
    held_on: dt.date,
    attendees: int,
    chaired_by: str,
    votes: Mapping[int, int],
    notes: str = "",
) -> VillageMeeting:
    """Step 3: a village meeting; 50% or more agreeing moves a review on, less sends it back."""
    require_move_roles(actor, ["discuss", "resurvey"], commune)
    errors: dict[str, list[str]] = {}
    if village is not None and village.parent_id != commune.pk:
        errors["village"] = [_("This village is not in the commune.")]
    if held_on > timezone.localdate():
        errors["held_on"] = [_("The meeting date cannot be in the future.")]
    if attendees is None or attendees <= 0:
        errors["attendees"] = [_("Enter how many people attended (at least 1).")]
    if not chaired_by.strip():
        errors["chaired_by"] = [_("Enter who chaired the meeting (usually the village head).")]
    if not votes:
        errors["votes"] = [_("Record the result of at least one household.")]
    reviews = _lock_reviews(votes)
    by_id = {r.pk: r for r in reviews}
    for review_id, agreeing in votes.items():
        review = by_id.get(review_id)
        key = f"votes.{review_id}"
        if review is None or review.household.commune_id != commune.pk:
            errors[key] = [_("This review is not in the commune.")]
        elif village is not None and review.household.village_id != village.pk:
            errors[key] = [_("This household does not live in the village of the meeting.")]
        elif message := state_refusal(review, "discuss"):
            errors[key] = [message]
        elif agreeing is None or agreeing < 0 or (attendees and agreeing > attendees):
            errors[key] = [_("The number agreeing must be between 0 and the number attending.")]
    check_window((r.campaign for r in reviews), held_on, "held_on", errors)
    if errors:
        raise ValidationError(errors)
    meeting = VillageMeeting.objects.create(
        campaign=reviews[0].campaign,
        commune=commune,
        village=village,
        unit_path=(village or commune).path,
        held_on=held_on,
        attendees=attendees,
        chaired_by=chaired_by.strip(),
        notes=notes,
        recorded_by=actor,
    )
    for review in reviews:
        agreeing = votes[review.pk]
        share = (Decimal(agreeing) * 100 / attendees).quantize(Decimal("0.1"), ROUND_HALF_UP)
        passed = agreeing * 100 >= MEETING_AGREEMENT_PERCENT * attendees
        vote = MeetingVote.objects.create(
            meeting=meeting, review=review, agreeing=agreeing, share_percent=share, passed=passed
        )
        audit_writes(actor=actor, created=[vote], household_of=_vote_household)
        if passed:
            apply_move(review, "discuss", actor=actor, commune=commune)
        else:
            comment = _("%(share)s%% agreed at the meeting of %(date)s: survey again.") % {
                "share": share,
                "date": _date(held_on),
            }
            apply_move(review, "resurvey", actor=actor, commune=commune, comment=comment)
    return meeting


def posting_minimum_message(posted_from: dt.date) -> str:
    """The minimum length of a posting starting on `posted_from`, saying when it is unconfirmed."""
    minimum = posting_minimum(on=posted_from)
    earliest = posted_from + dt.timedelta(days=minimum.value - 1)
    message = _(
        "The posting must last at least %(days)d days, the first and last day counted: until "
        "%(date)s at the earliest."
    ) % {"days": minimum.value, "date": _date(earliest)}
    if minimum.unconfirmed:
        message += " " + _(
            "This minimum is not confirmed: Decision 24/2021/QĐ-TTg art. 4.4 could not be read."
        )
    return message


@transaction.atomic
def posting_record(
    *,
    actor: User,
    commune: AdminUnit,
    village: AdminUnit | None,
    posted_from: dt.date,
    posted_to: dt.date,
    place: str = "",
) -> Posting:
    """Step 4: post the village's (or commune's) agreed results publicly, for at least the
    minimum posting period and within the campaign's review period."""
    require_move_roles(actor, ["post"], commune)
    if village is not None and village.parent_id != commune.pk:
        raise ValidationError({"village": _("This village is not in the commune.")})
    reviews = Review.objects.select_for_update(of=("self",)).filter(
        household__commune=commune, status__in=MOVES["post"].source
    )
    if village is not None:
        reviews = reviews.filter(household__village=village)
    reviews = list(reviews.select_related("household", "campaign"))
    errors: dict[str, list[str]] = {}
    if not reviews:
        errors["village"] = [_("No household here has been agreed at a village meeting yet.")]
    if posted_to < posted_from:
        errors["posted_to"] = [_("The posting must end on or after its first day.")]
    elif posting_days(posted_from, posted_to) < posting_minimum(on=posted_from).value:
        errors["posted_to"] = [posting_minimum_message(posted_from)]
    campaigns = [r.campaign for r in reviews]
    check_window(campaigns, posted_from, "posted_from", errors)
    check_window(campaigns, posted_to, "posted_to", errors)
    if errors:
        raise ValidationError(errors)
    posting = Posting.objects.create(
        campaign=reviews[0].campaign,
        commune=commune,
        village=village,
        unit_path=(village or commune).path,
        posted_from=posted_from,
        posted_to=posted_to,
        place=place.strip(),
        recorded_by=actor,
    )
    posting.reviews.set(reviews)
    for review in reviews:
        apply_move(review, "post", actor=actor, commune=commune)
    return posting


def current_posting(review: Review) -> Posting | None:
    """The posting that put the review where it is: its latest one."""
    return review.postings.order_by("-posted_from", "-pk").first()


@transaction.atomic
def objection_record(
    *, actor: User, review: Review, kind: str, author: str, received_on: dt.date, content: str
) -> Objection:
    """Step 5: an objection against a posted result, received while the result is posted."""
    _require_role(actor, Role.COMMUNE_OFFICER, _commune_of(review))
    errors: dict[str, list[str]] = {}
    if review.status != S.POSTED:
        errors["review"] = [_("Objections are recorded against posted results.")]
    if not author.strip():
        errors["author"] = [_("Enter who raised the objection.")]
    if not content.strip():
        errors["content"] = [_("Write down what the objection says.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date received cannot be in the future.")]
    posting = current_posting(review) if review.status == S.POSTED else None
    if posting is not None and not posting.posted_from <= received_on <= posting.posted_to:
        errors.setdefault("received_on", []).append(
            _(
                "Objections are received while the result is posted, from %(start)s to "
                "%(end)s; this one was received on %(date)s."
            )
            % {
                "start": _date(posting.posted_from),
                "end": _date(posting.posted_to),
                "date": _date(received_on),
            }
        )
    if "received_on" not in errors:
        check_window([review.campaign], received_on, "received_on", errors)
    if errors:
        raise ValidationError(errors)
    objection = Objection(
        review=review,
        kind=kind,
        author=author.strip(),
        received_on=received_on,
        content=content.strip(),
        recorded_by=actor,
    )
    objection.full_clean()
    objection._history_user = actor
    objection.save()
    return objection


@transaction.atomic
def objection_resolve(
    *, actor: User, objection: Objection, outcome: str, resolution: str, resolved_on: dt.date
) -> Objection:
    """The re-check (phúc tra): an upheld objection sends the household back to the survey."""
    review = _lock_reviews([objection.review_id])[0]
    commune = _commune_of(review)
    require_move_roles(actor, ["uphold"], commune)
    if objection.outcome != ObjectionOutcome.OPEN:
        raise ValidationError({"outcome": _("This objection was already resolved.")})
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.REJECTED):
        raise ValidationError({"outcome": _("Choose upheld or rejected.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write down the result of the re-check.")})
    objection.outcome = outcome
    objection.resolution = resolution.strip()
    objection.resolved_on = resolved_on
    objection.resolved_by = actor
    objection._history_user = actor
    objection.save()
    if outcome == ObjectionOutcome.UPHELD and state_refusal(review, "uphold") is None:
        comment = _("Objection upheld: %(text)s") % {"text": objection.resolution}
        apply_move(review, "uphold", actor=actor, commune=commune, comment=comment)
    return objection


@transaction.atomic
def review_return(*, actor: User, review: Review, comment: str) -> Review:
    """Send a review back one step, with a comment saying what was done wrongly."""
    review = _lock_reviews([review.pk])[0]
    commune = _commune_of(review)
    require_move_roles(actor, ["return"], commune)
    if message := state_refusal(review, "return"):
        raise ValidationError({"status": message})
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    _ensure_open(review)
    apply_move(review, "return", actor=actor, commune=commune, comment=comment.strip())
    return review
