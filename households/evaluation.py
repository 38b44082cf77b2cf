"""The bridge from stored or entered household data to the poverty standards engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from households.campaign.selectors import campaign_for
from policies.selectors import overrides_by_day, overrides_for
from policies.standards import (
    MAX_B1_SCORE,
    Disagreement,
    HouseholdFacts,
    MemberFacts,
    Standard,
    StandardError,
    Verdict,
    get_standard,
    standard_for_list_year,
)
from policies.standards.bulk import BulkVerdict
from registry.models import AdminUnit
from registry.scoping import province_path

from .choices import (
    LOWER_SECONDARY_OR_MORE,
    UPPER_SECONDARY_OR_VOCATIONAL,
    Employment,
    SchoolStatus,
)

if TYPE_CHECKING:
    from .models import Review


@dataclass(frozen=True)
class Evaluation:
    """What the standard says about a review's facts, and where member data disagrees."""

    standard: Standard
    verdict: Verdict | BulkVerdict
    derived: dict[str, bool]
    disagreements: tuple[Disagreement, ...]


def _translated(error: StandardError) -> str:
    """The engine speaks English (it has no Django); say its common refusals in the user's
    language, keeping the engine's words as the detail."""
    message = error.message
    if error.field == "deprivations" and message.startswith("not indicators of "):
        standard, _sep, codes = message.removeprefix("not indicators of ").partition(": ")
        return _("These indicators are not part of the standard %(standard)s: %(codes)s.") % {
            "standard": standard,
            "codes": codes,
        }
    if "an administrator must supply it" in message:
        return _(
            "This standard has no confirmed number for this input yet: enter the measured "
            "income instead, or ask an administrator to set the number (%(detail)s)."
        ) % {"detail": message.split(";")[0]}
    if error.field == "b1_score" and message.startswith("the B1 score must be from"):
        return _("The B1 score must be between 0 and %(max)d.") % {"max": MAX_B1_SCORE}
    if error.field == "list_year":
        return _("No national poverty standard covers this list year (%(detail)s).") % {
            "detail": message
        }
    return message


def standard_error_to_validation(error: StandardError) -> ValidationError:
    """Give a standard's error the shape forms and the API show beside a field."""
    return ValidationError({error.field: [_translated(error)]})


def standard_by_code(code: str) -> Standard:
    """A standard chosen explicitly (on a campaign), by its code."""
    try:
        return get_standard(code)
    except StandardError as error:
        raise ValidationError({"standard_code": [error.message]}) from None


def standard_for(list_year: int) -> Standard:
    try:
        return standard_for_list_year(list_year)
    except StandardError as error:
        raise standard_error_to_validation(error) from None


def standard_for_review(*, unit: AdminUnit | None, list_year: int) -> Standard:
    """The standard that classifies a household of `unit` (its commune) for the list of
    `list_year`: the one its province's campaign for that year names, else the one in force for
    the year. The form's indicators, the live preview, the classify API and the save all ask
    this one function, so that what is previewed is what is saved. Raises ValidationError."""
    campaign = campaign_for(unit=unit, list_year=list_year)
    if campaign is not None and campaign.standard_code:
        return standard_by_code(campaign.standard_code)
    return standard_for(list_year)


def age_on(birth_year: int, birth_date: dt.date | None, on: dt.date) -> int:
    """Age in whole years on a date; with the year alone, the age reached during that year."""
    if birth_date:
        before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
        return on.year - birth_date.year - int(before_birthday)
    return on.year - birth_year


def member_facts(member: Mapping[str, Any] | Any, on: dt.date) -> MemberFacts:
    """The facts of one member that derivable indicators read, from a model or cleaned dict."""

    if isinstance(member, Mapping):
        get = member.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(member, name, default)

    valid_to = get("health_insurance_valid_to")
    insured = bool(get("has_health_insurance")) and (valid_to is None or valid_to >= on)
    school = get("school_status")
    qualification = get("qualification")
    employment = get("employment")
    age = max(0, min(150, age_on(get("birth_year"), get("birth_date"), on)))
    return MemberFacts(
        age=age,
        has_health_insurance=insured,
        in_school=None
        if school == SchoolStatus.NOT_APPLICABLE
        else school == SchoolStatus.IN_SCHOOL,
        school_level_matches_age=get("school_level_matches_age"),
        completed_lower_secondary=qualification in LOWER_SECONDARY_OR_MORE,
        completed_upper_secondary_or_vocational=qualification in UPPER_SECONDARY_OR_VOCATIONAL,
        receives_monthly_social_allowance=bool(get("receives_social_allowance")),
        unemployed=employment == Employment.UNEMPLOYED,
        wage_work_without_contract=employment == Employment.NO_CONTRACT,
        malnourished=bool(get("malnourished")),
    )


def evaluate(
    *,
    list_year: int,
    standard_code: str | None = None,
    area_type: str,
    income_per_capita: int | None,
    b1_score: int | None,
    deprivations: Iterable[str],
    members: Iterable[Mapping[str, Any] | Any],
    on: dt.date,
    housing_area_m2: Decimal | float | None = None,
    unit: AdminUnit | None = None,
) -> Evaluation:
    """Classify a review's facts; raise ValidationError.

    The standard is `standard_for_review(unit, list_year)` unless `standard_code` names the one
    that function already gave. The overrides in force on ``on`` apply: national corrections,
    and with ``unit`` (the household's commune) its province's local standard.
    """
    standard = (
        standard_by_code(standard_code)
        if standard_code
        else standard_for_review(unit=unit, list_year=list_year)
    )
    overrides = overrides_for(standard_code=standard.code, unit=unit, on=on)
    try:
        facts = HouseholdFacts(
            area_type=area_type,
            income_per_capita=income_per_capita,
            b1_score=b1_score,
            deprivations=frozenset(deprivations),
        )
        verdict = standard.classify(facts, overrides=overrides)
        people = [member_facts(m, on) for m in members]
        derived = (
            standard.derive_indicators(
                people,
                housing_area_m2=float(housing_area_m2) if housing_area_m2 is not None else None,
                overrides=overrides,
            )
            if people
            else {}
        )
        disagreements = standard.compare_derived(derived, facts.deprivations)
    except StandardError as error:
        raise standard_error_to_validation(error) from None
    return Evaluation(standard, verdict, derived, disagreements)


def reasons_payload(evaluation: Evaluation) -> dict[str, Any]:
    """What is stored with a review so that its result can be explained and reproduced. A
    verdict of the engine's bulk path (the import) has no prose: `review_explanations`
    renders it when the review is shown."""
    verdict = evaluation.verdict
    if isinstance(verdict, BulkVerdict):
        payload = verdict.reasons()
    else:
        payload = BulkVerdict.of(verdict).reasons()
        payload["explanation_vi"] = verdict.explanation_vi
        payload["explanation_en"] = verdict.explanation_en
    payload["derived"] = evaluation.derived
    payload["disagreements"] = [
        {"indicator": d.indicator_code, "derived": d.derived, "ticked": d.ticked}
        for d in evaluation.disagreements
    ]
    return payload


def review_explanations(review: Review, *, cache: dict | None = None) -> tuple[str, str]:
    """The prose explaining a review's result, (Vietnamese, English).

    The prose stored with its reasons; else (a review the bulk import classified, stored
    without it) the prose rendered from the review's stored facts, by the standard it was
    classified under, with the overrides ``evaluate`` applied: those of the household's
    commune in force on the review's day (its survey, else the start of its list year).
    ("", "") for a review without a result, or whose standard is unknown, or whose facts no
    longer give its stored result (an override set or ended since, back to before its day):
    prose quoting another line than the one shown would contradict it. Never raises: it is
    for display.

    No query when the prose is stored. Else one for the overrides (and one for the commune
    unless the household and its commune are loaded); with ``cache`` (a dict kept for one
    page or response) one per standard and province for all the reviews shown.
    """
    reasons = review.computed_reasons if isinstance(review.computed_reasons, dict) else {}
    stored_vi, stored_en = reasons.get("explanation_vi"), reasons.get("explanation_en")
    if isinstance(stored_vi, str) and isinstance(stored_en, str):
        return stored_vi, stored_en
    if not review.computed_classification or review.computed_line is None:
        return "", ""
    try:
        standard = get_standard(review.standard_code)
        commune = review.household.commune
        key = (standard.code, province_path(commune.path))
        in_force = cache.get(key) if cache is not None else None
        if in_force is None:
            in_force = overrides_by_day(standard_code=standard.code, unit=commune)
            if cache is not None:
                cache[key] = in_force
        # The day evaluate() was given (households.interchange.context.review_on).
        day = review.survey_date or dt.date(review.list_year, 1, 1)
        # policies.standards.bulk.explanations, keeping the verdict to check it.
        verdict = standard.classify(
            HouseholdFacts(
                area_type=review.area_type,
                income_per_capita=review.income_per_capita,
                b1_score=review.b1_score,
                deprivations=frozenset(review.deprivations or ()),
            ),
            overrides=in_force(day),
        )
    except (StandardError, TypeError, ValueError):
        return "", ""
    if (verdict.classification.value, verdict.line) != (
        review.computed_classification,
        review.computed_line,
    ):
        return "", ""
    return (
        stored_vi if isinstance(stored_vi, str) else verdict.explanation_vi,
        stored_en if isinstance(stored_en, str) else verdict.explanation_en,
    )
