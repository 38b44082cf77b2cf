"""Two batch runs at the same time, on PostgreSQL, in threads with their own connections: each
household (or member) is paid once, whether the allocation's lock or the database's constraints
keep the second payment out.

Transactional tests empty the database when they end: each test here loads An Giang's units, and
the module loads every unit again after its last test, so that the tests after it find them (the
session loads them once, tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections

from policies.support.models import Disbursement
from policies.support.services.disbursements import disbursement_batch_run
from reports import summaries
from reports.models import SupportSummary

from .disbursement_rows import allocate, listed_households

PAID_ON = dt.date(2026, 2, 10)


def _support_cells(cells):
    """The rollups' support cells (the statuses here were written in bulk, without them): each
    payment counted once too."""
    return {c: n for c, n in summaries._comparable(cells).items() if c[0] is SupportSummary}


ONLY_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write to the whole database: two runs cannot overlap there",
)
pytestmark = [ONLY_POSTGRESQL, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _units_again(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_units", verbosity=0, stdout=quiet)


@pytest.fixture(autouse=True)
def _an_giang(transactional_db):
    """The test before this one emptied the database: the province these tests use, again."""
    from registry.loading import load_units

    load_units(scheme="2025", province=91)


def run(officer, programme, commune, period="2026-Q1"):
    return disbursement_batch_run(
        actor=officer, programme=programme, commune=commune, period=period, paid_on=PAID_ON
    )


# --- two runs at the same time -------------------------------------------------------------------


def _run_in_thread(officer, programme, commune, period, start, found: list) -> None:
    try:
        start.wait(timeout=10)
        found.append(run(officer, programme, commune, period).paid_count)
    except Exception as error:  # reported by the test
        found.append(error)
    finally:
        connections.close_all()


def test_two_batches_at_the_same_time_pay_each_household_once(officer, my_hoa_hung, programmes):
    electricity = programmes["electricity"]
    allocate(officer, electricity, my_hoa_hung, amount=100_000_000)
    listed_households(officer, my_hoa_hung, 3)
    start = threading.Barrier(2)
    found: list = []
    threads = [
        threading.Thread(
            target=_run_in_thread, args=(officer, electricity, my_hoa_hung, "2026-Q1", start, found)
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(found) == [0, 3]
    assert Disbursement.objects.count() == 3
    assert _support_cells(summaries.stored_cells()) == _support_cells(summaries.expected_cells())


def test_two_uncapped_batches_at_the_same_time_pay_each_member_once(
    officer, my_hoa_hung, programmes
):
    listed_households(officer, my_hoa_hung, 20, classification="near_poor", members=2)
    start = threading.Barrier(2)
    found: list = []
    real_lock = summaries.lock_households

    def late_lock(*args, **kwargs):
        # Both runs have read what was paid before either writes (the rollups' lock on the
        # households, taken just before the insert, then lets one through at a time): only the
        # database's constraints keep the second payment out.
        start.wait(timeout=10)
        return real_lock(*args, **kwargs)

    with mock.patch.object(summaries, "lock_households", side_effect=late_lock):
        threads = [
            threading.Thread(
                target=_run_in_thread,
                args=(
                    officer,
                    programmes["bhyt"],
                    my_hoa_hung,
                    "2026",
                    threading.Barrier(1),
                    found,
                ),
            )
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(found) == [0, 40]
    assert Disbursement.objects.count() == 40
    assert _support_cells(summaries.stored_cells()) == _support_cells(summaries.expected_cells())
