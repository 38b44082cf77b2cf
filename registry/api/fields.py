"""Whole-number serializer fields within the registry's ranges (see `registry.limits`).

DRF's IntegerField takes any whole number, so 24 digits in a request body reached the database
and answered 500; these refuse it as a 400 naming the field.
"""

from rest_framework import serializers

from registry.limits import (
    DATE_RANGE_MESSAGE,
    MAX_BIGINT,
    MAX_INTEGER,
    MAX_YEAR,
    MIN_YEAR,
    YEAR_RANGE_MESSAGE,
    date_in_range,
)


class IdField(serializers.IntegerField):
    """The id of a row."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_BIGINT)
        super().__init__(**kwargs)


class YearField(serializers.IntegerField):
    """A list year, within the years the registry plans for."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        messages = {"min_value": YEAR_RANGE_MESSAGE, "max_value": YEAR_RANGE_MESSAGE}
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)


class AmountField(serializers.IntegerField):
    """An amount of đồng; whether it may be negative the service says, in its own words."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", -MAX_BIGINT)
        kwargs.setdefault("max_value", MAX_BIGINT)
        super().__init__(**kwargs)


class CountField(serializers.IntegerField):
    """A count of people or votes."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_INTEGER)
        super().__init__(**kwargs)


class DateField(serializers.DateField):
    """A date the registry can hold (registry.limits.MIN_DATE to MAX_DATE): "0001-01-01" and
    "9999-12-31" are refused naming the field, not stored."""

    default_error_messages = {"date_range": DATE_RANGE_MESSAGE}

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        if not date_in_range(date):
            self.fail("date_range")
        return date
