"""One form for a household, its members and its review: create and edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from registry.errors import RowForms, apply_service_errors
from registry.models import AdminUnit
from registry.scoping import scope_for

from .. import selectors, services
from ..forms import (
    HouseholdForm,
    MemberFormSet,
    ReviewForm,
    member_initial,
    review_initial,
)
from ..models import Household
from ..submissions import submission_replay
from ._common import (
    MEMBERS_PREFIX,
    REVIEW_PREFIX,
    _editable_communes,
    _not_an_officer,
)
from .preview import _form_commune, _indicator_groups, _preview

# --- form -------------------------------------------------------------------------------------


def _build_forms(
    request: HttpRequest, household: Household | None, communes: QuerySet[AdminUnit]
) -> tuple[HouseholdForm, Any, ReviewForm]:
    data = request.POST if request.method == "POST" else None
    if household is None:
        initial = {}
        members_initial = [{"relationship": "head"}]
        review = None
    else:
        initial = {
            "village": household.village_id,
            "address": household.address,
            "phone": household.phone,
            "version": household.version,
        }
        members_initial = [member_initial(m) for m in household.members.all() if m.is_current]
        # The review still being surveyed, if any; a recognised one is not edited here.
        review = selectors.editable_review(household)
    household_form = HouseholdForm(data, communes=communes, household=household, initial=initial)
    formset = MemberFormSet(data, prefix=MEMBERS_PREFIX, initial=members_initial)
    review_form = ReviewForm(
        data,
        prefix=REVIEW_PREFIX,
        initial=review_initial(review) if review else None,
        # The commune decides with the list year which standard's indicators are offered.
        unit=household.commune if household else _form_commune(household_form, communes),
    )
    return household_form, formset, review_form


def _member_rows(formset) -> tuple[list[dict], list, list[tuple[str, str]]]:
    """Rows to save (with the forms they came from) and the reasons of members who leave."""
    rows, forms, leaving = [], [], []
    for form in formset.forms:
        if formset.is_blank(form):
            continue
        if formset.is_deleted(form):
            if form.cleaned_data.get("id"):
                reason = (form.cleaned_data.get("leave_reason") or "").strip()
                leaving.append((form.cleaned_data["id"], reason))
            continue
        rows.append(form.member_data())
        forms.append(form)
    return rows, forms, leaving


def _apply_errors(
    error: ValidationError, household_form, formset, review_form, member_forms
) -> None:
    """Put a service's errors beside their fields: member rows as the service counts them."""
    apply_service_errors(
        error,
        household_form,
        review_form,
        rows={"members": RowForms(forms=member_forms, formset=formset)},
    )


def _duplicates(user, commune, rows, member_forms, household) -> list[dict]:
    """Possible duplicates among new members or members whose name or birth year changed."""
    checked = [
        (row, form)
        for row, form in zip(rows, member_forms, strict=True)
        if not form.cleaned_data.get("id")
        or {"full_name", "birth_year", "birth_date"} & set(form.changed_data)
    ]
    if not checked or len(rows) > services.MAX_MEMBERS_PER_REQUEST:
        return []  # too many rows: the save refuses them, saying so
    found = services.duplicates_find(
        user=user, commune=commune, members=[row for row, _form in checked], household=household
    )
    return [
        {
            "row_name": checked[d.row][0].get("full_name"),
            "household_id": d.household_id,
            "household_code": d.household_code,
            "full_name": d.full_name,
        }
        for d in found
        if d.kind == "name_birth_year"
    ]


def _household_form(request: HttpRequest, household: Household | None) -> HttpResponse:
    communes = _editable_communes(request.user)
    if household is None and not communes.exists():
        raise PermissionDenied(_not_an_officer())
    if request.method == "POST":
        replayed = _replayed(request, household)
        if replayed is not None:
            # The same form sent twice (a double click): the first one saved it.
            messages.success(request, _("Household %(code)s saved.") % {"code": replayed.code})
            return redirect("households:household-detail", pk=replayed.pk)
    household_form, formset, review_form = _build_forms(request, household, communes)
    status, top_errors, duplicates = 200, [], []
    with_review = review_form.has_facts() if request.method == "POST" else False
    if request.method == "POST":
        forms_valid = all(
            [
                household_form.is_valid(),
                formset.is_valid(),
                review_form.is_valid() if with_review else True,
            ]
        )
        if forms_valid:
            rows, member_forms, leaving = _member_rows(formset)
            commune = household.commune if household else household_form.cleaned_data["commune"]
            duplicates = _duplicates(request.user, commune, rows, member_forms, household)
            replayed = _replayed(request, household) if duplicates else None
            if replayed is not None:
                # The same form, committed meanwhile: its members are the "duplicates".
                return redirect("households:household-detail", pk=replayed.pk)
            if duplicates and not household_form.cleaned_data.get("confirm_not_duplicate"):
                top_errors.append(_("Some members may already be registered; check them below."))
            else:
                review = review_form.review_data() if with_review else None
                if (
                    review is not None
                    and household is not None
                    and not (review_form.has_changed() or formset.has_changed())
                ):
                    review = None  # nothing the classification depends on changed
                try:
                    saved = _save(request, household, household_form, rows, review, leaving)
                except services.ConflictError as conflict:
                    top_errors.append(str(conflict))
                    status = 409
                except ValidationError as error:
                    _apply_errors(error, household_form, formset, review_form, member_forms)
                else:
                    messages.success(request, _("Household %(code)s saved.") % {"code": saved.code})
                    return redirect("households:household-detail", pk=saved.pk)
        else:
            # What the forms could read still goes through the registry's member checks, so that
            # every mistake shows now, not only once the typing mistakes are corrected.
            rows, member_forms, _leaving = _member_rows(formset)
            checked = services.household_members_check(members=rows, actor=request.user)
            if checked:
                _apply_errors(
                    ValidationError(checked), household_form, formset, review_form, member_forms
                )
        if status == 200 and not top_errors:
            top_errors.append(_("The household was not saved: correct the fields marked below."))
    commune = household.commune if household else _form_commune(household_form, communes)
    preview = _preview(review_form, formset, commune) if review_form.is_bound or household else None
    context = {
        "household": household,
        "form": household_form,
        "formset": formset,
        "review_form": review_form,
        "top_errors": top_errors,
        "duplicates": duplicates,
        "preview": preview,
        "indicator_groups": _indicator_groups(review_form, preview),
        "standard": review_form.standard,
        "status": selectors.household_status(household, selectors.current_list_year())
        if household
        else None,
        "year": selectors.current_list_year(),
    }
    return render(request, "households/household_form.html", context, status=status)


def _replayed(request: HttpRequest, household: Household | None) -> Household | None:
    key = request.POST.get("submission_key")
    if household is None:
        return submission_replay(
            key=key, actor=request.user, action=services.SUBMIT_CREATE, model=Household
        )
    done = submission_replay(
        key=key, actor=request.user, action=services.SUBMIT_UPDATE, model=Household
    )
    return done if done is not None and done.pk == household.pk else None


def _save(request, household, household_form, rows, review, leaving) -> Household:
    data = household_form.cleaned_data
    if household is None:
        return services.household_create(
            actor=request.user,
            commune=data["commune"],
            village=data.get("village"),
            address=data.get("address", ""),
            phone=data.get("phone", ""),
            members=rows,
            review=review,
            submission_key=data.get("submission_key"),
        )
    return services.household_update(
        actor=request.user,
        household=household,
        expected_version=data["version"],
        village=data.get("village"),
        address=data.get("address", ""),
        phone=data.get("phone", ""),
        members=rows,
        review=review,
        leave_reasons={pk: reason for pk, reason in leaving if reason},
        submission_key=data.get("submission_key"),
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    return _household_form(request, None)


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(selectors.household_detail(user=request.user), pk=pk)
    if not scope_for(request.user).can_edit(household.unit_path):
        raise PermissionDenied(_not_an_officer())
    return _household_form(request, household)
