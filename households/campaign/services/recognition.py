"""Step 6: the commune chair's decision, certificates and the transitions it records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.audit import audit_writes, snapshot
from households.campaign.choices import (
    CertificateEnd,
    ObjectionOutcome,
    TransitionKind,
)
from households.campaign.services._common import (
    CERTIFIED,
    _commune_of,
    _lock_reviews,
    apply_move,
    check_window,
    require_move_roles,
    state_refusal,
    three_level,
)
from households.campaign.transitions import transition_kind
from households.choices import ReviewKind
from households.household_year import household_years_sync
from households.models import (
    Certificate,
    DistrictConsultation,
    HouseholdYear,
    Objection,
    Posting,
    RecognitionDecision,
    Review,
    StatusChange,
)
from households.selectors import statuses_before
from registry.models import AdminUnit, User

# --- recognition ------------------------------------------------------------------------------


def _escaped_before(household_ids: Iterable[int]) -> set[int]:
    return set(
        StatusChange.objects.filter(
            household_id__in=list(household_ids), kind=TransitionKind.ESCAPED_POVERTY
        ).values_list("household_id", flat=True)
    )


def _record_transitions(
    reviews: list[Review],
    decision: RecognitionDecision,
    before: dict[int, HouseholdYear],
    actor: User,
) -> None:
    """Compare each household's new result with the list in force just before the decision
    (`before`, read before any write: this year's status if it had one, else last year's,
    whether set by the periodic or a monthly review)."""
    previous = {household_id: row.classification for household_id, row in before.items()}
    escaped = _escaped_before(r.household_id for r in reviews)
    changes = []
    for review in sorted(reviews, key=lambda r: r.pk):
        was = previous.get(review.household_id)
        kind = transition_kind(
            was, review.recognised_classification, escaped_before=review.household_id in escaped
        )
        if kind:
            change = StatusChange.objects.create(
                household_id=review.household_id,
                unit_path=review.household.unit_path,
                list_year=review.list_year,
                kind=kind,
                previous_classification=was or "",
                classification=review.recognised_classification,
                effective_on=decision.signed_on,
                decision=decision,
            )
            changes.append(change)
        if kind == TransitionKind.ESCAPED_POVERTY:
            escaped.add(review.household_id)
        previous[review.household_id] = review.recognised_classification
    audit_writes(actor=actor, created=changes)


def _revoke_replaced(reviews: list[Review], decision: RecognitionDecision, actor: User) -> None:
    """A certificate is valid for its list year: a later recognition of the same year replaces
    the status, so the households' earlier certificates of that year end on its signing date."""
    certificates = list(
        Certificate.objects.select_for_update().filter(
            household_id__in=[r.household_id for r in reviews],
            decision__list_year=decision.list_year,
            decision__signed_on__lte=decision.signed_on,
            revoked_on__isnull=True,
        )
    )
    before = [snapshot(c) for c in certificates]
    for certificate in certificates:
        certificate.revoked_on = decision.signed_on
        certificate.revoked_by = decision
        certificate.revoke_reason = CertificateEnd.REPLACED
    Certificate.objects.bulk_update(certificates, ["revoked_on", "revoked_by", "revoke_reason"])
    audit_writes(actor=actor, changed=zip(certificates, before, strict=True))


def _posting_ends(reviews: list[Review]) -> dict[int, dt.date]:
    """Review id -> last day of its latest posting. One query."""
    ends: dict[int, tuple[dt.date, int, dt.date]] = {}
    rows = Posting.reviews.through.objects.filter(review__in=reviews).values_list(
        "review_id", "posting__posted_from", "posting_id", "posting__posted_to"
    )
    for review_id, posted_from, posting_id, posted_to in rows:
        latest = ends.get(review_id)
        if latest is None or (posted_from, posting_id) > latest[:2]:
            ends[review_id] = (posted_from, posting_id, posted_to)
    return {review_id: row[2] for review_id, row in ends.items()}


def _consultation_dates(commune: AdminUnit, reviews: list[Review]) -> dict[int, list[dt.date]]:
    """Campaign id -> the days the commune consulted the district in it. One query, none when
    no review runs under the three-level scheme."""
    campaigns = {r.campaign_id for r in reviews if three_level(r.campaign)}
    dates: dict[int, list[dt.date]] = {}
    if not campaigns:
        return dates
    rows = DistrictConsultation.objects.filter(
        commune=commune, campaign_id__in=campaigns
    ).values_list("campaign_id", "consulted_on")
    for campaign_id, day in rows:
        dates.setdefault(campaign_id, []).append(day)
    return dates


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

    The person who recorded a review never recognises it; a review with an open objection, or
    whose posting has not ended, waits; under the three-level scheme so does one whose commune
    has not consulted the district since the posting ended. A periodic review is recognised
    within its campaign's review period.
    """
    require_move_roles(actor, ["recognise"], commune)
    # One decision of the commune at a time: its number is checked unique and its certificates
    # numbered on from the commune's count, which two chairs signing at the same moment would
    # otherwise both read (the same certificate number, refused by the database).
    AdminUnit.objects.select_for_update().filter(pk=commune.pk).first()
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
    check_window((r.campaign for r in reviews), signed_on, "signed_on", errors)
    open_objections = set(
        Objection.objects.filter(review__in=reviews, outcome=ObjectionOutcome.OPEN).values_list(
            "review_id", flat=True
        )
    )
    posted_until = _posting_ends(reviews)
    consulted = _consultation_dates(commune, reviews)
    for review in reviews:
        key = f"reviews.{review.pk}"
        ends = posted_until.get(review.pk)
        if review.household.commune_id != commune.pk:
            errors[key] = [_("This household is not in the commune.")]
        elif message := state_refusal(review, "recognise"):
            errors[key] = [message]
        elif review.reviewer_id == actor.pk:
            errors[key] = [_("You recorded this review, so you may not recognise it.")]
        elif review.pk in open_objections:
            errors[key] = [_("An objection against this household awaits its re-check.")]
        elif ends is not None and signed_on <= ends:
            errors[key] = [
                _(
                    "This result is posted until %(date)s: it can be recognised only after the "
                    "posting ends."
                )
                % {"date": ends.strftime("%d/%m/%Y")}
            ]
        elif three_level(review.campaign) and not any(
            (ends is None or ends < day) and day <= signed_on
            for day in consulted.get(review.campaign_id, ())
        ):
            errors[key] = [
                _(
                    "Under the three-level scheme the commune reports to and consults the "
                    "district before recognition (Decision 24/2021/QĐ-TTg art. 4): no "
                    "consultation is recorded after this result's posting and by the decision."
                )
            ]
    years = {r.list_year for r in reviews}
    if len(years) > 1:
        errors["reviews"] = [_("One decision recognises the results of one list year.")]
    if errors:
        raise ValidationError(errors)
    list_year = years.pop()
    before = statuses_before([r.household_id for r in reviews], list_year)
    decision = RecognitionDecision.objects.create(
        commune=commune,
        unit_path=commune.path,
        campaign=reviews[0].campaign,
        list_year=list_year,
        number=number,
        signed_on=signed_on,
        signed_by=actor,
    )
    _revoke_replaced(reviews, decision, actor)
    serial = Certificate.objects.filter(
        decision__commune=commune, decision__list_year=list_year
    ).count()
    certificates = []
    for review in reviews:
        review.recognised_by = actor
        review.decision = decision
        review._history_user = actor
        review.save(update_fields=["recognised_by", "decision"])
        apply_move(review, "recognise", actor=actor, commune=commune)
        if review.recognised_classification in CERTIFIED:
            serial += 1
            certificate = Certificate.objects.create(
                household=review.household,
                review=review,
                decision=decision,
                # Decision 24/2021 appendix: "Số: …/GCN-HN.HCN".
                number=f"{serial:04d}/{list_year}/{commune.code}/GCN-HN.HCN",
                classification=review.recognised_classification,
                valid_from=max(signed_on, dt.date(list_year, 1, 1)),
                valid_to=dt.date(list_year, 12, 31),
            )
            certificates.append(certificate)
    audit_writes(actor=actor, created=certificates)
    _record_transitions(reviews, decision, before, actor)
    household_years_sync({r.household_id for r in reviews}, actor=actor)
    return decision


@transaction.atomic
def review_refuse(*, actor: User, review: Review, reason: str) -> Review:
    """A monthly request refused in writing with reasons (Decision 24/2021/QĐ-TTg art. 5)."""
    review = _lock_reviews([review.pk])[0]
    commune = _commune_of(review)
    require_move_roles(actor, ["refuse"], commune)
    if message := state_refusal(review, "refuse"):
        raise ValidationError({"status": message})
    if review.kind != ReviewKind.MONTHLY:
        raise ValidationError({"status": _("Only a posted monthly review can be refused.")})
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reasons for refusing, to be sent in writing.")}
        )
    apply_move(review, "refuse", actor=actor, commune=commune, comment=reason.strip())
    household_years_sync([review.household_id], actor=actor)  # unchanged, noted as considered
    return review
