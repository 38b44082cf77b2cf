"""The household page: members, reviews with their reasons, the timeline; moving out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from households import selectors
from households.campaign import services as campaigns
from households.evaluation import review_explanations
from households.privacy import id_number_for
from policies.standards import Standard, StandardError, format_vnd, get_standard
from policies.support.selectors.disbursements import household_support
from policies.support.selectors.entitlements import household_entitlements
from registry.errors import flash_service_errors
from registry.scoping import scope_for

from ..forms import (
    MoveOutForm,
)
from ..models import Review
from ._common import (
    _indicator_name,
    _lang,
)

# --- detail -----------------------------------------------------------------------------------


def _standard_or_none(code: str) -> Standard | None:
    try:
        return get_standard(code)
    except StandardError:
        return None


def _review_display(review: Review, cache: dict | None = None) -> dict[str, Any]:
    """A stored review with its reasons in the page's language and indicator names. `cache`
    (a dict for the page) reads the overrides once for the reviews whose prose is rendered
    (`review_explanations`)."""
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
    # A review listed for the survey (or a monthly request) has no facts and no result yet.
    has_result = bool(review.computed_classification) and review.computed_line is not None
    explanation_vi, explanation_en = review_explanations(review, cache=cache)
    return {
        "review": review,
        "standard": standard,
        "legal_basis": (standard.legal_basis_vi if _lang() == "vi" else standard.legal_basis_en)
        if standard
        else review.standard_code,
        "has_result": has_result,
        "explanation": (explanation_en if _lang() == "en" else "") or explanation_vi,
        "deprived": [names.get(code, code) for code in reasons.get("deprived", [])],
        "disagreements": disagreements,
        "scored": scored,
        "line": (review.computed_line if scored else format_vnd(review.computed_line, _lang()))
        if has_result
        else None,
        "income": format_vnd(review.income_per_capita, _lang())
        if review.income_per_capita is not None
        else None,
    }


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(selectors.household_detail(user=request.user), pk=pk)
    members = list(household.members.all())
    for m in members:  # in full only to the officers and chair of its commune
        m.shown_id_number = id_number_for(request.user, m)
    reviews = list(household.reviews.all())
    cache: dict = {}  # the overrides, read once for the reviews whose prose is rendered
    year = selectors.current_list_year()
    statuses = list(household.years.all())  # newest list year first
    status = selectors.household_status(household, year)
    # Beside this year's status: next year's list once recognised, or the last list it was on.
    other = next((s for s in statuses if s.list_year > year), None) or (
        None if status else next((s for s in statuses if s.list_year < year), None)
    )
    # The segments of a shown year, when a later recognition split it.
    periods = [p for p in selectors.status_periods(household) if p.took_effect]
    segments = []
    for shown in sorted((s for s in (status, other) if s is not None), key=lambda s: s.list_year):
        of_year = [p for p in periods if p.list_year == shown.list_year]
        if len(of_year) > 1:
            segments.append((shown.list_year, of_year))
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "current_members": [m for m in members if m.left_on is None],
            "former_members": [m for m in members if m.left_on is not None],
            "reviews": [_review_display(r, cache) for r in reviews],
            "status": status,
            "other_status": other,
            "year": year,
            "segments": segments,
            "today": timezone.localdate(),
            "timeline": selectors.household_timeline(household),
            "can_edit": scope_for(request.user).can_edit(household.unit_path),
            "support_received": household_support(household),
            "entitlements": household_entitlements(household),
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
            flash_service_errors(request, error)
        else:
            messages.success(request, _("The household is recorded as moved out."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("households:household-detail", pk=household.pk)
