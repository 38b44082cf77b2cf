"""Reads of administrative units."""

from django.db.models import QuerySet

from .models import AdminUnit, ApiToken


def unit_list(*, user) -> QuerySet[AdminUnit]:
    """The units `user` may see, with their parents joined."""
    return AdminUnit.objects.visible_to(user).select_related("parent")


# --- secure: API tokens ---
def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own API tokens that have not expired, newest first: nobody sees another's."""
    from django.utils import timezone

    return ApiToken.objects.filter(user=user).exclude(expiry__lt=timezone.now())
