"""Forms of the disbursement pages. They parse what was typed; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.forms import FlexibleDateField, VNDField, _bootstrap
from households.models import Household, Member
from households.submissions import KEY_MAX_LENGTH, submission_key_new
from registry.limits import MAX_INTEGER
from registry.models import AdminUnit

from ..choices import FundingSource
from ..models import Programme


def _household_label(h: Household) -> str:
    return f"{h.code} · {h.head_name or '—'}" + (f" · {h.village.name}" if h.village else "")


class DisbursementForm(forms.Form):
    """One payment to a household or one of its members."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    household = forms.ModelChoiceField(queryset=Household.objects.none(), label=_("Household"))
    member = forms.ModelChoiceField(
        queryset=Member.objects.none(),
        label=_("Member"),
        required=False,
        help_text=_("For a programme that supports each person."),
    )
    paid_on = FlexibleDateField(label=_("Paid on"))
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=24,
        help_text=_("Empty: the period of the date (2026-03, 2026-Q1, 2026)."),
    )
    variant = forms.ChoiceField(label=_("Variant"), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_INTEGER)
    amount = VNDField(label=_("Amount (VND)"), required=False)
    funding_source = forms.ChoiceField(label=_("Funding source"), required=False)
    reference = forms.CharField(label=_("Document or reference"), required=False, max_length=100)
    out_of_order_reason = forms.CharField(
        label=_("Why not in the order of the priority list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        programmes: QuerySet[Programme],
        households: QuerySet[Household],
        members: QuerySet[Member],
        variants: list[tuple[str, str]],
        sources: list[str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"paid_on": timezone.localdate(), "quantity": 1})
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = _household_label
        self.fields["member"].queryset = members
        self.fields["variant"].choices = [("", "—"), *variants]
        self.fields["funding_source"].choices = [("", _("The programme's first source"))] + [
            (code, FundingSource(code).label) for code in sources if code in FundingSource.values
        ]
        _bootstrap(self)


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the reversal"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class BatchForm(forms.Form):
    """Pay every eligible household (or member) of a commune for a period."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    commune = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=_("Commune"))
    period = forms.CharField(
        label=_("Period"), max_length=24, help_text=_("For example 2026-03, 2026-Q1 or 2026.")
    )
    paid_on = FlexibleDateField(label=_("Paid on"))
    funding_source = forms.ChoiceField(
        label=_("Funding source"),
        required=False,
        choices=[("", _("The programme's first source")), *FundingSource.choices],
    )
    # Made when the form is drawn: the same form sent twice pays one batch.
    submission_key = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=KEY_MAX_LENGTH
    )

    def __init__(
        self,
        *args: Any,
        programmes: QuerySet[Programme],
        communes: QuerySet[AdminUnit],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = submission_key_new()
        self.fields["programme"].queryset = programmes
        self.fields["commune"].queryset = communes
        _bootstrap(self)
