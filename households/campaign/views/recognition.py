"""The chair's queue, sending a review back, decisions and certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from households.campaign import selectors, services
from households.campaign.forms import (
    DecisionForm,
    ReturnForm,
)
from households.campaign.views._common import (
    _may,
    _pk,
)
from households.campaign.workflow import MOVES
from households.models import (
    Review,
)
from registry.choices import Level, Role
from registry.errors import apply_service_errors, flash_service_errors
from registry.models import AdminUnit
from registry.scoping import scope_for

# --- recognition ------------------------------------------------------------------------------


def _queue_commune(request: HttpRequest, communes: list[dict[str, Any]]) -> AdminUnit | None:
    units = AdminUnit.objects.visible_to(request.user).filter(level=Level.COMMUNE)
    raw = request.GET.get("commune")
    if raw:
        return get_object_or_404(units, pk=_pk(raw))
    chaired = [path for role, path in scope_for(request.user).roles if role == Role.COMMUNE_CHAIR]
    if chaired:
        return units.filter(path__in=chaired).order_by("name").first()
    if communes:
        return units.filter(pk=communes[0]["household__commune"]).first()
    return None


@login_required
def recognition_queue(request: HttpRequest) -> HttpResponse:
    """Step 6: the chair's queue of posted results and the decision recognising them."""
    # The badges and the table come from the same selector, so that they count the same rows.
    communes = selectors.recognition_queue_communes(user=request.user)
    commune = _queue_commune(request, communes)
    if request.method == "POST" and commune is None:
        raise Http404
    queue = list(selectors.recognition_queue(user=request.user, commune=commune)) if commune else []
    can_decide = commune is not None and _may(request.user, Role.COMMUNE_CHAIR, commune)
    form = DecisionForm(request.POST or None)
    row_errors: dict[int, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.recognition_decide(
                actor=request.user,
                commune=commune,
                number=data["number"],
                signed_on=data["signed_on"],
                review_ids=data["reviews"],
            )
        except ValidationError as error:
            # A row of the queue carries its own message; rows not shown, the form.
            shown = {"reviews": {r.pk for r in queue}}
            row_errors = apply_service_errors(error, form, row_ids=shown).get("reviews", {})
        else:
            messages.success(
                request,
                _("Decision %(number)s recorded: %(n)d households recognised.")
                % {"number": decision.number, "n": decision.reviews.count()},
            )
            return redirect("households:decision-detail", pk=decision.pk)
    ticked = {int(v) for v in request.POST.getlist("reviews") if v.isdigit()}
    rows = [
        {
            "review": r,
            "errors": row_errors.get(r.pk, []),
            "checked": r.pk in ticked,
            # The chair never recognises a result they recorded themselves (the service refuses).
            "decidable": can_decide and r.reviewer_id != request.user.pk,
        }
        for r in queue
    ]
    decisions = (
        selectors.decision_list(user=request.user)
        .filter(commune=commune)
        .order_by("-signed_on", "-pk")[:10]
        if commune
        else []
    )
    return render(
        request,
        "households/campaign/recognition_queue.html",
        {
            "communes": communes,
            "commune": commune,
            "rows": rows,
            "form": form,
            "can_decide": can_decide,
            # Who may send a review back (households.campaign.workflow, move "return").
            "can_return": commune is not None
            and any(_may(request.user, role, commune) for role in MOVES["return"].roles),
            "decisions": decisions,
        },
    )


@login_required
@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a review back one step with a comment (from the chair's queue)."""
    review = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("household"), pk=pk
    )
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what must be corrected."))
    else:
        try:
            services.review_return(
                actor=request.user, review=review, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(
                request, _("Household %(code)s sent back.") % {"code": review.household.code}
            )
    url = reverse("households:recognition-queue")
    return redirect(f"{url}?commune={review.household.commune_id}")


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decision_list(user=request.user), pk=pk)
    return render(
        request,
        "households/campaign/decision_detail.html",
        {
            "decision": decision,
            "rows": [
                {"review": review, "certificate": certificate}
                for review, certificate in selectors.decision_rows(decision)
            ],
        },
    )


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable certificate of a poor or near-poor household (Giấy chứng nhận)."""
    certificate = get_object_or_404(
        selectors.certificate_list(user=request.user).select_related(
            "household__commune", "household__village", "household__province", "decision__signed_by"
        ),
        pk=pk,
    )
    household = certificate.household
    members = sorted(
        household.members.filter(left_on__isnull=True),
        key=lambda m: (m.relationship != "head", m.pk),
    )
    head = next((m for m in members if m.relationship == "head"), None)
    with translation.override("vi"):
        return render(
            request,
            "households/campaign/certificate.html",
            {
                "certificate": certificate,
                "household": household,
                "members": members,
                "head": head,
                "decision": certificate.decision,
            },
        )
