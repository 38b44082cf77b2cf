"""Forms of the priority-list pages. They only parse what was typed; the rules (roles,
eligibility, the majority, the lock) are the services' (policies.support.services.priority)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.forms import FlexibleDateField, _bootstrap
from households.models import Household
from registry.limits import MAX_YEAR, MIN_YEAR
from registry.models import AdminUnit

from ..models import Programme

MAX_REASON = 2000
# Attendees and agreement are small counts (a PositiveSmallIntegerField holds them).
MAX_PEOPLE = 32_767


def _reason(label) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )


class PriorityListForm(forms.Form):
    """Open the commune's priority list of a programme for a year."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Programme"))
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    commune = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(), label=_("Commune"), empty_label=None
    )

    def __init__(
        self,
        *args: Any,
        programmes: QuerySet[Programme],
        communes: QuerySet[AdminUnit],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["commune"].queryset = communes
        _bootstrap(self)


class PriorityEntryForm(forms.Form):
    """Propose a household of the commune, with the reason for its place."""

    household = forms.ModelChoiceField(queryset=Household.objects.none(), label=_("Household"))
    reason = _reason(_("Reason for the place"))

    def __init__(self, *args: Any, households: QuerySet[Household], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: (
            f"{h.code} · {h.head_name or '—'}" + (f" · {h.village.name}" if h.village else "")
        )
        _bootstrap(self)


class PriorityDecideForm(forms.Form):
    """The village meeting that discussed the list and adopted its order."""

    meeting_on = FlexibleDateField(label=_("Village meeting held on"))
    attendees = forms.IntegerField(label=_("People attending"), min_value=1, max_value=MAX_PEOPLE)
    agreed = forms.IntegerField(label=_("People agreeing"), min_value=0, max_value=MAX_PEOPLE)
    minutes = forms.CharField(
        label=_("Minutes of the meeting"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"meeting_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReasonForm(forms.Form):
    """A reason: for a place, a withdrawal or a reopening."""

    reason = _reason(_("Reason"))


class MoveForm(forms.Form):
    rank = forms.IntegerField(label=_("Place on the list"), min_value=1, max_value=MAX_PEOPLE)
