"""The export form: a unit of the user's area, the years, the file format."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from registry.choices import Level
from registry.limits import MAX_YEAR, MIN_YEAR
from registry.models import AdminUnit

from .format import TABLES

EXPORT_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def export_units(user) -> QuerySet[AdminUnit]:
    """The units whose export `user` may ask for: the provinces, districts and communes of
    their area (the old units their units took over included)."""
    return (
        AdminUnit.objects.visible_to(user)
        .filter(level__in=EXPORT_LEVELS)
        .order_by("-scheme", "path")
    )


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return f"{obj.name} ({obj.code} · {obj.get_scheme_display()})"


class ExportForm(forms.Form):
    """What to export. The years limit the yearly tables only."""

    unit = _UnitChoice(
        queryset=AdminUnit.objects.none(),
        required=False,
        label=_("Unit"),
        empty_label=_("My whole area"),
    )
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    format = forms.ChoiceField(
        label=_("File"),
        choices=(
            ("xlsx", _("Excel workbook (XLSX)")),
            ("csv", _("CSV files in a ZIP")),
        ),
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    table = forms.ChoiceField(
        label=_("Table"),
        required=False,
        choices=(("", _("All tables")), *((name, name) for name in TABLES)),
        help_text=_("One table is downloaded as a single CSV file."),
    )
    numbering = forms.ChoiceField(
        label=_("Ethnicity codes"),
        choices=(
            ("qd121", _("Decision 121-TCTK/PPCĐ (default)")),
            ("census", _("Census numbering")),
        ),
        initial="qd121",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = export_units(user)
        for name, field in self.fields.items():
            if name != "format":
                css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error("year_to", _("The last year comes before the first."))
        if data.get("table") and data.get("format") != "csv":
            self.add_error("table", _("A single table is downloaded as CSV: choose CSV."))
        return data

    @property
    def years(self) -> range | None:
        start = self.cleaned_data.get("year_from")
        end = self.cleaned_data.get("year_to")
        if start is None and end is None:
            return None
        return range(start or MIN_YEAR, (end or MAX_YEAR) + 1)
