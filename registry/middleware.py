"""Middleware of the registry."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Every answer to a signed-in user (a page or an API call, by session or token) may carry
    personal data: no browser, proxy or shared computer's cache may keep it. A view that sets
    its own policy keeps it: the KPI API's aggregate figures are revalidated by ETag
    ("private, no-cache", reports.api)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF sets request.user on the Django request once a token authenticates it.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
