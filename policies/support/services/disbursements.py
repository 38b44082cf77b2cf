"""Disbursements: recording a payment (checked against the household's status in force, the
commune's allocation and priority list), reversing one by a counter-entry, and paying a whole
commune for a period in one batch.

Rules chosen here, beyond the model's constraints:
- A payment's date may not lie in the future, and a periodic programme's period must have started
  by then (no payment in advance: the status a support follows may still change).
- Eligibility is checked on the payment date and, for a periodic programme paid after its period
  ended (arrears), also on the period's last day: the household (and member) must have been
  covered at the end of the period paid and still be covered when it is paid.
- The plan year is the period's year (month, quarter, year), else the year of the payment date.
- A programme paid per delivery ("each") needs a reference (the loan contract, visit, course);
  its period key is the reference itself unless one is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from households.audit import audit_writes, snapshot
from households.models import Household, Member
from households.submissions import (
    AlreadySubmitted,
    submission_claim,
    submission_done,
    submission_replay,
)
from registry.choices import Level
from registry.models import AdminUnit, User
from registry.scoping import scope_for
from reports.summaries import tracking_support

from .. import catalogue, rules, status
from ..choices import AmountRule, EntryKind, PeriodKind, PriorityListStatus
from ..models import (
    Allocation,
    AllocationOverride,
    Disbursement,
    DisbursementBatch,
    PriorityEntry,
    PriorityList,
    Programme,
)

PERIODIC = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
# How many skipped beneficiaries a batch lists by name (the counts cover them all).
SKIPPED_LISTED = 50
# Reasons a batch skips a beneficiary, beside the eligibility codes of `rules`.
ALREADY_PAID = "already_paid"
ALLOCATION_EXHAUSTED = "allocation_exhausted"


# --- messages -------------------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def refusal_message(code: str, day: dt.date, programme: Programme) -> tuple[str, str]:
    """The field and the sentence for an eligibility refusal of `rules` on `day`."""
    when = {"day": _day(day)}
    if code == rules.NO_STATUS:
        return "household", _(
            "On %(day)s the household is not on the poor or near-poor list recognised by the "
            "commune."
        ) % when
    if code == rules.NOT_ELIGIBLE_STATUS:
        return "household", _(
            "On %(day)s the household's recognised status is not one this programme supports."
        ) % when
    if code == rules.MEMBER_REQUIRED:
        return "member", _("Choose the member: this programme supports each person.")
    if code == rules.MEMBER_NOT_ALLOWED:
        return "member", _("This programme supports the household as a whole: choose no member.")
    if code == rules.MEMBER_LEFT:
        return "member", _("On %(day)s this person is not a member of the household.") % when
    if code == rules.AGE:
        return "member", _(
            "On %(day)s this person's age is outside the programme's ages (%(ages)s)."
        ) % {**when, "ages": ages_label(programme)}
    if code == rules.NOT_IN_SCHOOL:
        return "member", _("This programme is only for members in school or training.")
    if code == rules.NOT_ETHNIC_MINORITY:
        return "member", _("This programme is only for members of an ethnic minority.")
    return "household", _("The household is not eligible on %(day)s.") % when


def ages_label(programme: Programme) -> str:
    if programme.min_age is not None and programme.max_age is not None:
        return _("from %(low)s to under %(high)s") % {
            "low": programme.min_age,
            "high": programme.max_age,
        }
    if programme.max_age is not None:
        return _("under %(high)s") % {"high": programme.max_age}
    if programme.min_age is not None:
        return _("%(low)s and over") % {"low": programme.min_age}
    return _("any age")


def reason_label(code: str) -> str:
    """A batch's reason for skipping, in the user's language."""
    labels = {
        rules.NO_STATUS: _("not on the recognised list"),
        rules.NOT_ELIGIBLE_STATUS: _("status not covered"),
        rules.MEMBER_LEFT: _("not a member on the date"),
        rules.AGE: _("age outside the programme's ages"),
        rules.NOT_IN_SCHOOL: _("not in school or training"),
        rules.NOT_ETHNIC_MINORITY: _("not of an ethnic minority"),
        ALREADY_PAID: _("already paid for the period"),
        ALLOCATION_EXHAUSTED: _("allocation exhausted"),
    }
    return labels.get(code, code)


def _double_payment_message(period: str) -> str:
    return _(
        "Already paid: this beneficiary has received this programme for the period %(period)s. "
        "Reverse that payment first to pay it again."
    ) % {"period": period}


# --- what every write checks ----------------------------------------------------------------------


def _member_facts(member: Member, household: Household) -> rules.PersonFacts:
    return status.person_facts(
        birth_year=member.birth_year,
        birth_date=member.birth_date,
        school_status=member.school_status,
        ethnicity=member.ethnicity,
        joined_on=status.joined_after_registration(member.joined_on, household.created_at),
        left_on=member.left_on,
    )


def _require_editor(actor: User, path: str) -> None:
    """A row the actor cannot see answers as missing (404); one they see but may not change, 403."""
    scope = scope_for(actor)
    if scope.can_edit(path):
        return
    if scope.can_view(path):
        raise PermissionDenied(_("Only the commune officer of this commune records its support."))
    raise Http404


@dataclass(frozen=True)
class Period:
    key: str
    year: int
    bounds: tuple[dt.date, dt.date] | None


def _period(
    programme: Programme, raw: str | None, paid_on: dt.date, reference: str, errors: dict
) -> Period | None:
    kind = programme.period_kind
    text = (raw or "").strip()
    if kind == PeriodKind.EACH and not text:
        if not reference:
            errors.setdefault("reference", []).append(
                _(
                    "Give the reference of this delivery (loan contract, visit date, course): "
                    "each one is paid once."
                )
            )
            return None
        text = re.sub(r"\s+", "-", reference)
    if kind in PERIODIC and not text:
        text = rules.period_key(kind, paid_on)
    try:
        key = rules.parse_period(kind, text)
    except ValueError:
        examples = {
            PeriodKind.MONTH: "2026-03",
            PeriodKind.QUARTER: "2026-Q1",
            PeriodKind.YEAR: "2026",
            PeriodKind.EACH: "HD-123/2026",
        }
        errors.setdefault("period", []).append(
            _("Write the period as %(example)s (at most 24 letters, digits, . / -).")
            % {"example": examples.get(kind, "")}
        )
        return None
    bounds = rules.period_bounds(kind, key)
    if bounds and bounds[0] > paid_on:
        errors.setdefault("period", []).append(
            _("The period %(period)s has not started on %(day)s: pay it once it has started.")
            % {"period": key, "day": _day(paid_on)}
        )
        return None
    return Period(key=key, year=bounds[0].year if bounds else paid_on.year, bounds=bounds)


def _check_days(paid_on: dt.date, period: Period) -> list[dt.date]:
    """The days eligibility is read on: the payment date and, for arrears, the period's end."""
    if period.bounds and period.bounds[1] < paid_on:
        return [period.bounds[1], paid_on]
    return [paid_on]


def _check_programme(actor: User, programme: Programme, paid_on: dt.date, errors: dict) -> None:
    if not Programme.objects.available_to(actor).filter(pk=programme.pk).exists():
        errors.setdefault("programme", []).append(_("Choose a programme of your province."))
    else:
        check_in_force(programme, paid_on, errors)


def check_in_force(programme: Programme, paid_on: dt.date, errors: dict) -> None:
    """Whether the programme is in force on the payment date (also read by the bulk import)."""
    if programme.valid_from > paid_on or (programme.valid_to and programme.valid_to < paid_on):
        errors.setdefault("paid_on", []).append(
            _("The programme is not in force on %(day)s (in force %(start)s to %(end)s).")
            % {
                "day": _day(paid_on),
                "start": _day(programme.valid_from),
                "end": _day(programme.valid_to) if programme.valid_to else "…",
            }
        )


def _check_date(paid_on: dt.date, errors: dict) -> None:
    if paid_on > timezone.localdate():
        errors.setdefault("paid_on", []).append(_("The payment date cannot be in the future."))


def _funding(programme: Programme, funding_source: str | None, errors: dict) -> str:
    sources = list(programme.funding_sources or [])
    if not funding_source:
        return sources[0] if sources else ""
    if funding_source not in sources:
        errors.setdefault("funding_source", []).append(
            _("This programme is funded from: %(sources)s.")
            % {"sources": ", ".join(_label_of_source(s) for s in sources)}
        )
    return funding_source


def _label_of_source(code: str) -> str:
    from ..choices import FundingSource

    try:
        return str(FundingSource(code).label)
    except ValueError:
        return code


def parameters_on(programme: Programme, day: dt.date, variant: str = "") -> dict[str, int]:
    """The programme's parameters in force on `day`, narrowed to `variant` (a row of the variant
    wins over the row for every variant). Reads `programme.parameters.all()`, so a prefetched
    programme costs no query."""
    chosen: dict[str, tuple[bool, int]] = {}
    for row in programme.parameters.all():
        if row.valid_from > day or (row.valid_to and row.valid_to < day):
            continue
        if row.variant not in ("", variant):
            continue
        specific = row.variant == variant and variant != ""
        if row.key not in chosen or specific:
            chosen[row.key] = (specific, row.value)
    return {key: value for key, (_specific, value) in chosen.items()}


def _amount(
    programme: Programme,
    *,
    paid_on: dt.date,
    variant: str,
    quantity: int,
    entered: int | None,
    errors: dict,
) -> int:
    parameters = parameters_on(programme, paid_on, variant)
    if programme.amount_rule != AmountRule.ENTERED and entered is not None:
        try:
            computed = rules.amount(
                programme.amount_rule,
                parameters=parameters,
                period_kind=programme.period_kind,
                quantity=quantity,
            )
        except rules.AmountError as error:
            _amount_error(error, paid_on, quantity, parameters, errors)
            return 0
        if entered != computed:
            errors.setdefault("amount", []).append(
                _(
                    "The amount is worked out from the programme's parameters in force on the "
                    "date (%(amount)s VND): leave it empty."
                )
                % {"amount": _vnd(computed)}
            )
        return computed
    if entered is not None and entered <= 0:
        errors.setdefault("amount", []).append(_("Enter an amount greater than 0 VND."))
        return 0
    try:
        return rules.amount(
            programme.amount_rule,
            parameters=parameters,
            period_kind=programme.period_kind,
            quantity=quantity,
            entered=entered,
        )
    except rules.AmountError as error:
        _amount_error(error, paid_on, quantity, parameters, errors)
        return 0


def _amount_error(
    error: rules.AmountError, paid_on: dt.date, quantity: int, parameters: dict, errors: dict
) -> None:
    if error.code == rules.AMOUNT_REQUIRED:
        message = _("Enter the amount paid (VND).")
    elif error.code == rules.AMOUNT_TOO_HIGH:
        message = _("At most %(amount)s VND for this quantity.") % {
            "amount": _vnd(parameters["max_amount"] * quantity)
        }
    elif error.code == rules.AMOUNT_NOT_ALLOWED:
        message = _("This programme delivers in kind: leave the amount empty.")
    else:
        message = _(
            "The programme has no %(parameter)s in force on %(day)s: an administrator must add it."
        ) % {"parameter": error.parameter, "day": _day(paid_on)}
    errors.setdefault("amount", []).append(message)


def _check_variant(programme: Programme, variant: str, errors: dict) -> None:
    variants = catalogue.programme_variants(programme)
    if variants and variant not in variants:
        errors.setdefault("variant", []).append(
            _("Choose one of: %(variants)s.")
            % {"variants": ", ".join(variant_label(v) for v in variants)}
        )
    elif not variants and variant:
        errors.setdefault("variant", []).append(_("This programme has no variants."))


variant_label = catalogue.variant_label


def _locked_allocation(programme: Programme, year: int, commune_id: int) -> Allocation | None:
    """The commune's allocation of the programme for the year, locked until the transaction ends,
    so that two payments against one ceiling are checked one after the other."""
    return (
        Allocation.objects.select_for_update(of=("self",))
        .filter(programme=programme, year=year, unit_id=commune_id)
        .first()
    )


@dataclass(frozen=True)
class Room:
    """What is left under an allocation (None: no ceiling on that count)."""

    amount: int | None
    quantity: int | None


def allocation_room(allocation: Allocation) -> Room:
    """The allocation with its overrides, less the payments standing against it (two queries)."""
    extra = AllocationOverride.objects.filter(allocation=allocation).aggregate(
        amount=Coalesce(Sum("extra_amount"), 0), quantity=Coalesce(Sum("extra_quantity"), 0)
    )
    used = Disbursement.objects.filter(allocation=allocation).aggregate(
        amount=Coalesce(Sum("amount"), 0), quantity=Coalesce(Sum("quantity"), 0)
    )
    return Room(
        amount=None
        if allocation.amount is None
        else allocation.amount + extra["amount"] - used["amount"],
        quantity=None
        if allocation.quantity is None
        else allocation.quantity + extra["quantity"] - used["quantity"],
    )


def _no_allocation_message(year: int) -> str:
    return _(
        "The commune has no allocation of this programme for %(year)s: it can be paid once the "
        "allocation is recorded."
    ) % {"year": year}


def _check_ceiling(
    allocation: Allocation, *, amount: int, quantity: int, year: int, errors: dict
) -> None:
    room = allocation_room(allocation)
    if room.amount is not None and amount > room.amount:
        errors.setdefault("amount", []).append(
            _(
                "This payment would exceed the commune's allocation for %(year)s: %(left)s VND "
                "left. The district may record an override with its reason."
            )
            % {"year": year, "left": _vnd(max(room.amount, 0))}
        )
    if room.quantity is not None and quantity > room.quantity:
        errors.setdefault("quantity", []).append(
            _(
                "This payment would exceed the commune's allocated quantity for %(year)s: "
                "%(left)s left. The district may record an override with its reason."
            )
            % {"year": year, "left": max(room.quantity, 0)}
        )


def _priority_entry(
    *,
    programme: Programme,
    household: Household,
    year: int,
    out_of_order_reason: str,
    errors: dict,
) -> PriorityEntry | None:
    """The household's place on the commune's decided priority list; paying out of the list's
    order needs a reason."""
    decided = PriorityList.objects.filter(
        programme=programme,
        year=year,
        commune_id=household.commune_id,
        status=PriorityListStatus.DECIDED,
    ).first()
    if decided is None:
        errors.setdefault("programme", []).append(
            _(
                "This programme follows the commune's priority list, and the commune has no list "
                "for %(year)s decided at the village meeting yet."
            )
            % {"year": year}
        )
        return None
    paid = Disbursement.objects.filter(
        programme=programme,
        year=year,
        household_id=OuterRef("household_id"),
        kind=EntryKind.PAYMENT,
        is_reversed=False,
    )
    entries = list(
        PriorityEntry.objects.filter(priority_list=decided, withdrawn=False)
        .annotate(paid=Exists(paid))
        .select_related("household")
        .order_by("rank")
    )
    mine = next((e for e in entries if e.household_id == household.pk), None)
    if mine is None:
        errors.setdefault("household", []).append(
            _("The household is not on the commune's priority list for %(year)s.") % {"year": year}
        )
        return None
    first = next((e for e in entries if not e.paid), None)
    if first is not None and first.pk != mine.pk and not out_of_order_reason:
        errors.setdefault("out_of_order_reason", []).append(
            _(
                "Household %(code)s comes first on the priority list (place %(rank)s; this "
                "household is at place %(mine)s): give the reason for paying out of order."
            )
            % {"code": first.household.code, "rank": first.rank, "mine": mine.rank}
        )
    return mine


def _already_paid(programme: Programme, household: Household, member, period: str) -> bool:
    return Disbursement.objects.filter(
        programme=programme,
        household=household,
        member=member,
        period=period,
        kind=EntryKind.PAYMENT,
        is_reversed=False,
    ).exists()


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- recording one payment ------------------------------------------------------------------------


def disbursement_record(
    *,
    actor: User,
    programme: Programme,
    household: Household,
    member: Member | None = None,
    paid_on: dt.date,
    period: str | None = None,
    variant: str = "",
    quantity: int = 1,
    amount: int | None = None,
    funding_source: str | None = None,
    reference: str = "",
    note: str = "",
    out_of_order_reason: str = "",
) -> Disbursement:
    """Record support delivered to a household (or one member), after checking the status in
    force, the programme's rules and amount, the commune's allocation and priority list, and that
    the same beneficiary was not paid for the period already."""
    _require_editor(actor, household.unit_path)
    prefetch_related_objects([programme], "parameters")
    errors: dict[str, list[str]] = {}
    reference = (reference or "").strip()
    out_of_order_reason = (out_of_order_reason or "").strip()
    variant = (variant or "").strip()
    _check_programme(actor, programme, paid_on, errors)
    _raise(errors)  # nothing else can be checked against a programme that does not apply
    _check_date(paid_on, errors)
    if len(reference) > 100:
        errors.setdefault("reference", []).append(_("At most 100 characters."))
    if quantity is None or quantity < 1:
        errors.setdefault("quantity", []).append(_("The quantity is at least 1."))
        quantity = 1
    if member is not None and member.household_id != household.pk:
        errors.setdefault("member", []).append(_("This person is not a member of the household."))
        member = None
    found = _period(programme, period, paid_on, reference, errors)
    _check_variant(programme, variant, errors)
    value = _amount(
        programme,
        paid_on=paid_on,
        variant=variant,
        quantity=quantity,
        entered=amount,
        errors=errors,
    )
    source = _funding(programme, funding_source, errors)
    classification = ""
    if found is not None:
        classification = _check_eligible(programme, household, member, found, paid_on, errors)
    entry = None
    if found is not None and programme.uses_priority_list:
        entry = _priority_entry(
            programme=programme,
            household=household,
            year=found.year,
            out_of_order_reason=out_of_order_reason,
            errors=errors,
        )
    if found is not None and not errors and _already_paid(programme, household, member, found.key):
        errors.setdefault("period", []).append(_double_payment_message(found.key))
    _raise(errors)
    with transaction.atomic():
        allocation = _locked_allocation(programme, found.year, household.commune_id)
        if programme.capped and allocation is None:
            errors.setdefault("programme", []).append(_no_allocation_message(found.year))
        elif programme.capped:
            _check_ceiling(
                allocation, amount=value, quantity=quantity, year=found.year, errors=errors
            )
        _raise(errors)
        with tracking_support([household.pk], [programme.pk]):  # the rollups follow (reports)
            try:
                with transaction.atomic():
                    return Disbursement.objects.create(
                        programme=programme,
                        household=household,
                        member=member,
                        commune_id=household.commune_id,
                        unit_path=household.unit_path,
                        year=found.year,
                        kind=EntryKind.PAYMENT,
                        paid_on=paid_on,
                        period=found.key,
                        variant=variant,
                        quantity=quantity,
                        amount=value,
                        funding_source=source,
                        classification=classification,
                        allocation=allocation,
                        priority_entry=entry,
                        out_of_order_reason=out_of_order_reason,
                        reference=reference,
                        note=(note or "").strip(),
                        recorded_by=actor,
                    )
            except IntegrityError:
                # Another payment of the same beneficiary and period was committed meanwhile: the
                # database's constraint refused this one.
                if _already_paid(programme, household, member, found.key):
                    message = _double_payment_message(found.key)
                    raise ValidationError({"period": [message]}) from None
                raise


def _check_eligible(
    programme: Programme,
    household: Household,
    member: Member | None,
    period: Period,
    paid_on: dt.date,
    errors: dict,
) -> str:
    """Check eligibility on each day that counts; returns the status read on the payment date."""
    rule = programme.rule
    person = _member_facts(member, household) if member is not None else None
    classification = ""
    for day in _check_days(paid_on, period):
        facts = status.household_facts([household.pk], day)[household.pk]
        code = rules.refusal(rule, facts, day, person)
        if code is not None:
            field, message = refusal_message(code, day, programme)
            errors.setdefault(field, []).append(message)
            return ""
        classification = facts.classification or rules.basis(rule, facts, day) or ""
    return classification


# --- reversing one --------------------------------------------------------------------------------


def disbursement_reverse(*, actor: User, disbursement: Disbursement, reason: str) -> Disbursement:
    """Undo a payment by a counter-entry (negative amount and quantity) with the reason; the
    payment stays, marked reversed, so that the period can be paid again."""
    _require_editor(actor, disbursement.unit_path)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the reversal.")]})
    with transaction.atomic():
        payment = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
        if payment.kind == EntryKind.REVERSAL:
            raise ValidationError({"reason": [_("A reversal cannot itself be reversed.")]})
        if payment.is_reversed:
            raise ValidationError({"reason": [_("This payment is already reversed.")]})
        with tracking_support([payment.household_id], [payment.programme_id]):  # rollups follow
            reversal = Disbursement.objects.create(
                programme_id=payment.programme_id,
                household_id=payment.household_id,
                member_id=payment.member_id,
                commune_id=payment.commune_id,
                unit_path=payment.unit_path,
                year=payment.year,
                kind=EntryKind.REVERSAL,
                paid_on=max(timezone.localdate(), payment.paid_on),
                period=payment.period,
                variant=payment.variant,
                quantity=-payment.quantity,
                amount=-payment.amount,
                funding_source=payment.funding_source,
                classification=payment.classification,
                allocation_id=payment.allocation_id,
                reverses=payment,
                reference=payment.reference,
                note=reason,
                recorded_by=actor,
            )
            before = snapshot(payment)
            payment.is_reversed = True
            payment.save(update_fields=["is_reversed"])
            audit_writes(actor=actor, changed=[(payment, before)])
    return reversal


# --- paying a commune in one batch ----------------------------------------------------------------


@dataclass
class _Skips:
    counts: Counter
    first: list

    def add(self, code: str, household: tuple, member: tuple | None = None) -> None:
        self.counts[code] += 1
        if len(self.first) < SKIPPED_LISTED:
            self.first.append(
                {
                    "household": household[0],
                    "code": household[1],
                    "member": member[0] if member else None,
                    "name": member[1] if member else household[2],
                    "reason": code,
                }
            )


def _batch_refusal(programme: Programme) -> str | None:
    if programme.uses_priority_list:
        return _(
            "This programme follows the commune's priority list: record its payments one by one, "
            "in the list's order."
        )
    if programme.amount_rule == AmountRule.ENTERED:
        return _("This programme's amount is entered for each payment: record them one by one.")
    if catalogue.programme_variants(programme):
        return _("This programme has variants: record its payments one by one.")
    return None


def disbursement_batch_run(
    *,
    actor: User,
    programme: Programme,
    commune: AdminUnit,
    period: str,
    paid_on: dt.date,
    funding_source: str | None = None,
    submission_key: str | None = None,
) -> DisbursementBatch:
    """Pay every eligible household (or member) of the commune once for the period, in one
    transaction and a fixed number of queries whatever the number of households; beneficiaries
    already paid, not eligible or beyond the allocation are reported as skipped with the reason.
    Two runs at the same time pay each beneficiary once: the allocation row is locked, and the
    database's constraints drop a second payment. The same form (or API call, by its
    Idempotency-Key) sent twice makes one batch: the second answers with the first."""
    replayed = submission_replay(
        key=submission_key, actor=actor, action=SUBMIT_BATCH, model=DisbursementBatch
    )
    if replayed is not None:
        return replayed
    try:
        return _batch_run(
            actor=actor,
            programme=programme,
            commune=commune,
            period=period,
            paid_on=paid_on,
            funding_source=funding_source,
            submission_key=submission_key,
        )
    except AlreadySubmitted:
        return submission_replay(
            key=submission_key, actor=actor, action=SUBMIT_BATCH, model=DisbursementBatch
        )


SUBMIT_BATCH = "support.disbursementbatch.create"


def _batch_run(
    *,
    actor: User,
    programme: Programme,
    commune: AdminUnit,
    period: str,
    paid_on: dt.date,
    funding_source: str | None,
    submission_key: str | None,
) -> DisbursementBatch:
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": [_("Choose a commune.")]})
    _require_editor(actor, commune.path)
    prefetch_related_objects([programme], "parameters")
    errors: dict[str, list[str]] = {}
    _check_date(paid_on, errors)
    _check_programme(actor, programme, paid_on, errors)
    if not errors.get("programme"):
        refused = _batch_refusal(programme)
        if refused:
            errors.setdefault("programme", []).append(refused)
    _raise(errors)
    found = _period(programme, period, paid_on, "", errors)
    if programme.period_kind == PeriodKind.EACH and not (period or "").strip():
        errors.setdefault("period", []).append(_("Give the key of this delivery."))
    amount = _amount(
        programme, paid_on=paid_on, variant="", quantity=1, entered=None, errors=errors
    )
    source = _funding(programme, funding_source, errors)
    _raise(errors)

    rule = programme.rule
    days = _check_days(paid_on, found)
    households = list(
        Household.objects.filter(commune=commune)
        .editable_by(actor)
        .order_by("code")
        .values_list("pk", "code", "head_name", "unit_path", "created_at")
    )
    ids = [h[0] for h in households]
    facts_by_day = [(day, status.household_facts(ids, day)) for day in days]
    members: dict[int, list[tuple]] = {}
    if programme.per_person:
        rows = (
            Member.objects.filter(household__commune=commune)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=days[0]))
            .order_by("household_id", "pk")
            .values_list(
                "pk",
                "full_name",
                "household_id",
                "birth_year",
                "birth_date",
                "school_status",
                "ethnicity",
                "joined_on",
                "left_on",
            )
        )
        registered = {h[0]: h[4] for h in households}
        for row in rows:
            if row[2] in registered:
                members.setdefault(row[2], []).append(
                    (*row[:7], status.joined_after_registration(row[7], registered[row[2]]), row[8])
                )

    with transaction.atomic():
        claim = submission_claim(key=submission_key, actor=actor, action=SUBMIT_BATCH)
        allocation = _locked_allocation(programme, found.year, commune.pk)
        if programme.capped and allocation is None:
            raise ValidationError({"programme": [_no_allocation_message(found.year)]})
        room = allocation_room(allocation) if allocation is not None and programme.capped else None
        paid = set(
            Disbursement.objects.filter(
                programme=programme,
                period=found.key,
                kind=EntryKind.PAYMENT,
                is_reversed=False,
                household__commune=commune,
            ).values_list("household_id", "member_id")
        )
        batch = DisbursementBatch.objects.create(
            programme=programme,
            commune=commune,
            unit_path=commune.path,
            period=found.key,
            paid_on=paid_on,
            funding_source=source,
            created_by=actor,
        )
        skips = _Skips(Counter(), [])
        rows: list[Disbursement] = []
        left_amount = room.amount if room is not None else None
        left_quantity = room.quantity if room is not None else None
        for household in households:
            code, classification = _household_refusal(rule, household[0], facts_by_day)
            if code is not None:
                skips.add(code, household)
                continue
            beneficiaries = (
                [(m, _row_facts(m)) for m in members.get(household[0], [])]
                if programme.per_person
                else [(None, None)]
            )
            for member, person in beneficiaries:
                member_id = member[0] if member else None
                if person is not None:
                    code = next(
                        (
                            c
                            for day, _facts in facts_by_day
                            if (c := rules.person_refusal(rule, person, day)) is not None
                        ),
                        None,
                    )
                    if code is not None:
                        skips.add(code, household, member)
                        continue
                if (household[0], member_id) in paid:
                    skips.add(ALREADY_PAID, household, member)
                    continue
                if (left_amount is not None and amount > left_amount) or (
                    left_quantity is not None and left_quantity < 1
                ):
                    skips.add(ALLOCATION_EXHAUSTED, household, member)
                    continue
                if left_amount is not None:
                    left_amount -= amount
                if left_quantity is not None:
                    left_quantity -= 1
                rows.append(
                    Disbursement(
                        programme=programme,
                        household_id=household[0],
                        member_id=member_id,
                        commune=commune,
                        unit_path=household[3],
                        year=found.year,
                        kind=EntryKind.PAYMENT,
                        paid_on=paid_on,
                        period=found.key,
                        quantity=1,
                        amount=amount,
                        funding_source=source,
                        classification=classification,
                        allocation=allocation,
                        batch=batch,
                        recorded_by=actor,
                    )
                )
        with tracking_support({row.household_id for row in rows}, [programme.pk]):
            Disbursement.objects.bulk_create(rows, ignore_conflicts=True)  # rollups follow
        inserted = Disbursement.objects.filter(batch=batch).aggregate(
            count=Count("pk"), amount=Coalesce(Sum("amount"), 0)
        )
        # A row the database dropped was paid by a run committed meanwhile.
        dropped = len(rows) - inserted["count"]
        if dropped:
            skips.counts[ALREADY_PAID] += dropped
        batch.paid_count = inserted["count"]
        batch.amount_total = inserted["amount"]
        batch.skipped_count = sum(skips.counts.values())
        batch.skipped = {"by_reason": dict(skips.counts), "first": skips.first}
        batch.save(update_fields=["paid_count", "amount_total", "skipped_count", "skipped"])
        submission_done(claim, batch)
    return batch


def _row_facts(row: tuple) -> rules.PersonFacts:
    _pk, _name, _household, birth_year, birth_date, school, ethnicity, joined_on, left_on = row
    return status.person_facts(
        birth_year=birth_year,
        birth_date=birth_date,
        school_status=school,
        ethnicity=ethnicity,
        joined_on=joined_on,
        left_on=left_on,
    )


def _household_refusal(
    rule: rules.Rule, household_id: int, facts_by_day: list
) -> tuple[str | None, str]:
    """Why the household is not covered on one of the days (None), and the status read."""
    classification = ""
    household_only = rules.Rule(**{**rule.__dict__, "per_person": False})
    for day, facts in facts_by_day:
        found = facts[household_id]
        code = rules.refusal(household_only, found, day)
        if code is not None:
            return code, ""
        classification = found.classification or rules.basis(rule, found, day) or ""
    return None, classification
