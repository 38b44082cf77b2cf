"""The form of a unit's entered report rows: one figure and one note per row that may be entered.
It parses what was typed; the rules are the service's (`reports.yearly.report_entries_set`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from households.forms import VNDField, _bootstrap
from registry.limits import MAX_BIGINT

from .yearly import ENTERABLE, ROWS, ROWS_BY_CODE, Row, _t


class WholeNumberField(VNDField):
    """A whole number of 0 or more, typed with or without thousands separators (1.200)."""

    default_error_messages = {
        "invalid": _t("Enter a whole number, for example 1.200."),
        "negative": _t("Enter a whole number of 0 or more."),
        "too_large": _t("This number is too large."),
    }

    def validate(self, value: int | None) -> None:
        super().validate(value)
        if value is not None and value > MAX_BIGINT:
            raise ValidationError(self.error_messages["too_large"], code="too_large")


def note_name(code: str) -> str:
    return f"{code}__note"


class ReportEntriesForm(forms.Form):
    """The unit's own figures for the rows of `ENTERABLE` (empty: nothing entered)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in ENTERABLE:
            row = ROWS_BY_CODE[code]
            self.fields[code] = WholeNumberField(
                label=f"{row.label} ({row.measure})", required=False, help_text=row.hint
            )
            self.fields[note_name(code)] = forms.CharField(
                label=_t("note"), required=False, max_length=1000
            )
        _bootstrap(self)

    def rows(self) -> list[tuple[Row, forms.BoundField | None, forms.BoundField | None]]:
        """(row, figure, note) in the report's order; a row that is not entered itself but has
        sub-rows that are ("People placed in jobs": in the province, ...) heads them, without
        fields."""
        found: list[tuple[Row, forms.BoundField | None, forms.BoundField | None]] = []
        heading: Row | None = None
        for row in ROWS:
            if row.depth == 0:
                heading = row
            if not row.enterable:
                continue
            if row.depth and heading is not None and not heading.enterable:
                found.append((heading, None, None))
                heading = None
            found.append((row, self[row.code], self[note_name(row.code)]))
        return found

    def values(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(code) for code in ENTERABLE}

    def notes(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(note_name(code), "") for code in ENTERABLE}
