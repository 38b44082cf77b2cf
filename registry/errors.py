"""Error pages in the user's language, inside the site's layout.

403 says what was refused and what the user's roles let them do instead; 400 and 404 are
Django's handlers with our templates; 500 is Django's handler too, whose template renders
without a request, a user or the database, since any of them may be what failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from .choices import Role
from .scoping import scope_for


@dataclass(frozen=True)
class Instead:
    """Something the user may do instead of what was refused: a link, or advice (no url)."""

    label: str
    url: str = ""


def what_you_can_do(user) -> list[Instead]:
    """What the user's roles let them do, for a page that refused them something."""
    scope = scope_for(user)
    roles = {role for role, _path in scope.roles}
    if not (scope.everything or roles):
        return [
            Instead(
                _("Ask your administrator to assign you to your commune, district or province.")
            )
        ]
    found = [
        Instead(_("See the households of your area"), reverse("households:household-list")),
        Instead(_("Follow the review campaign of your area"), reverse("households:campaign-list")),
    ]
    if scope.everything or Role.COMMUNE_OFFICER in roles:
        found += [
            Instead(_("Register a household"), reverse("households:household-create")),
            Instead(_("Record a household's request"), reverse("households:request-create")),
        ]
    if scope.everything or Role.COMMUNE_CHAIR in roles:
        found.append(
            Instead(
                _("Recognise posted results in the chair's queue"),
                reverse("households:recognition-queue"),
            )
        )
    if scope.everything or Role.PROVINCE_STAFF in roles:
        found.append(
            Instead(
                _("Open the review campaign of your province"),
                reverse("households:campaign-create"),
            )
        )
    if not (scope.everything or Role.COMMUNE_OFFICER in roles):
        found.append(
            Instead(
                _("To enter or correct a household's data, ask the commune officer of its commune.")
            )
        )
    return found


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: the reason the view or service gave (already in the user's language), if any."""
    reason = str(exception) if exception is not None else ""
    return render(
        request,
        "403.html",
        {"reason": reason, "instead": what_you_can_do(request.user)},
        status=403,
    )
