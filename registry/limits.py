"""The ranges of whole numbers the registry accepts from a filter, a form or a request body.

Beyond them a number is no id, year, amount or count the registry can hold, and the database
would refuse it with a server error; the filters (`registry.filters`) and serializer fields
(`registry.api.fields`) refuse it first, naming the field. None of these is a number of the law.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import lazy
from django.utils.translation import gettext as _

# Signed 64-bit, the widest integer column: PostgreSQL's bigint and SQLite's INTEGER (ids, đồng).
MAX_BIGINT = 2**63 - 1
# PostgreSQL's integer column: counts such as the people attending a meeting and their votes.
MAX_INTEGER = 2**31 - 1
# The list years the registry plans for (its national standards set the lists from 2016 on).
MIN_YEAR = 2000
MAX_YEAR = 2100
# "Within N years": no span longer than the years the registry plans for.
MAX_YEARS_BACK = MAX_YEAR - MIN_YEAR


def _year_range() -> str:
    return _("Enter a year from %(min)d to %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}


# Translated when shown, in the language of the request.
YEAR_RANGE_MESSAGE = lazy(_year_range, str)()


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def pk_or_404(raw) -> int:
    """The id a page was asked for (a path or query value), or 404 when it is none the database
    could hold: a row that cannot exist answers as missing."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= value <= MAX_BIGINT:
        raise Http404
    return value


# --- hostile: dates ---
# The dates the registry holds (births, surveys, insurance cards, moves): from the earliest year
# of birth a living member can have (the members' own rule, households.services) to the end of
# the last list year. "0001-01-01" or "9999-12-31" is a typing slip, never a date of the registry.
MIN_DATE = dt.date(1880, 1, 1)
MAX_DATE = dt.date(MAX_YEAR, 12, 31)


def _date_range() -> str:
    return _("Enter a date from %(min)s to %(max)s.") % {
        "min": MIN_DATE.strftime("%d/%m/%Y"),
        "max": MAX_DATE.strftime("%d/%m/%Y"),
    }


DATE_RANGE_MESSAGE = lazy(_date_range, str)()


def date_in_range(value: dt.date) -> bool:
    return MIN_DATE <= value <= MAX_DATE


def validate_date_in_range(value: dt.date | None) -> None:
    """A form or model field's validator: the date is one the registry can hold."""
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")
