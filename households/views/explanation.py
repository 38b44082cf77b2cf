"""The printable one-page explanation of a household's classification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation

from .. import selectors
from .detail import _review_display

# --- explanation ------------------------------------------------------------------------------


@login_required
def household_explanation(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page explanation of a review's result, for the household and the file."""
    household = get_object_or_404(selectors.household_detail(user=request.user), pk=pk)
    reviews = list(household.reviews.all())  # newest list year first
    in_force = selectors.status_in_force(household)
    default = in_force.list_year if in_force else (reviews[0].list_year if reviews else "")
    year = request.GET.get("year") or str(default)
    if not year.isdigit() or len(year) > 4:
        raise Http404
    # One review asked for (a year may have several monthly ones); else the review behind the
    # status in force for the year; else the newest of that year (proposed, not recognised).
    wanted = request.GET.get("review", "")
    if wanted and not (wanted.isdigit() and len(wanted) < 19):
        raise Http404
    status = selectors.household_status(household, int(year))
    of_year = [r for r in reviews if r.list_year == int(year) or str(r.pk) == wanted]
    if wanted:
        review = next((r for r in of_year if str(r.pk) == wanted), None)
        status = selectors.household_status(household, review.list_year) if review else None
    else:
        review = next((r for r in of_year if status and r.pk == status.review_id), None)
        review = review or next(iter(of_year), None)
    if review is None:
        raise Http404
    if status is not None and status.review_id != review.pk:
        status = None  # this review is not (or no longer) the one in force
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
                "status": status,
                "members_count": status.persons
                if status
                else sum(1 for m in household.members.all() if m.left_on is None),
                "today": timezone.localdate(),
            },
        )
