"""Forms of the import and export pages: they parse what was chosen; the jobs module holds the
rules (who may import where, which files, how large)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.forms import _bootstrap
from registry.limits import MAX_YEAR, MIN_YEAR
from registry.models import AdminUnit

from . import jobs

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


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return f"{obj.name} ({obj.code})"


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


class ExportForm(forms.Form):
    """An export: the unit, the list years (all when left blank), the format."""

    from_year = forms.IntegerField(
        label=_("From list year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    to_year = forms.IntegerField(
        label=_("To list year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("xlsx", _("XLSX workbook")), ("csv", _("CSV files in a ZIP"))],
        initial="xlsx",
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.single_unit = None
        _units_field(self, jobs.exportable_units(user), _("Unit"))
        self.order_fields(["unit", "from_year", "to_year", "format"])
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from_year"), data.get("to_year")
        if start and end and start > end:
            raise forms.ValidationError(
                {"to_year": _("The last year cannot come before the first.")}
            )
        return data

    def years(self) -> list[int] | None:
        start = self.cleaned_data.get("from_year")
        end = self.cleaned_data.get("to_year")
        if start is None and end is None:
            return None
        # One end open: from the first list years the registry holds, or to next year's list.
        start, end = start or MIN_YEAR, end or timezone.localdate().year + 1
        return list(range(start, end + 1))
