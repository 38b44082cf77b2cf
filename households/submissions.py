"""A submitted form (or API call) takes effect once.

A form carries a key made when it was drawn; the service that writes claims the key in its own
transaction, first thing. A second submission with the same key (a double click, a resent
request) finds the first one's result, or, when both arrive at the same moment, waits on the
key's unique constraint until the first commits and then finds it. A submission whose write was
refused leaves no key behind, so the corrected form can be sent again.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from registry.models import User

from .models import Submission

KEY_MAX_LENGTH = 64


class AlreadySubmitted(Exception):
    """Another submission with the same key was committed while this one waited for it."""


def submission_key_new() -> str:
    """A fresh key for a form being drawn."""
    return secrets.token_hex(16)


def _usable(key: str | None) -> str:
    key = (key or "").strip()
    return key if 0 < len(key) <= KEY_MAX_LENGTH else ""


def submission_replay[M: models.Model](
    *, key: str | None, actor: User, action: str, model: type[M]
) -> M | None:
    """What the first submission with this key did, if it took effect."""
    key = _usable(key)
    if not key or not actor.is_authenticated:
        return None
    done = (
        Submission.objects.filter(user=actor, action=action, key=key, object_id__isnull=False)
        .values_list("object_id", flat=True)
        .first()
    )
    return model._default_manager.filter(pk=done).first() if done is not None else None


def submission_claim(*, key: str | None, actor: User, action: str) -> Submission | None:
    """Claim the key inside the write's transaction, before writing anything else.

    Raises AlreadySubmitted when a submission with the same key committed first."""
    key = _usable(key)
    if not key:
        return None
    try:
        with transaction.atomic():
            return Submission.objects.create(user=actor, action=action, key=key)
    except IntegrityError:
        raise AlreadySubmitted from None


def submission_done(claim: Submission | None, result: models.Model) -> None:
    """Record what the submission did, in the same transaction as the write."""
    if claim is not None:
        claim.object_id = result.pk
        claim.save(update_fields=["object_id"])


# --- the API's front door ---------------------------------------------------------------------

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Any string of at most 64 characters, new for each change: a request sent again with "
        "the same key (after a timeout, say) answers with what the first did and changes "
        "nothing more."
    ),
)


def idempotency_key(request) -> str | None:
    """The request's Idempotency-Key header; a 400 naming it when it is too long."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and len(key.strip()) > KEY_MAX_LENGTH:
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("At most %(max)d characters.") % {"max": KEY_MAX_LENGTH}]}
        )
    return key
