"""Home page: the user's area and what they can do there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.views.home import staff_dashboard_wanted

from .choices import Level
from .errors import apply_service_errors
from .forms import ApiTokenForm, VillageForm
from .models import AdminUnit
from .scoping import assigned_units, scope_for
from .selectors import api_token_list, unit_list
from .services import api_token_create, api_token_revoke, village_create


@login_required
def home(request):
    # --- reports: dashboards ---
    # District and province staff open on their dashboard (reports:home picks their unit).
    if staff_dashboard_wanted(request.user):
        return redirect("reports:home")
    # --- end reports: dashboards ---
    scope = scope_for(request.user)
    units = assigned_units(request.user)
    roles = request.user.assignments.filter(is_active=True).select_related("unit")
    return render(
        request,
        "registry/home.html",
        {"units": units, "assignments": roles, "scope": scope},
    )


@login_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(unit_list(user=request.user), pk=pk)
    return _unit_page(request, unit, VillageForm())


def _unit_page(request, unit: AdminUnit, form: VillageForm, status: int = 200):
    children = AdminUnit.objects.filter(parent=unit).order_by("name")
    can_add_village = unit.level == Level.COMMUNE and scope_for(request.user).can_edit(unit.path)
    return render(
        request,
        "registry/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "ancestors": unit.ancestors(),
            "village_form": form if can_add_village else None,
        },
        status=status,
    )


@login_required
@require_POST
def village_add(request, pk: int):
    """A commune officer adds a village (thôn, ấp, tổ dân phố…) to their commune."""
    commune = get_object_or_404(unit_list(user=request.user), pk=pk)
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            village = village_create(actor=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Village %(name)s added.") % {"name": village.name})
            return redirect("unit-detail", pk=commune.pk)
    return _unit_page(request, commune, form, status=400)


# --- secure: API tokens ---
def _tokens_page(request, form: ApiTokenForm, *, created: str = "", status: int = 200):
    return render(
        request,
        "registry/token_list.html",
        {"tokens": api_token_list(user=request.user), "form": form, "created": created},
        status=status,
    )


@login_required
def token_list(request):
    """The user's own API tokens: make one (shown once, on this answer only), list, revoke."""
    if request.method != "POST":
        return _tokens_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            # Rendered, not redirected: the token is never stored, so this is its only showing.
            return _tokens_page(request, ApiTokenForm(), created=secret, status=201)
    return _tokens_page(request, form, status=400)


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's own tokens; anyone else's answers as a missing one."""
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("token-list")
