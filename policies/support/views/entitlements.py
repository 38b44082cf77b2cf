"""Pages: entitlements. What starts, ends or falls due in a month in the user's communes, and
the full list with its filters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.scoping import scope_for

from ..filtersets.entitlements import EntitlementFilterSet
from ..selectors.entitlements import entitlement_list, entitlements_due, parse_month

PAGE_SIZE = 50


@login_required
def entitlement_due(request: HttpRequest) -> HttpResponse:
    """The month's entitlements to act on: cards to issue and to stop, loan windows closing,
    periodic support not paid yet (default this month)."""
    today = timezone.localdate()
    status = 200
    raw = request.GET.get("month")
    month = today.replace(day=1)
    if raw:
        try:
            month = parse_month(raw)
        except ValueError:
            messages.error(
                request,
                _("“%(month)s” is not a month: choose one as YYYY-MM, e.g. %(example)s.")
                % {"month": raw[:20], "example": f"{today:%Y-%m}"},
            )
            status = 400
    due = entitlements_due(user=request.user, month=month)
    return render(
        request,
        "support/entitlements_due.html",
        {
            "due": due,
            "month": month,
            "previous": _shift(month, -1),
            "next": _shift(month, 1),
            # Officers pay what is due from here, a batch for each programme and period.
            "can_pay": bool(scope_for(request.user).edit_paths),
        },
        status=status,
    )


def _shift(month, months: int):
    index = month.year * 12 + month.month - 1 + months
    return month.replace(year=index // 12, month=index % 12 + 1)


@login_required
def entitlement_list_page(request: HttpRequest) -> HttpResponse:
    filters = EntitlementFilterSet(
        request.GET, queryset=entitlement_list(user=request.user), request=request
    )
    status = 200
    if filters.is_valid():
        rows = filters.qs
    else:
        for name, errors in filters.errors.items():
            field = filters.form.fields.get(name)
            messages.error(request, f"{field.label if field else name}: {' '.join(errors)}")
        rows, status = filters.queryset.none(), 400
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/entitlements_list.html",
        {"filter": filters, "page": page},
        status=status,
    )


urlpatterns = [
    path("entitlements/", entitlement_list_page, name="entitlement-list"),
    path("entitlements/due/", entitlement_due, name="entitlement-due"),
]
