"""How errors reach the user: a service's ValidationError beside the fields that caused it, and
the error pages, in the user's language and inside the site's layout.

A service raises ValidationError keyed by field ("income_per_capita"), by row and field
("members.2.id_number") or by row ("votes.<review id>"). `service_errors` is that shape as a
dict, the one both front doors use: the API's exception handler answers it as a 400, and
`apply_service_errors` puts each message beside its field on the pages.

403 says what was refused and what the user's roles let them do instead; 400 and 404 are
Django's handlers with our templates; 500 is Django's handler too, whose template renders
without a request, a user or the database, since any of them may be what failed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from .choices import Role
from .scoping import scope_for

# --- a service's errors on the pages --------------------------------------------------------


def service_errors(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as {key: messages}; messages of no field under
    NON_FIELD_ERRORS."""
    if hasattr(error, "error_dict"):
        return {key: [str(m) for m in found] for key, found in error.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in error.messages]}


@dataclass(frozen=True)
class RowForms:
    """The forms of a group of rows ("members"), by row number as the service counts them, and
    the formset that shows the errors of the group as a whole."""

    forms: Sequence[forms.Form]
    formset: forms.BaseFormSet


def _add(form: forms.Form, field: str | None, found: list[str]) -> None:
    """Add messages to a field (or the form), unless the form already refused what was typed
    there: its message says what to correct first, and the service read no value."""
    if field is not None and field in form.errors:
        return
    form.add_error(field, found)


def apply_service_errors(
    error: ValidationError,
    *forms_: forms.Form,
    rows: Mapping[str, RowForms] | None = None,
    row_ids: Mapping[str, Collection[int]] | None = None,
) -> dict[str, dict[int, list[str]]]:
    """Put each message of a service's ValidationError beside the field it names, so that none
    is lost; return the messages of rows the page shows itself, by group and row id.

    - "<field>": the first of `forms_` that has the field (a form may rename keys through its
      `error_fields`, e.g. "votes.12" -> "vote_12"); a key no form has goes to the first form.
    - "<group>.<n>.<field>", "<group>.<n>", "<group>" with `rows[group]`: the n-th row form's
      field (or the row form itself), else the formset of the group.
    - "<group>.<id>" with `row_ids[group]` holding id: returned for the page to show on that row;
      any other id goes to the first form.
    """
    rows = rows or {}
    row_ids = row_ids or {}
    main = forms_[0]
    by_row: dict[str, dict[int, list[str]]] = {}
    for key, found in service_errors(error).items():
        if key == NON_FIELD_ERRORS:
            _add(main, None, found)
            continue
        renamed = next((f for f in forms_ if key in getattr(f, "error_fields", {})), None)
        if renamed is not None:
            _add(renamed, renamed.error_fields[key], found)
            continue
        holder = next((f for f in forms_ if key in f.fields), None)
        if holder is not None:
            _add(holder, key, found)
            continue
        group, _dot, rest = key.partition(".")
        number, _dot, field = rest.partition(".")
        if group in rows:
            _place_in_rows(rows[group], number, field, found)
        elif group in row_ids and number.isdigit() and int(number) in row_ids[group]:
            by_row.setdefault(group, {}).setdefault(int(number), []).extend(found)
        else:
            _add(main, None, found)
    return by_row


def _place_in_rows(group: RowForms, number: str, field: str, found: list[str]) -> None:
    row = int(number) if number.isdigit() else None
    if row is None or row >= len(group.forms):
        group.formset.non_form_errors().extend(found)
    elif field and field in group.forms[row].fields:
        _add(group.forms[row], field, found)
    else:
        _add(group.forms[row], None, found)


def flash_service_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's messages as flash messages, for actions that answer with a redirect."""
    for found in service_errors(error).values():
        for message in found:
            messages.error(request, message)


# --- error pages ------------------------------------------------------------------------------


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
