"""Home page: the user's area and what they can do there."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import AdminUnit
from .scoping import assigned_units, scope_for
from .selectors import unit_list


@login_required
def home(request):
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
    children = AdminUnit.objects.filter(parent=unit).order_by("name")
    return render(
        request,
        "registry/unit_detail.html",
        {"unit": unit, "children": children, "ancestors": unit.ancestors()},
    )
