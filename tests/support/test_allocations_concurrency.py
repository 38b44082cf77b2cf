"""Two allocations saved at the same moment cannot together pass their parent (PostgreSQL: the
parent row is locked while the children's sum is checked)."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from policies.support.catalogue import load_catalogue
from policies.support.models import Allocation, Programme
from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit, User
from registry.services import assignment_create

from ..conftest import AN_GIANG, LONG_XUYEN, MY_HOA_HUNG, unit
from .allocations_factories import allocate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(scope="module", autouse=True)
def _units_again(django_db_setup, django_db_blocker):
    """This test empties the database at its end: the units the next tests expect, again (a
    test of the database may follow it on the same worker, as `--dist worksteal` may order)."""
    yield
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_units", verbosity=0, stdout=quiet)


@pytest.fixture
def units():
    """The official units: a transactional test run before this one flushed them."""
    if not AdminUnit.objects.exists():
        call_command("load_units", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_two_communes_allocated_at_once_stay_within_the_plan(units):
    load_catalogue()
    electricity = Programme.objects.get(code="electricity")
    province = unit(Scheme.CURRENT, Level.PROVINCE, AN_GIANG)
    staff = User.objects.create_user(username="race-province", password="pw-Ansinh-123")
    assignment_create(user=staff, role=Role.PROVINCE_STAFF, unit=province)
    allocate(staff, electricity, province, quantity=100, amount=10_000_000)
    communes = [unit(Scheme.CURRENT, Level.COMMUNE, c) for c in (MY_HOA_HUNG, LONG_XUYEN)]
    barrier = threading.Barrier(2)
    refused: list[ValidationError] = []

    def run(commune: AdminUnit) -> None:
        actor = User.objects.get(pk=staff.pk)
        barrier.wait()
        try:
            allocate(actor, electricity, commune, quantity=60, amount=6_000_000)
        except ValidationError as error:
            refused.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in communes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    children = Allocation.objects.filter(parent__unit=province)
    assert (children.count(), len(refused)) == (1, 1)
