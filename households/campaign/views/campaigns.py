"""Campaign pages: the list, opening one, progress per level, listing, closing, reopening."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from households.campaign import selectors, services
from households.campaign.forms import (
    CampaignExtendForm,
    CampaignForm,
)
from households.campaign.views._common import (
    CLOSING_ROLE,
    _campaign,
    _may,
    _page_unit,
    _pk,
    _unit,
    _villages,
)
from households.models import (
    Campaign,
)
from registry.choices import Level, Role
from registry.errors import apply_service_errors, flash_service_errors
from registry.scoping import scope_for

# --- campaigns --------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.campaign_list(user=request.user))
    today = timezone.localdate()
    rows = [
        {
            "campaign": c,
            "days_left": selectors.days_left(c, today),
            "running": c.opens_on <= today <= c.closes_on,
        }
        for c in campaigns
    ]
    return render(
        request,
        "households/campaign/campaign_list.html",
        {"rows": rows, "can_open": selectors.provinces_to_open(user=request.user).exists()},
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    provinces = selectors.provinces_to_open(user=request.user)
    if not provinces.exists():
        raise PermissionDenied(_("Only province staff open the review campaign of their province."))
    form = CampaignForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_open(
                actor=request.user,
                province=data["province"],
                list_year=data["list_year"],
                opens_on=data.get("opens_on"),
                closes_on=data.get("closes_on"),
                standard_code=data.get("standard_code") or "",
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(
                request,
                _("The review for the %(year)d list is open.") % {"year": campaign.list_year},
            )
            return redirect("households:campaign-detail", pk=campaign.pk)
    return render(request, "households/campaign/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of every commune under a unit, with the actions of the user's role there."""
    campaign = _campaign(request, pk)
    unit = _page_unit(request, campaign)
    rows = selectors.campaign_progress(user=request.user, campaign=campaign, unit=unit)
    area = unit or campaign.province
    closures = selectors.list_closures(user=request.user, campaign=campaign, under=area)
    totals = selectors.progress_totals(rows)
    districts = (
        selectors.progress_by_district(rows, province=unit)
        if unit is not None and unit.level == Level.PROVINCE and rows
        else []
    )
    is_commune = unit is not None and unit.level == Level.COMMUNE
    scope = scope_for(request.user)
    # Which communes the table lists: all, those that have started (households listed), or
    # those that have not, so that a province sees at once where the review lags.
    show = request.GET.get("show", "all")
    if show not in ("all", "started", "not_started"):
        show = "all"
    context = {
        "campaign": campaign,
        "unit": unit,
        "ancestors": [
            a
            for a in (unit.ancestors() if unit else [])
            if a.path.startswith(campaign.unit_path) and scope.can_view(a.path)
        ],
        "rows": [
            {"p": row, "closure": closures.get(row.commune.pk)}
            for row in rows
            if show == "all" or (row.listed > 0) == (show == "started")
        ],
        "show": show,
        "totals": totals,
        "districts": districts,
        "closures": closures,
        "unit_closure": closures.get(unit.pk) if unit else None,
        "days_left": selectors.days_left(campaign),
        "overdue": selectors.overdue_requests(user=request.user, under=area).count(),
        "is_commune": is_commune,
        "villages": _villages(request, unit) if is_commune else [],
        "can_list": is_commune and _may(request.user, Role.COMMUNE_OFFICER, unit),
        "can_close": unit is not None
        and unit.level in CLOSING_ROLE
        and _may(request.user, CLOSING_ROLE[unit.level], unit),
        "can_reopen": scope.everything
        or any(r in (Role.DISTRICT_STAFF, Role.PROVINCE_STAFF) for r, _p in scope.roles),
        "extensions": list(selectors.campaign_extensions(user=request.user, campaign=campaign)),
        "can_extend": _may(request.user, Role.PROVINCE_STAFF, campaign.province),
        "three_level": services.three_level(campaign),
        "consultations": list(
            selectors.consultation_list(user=request.user).filter(campaign=campaign, commune=unit)
        )
        if is_commune and services.three_level(campaign)
        else [],
    }
    return render(request, "households/campaign/campaign_detail.html", context)


@login_required
def campaign_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """The province extends its review past the closing date (recorded, with the reason)."""
    campaign = _campaign(request, pk)
    if not _may(request.user, Role.PROVINCE_STAFF, campaign.province):
        raise PermissionDenied
    form = CampaignExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extension = services.campaign_extend(
                actor=request.user,
                campaign=campaign,
                closes_on=data["closes_on"],
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(
                request,
                _("The review is extended until %(date)s.")
                % {"date": extension.closes_on.strftime("%d/%m/%Y")},
            )
            return redirect("households:campaign-detail", pk=campaign.pk)
    opens, closes = services.statutory_window(campaign.list_year)
    return render(
        request,
        "households/campaign/campaign_extend.html",
        {
            "campaign": campaign,
            "form": form,
            "statutory_opens": opens,
            "statutory_closes": closes,
            "extensions": list(selectors.campaign_extensions(user=request.user, campaign=campaign)),
        },
    )


def _back_to(campaign: Campaign, request: HttpRequest) -> HttpResponse:
    url = reverse("households:campaign-detail", args=[campaign.pk])
    back = request.POST.get("back")
    return redirect(f"{url}?unit={_pk(back)}" if back else url)


@login_required
@require_POST
def campaign_list_households(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    commune = _unit(request, campaign, request.POST.get("unit"), level=Level.COMMUNE)
    try:
        n = services.campaign_list_households(
            actor=request.user, campaign=campaign, commune=commune
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("%(n)d households listed for review.") % {"n": n})
    return _back_to(campaign, request)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    unit = _unit(request, campaign, request.POST.get("unit"))
    try:
        services.list_close(actor=request.user, campaign=campaign, unit=unit)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("The list of %(unit)s is closed.") % {"unit": unit.name})
    return _back_to(campaign, request)


@login_required
@require_POST
def campaign_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    commune = _unit(request, campaign, request.POST.get("unit"), level=Level.COMMUNE)
    try:
        services.list_reopen(
            actor=request.user,
            campaign=campaign,
            commune=commune,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("The list of %(unit)s is reopened.") % {"unit": commune.name})
    return _back_to(campaign, request)
