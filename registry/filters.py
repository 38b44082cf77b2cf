"""Whole-number filters within the registry's ranges, for every filterset (pages and API alike).

django-filter's NumberFilter takes any decimal, so an id of 24 digits reached the database and
answered 500; these refuse it, and anything not whole, as an error of the filter (a 400 naming it
in the API, a message beside it on a page).
"""

import django_filters
from django import forms

from .limits import MAX_BIGINT, MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE


class IntegerFilter(django_filters.NumberFilter):
    """A whole number from `min_value` to `max_value` (by default, any the database holds)."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = -MAX_BIGINT, max_value: int = MAX_BIGINT, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


class IdFilter(IntegerFilter):
    """The id of a row (a household, a unit, a campaign...)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_BIGINT, **kwargs)


class YearFilter(IntegerFilter):
    """A list year, within the years the registry plans for."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "error_messages", {"min_value": YEAR_RANGE_MESSAGE, "max_value": YEAR_RANGE_MESSAGE}
        )
        super().__init__(*args, min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)
