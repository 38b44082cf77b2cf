"""Forms of the figures a unit enters for its dashboard: its resident households (the
denominator) and its targets. They parse what was typed; the rules are the services'
(reports.services), whose errors the views put beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from households.forms import _bootstrap
from registry.limits import MAX_INTEGER, MAX_YEAR, MIN_YEAR, YEAR_RANGE_MESSAGE

from .models import TargetKind, TargetMeasure

YEAR_ERRORS = {"min_value": YEAR_RANGE_MESSAGE, "max_value": YEAR_RANGE_MESSAGE}


def _year(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=MIN_YEAR, max_value=MAX_YEAR, error_messages=YEAR_ERRORS
    )


class ResidentCountForm(forms.Form):
    """The unit's total of resident households (and persons) for a year, and where it is from."""

    year = _year(_("Year"))
    households = forms.IntegerField(
        label=_("resident households"), min_value=0, max_value=MAX_INTEGER
    )
    persons = forms.IntegerField(
        label=_("resident persons"), min_value=0, max_value=MAX_INTEGER, required=False
    )
    source = forms.CharField(
        label=_("source"),
        max_length=200,
        help_text=_("For example: the commune police's residence data of 31/12."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class TargetForm(forms.Form):
    """A target: a rate below a value by a year, or reduced by points each year."""

    measure = forms.ChoiceField(label=_("measure"), choices=TargetMeasure.choices)
    kind = forms.ChoiceField(label=_("kind of target"), choices=TargetKind.choices)
    value = forms.DecimalField(
        label=_("value (%, or points a year)"), max_digits=5, decimal_places=2, localize=True
    )
    from_year = _year(_("from year"))
    to_year = _year(_("by year"))
    basis = forms.CharField(label=_("resolution or plan"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
