"""Forms of the registry pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import TOKEN_LIFETIMES_DAYS, VILLAGE_TYPES


class VillageForm(forms.Form):
    """A village added under a commune."""

    name = forms.CharField(label=_("Village name"), max_length=120)
    division_type = forms.ChoiceField(
        label=_("Type"), choices=[(t, t) for t in VILLAGE_TYPES], initial="thôn"
    )


# --- secure: API tokens ---
class ApiTokenForm(forms.Form):
    """A new API token: a name to tell it apart, and how long it lives."""

    name = forms.CharField(label=_("Token name"), max_length=100)
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(d, _("%(days)d days") % {"days": d}) for d in TOKEN_LIFETIMES_DAYS],
        initial=30,
    )
