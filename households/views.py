"""HTML pages for commune officers: the household list, page, form, live preview, explanation.

Every read goes through the scoped selectors (a household outside the user's area answers 404)
and every write through the services; these views only translate between forms and them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from policies.standards import Standard, StandardError, format_vnd, get_standard
from registry.choices import Level
from registry.models import AdminUnit
from registry.scoping import scope_for

from . import campaigns, selectors, services
from .choices import Classification
from .evaluation import Evaluation, evaluate
from .filtersets import HouseholdFilterSet
from .forms import (
    HouseholdForm,
    MemberFormSet,
    MoveOutForm,
    ReviewForm,
    member_initial,
    review_initial,
)
from .models import Household, Review

MEMBERS_PREFIX = "members"
REVIEW_PREFIX = "review"


def _lang() -> str:
    return "vi" if (get_language() or "vi").startswith("vi") else "en"


def _indicator_name(indicator: Any) -> str:
    return indicator.name_vi if _lang() == "vi" else indicator.name_en


def _editable_communes(user) -> QuerySet[AdminUnit]:
    """Current communes whose households `user` may enter and change."""
    return (
        AdminUnit.objects.filter(scope_for(user).edit_q("path"))
        .filter(level=Level.COMMUNE, valid_to__isnull=True)
        .order_by("name")
    )


# --- list -------------------------------------------------------------------------------------


class HouseholdListFilterSet(HouseholdFilterSet):
    """The shared filterset, with villages and communes offered from the user's own area."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        units = AdminUnit.objects.visible_to(user).filter(valid_to__isnull=True)
        villages = units.filter(level=Level.VILLAGE).select_related("parent")
        communes = units.filter(level=Level.COMMUNE).order_by("name")
        self.filters["village"] = django_filters.ModelChoiceFilter(
            field_name="village",
            queryset=villages.order_by("parent__name", "name"),
            label=gettext_lazy("Village"),
            empty_label=gettext_lazy("All villages"),
        )
        self.filters["commune"] = django_filters.ModelChoiceFilter(
            field_name="commune",
            queryset=communes,
            label=gettext_lazy("Commune"),
            empty_label=gettext_lazy("All communes"),
        )


class HouseholdListView(LoginRequiredMixin, FilterView):
    """Households of the user's area: search, filters, sorting, 25 to a page."""

    filterset_class = HouseholdListFilterSet
    template_name = "households/household_list.html"
    paginate_by = 25
    context_object_name = "households"

    def get_queryset(self) -> QuerySet[Household]:
        return selectors.household_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        for field in form.fields.values():
            css = "form-select" if field.widget.input_type == "select" else "form-control"
            field.widget.attrs.setdefault("class", css)
        for name in ("classification", "status"):
            field = form.fields[name]
            field.choices = [("", _("All")), *[c for c in field.choices if c[0] != ""]]
        # Many communes (province staff, administrators): the village list would be too long.
        communes = form.fields["commune"].queryset
        context["commune_count"] = communes.count()
        context["can_create"] = bool(scope_for(self.request.user).edit_paths) or (
            scope_for(self.request.user).everything
        )
        context["ordering"] = self.request.GET.get("ordering", "")
        return context


# --- detail -----------------------------------------------------------------------------------


def _standard_or_none(code: str) -> Standard | None:
    try:
        return get_standard(code)
    except StandardError:
        return None


def _review_display(review: Review) -> dict[str, Any]:
    """A stored review with its reasons in the page's language and indicator names."""
    reasons = review.computed_reasons or {}
    standard = _standard_or_none(review.standard_code)
    names = {i.code: _indicator_name(i) for i in (standard.indicators if standard else ())}
    disagreements = [
        {
            "name": names.get(d["indicator"], d["indicator"]),
            "derived": d["derived"],
            "ticked": d["ticked"],
        }
        for d in reasons.get("disagreements", [])
    ]
    scored = review.b1_score is not None
    return {
        "review": review,
        "standard": standard,
        "legal_basis": (standard.legal_basis_vi if _lang() == "vi" else standard.legal_basis_en)
        if standard
        else review.standard_code,
        "explanation": reasons.get(f"explanation_{_lang()}") or reasons.get("explanation_vi", ""),
        "deprived": [names.get(code, code) for code in reasons.get("deprived", [])],
        "disagreements": disagreements,
        "scored": scored,
        "line": review.computed_line if scored else format_vnd(review.computed_line, _lang()),
        "income": format_vnd(review.income_per_capita, _lang())
        if review.income_per_capita is not None
        else None,
    }


def _change_display(entries: list[dict]) -> list[dict]:
    """Timeline entries with field labels and readable old → new values (one query a model)."""
    related_ids: dict[Any, set] = defaultdict(set)
    for entry in entries:
        for change in entry["changes"]:
            field = entry["model"].get_field(change["field"])
            if field.is_relation:
                related_ids[field.related_model].update(
                    v for v in (change["old"], change["new"]) if v is not None
                )
    related = {
        model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
        for model, ids in related_ids.items()
    }
    shown = []
    for entry in entries:
        changes = []
        for change in entry["changes"]:
            field = entry["model"].get_field(change["field"])
            changes.append(
                {
                    "label": field.verbose_name,
                    "old": _value_display(field, change["old"], related),
                    "new": _value_display(field, change["new"], related),
                }
            )
        shown.append({**entry, "changes": changes, "model_name": entry["model"].verbose_name})
    return shown


def _value_display(field, value, related) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return related.get(field.related_model, {}).get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(selectors.household_detail(user=request.user), pk=pk)
    members = list(household.members.all())
    reviews = list(household.reviews.all())
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "current_members": [m for m in members if m.left_on is None],
            "former_members": [m for m in members if m.left_on is not None],
            "reviews": [_review_display(r) for r in reviews],
            "timeline": _change_display(selectors.household_timeline(household)),
            "can_edit": scope_for(request.user).can_edit(household.unit_path),
        },
    )


@login_required
@require_POST
def household_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    """The household left the commune: recorded as an event with its date and reason."""
    household = get_object_or_404(selectors.household_detail(user=request.user), pk=pk)
    form = MoveOutForm(request.POST)
    if form.is_valid():
        try:
            campaigns.household_move_out(
                actor=request.user, household=household, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The household is recorded as moved out."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("households:household-detail", pk=household.pk)


# --- form -------------------------------------------------------------------------------------


def _build_forms(
    request: HttpRequest, household: Household | None, communes: QuerySet[AdminUnit]
) -> tuple[HouseholdForm, Any, ReviewForm]:
    data = request.POST if request.method == "POST" else None
    if household is None:
        initial = {}
        members_initial = [{"relationship": "head"}]
        review = None
    else:
        initial = {
            "village": household.village_id,
            "address": household.address,
            "phone": household.phone,
            "version": household.version,
        }
        members_initial = [member_initial(m) for m in household.members.all() if m.is_current]
        review = next(iter(household.reviews.all()), None)  # newest list year first
    household_form = HouseholdForm(data, communes=communes, household=household, initial=initial)
    formset = MemberFormSet(data, prefix=MEMBERS_PREFIX, initial=members_initial)
    review_form = ReviewForm(
        data, prefix=REVIEW_PREFIX, initial=review_initial(review) if review else None
    )
    return household_form, formset, review_form


def _member_rows(formset) -> tuple[list[dict], list, list[tuple[str, str]]]:
    """Rows to save (with the forms they came from) and the reasons of members who leave."""
    rows, forms, leaving = [], [], []
    for form in formset.forms:
        if formset.is_blank(form):
            continue
        if formset.is_deleted(form):
            if form.cleaned_data.get("id"):
                reason = (form.cleaned_data.get("leave_reason") or "").strip()
                leaving.append((form.cleaned_data["id"], reason))
            continue
        rows.append(form.member_data())
        forms.append(form)
    return rows, forms, leaving


def _apply_errors(
    error: ValidationError, household_form, formset, review_form, member_forms
) -> list[str]:
    """Put a service's errors beside their fields; return those that belong to no field."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    loose: list[str] = []
    for key, messages_ in error.message_dict.items():
        parts = key.split(".")
        if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit():
            row = int(parts[1])
            form = member_forms[row] if row < len(member_forms) else None
            if form is not None and parts[2] in form.fields:
                form.add_error(parts[2], messages_)
            elif form is not None:
                form.add_error(None, messages_)
            else:
                formset.non_form_errors().extend(messages_)
        elif key == "members":
            formset.non_form_errors().extend(messages_)
        elif key in household_form.fields:
            household_form.add_error(key, messages_)
        elif key in review_form.fields:
            review_form.add_error(key, messages_)
        elif key == NON_FIELD_ERRORS:
            loose.extend(messages_)
        else:
            loose.extend(messages_)
    return loose


def _duplicates(commune, rows, member_forms, household) -> list[dict]:
    """Possible duplicates among new members or members whose name or birth year changed."""
    checked = [
        (row, form)
        for row, form in zip(rows, member_forms, strict=True)
        if not form.cleaned_data.get("id")
        or {"full_name", "birth_year", "birth_date"} & set(form.changed_data)
    ]
    if not checked:
        return []
    found = services.duplicates_find(
        commune=commune, members=[row for row, _form in checked], household=household
    )
    return [
        {
            "row_name": checked[d.row][0].get("full_name"),
            "household_id": d.household_id,
            "household_code": d.household_code,
            "full_name": d.full_name,
        }
        for d in found
        if d.kind == "name_birth_year"
    ]


def _household_form(request: HttpRequest, household: Household | None) -> HttpResponse:
    communes = _editable_communes(request.user)
    if household is None and not communes.exists():
        raise PermissionDenied
    household_form, formset, review_form = _build_forms(request, household, communes)
    status, top_errors, duplicates = 200, [], []
    with_review = review_form.has_facts() if request.method == "POST" else False
    if request.method == "POST":
        forms_valid = all(
            [
                household_form.is_valid(),
                formset.is_valid(),
                review_form.is_valid() if with_review else True,
            ]
        )
        if forms_valid:
            rows, member_forms, leaving = _member_rows(formset)
            commune = household.commune if household else household_form.cleaned_data["commune"]
            duplicates = _duplicates(commune, rows, member_forms, household)
            if duplicates and not household_form.cleaned_data.get("confirm_not_duplicate"):
                top_errors.append(_("Some members may already be registered; check them below."))
            else:
                review = review_form.review_data() if with_review else None
                if (
                    review is not None
                    and household is not None
                    and not (review_form.has_changed() or formset.has_changed())
                ):
                    review = None  # nothing the classification depends on changed
                try:
                    saved = _save(request, household, household_form, rows, review, leaving)
                except services.ConflictError as conflict:
                    top_errors.append(str(conflict))
                    status = 409
                except ValidationError as error:
                    top_errors += _apply_errors(
                        error, household_form, formset, review_form, member_forms
                    )
                else:
                    messages.success(request, _("Household %(code)s saved.") % {"code": saved.code})
                    return redirect("households:household-detail", pk=saved.pk)
        if status == 200 and not top_errors:
            top_errors.append(_("The household was not saved: correct the fields marked below."))
    commune = household.commune if household else _form_commune(household_form, communes)
    preview = _preview(review_form, formset, commune) if review_form.is_bound or household else None
    context = {
        "household": household,
        "form": household_form,
        "formset": formset,
        "review_form": review_form,
        "top_errors": top_errors,
        "duplicates": duplicates,
        "preview": preview,
        "indicator_groups": _indicator_groups(review_form, preview),
        "standard": review_form.standard,
    }
    return render(request, "households/household_form.html", context, status=status)


def _save(request, household, household_form, rows, review, leaving) -> Household:
    data = household_form.cleaned_data
    if household is None:
        return services.household_create(
            actor=request.user,
            commune=data["commune"],
            village=data.get("village"),
            address=data.get("address", ""),
            phone=data.get("phone", ""),
            members=rows,
            review=review,
        )
    return services.household_update(
        actor=request.user,
        household=household,
        expected_version=data["version"],
        village=data.get("village"),
        address=data.get("address", ""),
        phone=data.get("phone", ""),
        members=rows,
        review=review,
        leave_reasons={pk: reason for pk, reason in leaving if reason},
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    return _household_form(request, None)


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(selectors.household_detail(user=request.user), pk=pk)
    if not scope_for(request.user).can_edit(household.unit_path):
        raise PermissionDenied
    return _household_form(request, household)


# --- live classification ----------------------------------------------------------------------


def _form_commune(household_form: HouseholdForm, communes: QuerySet[AdminUnit]) -> AdminUnit | None:
    """The commune chosen (or the only one), looked up among the user's, not trusted as sent."""
    raw = household_form.data.get("commune") if household_form.is_bound else None
    if raw in (None, ""):
        raw = household_form.fields["commune"].initial
    if raw in (None, ""):
        return None
    try:
        commune = communes.get(pk=int(raw))
    except (AdminUnit.DoesNotExist, TypeError, ValueError):
        return None
    return commune


def _preview(review_form: ReviewForm, formset, commune: AdminUnit | None) -> dict[str, Any]:
    """What the standard says about the facts typed so far; field messages when it cannot."""
    errors: list[tuple[str, str]] = []
    if review_form.is_bound and not review_form.has_facts():
        return {"errors": [], "evaluation": None}  # nothing typed yet: no messages either
    if review_form.is_bound and not review_form.is_valid():
        for name, messages_ in review_form.errors.items():
            label = review_form.fields[name].label if name in review_form.fields else ""
            errors += [(str(label), str(m)) for m in messages_]
    members = []
    if formset.is_bound:
        formset.is_valid()
        for form in formset.forms:
            if formset.is_blank(form) or not form.is_valid() or formset.is_deleted(form):
                continue
            data = form.member_data()
            if data.get("birth_year") is None and data.get("birth_date"):
                data["birth_year"] = data["birth_date"].year
            if data.get("birth_year") is not None:
                members.append(data)
    else:
        members = [m for m in formset.initial or [] if m.get("birth_year")]
    if not review_form.is_bound and not review_form.initial:
        return {"errors": [], "evaluation": None}
    if errors or commune is None:
        return {"errors": errors, "evaluation": None}
    data = review_form.cleaned_data if review_form.is_bound else review_form.initial
    try:
        evaluation = evaluate(
            list_year=data["list_year"],
            area_type=commune.area_type,
            income_per_capita=data.get("income_per_capita"),
            b1_score=data.get("b1_score"),
            deprivations=data.get("deprivations") or [],
            members=members,
            on=data.get("survey_date") or timezone.localdate(),
            housing_area_m2=data.get("housing_area_m2"),
            unit=commune,
        )
    except ValidationError as error:
        for name, messages_ in error.message_dict.items():
            label = review_form.fields[name].label if name in review_form.fields else name
            errors += [(str(label), str(m)) for m in messages_]
        return {"errors": errors, "evaluation": None}
    except (TypeError, ValueError, StandardError) as error:  # never a 500 on half-typed input
        return {"errors": [("", str(error))], "evaluation": None}
    return _evaluation_display(evaluation, data)


def _evaluation_display(evaluation: Evaluation, data: dict[str, Any]) -> dict[str, Any]:
    verdict = evaluation.verdict
    names = {i.code: _indicator_name(i) for i in evaluation.standard.indicators}
    recognised = data.get("recognised_classification") or ""
    return {
        "errors": [],
        "evaluation": evaluation,
        "classification": verdict.classification.value,
        "classification_label": Classification(verdict.classification.value).label,
        "explanation": verdict.explanation(_lang()),
        "scored": verdict.scored,
        "line": verdict.line if verdict.scored else format_vnd(verdict.line, _lang()),
        "deprivation_count": verdict.deprivation_count,
        "derived": evaluation.derived,
        "derived_names": [
            {"code": code, "name": names[code], "deprived": deprived}
            for code, deprived in evaluation.derived.items()
        ],
        "disagreements": [
            {"name": names[d.indicator_code], "derived": d.derived, "ticked": d.ticked}
            for d in evaluation.disagreements
        ],
        "overridden": bool(recognised) and recognised != verdict.classification.value,
    }


def _indicator_groups(review_form: ReviewForm, preview: dict | None) -> list[dict[str, Any]]:
    """The standard's indicators as checkboxes grouped by dimension, with suggestions."""
    standard = review_form.standard
    if standard is None:
        return []
    if review_form.is_bound:
        ticked = set(review_form.data.getlist(review_form.add_prefix("deprivations")))
    else:
        ticked = set(review_form.initial.get("deprivations") or [])
    derived = (preview or {}).get("derived") or {}
    groups: dict[str, dict[str, Any]] = {}
    for indicator in standard.indicators:
        group = groups.setdefault(
            indicator.dimension_code,
            {
                "label": indicator.dimension_vi if _lang() == "vi" else indicator.dimension_en,
                "items": [],
            },
        )
        group["items"].append(
            {
                "code": indicator.code,
                "name": _indicator_name(indicator),
                "checked": indicator.code in ticked,
                "derivable": indicator.derivable,
                "suggested": derived.get(indicator.code) is True,
            }
        )
    return list(groups.values())


@login_required
@require_POST
def classify_preview(request: HttpRequest) -> HttpResponse:
    """The live classification of the form as typed (htmx); nothing is saved."""
    household = None
    if request.GET.get("household"):
        try:
            pk = int(request.GET["household"])
        except ValueError:
            raise Http404 from None
        household = get_object_or_404(
            Household.objects.editable_by(request.user).select_related("commune"), pk=pk
        )
        commune = household.commune
    else:
        communes = _editable_communes(request.user)
        if not communes.exists():
            raise PermissionDenied
        probe = HouseholdForm(request.POST, communes=communes)
        commune = _form_commune(probe, communes)
        if commune is None and len(communes) > 1:
            return render(
                request,
                "households/_classification_preview.html",
                {"preview": {"errors": [("", _("Choose the commune first."))]}},
            )
    review_form = ReviewForm(request.POST, prefix=REVIEW_PREFIX, lenient=True)
    formset = MemberFormSet(request.POST, prefix=MEMBERS_PREFIX)
    preview = _preview(review_form, formset, commune)
    standard = review_form.standard
    context = {
        "preview": preview,
        "standard": standard,
        # The list year picked another standard: send its indicators out of band.
        "swap_indicators": standard is not None
        and request.POST.get("rendered_standard") != standard.code,
        "indicator_groups": _indicator_groups(review_form, preview),
    }
    return render(request, "households/_classification_preview.html", context)


# --- explanation ------------------------------------------------------------------------------


@login_required
def household_explanation(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page explanation of a review's result, for the household and the file."""
    household = get_object_or_404(selectors.household_detail(user=request.user), pk=pk)
    reviews = list(household.reviews.all())  # newest list year first
    year = request.GET.get("year") or (str(reviews[0].list_year) if reviews else "")
    if not year.isdigit():
        raise Http404
    # The periodic review sets the list; a monthly one of the same year only if there is none.
    reviews = sorted(
        (r for r in reviews if r.list_year == int(year)), key=lambda r: r.kind != "periodic"
    )
    if not reviews:
        raise Http404
    review = reviews[0]
    with translation.override("vi"):
        shown = _review_display(review)
        standard = shown["standard"]
        deprived_indicators = (
            [standard.indicator(code) for code in review.computed_reasons.get("deprived", [])]
            if standard
            else []
        )
        return render(
            request,
            "households/household_explanation.html",
            {
                "household": household,
                "review": review,
                "shown": shown,
                "standard": standard,
                "deprived_indicators": deprived_indicators,
                "members_count": sum(1 for m in household.members.all() if m.left_on is None),
                "today": timezone.localdate(),
            },
        )
