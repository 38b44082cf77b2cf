"""Pages: disbursements (the list, recording one, reversing one) and batch runs for a commune."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from households.campaign.selectors import request_households
from households.campaign.views._common import PAGE_SIZE, _filtered, _pk
from households.models import Member
from registry.choices import Level
from registry.errors import apply_service_errors
from registry.limits import MAX_BIGINT
from registry.models import AdminUnit
from registry.scoping import scope_for

from .. import catalogue, rules
from ..choices import AmountRule, PeriodKind
from ..filtersets.disbursements import BatchFilterSet, DisbursementFilterSet
from ..forms.disbursements import BatchForm, DisbursementForm, ReverseForm
from ..models import Programme
from ..selectors.disbursements import batch_list, disbursement_list
from ..services import disbursements as service

STYLES = "households/campaign/_styles.html"


def _may_record(user) -> bool:
    scope = scope_for(user)
    return scope.everything or bool(scope.edit_paths)


def _require_recorder(user) -> None:
    if not _may_record(user):
        raise PermissionDenied(
            _("Only a commune officer records the support of the commune's households.")
        )


# --- the list ------------------------------------------------------------------------------------


@login_required
def disbursement_list_view(request: HttpRequest) -> HttpResponse:
    filters = DisbursementFilterSet(
        request.GET, queryset=disbursement_list(user=request.user), request=request
    )
    rows, status = _filtered(request, filters)
    page = Paginator(rows.order_by("-paid_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/disbursements_list.html",
        {"page": page, "filters": filters, "can_record": _may_record(request.user)},
        status=status,
    )


# --- recording one -----------------------------------------------------------------------------


def explain(programme: Programme, day: dt.date) -> dict[str, Any]:
    """What a payment of the programme needs, for the form to say before it is filled in."""
    who = [
        label
        for on, label in (
            (programme.for_poor, _("poor households")),
            (programme.for_near_poor, _("near-poor households")),
            (
                programme.escaped_within_years,
                _("households that escaped poverty within %(n)s years")
                % {"n": programme.escaped_within_years},
            ),
        )
        if on
    ]
    person = []
    if programme.per_person:
        if programme.min_age is not None or programme.max_age is not None:
            person.append(_("ages %(ages)s") % {"ages": service.ages_label(programme)})
        if programme.in_school_only:
            person.append(_("in school or training"))
        if programme.ethnic_minority_only:
            person.append(_("of an ethnic minority"))
    parameters = service.parameters_on(programme, day)
    amount = None
    if programme.amount_rule not in (AmountRule.ENTERED, AmountRule.NONE):
        try:
            amount = rules.amount(
                programme.amount_rule, parameters=parameters, period_kind=programme.period_kind
            )
        except rules.AmountError:
            amount = None
    period_example = (
        rules.period_key(programme.period_kind, day)
        if programme.period_kind in service.PERIODIC
        else ""
    )
    return {
        "programme": programme,
        "who": who,
        "person": person,
        "per_person": programme.per_person,
        "period_kind": programme.get_period_kind_display(),
        "period_example": period_example,
        "needs_reference": programme.period_kind == PeriodKind.EACH,
        "entered": programme.amount_rule == AmountRule.ENTERED,
        "in_kind": programme.amount_rule == AmountRule.NONE,
        "amount": amount,
        "max_amount": parameters.get("max_amount"),
        "variants": [service.variant_label(v) for v in catalogue.programme_variants(programme)],
        "priority": programme.uses_priority_list,
        "capped": programme.capped,
    }


@login_required
def disbursement_create(request: HttpRequest) -> HttpResponse:
    """One payment: choose the programme and the household first, and the page says what else
    the payment needs."""
    _require_recorder(request.user)
    programmes = Programme.objects.available_to(request.user).prefetch_related("parameters")
    query = request.GET.get("q", "")
    households = request_households(user=request.user, query=query)
    source = request.POST if request.method == "POST" else request.GET
    programme = _chosen(programmes, source.get("programme"))
    household = _chosen(households, source.get("household"))
    members = (
        Member.objects.filter(household=household, left_on__isnull=True).order_by("pk")
        if household is not None
        else Member.objects.none()
    )
    variants = (
        [(v, service.variant_label(v)) for v in catalogue.programme_variants(programme)]
        if programme
        else []
    )
    sources = list(programme.funding_sources) if programme else []
    initial: dict[str, Any] = {"paid_on": timezone.localdate(), "quantity": 1}
    if programme:
        initial["programme"] = programme
    if household:
        initial["household"] = household
    form = DisbursementForm(
        request.POST or None,
        programmes=programmes,
        households=households,
        members=members,
        variants=variants,
        sources=sources,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = service.disbursement_record(
                actor=request.user,
                programme=data["programme"],
                household=data["household"],
                member=data.get("member"),
                paid_on=data["paid_on"],
                period=data.get("period") or None,
                variant=data.get("variant") or "",
                quantity=data["quantity"],
                amount=data.get("amount"),
                funding_source=data.get("funding_source") or None,
                reference=data.get("reference") or "",
                note=data.get("note") or "",
                out_of_order_reason=data.get("out_of_order_reason") or "",
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(
                request,
                _("The payment is recorded: %(household)s, period %(period)s.")
                % {"household": recorded.household.code, "period": recorded.period},
            )
            return redirect("households:household-detail", recorded.household_id)
    return render(
        request,
        "support/disbursements_form.html",
        {
            "form": form,
            "q": query,
            "count": households.count(),
            "programmes": programmes,
            "programme": programme,
            "household": household,
            "needs": explain(programme, timezone.localdate()) if programme else None,
        },
    )


def _chosen(queryset, raw):
    if not raw:
        return None
    try:
        return queryset.filter(pk=int(raw)).first()
    except (TypeError, ValueError):
        return None


# --- reversing one -------------------------------------------------------------------------------


@login_required
def disbursement_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(disbursement_list(user=request.user), pk=_pk(pk))
    _require_recorder(request.user)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.disbursement_reverse(
                actor=request.user, disbursement=payment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The payment is reversed by a counter-entry."))
            return redirect("households:household-detail", payment.household_id)
    return render(request, "support/disbursements_reverse.html", {"form": form, "payment": payment})


# --- batches --------------------------------------------------------------------------------------


@login_required
def batch_list_view(request: HttpRequest) -> HttpResponse:
    filters = BatchFilterSet(request.GET, queryset=batch_list(user=request.user), request=request)
    rows, status = _filtered(request, filters)
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "support/disbursements_batch_list.html",
        {"page": page, "can_record": _may_record(request.user)},
        status=status,
    )


@login_required
def batch_create(request: HttpRequest) -> HttpResponse:
    """Pay a period to every eligible household of a commune, and see what was paid and why
    the others were skipped."""
    _require_recorder(request.user)
    scope = scope_for(request.user)
    communes = AdminUnit.objects.filter(level=Level.COMMUNE).filter(scope.edit_q("path"))
    programmes = Programme.objects.available_to(request.user).filter(uses_priority_list=False)
    programmes = programmes.exclude(amount_rule=AmountRule.ENTERED)
    initial: dict[str, Any] = {"paid_on": timezone.localdate()}
    # Opened from the entitlements due: the programme and period to pay.
    chosen = request.GET.get("programme", "")
    if chosen.isdigit() and int(chosen) <= MAX_BIGINT:
        initial["programme"] = programmes.filter(pk=int(chosen)).first()
    if request.GET.get("period"):
        initial["period"] = request.GET["period"].strip()[:24]
    own = list(communes[:2])
    if len(own) == 1:
        initial["commune"] = own[0]
    form = BatchForm(
        request.POST or None, programmes=programmes, communes=communes, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = service.disbursement_batch_run(
                actor=request.user,
                programme=data["programme"],
                commune=data["commune"],
                period=data["period"],
                paid_on=data["paid_on"],
                funding_source=data.get("funding_source") or None,
                submission_key=data.get("submission_key"),
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            return redirect("support:disbursement-batch-detail", batch.pk)
    return render(request, "support/disbursements_batch_form.html", {"form": form})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(batch_list(user=request.user), pk=_pk(pk))
    skipped = batch.skipped or {}
    return render(
        request,
        "support/disbursements_batch_detail.html",
        {
            "batch": batch,
            "reasons": [
                {"code": code, "label": service.reason_label(code), "count": n}
                for code, n in sorted(
                    (skipped.get("by_reason") or {}).items(), key=lambda item: -item[1]
                )
            ],
            "first": [
                {**row, "label": service.reason_label(row.get("reason", ""))}
                for row in skipped.get("first") or []
            ],
        },
    )


urlpatterns: list = [
    path("disbursements/", disbursement_list_view, name="disbursement-list"),
    path("disbursements/new/", disbursement_create, name="disbursement-create"),
    path("disbursements/<int:pk>/reverse/", disbursement_reverse, name="disbursement-reverse"),
    path("batches/", batch_list_view, name="disbursement-batch-list"),
    path("batches/new/", batch_create, name="disbursement-batch-create"),
    path("batches/<int:pk>/", batch_detail, name="disbursement-batch-detail"),
]
