"""The steps before recognition: village meeting, public posting and objections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.campaign import selectors, services
from households.campaign.filtersets import ObjectionFilterSet
from households.campaign.forms import (
    ConsultationForm,
    MeetingForm,
    ObjectionForm,
    ObjectionResolveForm,
    PostingForm,
)
from households.campaign.views._common import (
    PAGE_SIZE,
    _campaign,
    _commune_param,
    _filtered,
    _may,
    _pk,
    _place_query,
    _village_param,
    _villages,
)
from households.choices import ReviewStatus as S
from households.models import (
    Review,
)
from registry.choices import Role
from registry.errors import apply_service_errors
from registry.scoping import scope_for

# --- village meeting --------------------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the village meeting, one row per surveyed household of the village."""
    campaign = _campaign(request, pk)
    commune = _commune_param(request, campaign, request.GET)
    village = _village_param(request, commune, request.GET)
    reviews = selectors.meeting_reviews(
        user=request.user, campaign=campaign, commune=commune, village=village
    )
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
            apply_service_errors(error, form)
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
        selectors.meeting_list(user=request.user).filter(campaign=campaign), pk=meeting_pk
    )
    votes = list(meeting.votes.all())
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
    minimum = services.posting_minimum()
    form = PostingForm(request.POST or None, minimum=minimum)
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
            apply_service_errors(error, form)
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
            "minimum": minimum,
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


# --- district consultation (three-level scheme) ---------------------------------------------


@login_required
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 5 under the three-level scheme: the district's opinion on a commune's results, before
    the chair recognises them. The page exists only for campaigns of that scheme."""
    campaign = _campaign(request, pk)
    if not services.three_level(campaign):
        raise Http404
    commune = _commune_param(request, campaign, request.GET)
    can_record = _may(request.user, Role.DISTRICT_STAFF, commune)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_record(
                actor=request.user,
                campaign=campaign,
                commune=commune,
                consulted_on=data["consulted_on"],
                comment=data["comment"],
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The district's consultation is recorded."))
            url = reverse("households:consultation-create", args=[campaign.pk])
            return redirect(url + _place_query(commune, None))
    posted = [r for r in _posted_rows(request, campaign, commune, None) if r.status == S.POSTED]
    return render(
        request,
        "households/campaign/consultation_form.html",
        {
            "campaign": campaign,
            "commune": commune,
            "form": form,
            "can_record": can_record,
            "posted_count": len(posted),
            "consultations": list(
                selectors.consultation_list(user=request.user).filter(
                    campaign=campaign, commune=commune
                )
            ),
        },
    )


# --- objections -------------------------------------------------------------------------------


@login_required
def objection_list(request: HttpRequest) -> HttpResponse:
    filters = ObjectionFilterSet(
        request.GET, queryset=selectors.objection_register(user=request.user), request=request
    )
    objections, status = _filtered(request, filters)
    state = filters.form.cleaned_data.get("state", "") if filters.is_valid() else ""
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
        status=status,
    )


@login_required
def objection_create(request: HttpRequest) -> HttpResponse:
    """Step 5: an objection against a posted result, recorded for the re-check."""
    initial = {"received_on": timezone.localdate()}
    if request.GET.get("review"):
        initial["review"] = get_object_or_404(
            selectors.posted_reviews(user=request.user), pk=_pk(request.GET["review"])
        )
    reviews = selectors.posted_reviews(user=request.user)
    form = ObjectionForm(request.POST or None, reviews=reviews, initial=initial)
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
            apply_service_errors(error, form)
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
            apply_service_errors(error, form)
        else:
            messages.success(request, _("The re-check is recorded."))
            return redirect("households:objection-list")
    return render(
        request,
        "households/campaign/objection_resolve.html",
        {"form": form, "objection": objection},
    )
