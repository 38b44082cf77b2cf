"""The rules of support as plain Python (no Django): who is eligible under a programme on a day,
from when to when a member's age keeps them eligible, the period keys, and the amount a
disbursement carries. The services feed them facts read from the registry.

Reasons are codes; the Django layer turns them into translated sentences that name the field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

POOR = "poor"
NEAR_POOR = "near_poor"
ESCAPED = "escaped"

# Refusal codes.
NO_STATUS = "no_status"  # no recognised status in force on the day
NOT_ELIGIBLE_STATUS = "status"  # a status the programme does not cover
MEMBER_REQUIRED = "member_required"
MEMBER_NOT_ALLOWED = "member_not_allowed"
MEMBER_LEFT = "member_left"
AGE = "age"
NOT_IN_SCHOOL = "school"
NOT_ETHNIC_MINORITY = "ethnic_minority"


@dataclass(frozen=True)
class Rule:
    """Who a programme covers (mirrors the eligibility fields of `Programme`)."""

    for_poor: bool
    for_near_poor: bool
    escaped_within_years: int = 0
    per_person: bool = False
    min_age: int | None = None
    max_age: int | None = None  # the first age no longer covered
    in_school_only: bool = False
    ethnic_minority_only: bool = False


@dataclass(frozen=True)
class HouseholdFacts:
    """The household's recognised class in force on the day (None: no status in force), and the
    day of its latest escape from poverty not undone since (None: none)."""

    classification: str | None
    escaped_on: dt.date | None = None


@dataclass(frozen=True)
class PersonFacts:
    birth_year: int
    birth_date: dt.date | None = None
    in_school: bool = False
    ethnic_minority: bool = False
    joined_on: dt.date | None = None
    left_on: dt.date | None = None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def birthday(person: PersonFacts, age: int) -> dt.date:
    """The day the person turns `age` (1 January of the year when only the year is known)."""
    if person.birth_date:
        return add_years(person.birth_date, age)
    return dt.date(person.birth_year + age, 1, 1)


def basis(rule: Rule, household: HouseholdFacts, day: dt.date) -> str | None:
    """On what the household is covered on `day` (poor, near-poor or escaped), or None."""
    if household.classification == POOR and rule.for_poor:
        return POOR
    if household.classification == NEAR_POOR and rule.for_near_poor:
        return NEAR_POOR
    if (
        rule.escaped_within_years
        and household.classification != POOR
        and household.escaped_on is not None
        and household.escaped_on <= day < add_years(household.escaped_on, rule.escaped_within_years)
    ):
        return ESCAPED
    return None


def escape_window(rule: Rule, escaped_on: dt.date) -> tuple[dt.date, dt.date]:
    """The days a household that escaped poverty on `escaped_on` stays covered (inclusive)."""
    end = add_years(escaped_on, rule.escaped_within_years) - dt.timedelta(days=1)
    return escaped_on, end


def age_window(rule: Rule, person: PersonFacts) -> tuple[dt.date | None, dt.date | None]:
    """The days the member's age keeps them covered (inclusive; None: unbounded)."""
    start = birthday(person, rule.min_age) if rule.min_age is not None else None
    end = (
        birthday(person, rule.max_age) - dt.timedelta(days=1) if rule.max_age is not None else None
    )
    return start, end


def person_refusal(rule: Rule, person: PersonFacts, day: dt.date) -> str | None:
    """Why the member is not covered on `day`, or None."""
    if (person.left_on and person.left_on <= day) or (person.joined_on and person.joined_on > day):
        return MEMBER_LEFT
    start, end = age_window(rule, person)
    if (start and day < start) or (end and day > end):
        return AGE
    if rule.in_school_only and not person.in_school:
        return NOT_IN_SCHOOL
    if rule.ethnic_minority_only and not person.ethnic_minority:
        return NOT_ETHNIC_MINORITY
    return None


def refusal(
    rule: Rule, household: HouseholdFacts, day: dt.date, person: PersonFacts | None = None
) -> str | None:
    """Why a disbursement on `day` is not allowed by eligibility, or None."""
    if rule.per_person and person is None:
        return MEMBER_REQUIRED
    if not rule.per_person and person is not None:
        return MEMBER_NOT_ALLOWED
    if basis(rule, household, day) is None:
        return (
            NO_STATUS
            if household.classification is None and not household.escaped_on
            else (NOT_ELIGIBLE_STATUS)
        )
    if person is not None:
        return person_refusal(rule, person, day)
    return None


# Period keys -----------------------------------------------------------------------------------
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
ONCE = "once"
EACH = "each"

_PATTERNS = {
    MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    YEAR: re.compile(r"^(\d{4})$"),
}
EACH_PATTERN = re.compile(r"^[\w./-]{1,24}$")


def period_key(kind: str, day: dt.date) -> str:
    """The period `day` falls in, as a key ("2026-03", "2026-Q1", "2026", "once")."""
    if kind == MONTH:
        return f"{day.year}-{day.month:02d}"
    if kind == QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if kind == YEAR:
        return str(day.year)
    if kind == ONCE:
        return ONCE
    raise ValueError("a programme paid per delivery has no period of its own")


def parse_period(kind: str, text: str) -> str:
    """The normalised period key, or ValueError when `text` is not a period of that kind."""
    text = (text or "").strip().upper() if kind == QUARTER else (text or "").strip()
    if kind == ONCE:
        return ONCE
    if kind == EACH:
        if not EACH_PATTERN.match(text):
            raise ValueError(text)
        return text
    if not _PATTERNS[kind].match(text):
        raise ValueError(text)
    return text


def period_bounds(kind: str, key: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a period key (None for "once" and per-delivery periods)."""
    match = _PATTERNS.get(kind) and _PATTERNS[kind].match(key)
    if not match:
        return None
    year = int(match.group(1))
    if kind == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == MONTH:
        first_month = last_month = int(match.group(2))
    else:
        first_month = (int(match.group(2)) - 1) * 3 + 1
        last_month = first_month + 2
    start = dt.date(year, first_month, 1)
    after = dt.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def months_in(kind: str) -> int:
    return {MONTH: 1, QUARTER: 3, YEAR: 12}.get(kind, 1)


# Amounts ---------------------------------------------------------------------------------------
NONE = "none"
FIXED = "fixed"
KWH_TARIFF = "kwh_tariff"
ENTERED = "entered"

MISSING_PARAMETER = "missing_parameter"
AMOUNT_REQUIRED = "amount_required"
AMOUNT_TOO_HIGH = "amount_too_high"
AMOUNT_NOT_ALLOWED = "amount_not_allowed"


class AmountError(ValueError):
    """The amount cannot be worked out or was not allowed (`code`, and the parameter missing)."""

    def __init__(self, code: str, parameter: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.parameter = parameter


def amount(
    rule: str,
    *,
    parameters: dict[str, int],
    period_kind: str,
    quantity: int = 1,
    entered: int | None = None,
) -> int:
    """The amount (VND) of a payment of `quantity` units, from the parameters in force on its
    date (already narrowed to its variant)."""
    if rule == NONE:
        if entered:
            raise AmountError(AMOUNT_NOT_ALLOWED)
        return 0
    if rule == ENTERED:
        if entered is None:
            raise AmountError(AMOUNT_REQUIRED)
        ceiling = parameters.get("max_amount")
        if ceiling is not None and entered > ceiling * quantity:
            raise AmountError(AMOUNT_TOO_HIGH, "max_amount")
        return entered
    if rule == FIXED:
        if "amount" not in parameters:
            raise AmountError(MISSING_PARAMETER, "amount")
        return parameters["amount"] * quantity
    if rule == KWH_TARIFF:
        for key in ("kwh_per_month", "tier1_tariff"):
            if key not in parameters:
                raise AmountError(MISSING_PARAMETER, key)
        per_month = parameters["kwh_per_month"] * parameters["tier1_tariff"]
        return per_month * months_in(period_kind) * quantity
    raise ValueError(rule)
