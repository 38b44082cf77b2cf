"""Every write to households, members and reviews.

A service validates everything first, then writes inside one transaction, so a refused save
leaves nothing half-written. Errors are Django ValidationErrors keyed by field; member errors
are keyed "members.<row>.<field>" so forms and the API can show them beside the right input.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from households.campaign.selectors import campaign_for, list_is_closed
from households.campaign.services._common import apply_move
from registry.choices import Level
from registry.limits import MAX_BIGINT, YEAR_RANGE_MESSAGE, year_in_range
from registry.models import AdminUnit, User
from registry.scoping import scope_for
from registry.text import search_key

from .choices import EDITABLE_STATUSES, FINAL_STATUSES, Relationship, ReviewKind, ReviewStatus
from .ethnicity import ETHNIC_CODES
from .evaluation import evaluate, reasons_payload
from .household_year import household_years_sync
from .models import Household, HouseholdCodeCounter, Member, Review
from .submissions import AlreadySubmitted, submission_claim, submission_done, submission_replay
from .validators import normalise_id_number, validate_id_number

logger = logging.getLogger(__name__)

MEMBER_FIELDS = (
    "full_name",
    "relationship",
    "sex",
    "birth_year",
    "birth_date",
    "ethnicity",
    "id_number",
    "has_health_insurance",
    "health_insurance_valid_to",
    "school_status",
    "school_level_matches_age",
    "qualification",
    "employment",
    "has_disability",
    "receives_social_allowance",
    "malnourished",
    "joined_on",
)
REVIEW_FIELDS = (
    "list_year",
    "kind",
    "survey_date",
    "income_per_capita",
    "b1_score",
    "deprivations",
    "housing_area_m2",
    "recognised_classification",
    "override_reason",
)


class ConflictError(Exception):
    """The household changed since the editor read it (optimistic locking)."""

    def __init__(self, household: Household) -> None:
        super().__init__(
            _(
                "Someone else saved this household while you were editing it. "
                "Your changes were not saved: reload the page to see their version, "
                "then enter your changes again."
            )
        )
        self.household = household


# What a submission key is claimed for (households.submissions).
SUBMIT_CREATE = "households.household.create"
SUBMIT_UPDATE = "households.household.update"

# Not a legal number: the most member rows one request may check or save. No household comes
# near it, and it keeps a request from testing ID numbers of the whole country at once.
MAX_MEMBERS_PER_REQUEST = 50


@dataclass(frozen=True)
class Duplicate:
    """A member being entered who may already be registered.

    Outside the user's area (`elsewhere`), nothing names the person or the household: only
    that the ID number is taken.
    """

    row: int
    kind: str  # "id_number" (certain) or "name_birth_year" (possible)
    member_id: int | None
    household_id: int | None
    household_code: str
    full_name: str
    elsewhere: bool = False


def registered_elsewhere_message() -> str:
    """What a user is told about an ID number registered outside their area (nothing more)."""
    return _(
        "This ID number is already registered elsewhere, outside your area. The district "
        "(where there is none, the province) can resolve it."
    )


def _too_many_members(members: Sequence[Any], errors: dict[str, list[str]]) -> bool:
    if len(members) <= MAX_MEMBERS_PER_REQUEST:
        return False
    errors.setdefault("members", []).append(
        _("Send at most %(max)d members at a time (%(sent)d were sent).")
        % {"max": MAX_MEMBERS_PER_REQUEST, "sent": len(members)}
    )
    return True


def _with_visibility(members, user: User):
    """Members, each marked `visible` if the user may see their household: one query either
    way, so that neither the answer's content nor its time tells more than that."""
    visible = Household.objects.visible_to(user).filter(pk=OuterRef("household_id"))
    return members.select_related("household").annotate(visible=Exists(visible))


# --- validation --------------------------------------------------------------------------------


def _member_key(row: int, field: str) -> str:
    return f"members.{row}.{field}"


def normalised_name(name: Any) -> str:
    """A name as stored: its words separated by single spaces."""
    return " ".join(str(name or "").split())


def stored_birth_year(typed: int | None, birth_date: dt.date | None) -> int | None:
    """The year of birth stored: the one typed, else the year of the date of birth."""
    return typed or (birth_date.year if birth_date else None)


def _clean_members(
    members: Sequence[Mapping[str, Any]], *, today: dt.date
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Normalise member rows and check each on its own; return rows and errors by key.

    Every problem of every row is reported at once, so that a form never shows its mistakes in
    rounds (an ID number first, a birth date in the future only once the ID number is right).
    """
    errors: dict[str, list[str]] = {}
    cleaned: list[dict[str, Any]] = []
    for row, member in enumerate(members):
        data = dict(member)
        data["full_name"] = normalised_name(data.get("full_name"))
        if not data["full_name"]:
            errors.setdefault(_member_key(row, "full_name"), []).append(
                _("Enter the member's full name.")
            )
        birth_date = data.get("birth_date")
        typed_year = data.get("birth_year")
        birth_year = data["birth_year"] = stored_birth_year(typed_year, birth_date)
        year_is_possible = birth_year is not None and 1880 <= birth_year <= today.year
        if birth_year is None:
            errors.setdefault(_member_key(row, "birth_year"), []).append(
                _("Enter the year of birth (the exact date may stay empty).")
            )
        elif not year_is_possible and not (birth_date and birth_date > today and not typed_year):
            # A year read from a date in the future is the date's mistake, said beside it.
            errors.setdefault(
                _member_key(row, "birth_year" if typed_year else "birth_date"), []
            ).append(
                _("The year of birth must be between 1880 and %(year)d.") % {"year": today.year}
            )
        if birth_date and birth_date > today:
            errors.setdefault(_member_key(row, "birth_date"), []).append(
                _("The date of birth cannot be in the future.")
            )
        if birth_date and birth_year and birth_date.year != birth_year:
            errors.setdefault(_member_key(row, "birth_year"), []).append(
                _("The year of birth does not match the date of birth.")
            )
        ethnicity_error = _ethnicity_error(row, data)
        if ethnicity_error:
            errors.setdefault(_member_key(row, "ethnicity"), []).append(ethnicity_error)
        id_number = normalise_id_number(data.get("id_number"))
        data["id_number"] = id_number or None
        if id_number:
            try:
                validate_id_number(
                    id_number,
                    birth_year=birth_year if year_is_possible else None,
                    sex=data.get("sex") or None,
                    today=today,
                )
            except ValidationError as error:
                errors.setdefault(_member_key(row, "id_number"), []).extend(error.messages)
        cleaned.append(data)
    return cleaned, errors


def _ethnicity_error(row: int, data: Mapping[str, Any]) -> str | None:
    """Ethnicity is asked of every member: there is no default (Kinh or any other). A registered
    member's row that leaves it out keeps the stored answer, as with any field it leaves out."""
    if data.get("id") and "ethnicity" not in data:
        return None
    value = data.get("ethnicity")
    if not value:
        name = data.get("full_name")
        if name:
            return _("Choose the ethnicity of %(name)s (member %(n)d): there is no default.") % {
                "name": name,
                "n": row + 1,
            }
        return _("Choose the ethnicity of member %(n)d: there is no default.") % {"n": row + 1}
    if value not in ETHNIC_CODES:
        return _("“%(value)s” is not an ethnicity of the list (codes 01 to 54).") % {"value": value}
    return None


def household_members_check(
    *, members: Sequence[Mapping[str, Any]], actor: User
) -> dict[str, list[str]]:
    """The member checks of household_create and household_update, without saving anything.

    A form that could not read every field runs them on what it could read, so that it shows
    every mistake at once rather than the registry's only after the typing ones are corrected.
    """
    cleaned, errors = _clean_members(members, today=timezone.localdate())
    _check_members_together(cleaned, actor=actor, errors=errors)
    return errors


def _check_members_together(
    cleaned: list[dict[str, Any]], *, actor: User, errors: dict[str, list[str]]
) -> None:
    """Exactly one head; ID numbers unique within the form and across the registry (naming the
    holder only when the actor may see their household)."""
    heads = [row for row, m in enumerate(cleaned) if m.get("relationship") == Relationship.HEAD]
    if not cleaned:
        errors.setdefault("members", []).append(_("A household has at least one member."))
    elif not heads:
        errors.setdefault("members", []).append(
            _("Mark one member as head of household (relationship: head of household).")
        )
    elif len(heads) > 1:
        for row in heads[1:]:
            errors.setdefault(_member_key(row, "relationship"), []).append(
                _("A household has only one head; another member is already the head.")
            )
    seen: dict[str, int] = {}
    for row, member in enumerate(cleaned):
        number = member.get("id_number")
        if not number:
            continue
        if number in seen:
            errors.setdefault(_member_key(row, "id_number"), []).append(
                _("This ID number is already given to member %(n)d of this form.")
                % {"n": seen[number] + 1}
            )
        seen[number] = row
    taken = _with_visibility(Member.objects.filter(id_number__in=list(seen)), actor)
    own_ids = {m.get("id") for m in cleaned if m.get("id")}
    for other in taken:
        if other.pk in own_ids:
            continue
        row = seen[other.id_number]
        errors.setdefault(_member_key(row, "id_number"), []).append(
            _("This ID number is already registered for %(name)s in household %(code)s.")
            % {"name": other.full_name, "code": other.household.code}
            if other.visible
            else registered_elsewhere_message()
        )


def _validate_location(
    *, actor: User, commune: AdminUnit, village: AdminUnit | None, errors: dict[str, list[str]]
) -> None:
    if commune.level != Level.COMMUNE:
        errors.setdefault("commune", []).append(_("Choose a commune."))
        return
    if not scope_for(actor).can_edit(commune.path):
        raise PermissionDenied(_("You may not change households of this commune."))
    if village is not None and village.parent_id != commune.pk:
        errors.setdefault("village", []).append(_("This village is not in the chosen commune."))


def _prepare_review(
    review: Mapping[str, Any],
    *,
    area_type: str,
    members: list[dict[str, Any]],
    errors: dict[str, list[str]],
    unit: AdminUnit | None = None,
) -> dict[str, Any] | None:
    """Check a review's facts and compute its classification; None when it has errors."""
    data = {k: review.get(k) for k in REVIEW_FIELDS}
    data["kind"] = data.get("kind") or ReviewKind.PERIODIC
    data["deprivations"] = sorted(set(data.get("deprivations") or []))
    data["override_reason"] = (data.get("override_reason") or "").strip()
    if data.get("list_year") is None:
        errors.setdefault("list_year", []).append(_("Enter the list year."))
        return None
    if not year_in_range(data["list_year"]):
        errors.setdefault("list_year", []).append(str(YEAR_RANGE_MESSAGE))
        return None
    if data.get("survey_date") is None:
        errors.setdefault("survey_date", []).append(_("Enter the survey date."))
        return None
    if data["survey_date"] > timezone.localdate():
        errors.setdefault("survey_date", []).append(_("The survey date cannot be in the future."))
    income = data.get("income_per_capita")
    if income is not None and income < 0:
        errors.setdefault("income_per_capita", []).append(_("Income cannot be negative."))
        return None
    if income is not None and income > MAX_BIGINT:
        errors.setdefault("income_per_capita", []).append(
            _("This income is larger than any the registry can hold: check the number.")
        )
        return None
    # A member without a year of birth is refused already (its own error); it derives nothing.
    current = [m for m in members if not m.get("left_on") and m.get("birth_year") is not None]
    campaign = (
        campaign_for(unit=unit, list_year=data["list_year"])
        if data["kind"] == ReviewKind.PERIODIC
        else None
    )
    if campaign is not None and unit is not None and list_is_closed(campaign=campaign, unit=unit):
        errors.setdefault("list_year", []).append(
            _("The %(year)d list of this commune is closed; record a monthly review instead.")
            % {"year": data["list_year"]}
        )
        return None
    try:
        # The standard is the one `standard_for_review` names, as in the form and the preview.
        evaluation = evaluate(
            list_year=data["list_year"],
            area_type=area_type,
            income_per_capita=income,
            b1_score=data.get("b1_score"),
            deprivations=data["deprivations"],
            members=current,
            on=data["survey_date"],
            housing_area_m2=data.get("housing_area_m2"),
            unit=unit,  # the commune: its province's local standard applies
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        return None
    computed = evaluation.verdict.classification.value
    recognised = data.get("recognised_classification") or computed
    if recognised != computed and not data["override_reason"]:
        errors.setdefault("override_reason", []).append(
            _("Explain why the recognised result differs from the computed one.")
        )
    data.update(
        campaign=campaign,
        standard_code=evaluation.verdict.standard_code,
        area_type=area_type,
        computed_classification=computed,
        computed_line=evaluation.verdict.line,
        computed_reasons=reasons_payload(evaluation),
        recognised_classification=recognised,
    )
    return data


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- duplicates -------------------------------------------------------------------------------


def duplicates_find(
    *,
    user: User,
    commune: AdminUnit,
    members: Sequence[Mapping[str, Any]],
    household: Household | None = None,
) -> list[Duplicate]:
    """Members who may already be registered: the same ID number anywhere, or the same
    name (diacritics ignored) and birth year in the same commune.

    Only households `user` may see are named; an ID number taken outside their area is reported
    as taken elsewhere, and a name outside it not at all. At most MAX_MEMBERS_PER_REQUEST rows.
    """
    errors: dict[str, list[str]] = {}
    if _too_many_members(members, errors):
        raise ValidationError(errors)
    found: list[Duplicate] = []
    exclude = household.pk if household else None
    numbers = {
        normalise_id_number(m.get("id_number")): row
        for row, m in enumerate(members)
        if m.get("id_number")
    }
    taken = Member.objects.filter(id_number__in=list(numbers)).exclude(household_id=exclude)
    for other in _with_visibility(taken, user):
        row = numbers[other.id_number]
        if other.visible:
            found.append(
                Duplicate(row, "id_number", other.pk, other.household_id, other.household.code,
                          other.full_name)
            )  # fmt: skip
        else:
            found.append(Duplicate(row, "id_number", None, None, "", "", elsewhere=True))
    keys = {
        (search_key(m.get("full_name")), m.get("birth_year")): row
        for row, m in enumerate(members)
        if m.get("full_name") and m.get("birth_year")
    }
    if keys:
        candidates = (
            Member.objects.visible_to(user)
            .filter(
                household__commune=commune,
                left_on__isnull=True,
                name_search__in={name for name, _ in keys},
            )
            .exclude(household_id=exclude)
            .select_related("household")
        )
        for other in candidates:
            row = keys.get((other.name_search, other.birth_year))
            if row is not None:
                found.append(
                    Duplicate(row, "name_birth_year", other.pk, other.household_id,
                              other.household.code, other.full_name)
                )  # fmt: skip
    return found


# --- writes -----------------------------------------------------------------------------------


def household_codes_allocate(*, commune: AdminUnit, count: int = 1) -> list[str]:
    """Take the next `count` household codes of a commune ("<commune code>-<6 digits>").

    Call it inside the transaction that creates the households: the commune's counter row stays
    locked until that transaction ends, so two officers creating households at the same moment
    get different codes, and a code taken by a refused save is given again. A code already held
    by another household (an imported one keeps the code of its source system) is skipped."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("household codes are allocated inside the creating transaction")
    prefix = f"{commune.code}-"
    # Creates the commune's counter once (a concurrent first creation waits here, then skips).
    HouseholdCodeCounter.objects.bulk_create(
        [HouseholdCodeCounter(commune=commune, last=0)], ignore_conflicts=True
    )
    counter = HouseholdCodeCounter.objects.select_for_update().get(commune=commune)
    if counter.last == 0:
        # Households made before the counter existed: continue after the highest of their codes.
        last = Household.objects.filter(commune=commune, code__startswith=prefix).aggregate(
            m=Max("code")
        )["m"]
        tail = last.rsplit("-", 1)[1] if last else ""
        counter.last = int(tail) if tail.isdigit() else 0
    codes: list[str] = []
    seq = counter.last
    while len(codes) < count:
        batch = [f"{prefix}{n:06d}" for n in range(seq + 1, seq + 1 + count - len(codes))]
        seq += len(batch)
        taken = set(Household.objects.filter(code__in=batch).values_list("code", flat=True))
        codes.extend(code for code in batch if code not in taken)
    counter.last = seq
    counter.save(update_fields=["last"])
    return codes


def _apply_member(member: Member, data: Mapping[str, Any]) -> None:
    for field in MEMBER_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    member.name_search = search_key(member.full_name)


def _save_members(
    household: Household,
    cleaned: list[dict[str, Any]],
    *,
    actor: User,
    today: dt.date,
    leave_reasons: Mapping[int, str],
    leave_reason: str,
) -> None:
    existing = {m.pk: m for m in household.members.filter(left_on__isnull=True)}
    # Members who left or changed from head go first, so the one-head constraint holds.
    for data in cleaned:
        member_id = data.get("id")
        if member_id and member_id not in existing:
            raise ValidationError(
                {"members": [_("A member row does not belong to this household.")]}
            )
    for pk, member in existing.items():
        if pk not in {d.get("id") for d in cleaned}:
            member.left_on = today
            member.leave_reason = leave_reasons.get(pk) or leave_reason
            member._history_user = actor
            member.save()
    # Existing members who are not (or no longer) head are saved first, so that the one-head
    # constraint holds when the head changes hands; new rows keep the order they were typed in.
    demoted_first = [
        d for d in cleaned if d.get("id") and d.get("relationship") != Relationship.HEAD
    ]
    rest = [d for d in cleaned if not (d.get("id") and d.get("relationship") != Relationship.HEAD)]
    for data in demoted_first + rest:
        member_id = data.get("id")
        member = existing[member_id] if member_id else Member(household=household, joined_on=today)
        before = {field: getattr(member, field) for field in MEMBER_FIELDS}
        _apply_member(member, data)
        if member_id and before == {field: getattr(member, field) for field in MEMBER_FIELDS}:
            continue  # unchanged: no save, no empty history entry
        member._history_user = actor
        member.save()


def _save_review(household: Household, data: dict[str, Any] | None, actor: User) -> Review | None:
    """Record a review's facts; a listed review becomes surveyed. Reviews past the survey step
    (discussed, posted, recognised) keep their facts: send them back a step first."""
    if data is None:
        return None
    same = Review.objects.select_for_update(of=("self",)).filter(
        household=household, kind=data["kind"]
    )
    if data["kind"] == ReviewKind.MONTHLY:
        # Any number of monthly reviews a year, one open at a time: facts go to the open one.
        same = same.exclude(status__in=FINAL_STATUSES)
        other = same.exclude(list_year=data["list_year"]).first()
        if other is not None:
            raise ValidationError(
                {"list_year": [
                    _("This household's monthly review of %(year)d is still open: finish it first.")
                    % {"year": other.list_year}
                ]}
            )  # fmt: skip
    review = same.filter(list_year=data["list_year"]).first() or Review(
        household=household, list_year=data["list_year"], kind=data["kind"]
    )
    previous_status = review.status if review.pk else ""
    if review.pk and review.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {
                "list_year": [
                    _(
                        "The %(year)d review of this household is already at the step "
                        "“%(status)s”: its facts can no longer change. Send it back a step "
                        "first, or record a monthly review."
                    )
                    % {"year": review.list_year, "status": review.get_status_display()}
                ]
            }
        )
    for field, value in data.items():
        if field == "campaign" and value is None:
            continue  # a review listed in a campaign stays in it
        setattr(review, field, value)
    review.reviewer = actor
    review._history_user = actor
    if previous_status == ReviewStatus.SURVEYED:
        review.save()  # facts corrected at the same step: no move
    else:
        apply_move(review, "survey", actor=actor, commune=household.commune, fields=None)
    return review


def _sync_head(household: Household) -> None:
    head = household.members.filter(relationship=Relationship.HEAD, left_on__isnull=True).first()
    name = head.full_name if head else ""
    if household.head_name == name:
        return
    household.head_name = name
    household.head_name_search = search_key(name)
    # A save, not a queryset update: the history records the new head's name.
    household.save(update_fields=["head_name", "head_name_search"])


def household_create(
    *,
    actor: User,
    commune: AdminUnit,
    village: AdminUnit | None = None,
    address: str = "",
    phone: str = "",
    members: Sequence[Mapping[str, Any]],
    review: Mapping[str, Any] | None = None,
    submission_key: str | None = None,
) -> Household:
    """Register a household with its members and, optionally, its review.

    A second call with the same `submission_key` (the form's, or the API's Idempotency-Key)
    returns the household the first one registered, and registers nothing."""
    replayed = submission_replay(
        key=submission_key, actor=actor, action=SUBMIT_CREATE, model=Household
    )
    if replayed is not None:
        return replayed
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    _validate_location(actor=actor, commune=commune, village=village, errors=errors)
    if _too_many_members(members, errors):
        raise ValidationError(errors)
    cleaned, member_errors = _clean_members(members, today=today)
    errors.update(member_errors)
    _check_members_together(cleaned, actor=actor, errors=errors)
    review_data = (
        _prepare_review(
            review, area_type=commune.area_type, members=cleaned, errors=errors, unit=commune
        )
        if review
        else None
    )
    if errors:
        # The same form, committed meanwhile, makes its members look registered: it was saved.
        replayed = submission_replay(
            key=submission_key, actor=actor, action=SUBMIT_CREATE, model=Household
        )
        if replayed is not None:
            return replayed
    _raise(errors)
    try:
        with transaction.atomic():
            claim = submission_claim(key=submission_key, actor=actor, action=SUBMIT_CREATE)
            household = Household(
                code=household_codes_allocate(commune=commune)[0],
                commune=commune,
                village=village,
                province_id=_province_id(commune),
                unit_path=(village or commune).path,
                address=address.strip(),
                phone=phone.strip(),
                area_type=commune.area_type,
                created_by=actor,
            )
            # The head's name goes into the first history record (_sync_head then has nothing
            # to change).
            household.head_name = next(
                (
                    data["full_name"]
                    for data in cleaned
                    if data.get("relationship") == Relationship.HEAD and not data.get("left_on")
                ),
                "",
            )
            household.head_name_search = search_key(household.head_name)
            household._history_user = actor
            household.save()
            for data in cleaned:
                data.pop("id", None)
            _save_members(
                household, cleaned, actor=actor, today=today, leave_reasons={}, leave_reason=""
            )
            _sync_head(household)
            _save_review(household, review_data, actor)
            submission_done(claim, household)
    except AlreadySubmitted:
        return submission_replay(
            key=submission_key, actor=actor, action=SUBMIT_CREATE, model=Household
        )
    except IntegrityError as error:
        raise _integrity_to_validation(error) from error
    return household


def household_update(
    *,
    actor: User,
    household: Household,
    expected_version: int,
    village: AdminUnit | None = None,
    address: str = "",
    phone: str = "",
    members: Sequence[Mapping[str, Any]],
    review: Mapping[str, Any] | None = None,
    leave_reason: str = "",
    leave_reasons: Mapping[int, str] | None = None,
    submission_key: str | None = None,
) -> Household:
    """Change a household, its members and its review, if nobody saved it since the editor read it.

    Member rows left out of `members` leave the household today, with their reason in
    `leave_reasons` (by member id) or else `leave_reason`; nothing is
    deleted, and the history keeps every earlier value. A second call with the same
    `submission_key` (a double click on Save) changes nothing more and is no conflict.
    """
    if _update_replayed(household, submission_key, actor):
        return household
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    _validate_location(actor=actor, commune=household.commune, village=village, errors=errors)
    if _too_many_members(members, errors):
        raise ValidationError(errors)
    cleaned, member_errors = _clean_members(members, today=today)
    errors.update(member_errors)
    _check_members_together(cleaned, actor=actor, errors=errors)
    review_data = (
        _prepare_review(
            review,
            area_type=household.area_type,
            members=cleaned,
            errors=errors,
            unit=household.commune,
        )
        if review
        else None
    )
    _raise(errors)
    try:
        with transaction.atomic():
            claim = submission_claim(key=submission_key, actor=actor, action=SUBMIT_UPDATE)
            updated = Household.objects.filter(pk=household.pk, version=expected_version).update(
                version=F("version") + 1
            )
            if not updated:
                raise ConflictError(household)
            submission_done(claim, household)
            household.refresh_from_db()
            household.village = village
            household.unit_path = (village or household.commune).path
            household.address = address.strip()
            household.phone = phone.strip()
            household._history_user = actor
            household.save()
            _save_members(
                household,
                cleaned,
                actor=actor,
                today=today,
                leave_reasons=leave_reasons or {},
                leave_reason=leave_reason or _("Left the household"),
            )
            _sync_head(household)
            _save_review(household, review_data, actor)
            # Persons and ethnic minority (by the head) of the status in force follow members.
            household_years_sync([household.pk], actor=actor)
    except AlreadySubmitted:
        if _update_replayed(household, submission_key, actor):
            return household
        raise ConflictError(household) from None
    except IntegrityError as error:
        raise _integrity_to_validation(error) from error
    return household


def _update_replayed(household: Household, key: str | None, actor: User) -> bool:
    done = submission_replay(key=key, actor=actor, action=SUBMIT_UPDATE, model=Household)
    if done is None or done.pk != household.pk:
        return False
    household.refresh_from_db()
    return True


def _province_id(commune: AdminUnit) -> int:
    province = commune.ancestors()[0]
    return province.pk


def _integrity_to_validation(error: IntegrityError) -> ValidationError:
    """A constraint the checks above missed (a race between two saves): say which one."""
    text = str(error)
    if "id_number" in text:
        return ValidationError(
            {"members": [_("An ID number was registered by someone else just now.")]}
        )
    if "one_current_head" in text:
        return ValidationError({"members": [_("A household has only one head.")]})
    # The database's own words may quote values of other rows: they go to the log, not the user.
    logger.warning("household save refused by the database: %s", text)
    return ValidationError(
        _(
            "The household could not be saved: the database refused it and nothing was saved. "
            "Try again; if it happens again, tell the administrator."
        )
    )
