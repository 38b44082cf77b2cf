"""API throttles beyond DRF's per-user and anonymous ones."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from households.filtersets import is_id_number_search
from households.validators import normalise_id_number


def is_id_number_lookup(request) -> bool:
    """Whether the request searches by a personal ID number (the `q` of the household filter:
    read as an ID number), which says whether a person is registered."""
    return is_id_number_search(normalise_id_number(request.query_params.get("q")))


class IdNumberLookupThrottle(SimpleRateThrottle):
    """A tighter limit on look-ups by personal ID number, per user (or address)."""

    scope = "id-number"

    def get_cache_key(self, request, view):
        if not is_id_number_lookup(request):
            return None  # not throttled by this class
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
