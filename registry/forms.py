"""Forms of the registry pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import VILLAGE_TYPES


class VillageForm(forms.Form):
    """A village added under a commune."""

    name = forms.CharField(label=_("Village name"), max_length=120)
    division_type = forms.ChoiceField(
        label=_("Type"), choices=[(t, t) for t in VILLAGE_TYPES], initial="thôn"
    )
