"""Forms of the review campaign pages (Decision 24/2021/QĐ-TTg).

They only parse what was typed; the rules (roles, steps, the 50% rule, locks) are checked once,
by the services in households.campaign.services, whose errors the views put back beside the fields
(registry.errors.apply_service_errors).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.campaign.choices import (
    ObjectionKind,
    ObjectionOutcome,
    RequestChannel,
    RequestForm,
    RequestKind,
)
from households.campaign.services import (
    PERIODIC_CLOSES,
    PERIODIC_OPENS,
)
from households.forms import (
    FlexibleDateField,
    _bootstrap,
)
from households.models import (
    Household,
    Review,
)
from policies.selectors import ProcedureNumber
from policies.standards import all_standards
from registry.limits import MAX_INTEGER
from registry.models import AdminUnit


def _today() -> dt.date:
    return timezone.localdate()


# --- campaign ---------------------------------------------------------------------------------


def standard_choices() -> list[tuple[str, str]]:
    return [("", _("The standard in force for the list year"))] + [
        (s.code, f"{s.code} · {s.name_vi}") for s in reversed(all_standards())
    ]


class CampaignForm(forms.Form):
    """The province opens the periodic review that sets the list of a year."""

    province = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(), label=_("Province"), empty_label=None
    )
    list_year = forms.IntegerField(
        label=_("List year"),
        min_value=2016,
        max_value=2100,
        help_text=_("The review at the end of a year sets the list of the next year."),
    )
    opens_on = FlexibleDateField(label=_("Opens on"), required=False)
    closes_on = FlexibleDateField(label=_("Closes on"), required=False)
    standard_code = forms.ChoiceField(label=_("Standard"), required=False, choices=())

    def __init__(self, *args: Any, provinces: QuerySet[AdminUnit], **kwargs: Any) -> None:
        year = _today().year
        kwargs.setdefault(
            "initial",
            {
                "list_year": year + 1,
                # Decision 24/2021/QĐ-TTg art. 3.1(a): 1 September to 14 December.
                "opens_on": dt.date(year, *PERIODIC_OPENS),
                "closes_on": dt.date(year, *PERIODIC_CLOSES),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["province"].label_from_instance = lambda p: (
            p.name if p.valid_to is None else f"{p.name} ({p.get_scheme_display()})"
        )
        self.fields["standard_code"].choices = standard_choices()
        _bootstrap(self)


class CampaignExtendForm(forms.Form):
    """The province extends its review past the closing date, saying why."""

    closes_on = FlexibleDateField(label=_("New closing date"))
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


# --- village meeting --------------------------------------------------------------------------


class MeetingForm(forms.Form):
    """A village meeting (họp dân), with how many attendees agreed with each household."""

    held_on = FlexibleDateField(label=_("Held on"))
    attendees = forms.IntegerField(label=_("People attending"), min_value=1, max_value=MAX_INTEGER)
    chaired_by = forms.CharField(
        label=_("Chaired by"), max_length=120, help_text=_("Usually the village head.")
    )
    notes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, reviews: list[Review], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": _today()})
        super().__init__(*args, **kwargs)
        self.reviews = reviews
        for review in reviews:
            self.fields[f"vote_{review.pk}"] = forms.IntegerField(
                label=_("Agreeing"),
                min_value=0,
                max_value=MAX_INTEGER,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "vote-input"}),
            )
        _bootstrap(self)
        for review in reviews:
            self.fields[f"vote_{review.pk}"].widget.attrs["class"] = "form-control vote-input"
        # The service keys a household's vote "votes.<review id>" (registry.errors).
        self.error_fields = {f"votes.{review.pk}": f"vote_{review.pk}" for review in reviews}

    def rows(self) -> list[dict[str, Any]]:
        return [{"review": r, "field": self[f"vote_{r.pk}"]} for r in self.reviews]

    def votes(self) -> dict[int, int]:
        """Agreeing per review; a household left blank was not discussed at this meeting."""
        return {
            review.pk: self.cleaned_data[f"vote_{review.pk}"]
            for review in self.reviews
            if self.cleaned_data.get(f"vote_{review.pk}") is not None
        }


# --- posting and objections -------------------------------------------------------------------


class PostingForm(forms.Form):
    """The public posting (niêm yết) of a village's agreed results."""

    posted_from = FlexibleDateField(label=_("Posted from"))
    posted_to = FlexibleDateField(label=_("Posted until"))
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("The village cultural house and the commune People's Committee office."),
    )

    def __init__(self, *args: Any, minimum: ProcedureNumber, **kwargs: Any) -> None:
        today = _today()
        # A starting suggestion only: ten days cover 7 working days across one weekend (the
        # 2016 procedure); the minimum in force is checked by the service.
        suggested = max(10, minimum.value)
        kwargs.setdefault(
            "initial",
            {"posted_from": today, "posted_to": today + dt.timedelta(days=suggested - 1)},
        )
        super().__init__(*args, **kwargs)
        self.minimum = minimum
        help_text = _("At least %(days)d days, the first and last day counted.") % {
            "days": minimum.value
        }
        if minimum.unconfirmed:
            help_text += " " + _(
                "This minimum is not confirmed: Decision 24/2021/QĐ-TTg art. 4.4 could not be read."
            )
        self.fields["posted_to"].help_text = help_text
        _bootstrap(self)


class ObjectionForm(forms.Form):
    """An objection against a posted result."""

    review = forms.ModelChoiceField(queryset=Review.objects.none(), label=_("Household"))
    kind = forms.ChoiceField(label=_("Objection"), choices=ObjectionKind.choices)
    author = forms.CharField(label=_("Raised by"), max_length=120)
    received_on = FlexibleDateField(label=_("Received on"))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, reviews: QuerySet[Review], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": _today()})
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = reviews
        self.fields["review"].label_from_instance = lambda r: (
            f"{r.household.code} · {r.household.head_name} · {r.list_year}"
        )
        _bootstrap(self)


class ObjectionResolveForm(forms.Form):
    """The result of the re-check (phúc tra)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(c.value, c.label) for c in ObjectionOutcome if c != ObjectionOutcome.OPEN],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Result of the re-check"), widget=forms.Textarea(attrs={"rows": 3})
    )
    resolved_on = FlexibleDateField(label=_("Resolved on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"resolved_on": _today()})
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"


class ConsultationForm(forms.Form):
    """The district's opinion on a commune's results (three-level scheme, art. 4 step 5)."""

    consulted_on = FlexibleDateField(label=_("Consulted on"))
    comment = forms.CharField(
        label=_("The district's opinion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"consulted_on": _today()})
        super().__init__(*args, **kwargs)
        _bootstrap(self)


# --- recognition ------------------------------------------------------------------------------


class ReviewIdsField(forms.Field):
    """Review ids ticked in a table; which of them may be recognised is the service's call."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise ValidationError(_("Choose households from the list."), code="invalid") from None


class DecisionForm(forms.Form):
    """The chair's recognition decision for the households ticked."""

    reviews = ReviewIdsField(label=_("Households"), required=False)
    number = forms.CharField(
        label=_("Decision number"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "123/QĐ-UBND"}),
    )
    signed_on = FlexibleDateField(label=_("Signed on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"signed_on": _today()})
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReturnForm(forms.Form):
    """Send a review back one step, saying what must be corrected."""

    comment = forms.CharField(label=_("What must be corrected"), max_length=1000)


# --- monthly requests -------------------------------------------------------------------------


class ReviewRequestForm(forms.Form):
    """A household's request (Form 01 / Form 04) received by the commune."""

    household = forms.ModelChoiceField(queryset=Household.objects.none(), label=_("Household"))
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=RequestChannel.choices)
    form_number = forms.ChoiceField(
        label=_("Form"),
        choices=RequestForm.choices,
        help_text=_("Sources disagree on the form number; record the one the household used."),
    )
    requested_on = FlexibleDateField(label=_("Received on"))
    monthly = forms.BooleanField(
        label=_("Monthly review (from the 15th, decided within 15 days)"),
        required=False,
        initial=True,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, households: QuerySet[Household], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"requested_on": _today(), "monthly": True})
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: (
            f"{h.code} · {h.head_name or '—'}" + (f" · {h.village.name}" if h.village else "")
        )
        _bootstrap(self)
