"""The live classification of the form as typed (htmx); nothing is saved."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from policies.standards import StandardError, format_vnd
from registry.models import AdminUnit

from ..choices import Classification
from ..evaluation import Evaluation, evaluate
from ..forms import (
    HouseholdForm,
    MemberFormSet,
    ReviewForm,
)
from ..models import Household
from ._common import (
    MEMBERS_PREFIX,
    REVIEW_PREFIX,
    _editable_communes,
    _indicator_name,
    _lang,
    _not_an_officer,
)

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
            # The standard the form offers the indicators of (standard_for_review), as on saving.
            standard_code=review_form.standard.code if review_form.standard else None,
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
            raise PermissionDenied(_not_an_officer())
        probe = HouseholdForm(request.POST, communes=communes)
        commune = _form_commune(probe, communes)
        if commune is None and len(communes) > 1:
            return render(
                request,
                "households/_classification_preview.html",
                {"preview": {"errors": [("", _("Choose the commune first."))]}},
            )
    review_form = ReviewForm(request.POST, prefix=REVIEW_PREFIX, lenient=True, unit=commune)
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
