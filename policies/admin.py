"""Admin views of the standards: the catalogue mirrored from the law modules (read-only, so an
unconfirmed number stands out), and the parameter overrides, written only through the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from policies.standards import PROCEDURE, all_standards
from registry.scoping import province_path, scope_for

from .models import IndicatorRecord, ParameterOverride, StandardParameter
from .services import (
    parameter_override_end,
    parameter_override_end_validate,
    parameter_override_set,
    parameter_override_validate,
)


def _catalogue():
    """The standards and the review procedure, whose numbers share the catalogue."""
    return (*all_standards(), PROCEDURE)


def _standard_choices() -> list[tuple[str, str]]:
    vietnamese = (get_language() or "vi").startswith("vi")
    return [
        (s.code, f"{s.code} · {s.legal_basis_vi if vietnamese else s.legal_basis_en}")
        for s in _catalogue()
    ]


# The units the standards give their parameters in, as the admin shows them.
UNIT_LABELS = {
    "VND": _("VND"),
    "points": _("points"),
    "years": _("years old"),
    "count": "",
    "percent": "%",
    "m2": "m²",
}


class StandardFilter(admin.SimpleListFilter):
    title = _("standard")
    parameter_name = "standard"

    def lookups(self, request, model_admin):
        return [(s.code, s.code) for s in _catalogue()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(standard_code=self.value())
        return queryset


class ConfirmedFilter(admin.SimpleListFilter):
    """Unconfirmed numbers and indicators are the ones to check against the legal text."""

    title = _("confirmation")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("unconfirmed", _("Unconfirmed")), ("confirmed", _("Confirmed"))]

    def queryset(self, request, queryset):
        if self.value() in ("unconfirmed", "confirmed"):
            return queryset.filter(confirmed=self.value() == "confirmed")
        return queryset


class CatalogueAdmin(admin.ModelAdmin):
    """The catalogue comes from policies/standards via load_standards: nothing is edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StandardParameter)
class StandardParameterAdmin(CatalogueAdmin):
    list_display = [
        "standard_code",
        "key",
        "value_display",
        "unit",
        "confirmed",
        "is_line",
        "national_correction",
        "source",
    ]
    list_filter = [StandardFilter, ConfirmedFilter, "is_line"]
    search_fields = ["key", "source"]

    def get_queryset(self, request):
        correction = (
            ParameterOverride.objects.in_force(timezone.localdate())
            .filter(standard_code=OuterRef("standard_code"), key=OuterRef("key"))
            .filter(unit__isnull=True)
            .values("value")[:1]
        )
        return super().get_queryset(request).annotate(corrected=Subquery(correction))

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, obj):
        return f"{obj.value:,}" if obj.value is not None else _("not known")

    @admin.display(description=_("national correction in force"))
    def national_correction(self, obj):
        return f"{obj.corrected:,}" if obj.corrected is not None else "-"


@admin.register(IndicatorRecord)
class IndicatorRecordAdmin(CatalogueAdmin):
    list_display = [
        "standard_code",
        "code",
        "dimension_en",
        "name_vi",
        "name_en",
        "derivable",
        "confirmed",
    ]
    list_filter = [StandardFilter, ConfirmedFilter, "derivable", "dimension_code"]
    search_fields = ["code", "name_vi", "name_en", "rule_text"]


class ParameterOverrideForm(forms.ModelForm):
    """Add an override, or end one; the service's validation runs in clean(), so a value the
    standard refuses shows beside the field."""

    actor = None  # set per request by ParameterOverrideAdmin.get_form

    class Meta:
        model = ParameterOverride
        fields = ["standard_code", "key", "value", "unit", "reason", "source", "valid_from"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "standard_code" in self.fields:
            self.fields["standard_code"] = forms.ChoiceField(
                label=capfirst(_("standard")), choices=_standard_choices()
            )
        if "key" in self.fields:
            self.fields["key"] = forms.ChoiceField(
                label=capfirst(_("parameter")),
                choices=[
                    (
                        s.code,
                        [
                            (p.key, f"{p.key} ({_describe(p.value, p.unit, p.confirmed)})")
                            for p in s.parameters
                        ],
                    )
                    for s in _catalogue()
                ],
                help_text=_(
                    "Unconfirmed numbers may be corrected to any value; confirmed lines may "
                    "only be raised; other confirmed rules cannot be overridden."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            if self.instance.pk is None:
                parameter_override_validate(
                    actor=self.actor,
                    standard_code=cleaned["standard_code"],
                    key=cleaned["key"],
                    value=cleaned["value"],
                    unit=cleaned.get("unit"),
                    reason=cleaned.get("reason", ""),
                    valid_from=cleaned.get("valid_from") or timezone.localdate(),
                )
        except PermissionDenied as error:
            raise ValidationError(str(error) or _("You may not set this override.")) from None
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service; skip the unique-constraint validation of
        # ModelForm, which would report a replaced override as a duplicate.
        pass


class ParameterOverrideEndForm(forms.ModelForm):
    """Changing an override means ending it; a new value is a new override."""

    actor = None

    class Meta:
        model = ParameterOverride
        fields = ["valid_to"]

    def clean_valid_to(self):
        valid_to = self.cleaned_data.get("valid_to")
        stored = self.instance.valid_to
        if stored is not None:
            if valid_to != stored:
                raise ValidationError(_("This override has already ended."))
            return valid_to
        if valid_to is not None:
            try:
                parameter_override_end_validate(
                    actor=self.actor, override=self.instance, on=valid_to
                )
            except PermissionDenied as error:
                raise ValidationError(str(error) or _("You may not end this override.")) from None
            except ValidationError as error:
                raise ValidationError(
                    [m for messages in error.message_dict.values() for m in messages]
                ) from None
        return valid_to


def _describe(value, unit, confirmed) -> str:
    amount = (
        f"{value:,} {UNIT_LABELS.get(unit, unit)}".strip() if value is not None else _("not known")
    )
    return amount if confirmed else f"{amount}, {_('unconfirmed')}"


@admin.register(ParameterOverride)
class ParameterOverrideAdmin(SimpleHistoryAdmin):
    list_display = [
        "standard_code",
        "key",
        "value_display",
        "scope",
        "valid_from",
        "valid_to",
        "in_force",
        "created_by",
        "created_at",
    ]
    list_filter = [StandardFilter, "valid_from"]
    search_fields = ["key", "reason", "source", "unit__name"]
    list_select_related = ["unit", "created_by"]
    autocomplete_fields = ["unit"]
    readonly_fields_on_change = [
        "standard_code",
        "key",
        "value",
        "unit",
        "reason",
        "source",
        "valid_from",
        "created_by",
        "created_at",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.everything:
            return queryset
        provinces = {province_path(path) for path in scope.view_paths}
        return queryset.filter(Q(unit__isnull=True) | Q(unit__path__in=provinces))

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ParameterOverrideEndForm if obj is not None else ParameterOverrideForm
        kwargs["fields"] = ["valid_to"] if obj is not None else ParameterOverrideForm.Meta.fields
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ParameterOverrideForm.Meta.fields
        return [*self.readonly_fields_on_change, "valid_to"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields_on_change if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            if obj.valid_to is not None and form.initial.get("valid_to") is None:
                stored = ParameterOverride.objects.get(pk=obj.pk)
                parameter_override_end(actor=request.user, override=stored, on=obj.valid_to)
            return
        data = form.cleaned_data
        created = parameter_override_set(
            actor=request.user,
            standard_code=data["standard_code"],
            key=data["key"],
            value=data["value"],
            unit=data.get("unit"),
            reason=data["reason"],
            source=data.get("source", ""),
            valid_from=data.get("valid_from"),
        )
        # The admin logs and redirects with the object it passed in.
        for model_field in obj._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(created, model_field.attname))
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        # Overrides are ended, never deleted, so that earlier classifications stay explainable.
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting would bypass the services; set a new override instead.
        raise PermissionDenied

    def revert_disabled(self, request, obj=None):
        return True

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, obj):
        return f"{obj.value:,}"

    @admin.display(description=_("applies to"), ordering="unit__name")
    def scope(self, obj):
        return obj.unit.name if obj.unit_id else _("National correction")

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj):
        today = timezone.localdate()
        return obj.valid_from <= today and (obj.valid_to is None or today < obj.valid_to)


# The support models' admin views (read-only).
from policies.support import admin as support_admin  # noqa: E402, F401
