"""HTML pages of the review campaign (Decision 24/2021/QĐ-TTg): campaigns and their progress,
village meetings, public posting, objections, the chair's recognition, certificates and the
monthly requests.

Reads go through the campaign selectors or `visible_to(user)` (an object outside the user's area
answers 404); writes go through households.campaigns, whose ValidationError is shown beside the
fields and whose PermissionDenied answers 403. These views only translate between the two.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.choices import Level, Role
from registry.models import AdminUnit
from registry.scoping import scope_for
from registry.text import search_key

from . import campaign_selectors as selectors
from . import campaigns as services
from .campaign_forms import (
    CampaignForm,
    DecisionForm,
    MeetingForm,
    ObjectionForm,
    ObjectionResolveForm,
    PostingForm,
    ReturnForm,
    ReviewRequestForm,
    apply_service_errors,
)
from .choices import ObjectionOutcome
from .choices import ReviewStatus as S
from .models import (
    Campaign,
    Household,
    ListClosure,
    RecognitionDecision,
    Review,
    VillageMeeting,
)

PAGE_SIZE = 25
# The role that closes a unit's list, by level (households.campaigns.list_close).
CLOSING_ROLE = {
    Level.COMMUNE: Role.COMMUNE_CHAIR,
    Level.DISTRICT: Role.DISTRICT_STAFF,
    Level.PROVINCE: Role.PROVINCE_STAFF,
}


def _may(user, role: str, unit: AdminUnit) -> bool:
    """Whether to offer a button: the service checks again and answers 403."""
    scope = scope_for(user)
    return scope.everything or scope.has_role(role, unit.path)


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _pk(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404 from None


# --- looking things up within the user's area ------------------------------------------------


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)


def _unit(
    request: HttpRequest, campaign: Campaign, raw: Any, *, level: str | None = None
) -> AdminUnit:
    """A unit of the campaign's province that the user may see, or 404."""
    units = AdminUnit.objects.visible_to(request.user).filter(
        path__startswith=campaign.unit_path, valid_to=campaign.province.valid_to
    )
    if level:
        units = units.filter(level=level)
    return get_object_or_404(units, pk=_pk(raw))


def _own_units(request: HttpRequest, campaign: Campaign) -> list[AdminUnit]:
    """The units the user is assigned to within the campaign's province, top-most first."""
    scope = scope_for(request.user)
    return list(
        AdminUnit.objects.filter(path__in=scope.view_paths, path__startswith=campaign.unit_path)
        .exclude(level=Level.VILLAGE)
        .order_by("depth", "name")
    )


def _page_unit(request: HttpRequest, campaign: Campaign) -> AdminUnit | None:
    """The unit a campaign page is about: ?unit=, else the province, else the user's own unit;
    None when the user works in several units of the province (the page shows them all)."""
    if request.GET.get("unit"):
        unit = _unit(request, campaign, request.GET["unit"])
        if unit.level == Level.VILLAGE:
            raise Http404
        return unit
    if scope_for(request.user).can_view(campaign.unit_path):
        return campaign.province
    own = _own_units(request, campaign)
    return own[0] if len(own) == 1 else None


def _commune_param(request: HttpRequest, campaign: Campaign, params) -> AdminUnit:
    if params.get("commune"):
        return _unit(request, campaign, params["commune"], level=Level.COMMUNE)
    own = [u for u in _own_units(request, campaign) if u.level == Level.COMMUNE]
    if len(own) != 1:
        raise Http404
    return own[0]


def _village_param(request: HttpRequest, commune: AdminUnit, params) -> AdminUnit | None:
    if not params.get("village"):
        return None
    return get_object_or_404(
        AdminUnit.objects.visible_to(request.user).filter(parent=commune, level=Level.VILLAGE),
        pk=_pk(params["village"]),
    )


def _villages(request: HttpRequest, commune: AdminUnit) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.visible_to(request.user)
        .filter(parent=commune, level=Level.VILLAGE, valid_to__isnull=True)
        .order_by("name")
    )


def _place_query(commune: AdminUnit, village: AdminUnit | None) -> str:
    query = f"?commune={commune.pk}"
    return query + (f"&village={village.pk}" if village else "")


# --- campaigns --------------------------------------------------------------------------------


def _provinces_to_open(request: HttpRequest):
    scope = scope_for(request.user)
    provinces = AdminUnit.objects.visible_to(request.user).filter(level=Level.PROVINCE)
    if not scope.everything:
        paths = [path for role, path in scope.roles if role == Role.PROVINCE_STAFF]
        provinces = provinces.filter(path__in=paths)
    return provinces.order_by("valid_to", "name")


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
        {"rows": rows, "can_open": _provinces_to_open(request).exists()},
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    provinces = _provinces_to_open(request)
    if not provinces.exists():
        raise PermissionDenied
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
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The review for the %(year)d list is open.") % {"year": campaign.list_year},
            )
            return redirect("households:campaign-detail", pk=campaign.pk)
    return render(request, "households/campaign/campaign_form.html", {"form": form})


def _sum_rows(rows) -> dict[str, int]:
    keys = ("listed", "surveyed", "discussed", "posted", "recognised")
    totals = {key: sum(getattr(r, key) for r in rows) for key in keys}
    totals["closed"] = sum(1 for r in rows if r.closed)
    totals["communes"] = len(rows)
    return totals


def _district_rows(rows, unit: AdminUnit) -> list[dict[str, Any]]:
    """Communes grouped by the district they belong to (legacy scheme), with sums."""
    by_district: dict[int, list] = defaultdict(list)
    for row in rows:
        by_district[row.commune.parent_id].append(row)
    districts = AdminUnit.objects.filter(pk__in=by_district, parent=unit).order_by("name")
    return [{"unit": d, **_sum_rows(by_district[d.pk])} for d in districts]


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of every commune under a unit, with the actions of the user's role there."""
    campaign = _campaign(request, pk)
    unit = _page_unit(request, campaign)
    rows = selectors.campaign_progress(user=request.user, campaign=campaign, unit=unit)
    area_path = (unit or campaign.province).path
    closures = {
        c.unit_id: c
        for c in ListClosure.objects.visible_to(request.user).filter(
            campaign=campaign, unit_path__startswith=area_path
        )
    }
    districts = (
        _district_rows(rows, unit)
        if unit is not None and unit.level == Level.PROVINCE and rows
        else []
    )
    is_commune = unit is not None and unit.level == Level.COMMUNE
    scope = scope_for(request.user)
    context = {
        "campaign": campaign,
        "unit": unit,
        "ancestors": [
            a
            for a in (unit.ancestors() if unit else [])
            if a.path.startswith(campaign.unit_path) and scope.can_view(a.path)
        ],
        "rows": [{"p": row, "closure": closures.get(row.commune.pk)} for row in rows],
        "totals": _sum_rows(rows),
        "districts": districts,
        "closures": closures,
        "unit_closure": closures.get(unit.pk) if unit else None,
        "days_left": selectors.days_left(campaign),
        "overdue": selectors.overdue_requests(user=request.user)
        .filter(household__unit_path__startswith=area_path)
        .count(),
        "is_commune": is_commune,
        "villages": _villages(request, unit) if is_commune else [],
        "can_list": is_commune and _may(request.user, Role.COMMUNE_OFFICER, unit),
        "can_close": unit is not None
        and unit.level in CLOSING_ROLE
        and _may(request.user, CLOSING_ROLE[unit.level], unit),
        "can_reopen": scope.everything
        or any(r in (Role.DISTRICT_STAFF, Role.PROVINCE_STAFF) for r, _p in scope.roles),
    }
    return render(request, "households/campaign/campaign_detail.html", context)


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
        _error_messages(request, error)
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
        _error_messages(request, error)
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
        _error_messages(request, error)
    else:
        messages.success(request, _("The list of %(unit)s is reopened.") % {"unit": commune.name})
    return _back_to(campaign, request)


# --- village meeting --------------------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the village meeting, one row per surveyed household of the village."""
    campaign = _campaign(request, pk)
    commune = _commune_param(request, campaign, request.GET)
    village = _village_param(request, commune, request.GET)
    reviews = (
        Review.objects.visible_to(request.user)
        .filter(campaign=campaign, status=S.SURVEYED, household__commune=commune)
        .select_related("household__village")
        .order_by("household__village__name", "household__code")
    )
    if village is not None:
        reviews = reviews.filter(household__village=village)
    form = MeetingForm(request.POST or None, reviews=list(reviews))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_record(
                actor=request.user,
                commune=commune,
                village=village,
                held_on=data["held_on"],
                attendees=data["attendees"],
                chaired_by=data["chaired_by"],
                votes=form.votes(),
                notes=data.get("notes", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The village meeting is recorded."))
            return redirect("households:meeting-detail", pk=campaign.pk, meeting_pk=meeting.pk)
    return render(
        request,
        "households/campaign/meeting_form.html",
        {
            "campaign": campaign,
            "commune": commune,
            "village": village,
            "villages": _villages(request, commune),
            "form": form,
        },
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    meeting = get_object_or_404(
        VillageMeeting.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("commune", "village", "recorded_by"),
        pk=meeting_pk,
    )
    votes = list(
        meeting.votes.select_related("review__household").order_by("review__household__code")
    )
    return render(
        request,
        "households/campaign/meeting_detail.html",
        {
            "campaign": campaign,
            "meeting": meeting,
            "passed": [v for v in votes if v.passed],
            "sent_back": [v for v in votes if not v.passed],
            "place": _place_query(meeting.commune, meeting.village),
        },
    )


# --- public posting ---------------------------------------------------------------------------


def _posted_rows(request, campaign, commune, village) -> list[Review]:
    return list(
        selectors.posting_list(user=request.user, commune=commune, village=village).filter(
            campaign=campaign
        )
    )


@login_required
def posting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4: record that the agreed results are posted at the village and the commune."""
    campaign = _campaign(request, pk)
    commune = _commune_param(request, campaign, request.GET)
    village = _village_param(request, commune, request.GET)
    agreed = [
        r for r in _posted_rows(request, campaign, commune, village) if r.status == S.DISCUSSED
    ]
    form = PostingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.posting_record(
                actor=request.user,
                commune=commune,
                village=village,
                posted_from=data["posted_from"],
                posted_to=data["posted_to"],
                place=data.get("place", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The posting is recorded."))
            url = reverse("households:posting-list", args=[campaign.pk])
            return redirect(url + _place_query(commune, village))
    return render(
        request,
        "households/campaign/posting_form.html",
        {
            "campaign": campaign,
            "commune": commune,
            "village": village,
            "villages": _villages(request, commune),
            "agreed": agreed,
            "form": form,
            "place": _place_query(commune, village),
        },
    )


def _result_labels() -> dict[str, str]:
    # Lazy: the posting list is rendered in Vietnamese whatever the officer's language.
    return {
        "poor": gettext_lazy("Poor households"),
        "near_poor": gettext_lazy("Near-poor households"),
        "escaped_poverty": gettext_lazy("Households escaping poverty"),
        "escaped_near_poverty": gettext_lazy("Households escaping near-poverty"),
    }


@login_required
def posting_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable list to post: public fields only, by village and proposed result."""
    campaign = _campaign(request, pk)
    commune = _commune_param(request, campaign, request.GET)
    village = _village_param(request, commune, request.GET)
    groups = selectors.posting_groups(
        user=request.user, campaign=campaign, commune=commune, village=village
    )
    labels = _result_labels()
    villages = [
        {
            "name": group.name,
            "postings": group.postings,
            "groups": [
                {"key": result, "label": labels[result], "rows": rows}
                for result, rows in group.results
            ],
        }
        for group in groups.villages
    ]
    with translation.override("vi"):
        return render(
            request,
            "households/campaign/posting_list.html",
            {
                "campaign": campaign,
                "commune": commune,
                "village": village,
                "villages": villages,
                # A posting for the whole commune (no village) heads the list.
                "postings": groups.commune_postings if village is None else [],
                "today": timezone.localdate(),
                "place": _place_query(commune, village),
            },
        )


# --- objections -------------------------------------------------------------------------------


@login_required
def objection_list(request: HttpRequest) -> HttpResponse:
    objections = selectors.objection_register(user=request.user)
    state = request.GET.get("state", "")
    if state == "open":
        objections = objections.filter(outcome=ObjectionOutcome.OPEN)
    elif state == "resolved":
        objections = objections.exclude(outcome=ObjectionOutcome.OPEN)
    page = Paginator(objections, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    return render(
        request,
        "households/campaign/objection_list.html",
        {
            "page": page,
            "state": state,
            "can_record": bool(scope.edit_paths) or scope.everything,
        },
    )


def _posted_reviews(request: HttpRequest):
    return (
        Review.objects.visible_to(request.user)
        .filter(status=S.POSTED)
        .select_related("household")
        .order_by("household__code")
    )


@login_required
def objection_create(request: HttpRequest) -> HttpResponse:
    """Step 5: an objection against a posted result, recorded for the re-check."""
    initial = {"received_on": timezone.localdate()}
    if request.GET.get("review"):
        initial["review"] = get_object_or_404(
            _posted_reviews(request), pk=_pk(request.GET["review"])
        )
    form = ObjectionForm(request.POST or None, reviews=_posted_reviews(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_record(
                actor=request.user,
                review=data["review"],
                kind=data["kind"],
                author=data["author"],
                received_on=data["received_on"],
                content=data["content"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The objection is recorded."))
            return redirect("households:objection-list")
    return render(request, "households/campaign/objection_form.html", {"form": form})


@login_required
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The re-check: an upheld objection sends the household back to the survey."""
    objection = get_object_or_404(selectors.objection_register(user=request.user), pk=pk)
    form = ObjectionResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_resolve(
                actor=request.user,
                objection=objection,
                outcome=data["outcome"],
                resolution=data["resolution"],
                resolved_on=data["resolved_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The re-check is recorded."))
            return redirect("households:objection-list")
    return render(
        request,
        "households/campaign/objection_resolve.html",
        {"form": form, "objection": objection},
    )


# --- recognition ------------------------------------------------------------------------------


def _queue_communes(request: HttpRequest) -> list[dict[str, Any]]:
    """Communes with posted results the user may see, with how many wait."""
    return list(
        Review.objects.visible_to(request.user)
        .filter(status=S.POSTED)
        .values("household__commune", "household__commune__name")
        .annotate(n=Count("id"))
        .order_by("household__commune__name")
    )


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
    communes = _queue_communes(request)
    commune = _queue_commune(request, communes)
    if request.method == "POST" and commune is None:
        raise Http404
    queue = selectors.chair_queue(user=request.user)
    queue = list(queue.filter(household__commune=commune)) if commune else []
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
            row_errors = apply_service_errors(form, error)
            shown = {r.pk for r in queue}
            # Rows not in the queue cannot carry their message: show it on the form.
            for review_id, errors in row_errors.items():
                if review_id not in shown:
                    form.add_error(None, errors)
        else:
            messages.success(
                request,
                _("Decision %(number)s recorded: %(n)d households recognised.")
                % {"number": decision.number, "n": decision.reviews.count()},
            )
            return redirect("households:decision-detail", pk=decision.pk)
    ticked = {int(v) for v in request.POST.getlist("reviews") if v.isdigit()}
    rows = [
        {"review": r, "errors": row_errors.get(r.pk, []), "checked": r.pk in ticked} for r in queue
    ]
    decisions = (
        RecognitionDecision.objects.visible_to(request.user)
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
            "can_decide": commune is not None and _may(request.user, Role.COMMUNE_CHAIR, commune),
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
            _error_messages(request, error)
        else:
            messages.success(
                request, _("Household %(code)s sent back.") % {"code": review.household.code}
            )
    url = reverse("households:recognition-queue")
    return redirect(f"{url}?commune={review.household.commune_id}")


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        RecognitionDecision.objects.visible_to(request.user).select_related("commune", "signed_by"),
        pk=pk,
    )
    certificates = {c.review_id: c for c in decision.certificates.all()}
    reviews = decision.reviews.select_related("household__village").order_by("household__code")
    return render(
        request,
        "households/campaign/decision_detail.html",
        {
            "decision": decision,
            "rows": [{"review": r, "certificate": certificates.get(r.pk)} for r in reviews],
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


# --- monthly requests -------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    overdue_only = request.GET.get("overdue") == "1"
    requests = (
        selectors.overdue_requests(user=request.user)
        if overdue_only
        else selectors.request_list(user=request.user)
    )
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
    )


def _request_households(request: HttpRequest):
    households = (
        Household.objects.editable_by(request.user)
        .select_related("village")
        .order_by("code")
        .only("id", "code", "head_name", "village__name")
    )
    q = request.GET.get("q", "").strip()
    if q:
        households = households.filter(
            Q(code__icontains=q) | Q(head_name_search__contains=search_key(q))
        )
    return households


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    """A household's request (Form 01 / Form 04), listed for the next monthly review."""
    scope = scope_for(request.user)
    if not (scope.edit_paths or scope.everything):
        raise PermissionDenied
    households = _request_households(request)
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
            apply_service_errors(form, error)
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
