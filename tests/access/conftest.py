"""The access world, built once for the package inside a transaction rolled back at its end;
each test runs in its own savepoint, so the writes a test makes are undone after it."""

from __future__ import annotations

import pytest
from django.db import transaction

from .world import World, build_world


@pytest.fixture(scope="package", autouse=True)
def _interchange_stand_ins():
    """The import and the export are written apart: until they are there, their stand-ins."""
    from ..households.interchange_fakes import missing_interchange

    with missing_interchange():
        yield


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
