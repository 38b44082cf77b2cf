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
