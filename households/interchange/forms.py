"""Forms of the interchange pages: the import upload (its file, numbering and dry run) and the
export (a unit of the user's area, the years, the file format). The jobs module holds the rules
(who may import where, which files, how large)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from households.forms import _bootstrap
from registry.choices import Level
from registry.limits import MAX_YEAR, MIN_YEAR
from registry.models import AdminUnit

from . import jobs
from .format import TABLES

# A multipart body carries the form's other fields and boundaries beside the file.
MULTIPART_SLACK = 64 * 1024


class UploadLimit(FileUploadHandler):
    """Stops reading an upload as soon as it passes the page's limit (declared or counted), so
    an oversized file is never stored; the form then says why."""

    def __init__(self, request, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.declared = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared = content_length or 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.declared > self.limit + MULTIPART_SLACK:
            self._stop()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _stop(self) -> None:
        self.request.upload_too_large = True
        # Read (and drop) the rest of the body, so the browser gets the page that says why.
        raise StopUpload(connection_reset=False)


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
        required=False,  # blank: the default numbering
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
        data["numbering"] = data.get("numbering") or "qd121"
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


def _units_field(form: forms.Form, units, label) -> None:
    """The unit field: a select, or a hidden field when the user has one unit only."""
    field = _UnitChoice(queryset=units, label=label, empty_label=None)
    choices = list(units[:2])
    if len(choices) == 1:
        field.widget = forms.HiddenInput()
        field.initial = choices[0].pk
        form.single_unit = choices[0]
    form.fields["unit"] = field


class ImportForm(forms.Form):
    """An upload: the file, its ethnicity numbering, and whether only to check it."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("A CSV file of one table, a ZIP of CSV files, or an XLSX workbook."),
    )
    numbering = forms.ChoiceField(
        label=_("Ethnicity codes in the file"),
        choices=[
            ("qd121", _("Decision 121-TCTK/PPCĐ (the default)")),
            ("census", _("GSO census numbering")),
        ],
        initial="qd121",
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (dry run): nothing is written"), required=False
    )

    def __init__(self, *args: Any, user, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.single_unit = None
        self.too_large = too_large
        _units_field(self, jobs.importable_units(user), _("Import into"))
        self.order_fields(["unit", "file", "numbering", "dry_run"])
        _bootstrap(self)
        self.fields["numbering"].widget.attrs.pop("class", None)
        self.fields["file"].widget.attrs["accept"] = ",".join(jobs.UPLOAD_SUFFIXES)

    def clean(self) -> dict[str, Any]:
        if self.too_large:
            self.errors.pop("file", None)
            raise forms.ValidationError({"file": jobs.upload_too_large()})
        return super().clean()
