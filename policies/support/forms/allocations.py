"""Forms of the programme and allocation pages. They parse what was typed; the rules are the
services' (policies.support.services.allocations), whose errors the views put beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from households.forms import FlexibleDateField, VNDField, _bootstrap
from registry.limits import MAX_BIGINT, MAX_INTEGER

from ..choices import FundingSource
from ..models import Programme
from ..services.allocations import PROGRAMME_FIELDS

NOT_NEGATIVE = {"negative": _("Enter an amount of 0 or more.")}


class ProgrammeForm(forms.ModelForm):
    """A province's local programme."""

    funding_sources = forms.MultipleChoiceField(
        label=_("funding sources"),
        choices=FundingSource.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = FlexibleDateField(label=_("in force from"))
    valid_to = FlexibleDateField(label=_("in force until"), required=False)

    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def validate_unique(self) -> None:
        """The service checks uniqueness when it saves."""

    def _post_clean(self) -> None:
        """The model's rules are the service's to check, so that they are said once."""


class ParameterForm(forms.Form):
    key = forms.CharField(label=_("parameter"), max_length=30)
    variant = forms.CharField(label=_("variant"), max_length=20, required=False)
    value = forms.IntegerField(label=_("value"), min_value=0, max_value=MAX_BIGINT)
    unit = forms.CharField(label=_("unit of measure"), max_length=16, initial="VND")
    valid_from = FlexibleDateField(label=_("in force from"))
    source = forms.CharField(label=_("legal source"), widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(label=_("confirmed"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AllocationForm(forms.Form):
    """A unit's targets and budget, and why they are set or changed."""

    quantity = forms.IntegerField(
        label=_("target quantity"), min_value=0, max_value=MAX_INTEGER, required=False
    )
    beneficiaries = forms.IntegerField(
        label=_("target beneficiaries"), min_value=0, max_value=MAX_INTEGER, required=False
    )
    amount = VNDField(label=_("budget (VND)"), required=False, error_messages=NOT_NEGATIVE)
    reason = forms.CharField(
        label=_("reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class OverrideForm(forms.Form):
    """Leave for a commune to exceed its allocation."""

    extra_amount = VNDField(
        label=_("extra budget (VND)"), required=False, error_messages=NOT_NEGATIVE
    )
    extra_quantity = forms.IntegerField(
        label=_("extra quantity"), min_value=0, max_value=MAX_INTEGER, required=False
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
