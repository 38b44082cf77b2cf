"""Monthly requests (Decision 24/2021/QĐ-TTg art. 5): the list and recording one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from households.campaign import selectors, services
from households.campaign.filtersets import RequestFilterSet
from households.campaign.forms import (
    ReviewRequestForm,
)
from households.campaign.views._common import (
    PAGE_SIZE,
    _filtered,
    _pk,
)
from registry.errors import apply_service_errors
from registry.scoping import scope_for

# --- monthly requests -------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    filters = RequestFilterSet(
        request.GET, queryset=selectors.request_list(user=request.user), request=request
    )
    requests, status = _filtered(request, filters)
    overdue_only = bool(filters.is_valid() and filters.form.cleaned_data.get("overdue"))
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = set(
        selectors.overdue_requests(user=request.user)
        .filter(pk__in=[r.pk for r in page])
        .values_list("pk", flat=True)
    )
    scope = scope_for(request.user)
    return render(
        request,
        "households/campaign/request_list.html",
        {
            "page": page,
            "rows": [{"request": r, "overdue": r.pk in overdue} for r in page],
            "overdue_only": overdue_only,
            "overdue_count": selectors.overdue_requests(user=request.user).count(),
            "can_record": bool(scope.edit_paths) or scope.everything,
        },
        status=status,
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    """A household's request (Form 01 / Form 04), listed for the next monthly review."""
    scope = scope_for(request.user)
    if not (scope.edit_paths or scope.everything):
        raise PermissionDenied(
            _("Only a commune officer records the requests of the households of their commune.")
        )
    households = selectors.request_households(user=request.user, query=request.GET.get("q", ""))
    initial: dict[str, Any] = {"requested_on": timezone.localdate(), "monthly": True}
    if request.GET.get("household"):
        initial["household"] = get_object_or_404(households, pk=_pk(request.GET["household"]))
    form = ReviewRequestForm(request.POST or None, households=households, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = services.request_record(
                actor=request.user,
                household=data["household"],
                kind=data["kind"],
                channel=data["channel"],
                form_number=data["form_number"],
                requested_on=data["requested_on"],
                monthly=data["monthly"],
                note=data.get("note", ""),
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            if recorded.deadline:
                messages.success(
                    request,
                    _("The request is recorded: reviewed from %(start)s, decided by %(deadline)s.")
                    % {
                        "start": recorded.cycle_start.strftime("%d/%m/%Y"),
                        "deadline": recorded.deadline.strftime("%d/%m/%Y"),
                    },
                )
            else:
                messages.success(request, _("The request is recorded for the periodic review."))
            return redirect("households:request-list")
    return render(
        request,
        "households/campaign/request_form.html",
        {"form": form, "q": request.GET.get("q", ""), "count": households.count()},
    )
