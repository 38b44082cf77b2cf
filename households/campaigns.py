"""Services of the review campaign (Decision 24/2021/QĐ-TTg): open, list, meet, post, object,
recognise, close and reopen, and the monthly requests.

Each service checks the actor's role at the unit through the one scoping function, validates,
writes inside a transaction and records the step with who made it and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.choices import Level, Role
from registry.models import AdminUnit, User
from registry.scoping import scope_for

from .choices import (
    FINAL_STATUSES,
    Classification,
    HouseholdStatus,
    ObjectionOutcome,
    ReviewKind,
    TransitionKind,
)
from .choices import ReviewStatus as S
from .evaluation import standard_by_code
from .models import (
    Campaign,
    Certificate,
    Household,
    ListClosure,
    MeetingVote,
    Objection,
    Posting,
    RecognitionDecision,
    Review,
    ReviewRequest,
    ReviewStep,
    StatusChange,
    VillageMeeting,
)
from .transitions import ON_LIST, transition_kind
from .workflow import MEETING_AGREEMENT_PERCENT, MOVES, PREVIOUS

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


def _province_path(path: str) -> str:
    return "/".join(path.split("/")[:2]) + "/"


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
    if (
        review.campaign_id
        and ListClosure.objects.filter(
            campaign_id=review.campaign_id, unit=review.household.commune, is_closed=True
        ).exists()
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


# --- campaigns --------------------------------------------------------------------------------


@transaction.atomic
def campaign_open(
    *,
    actor: User,
    province: AdminUnit,
    list_year: int,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    standard_code: str = "",
) -> Campaign:
    """The province opens the periodic review that sets the list of `list_year`."""
    if province.level != Level.PROVINCE:
        raise ValidationError({"province": _("A campaign is opened by a province.")})
    _require_role(actor, Role.PROVINCE_STAFF, province)
    opens_on = opens_on or dt.date(list_year - 1, *PERIODIC_OPENS)
    closes_on = closes_on or dt.date(list_year - 1, *PERIODIC_CLOSES)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The campaign must close after it opens.")})
    if standard_code:
        standard_by_code(standard_code)
    if Campaign.objects.filter(province=province, list_year=list_year).exists():
        raise ValidationError(
            {"list_year": _("%(province)s already has a campaign for the %(year)d list.")
             % {"province": province, "year": list_year}}
        )  # fmt: skip
    return Campaign.objects.create(
        province=province,
        list_year=list_year,
        opens_on=opens_on,
        closes_on=closes_on,
        standard_code=standard_code,
        unit_path=province.path,
        created_by=actor,
    )


@transaction.atomic
def campaign_list_households(*, actor: User, campaign: Campaign, commune: AdminUnit) -> int:
    """Step 1: list the households on the commune's current lists and those that asked.

    Returns how many reviews were listed now; listing twice adds nothing.
    """
    if not commune.path.startswith(campaign.unit_path):
        raise ValidationError({"commune": _("This commune is not in the campaign's province.")})
    _require_role(actor, Role.COMMUNE_OFFICER, commune)
    on_lists = Review.objects.filter(
        household__commune=commune,
        household__status=HouseholdStatus.ACTIVE,
        list_year=campaign.list_year - 1,
        status=S.RECOGNISED,
        recognised_classification__in=ON_LIST,
    ).values_list("household_id", flat=True)
    asked = ReviewRequest.objects.filter(
        household__commune=commune, monthly=False, review__isnull=True
    )
    wanted = set(on_lists) | set(asked.values_list("household_id", flat=True))
    already = set(
        Review.objects.filter(
            household_id__in=wanted, list_year=campaign.list_year, kind=ReviewKind.PERIODIC
        ).values_list("household_id", flat=True)
    )
    created = []
    for household_id in sorted(wanted - already):
        review = Review.objects.create(
            household_id=household_id,
            list_year=campaign.list_year,
            kind=ReviewKind.PERIODIC,
            status=S.LISTED,
            campaign=campaign,
            area_type=commune.area_type,
        )
        ReviewStep.objects.create(review=review, move="list", to_status=S.LISTED, actor=actor)
        created.append(review)
    for request in asked.select_related("household"):
        request.review = next((r for r in created if r.household_id == request.household_id), None)
        if request.review:
            request.save(update_fields=["review"])
    return len(created)


# --- village meeting, posting, objections ------------------------------------------------------


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
    _require_role(actor, Role.COMMUNE_OFFICER, commune)
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
        elif review.status != S.SURVEYED:
            errors[key] = [_("Only surveyed households are discussed at the meeting.")]
        elif agreeing is None or agreeing < 0 or (attendees and agreeing > attendees):
            errors[key] = [_("The number agreeing must be between 0 and the number attending.")]
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
        MeetingVote.objects.create(
            meeting=meeting, review=review, agreeing=agreeing, share_percent=share, passed=passed
        )
        if passed:
            _step(review, move="discuss", to=S.DISCUSSED, actor=actor)
        else:
            comment = _("%(share)s%% agreed at the meeting of %(date)s: survey again.") % {
                "share": share,
                "date": held_on.strftime("%d/%m/%Y"),
            }
            _step(review, move="resurvey", to=S.LISTED, actor=actor, comment=comment)
    return meeting


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
    """Step 4: post the village's (or commune's) agreed results publicly."""
    _require_role(actor, Role.COMMUNE_OFFICER, commune)
    if posted_to < posted_from:
        raise ValidationError({"posted_to": _("The posting must end on or after its first day.")})
    if village is not None and village.parent_id != commune.pk:
        raise ValidationError({"village": _("This village is not in the commune.")})
    reviews = Review.objects.select_for_update().filter(
        household__commune=commune, status=S.DISCUSSED
    )
    if village is not None:
        reviews = reviews.filter(household__village=village)
    reviews = list(reviews.select_related("household"))
    if not reviews:
        raise ValidationError(
            {"village": _("No household here has been agreed at a village meeting yet.")}
        )
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
        _step(review, move="post", to=S.POSTED, actor=actor)
    return posting


@transaction.atomic
def objection_record(
    *, actor: User, review: Review, kind: str, author: str, received_on: dt.date, content: str
) -> Objection:
    """Step 5: an objection against a posted result."""
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
    _require_role(actor, Role.COMMUNE_OFFICER, _commune_of(review))
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
    if outcome == ObjectionOutcome.UPHELD and review.status == S.POSTED:
        comment = _("Objection upheld: %(text)s") % {"text": objection.resolution}
        _step(review, move="resurvey", to=S.LISTED, actor=actor, comment=comment)
    return objection


@transaction.atomic
def review_return(*, actor: User, review: Review, comment: str) -> Review:
    """Send a review back one step, with a comment saying what was done wrongly."""
    review = _lock_reviews([review.pk])[0]
    commune = _commune_of(review)
    scope = scope_for(actor)
    allowed = MOVES["return"].roles
    if not (scope.everything or any(scope.has_role(r, commune.path) for r in allowed)):
        raise PermissionDenied(_("Only the commune's officer or chair may send a review back."))
    if review.status not in PREVIOUS:
        raise ValidationError({"status": _("A review at this step cannot be sent back.")})
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    _ensure_open(review)
    _step(review, move="return", to=PREVIOUS[review.status], actor=actor, comment=comment.strip())
    return review


# --- recognition ------------------------------------------------------------------------------


def _escaped_before(household_ids: Iterable[int]) -> set[int]:
    return set(
        StatusChange.objects.filter(
            household_id__in=list(household_ids), kind=TransitionKind.ESCAPED_POVERTY
        ).values_list("household_id", flat=True)
    )


def _record_transitions(reviews: list[Review], decision: RecognitionDecision) -> None:
    """Compare each household's new result with its result on the previous recognised list."""
    ids = [r.household_id for r in reviews]
    previous = dict(
        Review.objects.filter(
            household_id__in=ids, status=S.RECOGNISED, list_year__lt=decision.list_year
        )
        .order_by("household_id", "list_year")
        .values_list("household_id", "recognised_classification")
    )  # the latest earlier list wins: values are ordered by year
    escaped = _escaped_before(ids)
    for review in reviews:
        kind = transition_kind(
            previous.get(review.household_id),
            review.recognised_classification,
            escaped_before=review.household_id in escaped,
        )
        if kind:
            StatusChange.objects.update_or_create(
                household_id=review.household_id,
                list_year=review.list_year,
                kind=kind,
                defaults={
                    "unit_path": review.household.unit_path,
                    "previous_classification": previous.get(review.household_id) or "",
                    "classification": review.recognised_classification,
                    "effective_on": decision.signed_on,
                    "decision": decision,
                },
            )


@transaction.atomic
def recognition_decide(
    *,
    actor: User,
    commune: AdminUnit,
    number: str,
    signed_on: dt.date,
    review_ids: Iterable[int],
) -> RecognitionDecision:
    """Step 6: the commune chair recognises posted results by a decision, with certificates.

    The person who recorded a review never recognises it; a review with an open objection waits.
    """
    _require_role(actor, Role.COMMUNE_CHAIR, commune)
    review_ids = list(dict.fromkeys(review_ids))
    reviews = _lock_reviews(review_ids)
    errors: dict[str, list[str]] = {}
    found = {r.pk for r in reviews}
    for pk in review_ids:
        if pk not in found:
            errors[f"reviews.{pk}"] = [_("There is no such review.")]
    number = number.strip()
    if not number:
        errors["number"] = [_("Enter the decision number.")]
    elif RecognitionDecision.objects.filter(commune=commune, number=number).exists():
        errors["number"] = [_("This commune already has a decision with this number.")]
    if signed_on > timezone.localdate():
        errors["signed_on"] = [_("The decision cannot be signed in the future.")]
    if not reviews:
        errors["reviews"] = [_("Choose the households to recognise.")]
    open_objections = set(
        Objection.objects.filter(review__in=reviews, outcome=ObjectionOutcome.OPEN).values_list(
            "review_id", flat=True
        )
    )
    for review in reviews:
        key = f"reviews.{review.pk}"
        if review.household.commune_id != commune.pk:
            errors[key] = [_("This household is not in the commune.")]
        elif review.status != S.POSTED:
            errors[key] = [_("Only posted results can be recognised.")]
        elif review.reviewer_id == actor.pk:
            errors[key] = [_("You recorded this review, so you may not recognise it.")]
        elif review.pk in open_objections:
            errors[key] = [_("An objection against this household awaits its re-check.")]
    years = {r.list_year for r in reviews}
    if len(years) > 1:
        errors["reviews"] = [_("One decision recognises the results of one list year.")]
    if errors:
        raise ValidationError(errors)
    list_year = years.pop()
    decision = RecognitionDecision.objects.create(
        commune=commune,
        unit_path=commune.path,
        campaign=reviews[0].campaign,
        list_year=list_year,
        number=number,
        signed_on=signed_on,
        signed_by=actor,
    )
    serial = Certificate.objects.filter(
        decision__commune=commune, decision__list_year=list_year
    ).count()
    for review in reviews:
        review.recognised_by = actor
        review.decision = decision
        review.save(update_fields=["recognised_by", "decision"])
        _step(review, move="recognise", to=S.RECOGNISED, actor=actor)
        if review.recognised_classification in CERTIFIED:
            serial += 1
            Certificate.objects.create(
                household=review.household,
                review=review,
                decision=decision,
                # Decision 24/2021 appendix: "Số: …/GCN-HN.HCN".
                number=f"{serial:04d}/{list_year}/{commune.code}/GCN-HN.HCN",
                classification=review.recognised_classification,
                valid_from=max(signed_on, dt.date(list_year, 1, 1)),
                valid_to=dt.date(list_year, 12, 31),
            )
    _record_transitions(reviews, decision)
    return decision


@transaction.atomic
def review_refuse(*, actor: User, review: Review, reason: str) -> Review:
    """A monthly request refused in writing with reasons (Decision 24/2021/QĐ-TTg art. 5)."""
    review = _lock_reviews([review.pk])[0]
    _require_role(actor, Role.COMMUNE_CHAIR, _commune_of(review))
    if review.kind != ReviewKind.MONTHLY or review.status != S.POSTED:
        raise ValidationError({"status": _("Only a posted monthly review can be refused.")})
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reasons for refusing, to be sent in writing.")}
        )
    _step(review, move="refuse", to=S.REFUSED, actor=actor, comment=reason.strip())
    return review


# --- closing along the hierarchy ---------------------------------------------------------------


def _communes_under(unit: AdminUnit) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(
            path__startswith=unit.path, level=Level.COMMUNE, valid_to=unit.valid_to
        )
    )


def _closed_units(campaign: Campaign) -> set[int]:
    return set(
        ListClosure.objects.filter(campaign=campaign, is_closed=True).values_list(
            "unit_id", flat=True
        )
    )


@transaction.atomic
def list_close(*, actor: User, campaign: Campaign, unit: AdminUnit) -> ListClosure:
    """Close (lock) a unit's list for the year: a commune once every review is decided, a district
    or province once every commune below it has closed."""
    if not unit.path.startswith(campaign.unit_path):
        raise ValidationError({"unit": _("This unit is not in the campaign's province.")})
    role = {
        Level.COMMUNE: Role.COMMUNE_CHAIR,
        Level.DISTRICT: Role.DISTRICT_STAFF,
        Level.PROVINCE: Role.PROVINCE_STAFF,
    }.get(unit.level)
    if role is None:
        raise ValidationError({"unit": _("Villages have no list of their own to close.")})
    _require_role(actor, role, unit)
    if unit.level == Level.COMMUNE:
        pending = Review.objects.filter(campaign=campaign, household__commune=unit).exclude(
            status__in=FINAL_STATUSES
        )
        if pending.exists():
            raise ValidationError(
                {"unit": _("%(n)d reviews of this commune are not recognised yet.")
                 % {"n": pending.count()}}
            )  # fmt: skip
    else:
        closed = _closed_units(campaign)
        still_open = [c for c in _communes_under(unit) if c.pk not in closed]
        if still_open:
            names = ", ".join(c.name for c in still_open[:5])
            raise ValidationError(
                {"unit": _("%(n)d communes below have not closed yet: %(names)s…")
                 % {"n": len(still_open), "names": names}}
            )  # fmt: skip
    closure, _created = ListClosure.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={"unit_path": unit.path, "is_closed": True, "changed_by": actor, "reason": ""},
    )
    return closure


@transaction.atomic
def list_reopen(*, actor: User, campaign: Campaign, commune: AdminUnit, reason: str) -> ListClosure:
    """District or province staff reopen one commune's list, with a recorded reason; the units
    above it reopen too, since they are closed only while every commune below is."""
    scope = scope_for(actor)
    if not (
        scope.everything
        or scope.has_role(Role.DISTRICT_STAFF, commune.path)
        or scope.has_role(Role.PROVINCE_STAFF, commune.path)
    ):
        raise PermissionDenied(_("Only district or province staff may reopen a commune's list."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the list is reopened.")})
    closure = ListClosure.objects.filter(campaign=campaign, unit=commune, is_closed=True).first()
    if closure is None:
        raise ValidationError({"unit": _("This commune's list is not closed.")})
    prefixes = [p for p in _ancestor_paths(commune.path)]
    for row in ListClosure.objects.filter(
        Q(pk=closure.pk) | Q(campaign=campaign, unit_path__in=prefixes, is_closed=True)
    ):
        row.is_closed = False
        row.reason = reason.strip()
        row.changed_by = actor
        row._history_user = actor
        row.save()
    closure.refresh_from_db()
    return closure


def _ancestor_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(1, len(parts) - 1)]


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
        if (
            Review.objects.filter(
                household=household, list_year=request.cycle_start.year, kind=ReviewKind.MONTHLY
            )
            .exclude(status__in=FINAL_STATUSES)
            .exists()
        ):
            raise ValidationError(
                {"household": _("This household already has a monthly review in progress.")}
            )
    request.full_clean(exclude=["review"])
    if monthly:
        review, _created = Review.objects.get_or_create(
            household=household,
            list_year=request.cycle_start.year,
            kind=ReviewKind.MONTHLY,
            defaults={"status": S.LISTED, "area_type": household.area_type},
        )
        if not _created:
            raise ValidationError(
                {"household": _("This household's monthly review of this year is already decided.")}
            )
        ReviewStep.objects.create(review=review, move="list", to_status=S.LISTED, actor=actor)
        request.review = review
    request._history_user = actor
    request.save()
    return request


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
