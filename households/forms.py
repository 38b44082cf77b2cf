"""Forms of the household pages: the household, its members (a formset) and its review.

Forms only parse what the officer typed (forgivingly: "1.200.000 đ", "31/12/1960", "42,5");
the rules of the registry are checked once, by the services, whose errors the views put back
beside the right field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policies.standards import (
    MAX_B1_SCORE,
    Standard,
    all_standards,
    list_year_for_review_date,
)
from registry.limits import validate_date_in_range, year_in_range
from registry.models import AdminUnit

from .choices import Classification, ReviewKind
from .ethnicity import ETHNIC_GROUPS
from .evaluation import standard_for_review
from .models import Household, Member, Review
from .submissions import KEY_MAX_LENGTH, submission_key_new
from .validators import normalise_id_number

# Dates as officers write them (31/12/1960) and as a date picker sends them (1960-12-31).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
_SEPARATORS = re.compile(r"[.,\s\u00a0_]")
_CURRENCY = re.compile(r"(vnđ|vnd|đồng|dong|đ)$")


def _bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on every widget, so templates only place fields."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


class DatePickerInput(forms.DateInput):
    """A native date picker: tablets show their own calendar; the value travels as ISO."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FlexibleDateField(forms.DateField):
    default_error_messages = {
        "invalid": _("Enter a real date, for example 31/12/1960."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", DatePickerInput)
        super().__init__(**kwargs)
        self.validators.append(validate_date_in_range)  # hostile: no 0001-01-01, no 9999-12-31


class VNDField(forms.Field):
    """A whole amount of đồng, typed with or without thousands separators.

    "1.200.000", "1,200,000", "1 200 000 đ" and "1200000" are the same amount; "1.5" is refused
    rather than guessed, because đồng have no decimals.
    """

    default_error_messages = {
        "invalid": _("Enter a whole number of đồng, for example 1.200.000."),
        "negative": _("Income cannot be negative."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = _CURRENCY.sub("", str(value).strip().lower()).strip()
        negative = text.startswith("-")
        text = text.lstrip("-").strip()
        groups = [g for g in _SEPARATORS.split(text) if g != ""]
        if not groups or not all(g.isdigit() for g in groups):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int("".join(groups))
        return -amount if negative else amount

    def prepare_value(self, value: Any) -> Any:
        # Shown as officers write it: 1.200.000.
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def validate(self, value: int | None) -> None:
        super().validate(value)
        if value is not None and value < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")


class FlexibleDecimalField(forms.DecimalField):
    """A decimal typed with a comma (42,5) or a point (42.5)."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


# --- household --------------------------------------------------------------------------------


class HouseholdForm(forms.Form):
    """Where the household lives and how to reach it; the commune only when there is a choice."""

    commune = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(), label=_("Commune"), empty_label=None
    )
    village = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(), label=_("Village"), required=False
    )
    address = forms.CharField(label=_label(Household, "address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_label(Household, "phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Made when the form is drawn: a second submission of the same form saves nothing more.
    submission_key = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=KEY_MAX_LENGTH
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked: this is not a duplicate"), required=False
    )

    def __init__(
        self,
        *args: Any,
        communes: QuerySet[AdminUnit],
        household: Household | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_key"].initial = submission_key_new()
        self.household = household
        self.several_communes = False
        self.only_commune: AdminUnit | None = None
        if household is not None:
            # A household never changes commune here (that is a move, another workflow).
            del self.fields["commune"]
            villages = AdminUnit.objects.filter(parent=household.commune_id)
            self.fields["version"].required = True
        else:
            self.fields["commune"].queryset = communes
            villages = AdminUnit.objects.filter(parent__in=communes)
            if len(communes) == 1:
                # The only commune: nothing to choose, nothing to forget to send.
                self.only_commune = communes[0]
                self.fields["commune"].widget = forms.HiddenInput()
                self.fields["commune"].initial = communes[0].pk
                self.fields["commune"].required = False
            self.several_communes = len(communes) > 1
        self.fields["village"].queryset = villages.filter(
            level="village", valid_to__isnull=True
        ).select_related("parent")
        if household is None and self.several_communes:
            self.fields["village"].label_from_instance = lambda v: f"{v.name} ({v.parent.name})"
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            self.only_commune is not None
            and not data.get("commune")
            and ("commune" not in self.errors)
        ):
            data["commune"] = self.only_commune
        commune = data.get("commune")
        village = data.get("village")
        if commune is not None and village is not None and village.parent_id != commune.pk:
            self.add_error("village", _("This village is not in the chosen commune."))
        return data


# --- members ----------------------------------------------------------------------------------


def _member_field(name: str, **kwargs: Any) -> forms.Field:
    return Member._meta.get_field(name).formfield(**kwargs)


class MemberForm(forms.Form):
    """One member row; `id` is set for members already registered."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    full_name = forms.CharField(
        label=_label(Member, "full_name"),
        max_length=120,
        error_messages={"required": _("Enter the member's full name.")},
    )
    relationship = _member_field(
        "relationship", error_messages={"required": _("Choose the relationship to the head.")}
    )
    sex = _member_field("sex", error_messages={"required": _("Choose the sex.")})
    birth_year = forms.IntegerField(
        label=_label(Member, "birth_year"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1880}),
    )
    birth_date = FlexibleDateField(label=_label(Member, "birth_date"), required=False)
    # Asked of every member: the empty choice must be changed, there is no default.
    ethnicity = forms.ChoiceField(
        label=_label(Member, "ethnicity"),
        choices=[("", _("Choose…")), *ETHNIC_GROUPS],
        error_messages={"required": _("Choose the ethnicity: there is no default.")},
    )
    # Longer than 12: people type the number in groups ("079 123 456 789"); the service checks it.
    id_number = forms.CharField(
        label=_label(Member, "id_number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    has_health_insurance = _member_field("has_health_insurance")
    health_insurance_valid_to = FlexibleDateField(
        label=_label(Member, "health_insurance_valid_to"), required=False
    )
    school_status = _member_field("school_status")
    school_level_matches_age = _member_field("school_level_matches_age")
    qualification = _member_field("qualification")
    employment = _member_field("employment")
    has_disability = _member_field("has_disability")
    receives_social_allowance = _member_field("receives_social_allowance")
    malnourished = _member_field("malnourished")
    leave_reason = forms.CharField(
        label=_label(Member, "leave_reason"), max_length=200, required=False
    )

    # Left empty, these take the model's default rather than refusing the row.
    DEFAULTED = ("school_status", "qualification", "employment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.DEFAULTED:
            self.fields[name].required = False
            self.fields[name].initial = Member._meta.get_field(name).default
        _bootstrap(self)

    def clean_id_number(self) -> str:
        """Only normalised here: the service checks the number (its shape, the birth year and sex
        it encodes, whether it is already registered) with the row's other rules, all at once."""
        return normalise_id_number(self.cleaned_data.get("id_number"))

    # A row added with none of these typed is an empty row, whatever its selects say.
    KEY_FIELDS = ("full_name", "birth_year", "birth_date", "id_number")

    def has_changed(self) -> bool:
        typed = any((self.data.get(self.add_prefix(n)) or "").strip() for n in self.KEY_FIELDS)
        if self.empty_permitted and not typed:
            return False
        return super().has_changed()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in self.DEFAULTED:
            if name not in self.errors and not data.get(name):
                data[name] = Member._meta.get_field(name).default
        return data

    def member_data(self) -> dict[str, Any]:
        """The cleaned row as the services take it."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"DELETE", "leave_reason"}}
        if not data.get("id"):
            data.pop("id", None)
        return data


class BaseMemberFormSet(forms.BaseFormSet):
    def is_deleted(self, form: forms.Form) -> bool:
        return self.can_delete and self._should_delete_form(form)

    def is_blank(self, form: forms.Form) -> bool:
        """A row added and left empty: ignored rather than refused."""
        return form.empty_permitted and not form.has_changed()


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=0, can_delete=True
)


def member_initial(member: Member) -> dict[str, Any]:
    return {name: getattr(member, name) for name in MemberForm.base_fields if name != "DELETE"}


# --- review -----------------------------------------------------------------------------------


def list_year_choices(today: dt.date) -> list[tuple[int, int]]:
    """From the list of the next review season back to the first year a standard covers."""
    last = list_year_for_review_date(today)
    first = all_standards()[0].first_list_year
    return [(year, year) for year in range(last, first - 1, -1)]


class ReviewForm(forms.Form):
    """The facts of one review: income or B1 score, deprivations, the recognised result."""

    list_year = forms.TypedChoiceField(label=_label(Review, "list_year"), coerce=int)
    kind = forms.ChoiceField(
        choices=ReviewKind.choices, initial=ReviewKind.PERIODIC, widget=forms.HiddenInput
    )
    survey_date = FlexibleDateField(label=_label(Review, "survey_date"))
    income_per_capita = VNDField(label=_label(Review, "income_per_capita"), required=False)
    b1_score = forms.IntegerField(
        label=_label(Review, "b1_score"),
        required=False,
        min_value=0,
        max_value=MAX_B1_SCORE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    deprivations = forms.MultipleChoiceField(
        label=_label(Review, "deprivations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    housing_area_m2 = FlexibleDecimalField(
        label=_label(Review, "housing_area_m2"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    recognised_classification = forms.ChoiceField(
        label=_label(Review, "recognised_classification"),
        choices=[("", _("Same as computed")), *Classification.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label=_label(Review, "override_reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, lenient: bool = False, unit: AdminUnit | None = None, **kwargs: Any
    ) -> None:
        """`lenient` (the live preview) drops indicators of another standard silently; `unit`
        (the household's commune) decides, with the list year, which standard applies."""
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.lenient = lenient
        self.unit = unit
        self.fields["list_year"].choices = list_year_choices(today)
        self.fields["list_year"].initial = self.fields["list_year"].initial or (
            list_year_for_review_date(today)
        )
        self.fields["survey_date"].initial = today
        self.standard = self._standard()
        self.fields["deprivations"].choices = [
            (i.code, i.name_vi) for i in (self.standard.indicators if self.standard else ())
        ]
        _bootstrap(self)

    def _standard(self) -> Standard | None:
        """The standard that applies to the list year typed (or shown) in the unit: it sets the
        indicators offered, as it classifies the preview and the saved review."""
        raw = self.data.get(self.add_prefix("list_year")) if self.is_bound else None
        if raw in (None, ""):
            raw = self.initial.get("list_year") or self.fields["list_year"].initial
        try:
            year = int(raw)
        except (TypeError, ValueError):
            return None
        if not year_in_range(year):
            return None
        try:
            return standard_for_review(unit=self.unit, list_year=year)
        except ValidationError:
            return None

    def has_facts(self) -> bool:
        """Whether the officer entered a review at all (the review part may stay empty)."""
        if not self.is_bound:
            return False
        if self.data.getlist(self.add_prefix("deprivations")):
            return True
        names = ("income_per_capita", "b1_score", "housing_area_m2")
        return any((self.data.get(self.add_prefix(n)) or "").strip() for n in names)

    def _clean_fields(self) -> None:
        # Indicators of another standard (the list year changed) are dropped, not refused.
        field = self.fields["deprivations"]
        key = self.add_prefix("deprivations")
        posted = self.data.getlist(key) if hasattr(self.data, "getlist") else []
        known = {code for code, _ in field.choices}
        self.dropped = [code for code in posted if code not in known]
        if self.dropped:
            self.data = self.data.copy()
            self.data.setlist(key, [code for code in posted if code in known])
        super()._clean_fields()
        if self.dropped and not self.lenient:
            self.add_error(
                "deprivations",
                _("The list year changed, so its standard changed: tick the indicators again."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        income, score = data.get("income_per_capita"), data.get("b1_score")
        if "income_per_capita" in self.errors or "b1_score" in self.errors:
            return data
        if income is None and score is None:
            self.add_error(
                "income_per_capita",
                _("Enter the income per person per month, or the B1 score."),
            )
        elif income is not None and score is not None:
            self.add_error("b1_score", _("Enter either the income or the B1 score, not both."))
        if self.standard is None and "list_year" not in self.errors:
            self.add_error("list_year", _("No poverty standard covers this list year."))
        return data

    def review_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def review_initial(review: Review) -> dict[str, Any]:
    return {
        "list_year": review.list_year,
        "kind": review.kind,
        "survey_date": review.survey_date,
        "income_per_capita": review.income_per_capita,
        "b1_score": review.b1_score,
        "deprivations": list(review.deprivations),
        "housing_area_m2": review.housing_area_m2,
        "recognised_classification": (
            review.recognised_classification if review.is_overridden else ""
        ),
        "override_reason": review.override_reason,
    }


class MoveOutForm(forms.Form):
    """When and why a household left the commune."""

    on = forms.DateField(label=_("Moved out on"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    reason = forms.CharField(label=_("Where to, or why"), max_length=200)
