"""Pages of the priority lists: the lists of the user's area, opening one, a list with its
ordered households (moved up and down, withdrawn, their reasons edited, without JavaScript),
proposing a household, the village meeting that adopts the list, and the chair's reopening.

Thin: a selector reads, a service writes and its errors go back beside the fields
(registry.errors). Chairs, district and province staff read; the chair also reopens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from households.campaign.selectors import request_households
from registry.choices import Level, Role
from registry.errors import apply_service_errors, flash_service_errors
from registry.limits import pk_or_404
from registry.models import AdminUnit
from registry.scoping import scope_for

from ..choices import PriorityListStatus
from ..filtersets.priority import PriorityListFilterSet
from ..forms.priority import (
    MoveForm,
    PriorityDecideForm,
    PriorityEntryForm,
    PriorityListForm,
    ReasonForm,
)
from ..models import PriorityList, Programme
from ..selectors.priority import priority_entry_list, priority_list_detail, priority_list_list
from ..services import priority as services

PAGE_SIZE = 25


def _may(user, role: str, unit: AdminUnit) -> bool:
    """Whether to offer a button: the service checks again and answers 403."""
    scope = scope_for(user)
    return scope.may_act_as(role, unit.path)


def _programmes(user):
    return Programme.objects.available_to(user).filter(uses_priority_list=True)


def _officer_communes(user):
    scope = scope_for(user)
    communes = AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True)
    if scope.everything:
        return communes.order_by("name")
    paths = [p for r, p in scope.roles if r == Role.COMMUNE_OFFICER]
    return communes.filter(path__in=paths).order_by("name")


def _list_of(request: HttpRequest, pk: int) -> PriorityList:
    return get_object_or_404(priority_list_list(user=request.user), pk=pk)


def _detail_url(priority_list_id: int) -> str:
    return reverse("support:priority-list-detail", args=[priority_list_id])


@login_required
def priority_list_index(request: HttpRequest) -> HttpResponse:
    filters = PriorityListFilterSet(
        request.GET, queryset=priority_list_list(user=request.user), request=request
    )
    if filters.is_valid():
        rows, status = filters.qs, 200
    else:
        for name, errors in filters.errors.items():
            field = filters.form.fields.get(name)
            messages.error(request, f"{field.label if field else name}: {' '.join(errors)}")
        rows, status = filters.queryset.none(), 400
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/priority_list.html",
        {
            "page": page,
            "programmes": _programmes(request.user),
            "statuses": PriorityListStatus.choices,
            "selected": filters.form.cleaned_data if filters.is_valid() else {},
            # The same communes the create page offers (an officer of a commune abolished on
            # 1 July 2025 opens no new list).
            "can_create": _officer_communes(request.user).exists(),
        },
        status=status,
    )


@login_required
def priority_list_create(request: HttpRequest) -> HttpResponse:
    communes = _officer_communes(request.user)
    if not communes.exists():
        raise PermissionDenied(_("Only a commune officer opens the priority lists of a commune."))
    form = PriorityListForm(
        request.POST or None, programmes=_programmes(request.user), communes=communes
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.priority_list_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The priority list is open: propose its households."))
            return redirect(_detail_url(created.pk))
    return render(request, "support/priority_form.html", {"form": form})


@login_required
def priority_list_page(request: HttpRequest, pk: int) -> HttpResponse:
    priority_list = priority_list_detail(user=request.user, pk=pk)
    draft = priority_list.status == PriorityListStatus.DRAFT
    may_edit = _may(request.user, Role.COMMUNE_OFFICER, priority_list.commune)
    proposed = [e for e in priority_list.entry_rows if not e.withdrawn]
    return render(
        request,
        "support/priority_detail.html",
        {
            "priority_list": priority_list,
            "proposed": proposed,
            "withdrawn": [e for e in priority_list.entry_rows if e.withdrawn],
            "last_rank": len(proposed),
            "can_edit": draft and may_edit,
            "can_reopen": not draft
            and _may(request.user, Role.COMMUNE_CHAIR, priority_list.commune),
        },
    )


@login_required
def priority_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    priority_list = _list_of(request, pk)
    if not _may(request.user, Role.COMMUNE_OFFICER, priority_list.commune):
        raise PermissionDenied(_("Only a commune officer proposes households for the list."))
    query = request.GET.get("q", "")
    households = (
        request_households(user=request.user, query=query)
        .filter(commune_id=priority_list.commune_id)
        .exclude(pk__in=priority_list.entries.values("household_id"))
    )
    initial = {}
    if request.GET.get("household"):
        initial["household"] = get_object_or_404(households, pk=pk_or_404(request.GET["household"]))
    form = PriorityEntryForm(request.POST or None, households=households, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.priority_entry_add(
                actor=request.user, priority_list=priority_list, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(
                request,
                _("Household %(code)s is proposed at place %(rank)d.")
                % {"code": entry.household.code, "rank": entry.rank},
            )
            return redirect(_detail_url(priority_list.pk))
    return render(
        request,
        "support/priority_add.html",
        {
            "priority_list": priority_list,
            "form": form,
            "q": query,
            "count": households.count(),
        },
    )


@login_required
def priority_list_decide(request: HttpRequest, pk: int) -> HttpResponse:
    priority_list = _list_of(request, pk)
    if not _may(request.user, Role.COMMUNE_OFFICER, priority_list.commune):
        raise PermissionDenied(_("Only a commune officer records the village meeting."))
    form = PriorityDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_list_decide(
                actor=request.user, priority_list=priority_list, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The priority list is adopted and locked."))
            return redirect(_detail_url(priority_list.pk))
    return render(
        request, "support/priority_decide.html", {"priority_list": priority_list, "form": form}
    )


@login_required
@require_POST
def priority_list_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    priority_list = _list_of(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the list is reopened."))
    else:
        try:
            services.priority_list_reopen(
                actor=request.user, priority_list=priority_list, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("The priority list is reopened."))
    return redirect(_detail_url(priority_list.pk))


def _entry_action(request: HttpRequest, pk: int, form_class, act, done: str) -> HttpResponse:
    entry = get_object_or_404(priority_entry_list(user=request.user), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            act(entry, form.cleaned_data)
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, done % {"code": entry.household.code})
    return redirect(f"{_detail_url(entry.priority_list_id)}#entry-{entry.pk}")


@login_required
@require_POST
def priority_entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_action(
        request,
        pk,
        MoveForm,
        lambda entry, data: services.priority_entry_move(
            actor=request.user, entry=entry, rank=data["rank"]
        ),
        _("Household %(code)s moved."),
    )


@login_required
@require_POST
def priority_entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_action(
        request,
        pk,
        ReasonForm,
        lambda entry, data: services.priority_entry_withdraw(
            actor=request.user, entry=entry, reason=data["reason"]
        ),
        _("Household %(code)s withdrawn from the list."),
    )


@login_required
@require_POST
def priority_entry_reason(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_action(
        request,
        pk,
        ReasonForm,
        lambda entry, data: services.priority_entry_update_reason(
            actor=request.user, entry=entry, reason=data["reason"]
        ),
        _("The reason for the place of household %(code)s is saved."),
    )


urlpatterns: list = [
    path("priority-lists/", priority_list_index, name="priority-list-list"),
    path("priority-lists/new/", priority_list_create, name="priority-list-create"),
    path("priority-lists/<int:pk>/", priority_list_page, name="priority-list-detail"),
    path("priority-lists/<int:pk>/add/", priority_entry_add, name="priority-entry-add"),
    path("priority-lists/<int:pk>/decide/", priority_list_decide, name="priority-list-decide"),
    path("priority-lists/<int:pk>/reopen/", priority_list_reopen, name="priority-list-reopen"),
    path("priority-entries/<int:pk>/move/", priority_entry_move, name="priority-entry-move"),
    path(
        "priority-entries/<int:pk>/withdraw/",
        priority_entry_withdraw,
        name="priority-entry-withdraw",
    ),
    path("priority-entries/<int:pk>/reason/", priority_entry_reason, name="priority-entry-reason"),
]
