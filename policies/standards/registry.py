"""Which standard applies: the registry of national standards by code and by list year.

A review's list year, not the date it runs, picks the standard (domain.md section 7.3): the
periodic review from September to December of a year sets the list of the next year.
"""

from __future__ import annotations

import datetime
import itertools

from . import nd07_2021, nd351_2025, qd59_2015
from .base import StandardError, _is_int
from .engine import Standard

# Oldest first; list-year ranges must not overlap (checked below).
_STANDARDS: tuple[Standard, ...] = (
    qd59_2015.STANDARD,
    nd07_2021.STANDARD,
    nd351_2025.STANDARD,
)

# Decision 24/2021/QĐ-TTg, Art. 3.1.a: the periodic review runs from 1 September to 14
# December and sets the next year's list; reviews in other months adjust the current list.
PERIODIC_REVIEW_FIRST_MONTH = 9


def _check_registry(standards: tuple[Standard, ...]) -> None:
    codes = [s.code for s in standards]
    prefixes = [s.indicator_prefix for s in standards]
    if len(set(codes)) != len(codes) or len(set(prefixes)) != len(prefixes):
        raise ValueError("standard codes and indicator prefixes must be unique")
    for earlier, later in itertools.pairwise(standards):
        if earlier.last_list_year is None or earlier.last_list_year + 1 != later.first_list_year:
            raise ValueError(f"{earlier.code} and {later.code} must cover consecutive years")


_check_registry(_STANDARDS)


def all_standards() -> tuple[Standard, ...]:
    """Every national standard, oldest first."""
    return _STANDARDS


def get_standard(code: str) -> Standard:
    """The standard with this stable code, e.g. "ND07-2021"."""
    for standard in _STANDARDS:
        if standard.code == code:
            return standard
    known = ", ".join(s.code for s in _STANDARDS)
    raise StandardError(f"unknown standard {code!r}; known: {known}", field="standard_code")


def standard_for_list_year(year: int) -> Standard:
    """The standard that sets the poor/near-poor list of ``year``."""
    if not _is_int(year):
        raise StandardError(
            f"the list year must be a whole number, got {year!r}", field="list_year"
        )
    for standard in _STANDARDS:
        if standard.covers(year):
            return standard
    first = _STANDARDS[0].first_list_year
    raise StandardError(
        f"no poverty standard is registered for the list of {year} (the first is {first})",
        field="list_year",
    )


def list_year_for_review_date(review_date: datetime.date) -> int:
    """The list year a review run on ``review_date`` sets: September to December of year Y
    sets the list of Y + 1, any other month the list of Y."""
    if not isinstance(review_date, datetime.date):
        raise StandardError("the review date must be a date", field="review_date")
    if review_date.month >= PERIODIC_REVIEW_FIRST_MONTH:
        return review_date.year + 1
    return review_date.year
