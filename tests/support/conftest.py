"""Fixtures of the support tests: the seeded catalogue of national programmes."""

from __future__ import annotations

import pytest

from policies.support.catalogue import load_catalogue
from policies.support.models import Programme


@pytest.fixture
def programmes(db) -> dict[str, Programme]:
    """The national catalogue, by code."""
    load_catalogue()
    return {p.code: p for p in Programme.objects.all()}
