"""API token authentication: django-rest-knox's hashed, expiring tokens, refused for an account
that is deactivated or locked out by django-axes."""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


def is_locked_out(user) -> bool:
    """Whether django-axes holds a lockout on the user's name, from any address: a token
    must not outlive the lock on the password it was made with."""
    attempts = AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exists()


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <token>` with a token made on the tokens page."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if is_locked_out(user):
            raise exceptions.AuthenticationFailed(_("This account is locked: log in again later."))
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The token scheme in the OpenAPI schema: `Authorization: Token <token>`."""

    target_class = "registry.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
