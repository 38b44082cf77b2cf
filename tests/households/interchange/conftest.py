"""Fixtures of the interchange tests."""

from __future__ import annotations

import pytest

from policies.support.catalogue import load_catalogue
from policies.support.models import Programme


@pytest.fixture
def programmes(db) -> dict[str, Programme]:
    """The national catalogue of support programmes, by code."""
    load_catalogue()
    return {p.code: p for p in Programme.objects.all()}
