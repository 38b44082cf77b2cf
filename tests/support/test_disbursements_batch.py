"""Paying a commune in one batch: each eligible household or member once, a rerun pays nothing
new, the ceiling caps it in household order, an interrupted run writes nothing, two runs at the
same time pay each household once (test_disbursements_concurrency.py), and the number of
queries does not grow with the households."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policies.support.models import Disbursement, DisbursementBatch, Programme
from policies.support.services.disbursements import disbursement_batch_run
from registry.models import User

from .disbursement_rows import allocate, listed_households

PAID_ON = dt.date(2026, 2, 10)
QUARTER = 30 * 2_044 * 3  # kWh a month × tier-1 tariff × months


def run(officer, programme, commune, period="2026-Q1", **extra):
    return disbursement_batch_run(
        actor=officer, programme=programme, commune=commune, period=period, paid_on=PAID_ON, **extra
    )


@pytest.fixture
def electricity(programmes, officer, my_hoa_hung):
    allocate(officer, programmes["electricity"], my_hoa_hung, amount=100_000_000)
    return programmes["electricity"]


@pytest.fixture
def commune_lists(officer, my_hoa_hung):
    """Three poor households and one near-poor household."""
    poor = listed_households(officer, my_hoa_hung, 3)
    near_poor = listed_households(officer, my_hoa_hung, 1, classification="near_poor")
    return poor, near_poor


@pytest.mark.django_db
def test_a_batch_pays_each_eligible_household_once(
    officer, my_hoa_hung, electricity, commune_lists
):
    poor, _near_poor = commune_lists
    batch = run(officer, electricity, my_hoa_hung)
    paid = Disbursement.objects.filter(batch=batch)
    assert sorted(paid.values_list("household_id", flat=True)) == sorted(h.pk for h in poor)
    assert (batch.paid_count, batch.amount_total) == (3, 3 * QUARTER)


@pytest.mark.django_db
def test_a_batch_reports_what_it_skipped_and_why(officer, my_hoa_hung, electricity, commune_lists):
    _poor, near_poor = commune_lists
    batch = run(officer, electricity, my_hoa_hung)
    assert (batch.skipped_count, batch.skipped["by_reason"]) == (1, {"status": 1})
    assert [row["household"] for row in batch.skipped["first"]] == [near_poor[0].pk]


@pytest.mark.django_db
def test_a_second_run_pays_nothing(officer, my_hoa_hung, electricity, commune_lists):
    run(officer, electricity, my_hoa_hung)
    again = run(officer, electricity, my_hoa_hung)
    assert (again.paid_count, again.skipped["by_reason"]) == (0, {"status": 1, "already_paid": 3})
    assert Disbursement.objects.count() == 3


@pytest.mark.django_db
def test_a_rerun_pays_only_those_not_paid(officer, my_hoa_hung, electricity, commune_lists):
    first = run(officer, electricity, my_hoa_hung)
    listed_households(officer, my_hoa_hung, 2)
    assert (first.paid_count, run(officer, electricity, my_hoa_hung).paid_count) == (3, 2)


@pytest.mark.django_db
def test_the_allocation_caps_the_batch_in_household_order(officer, my_hoa_hung, programmes):
    electricity = programmes["electricity"]
    allocate(officer, electricity, my_hoa_hung, amount=2 * QUARTER + 1)
    households = listed_households(officer, my_hoa_hung, 3)
    batch = run(officer, electricity, my_hoa_hung)
    paid = set(Disbursement.objects.filter(batch=batch).values_list("household_id", flat=True))
    assert paid == {households[0].pk, households[1].pk}
    assert batch.skipped["by_reason"] == {"allocation_exhausted": 1}


@pytest.mark.django_db
def test_a_per_person_batch_pays_each_member(officer, my_hoa_hung, programmes):
    listed_households(officer, my_hoa_hung, 2, classification="near_poor", members=3)
    batch = run(officer, programmes["bhyt"], my_hoa_hung, period="2026")
    assert (batch.paid_count, Disbursement.objects.filter(member__isnull=False).count()) == (6, 6)


@pytest.mark.django_db
def test_a_per_person_batch_skips_members_outside_the_ages(officer, my_hoa_hung, programmes):
    # Members born in 2016 (10 in 2026) are too old for visits of children under 6.
    listed_households(officer, my_hoa_hung, 2, members=2)
    batch = run(officer, programmes["kcb_children_under6"], my_hoa_hung, period="KCB-02")
    assert (batch.paid_count, batch.skipped["by_reason"]) == (0, {"age": 4})


@pytest.mark.django_db
def test_a_programme_following_a_priority_list_cannot_be_batch_run(
    officer, my_hoa_hung, programmes
):
    with pytest.raises(ValidationError) as caught:
        run(officer, programmes["vbsp_poor"], my_hoa_hung, period="HD-1")
    assert list(caught.value.message_dict) == ["programme"]


@pytest.mark.django_db
def test_a_capped_programme_without_an_allocation_cannot_be_batch_run(
    officer, my_hoa_hung, programmes, commune_lists
):
    with pytest.raises(ValidationError) as caught:
        run(officer, programmes["electricity"], my_hoa_hung)
    assert list(caught.value.message_dict) == ["programme"]


@pytest.mark.django_db
def test_an_interrupted_batch_writes_nothing(officer, my_hoa_hung, electricity, commune_lists):
    with (
        mock.patch.object(DisbursementBatch, "save", side_effect=RuntimeError("power cut")),
        pytest.raises(RuntimeError),
    ):
        run(officer, electricity, my_hoa_hung)
    assert (Disbursement.objects.count(), DisbursementBatch.objects.count()) == (0, 0)


def queries_of_a_batch(officer, commune, programme) -> int:
    """Counted from cold: a user whose scope is not cached, a programme read afresh."""
    officer = User.objects.get(pk=officer.pk)
    programme = Programme.objects.get(pk=programme.pk)
    with CaptureQueriesContext(connection) as captured:
        run(officer, programme, commune)
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_a_batch_of_3_households_takes_24_queries(officer, my_hoa_hung, electricity):
    # The officer's scope (3), the programme's parameters and availability (2), the households
    # (1) and their status (2); in the transaction's savepoint (2): the allocation locked, its
    # overrides and payments (3), what was paid for the period (1), the batch (1), the payments
    # in one insert (1), what it inserted (1), the batch's counts (1); and the rollups' support
    # summary (6): the households locked, their payments before and after, the commune's path,
    # the cell created if missing and its counters added to (one cell: one commune, programme).
    listed_households(officer, my_hoa_hung, 3)
    assert queries_of_a_batch(officer, my_hoa_hung, electricity) == 24


@pytest.mark.django_db
def test_a_batch_of_30_households_takes_as_many_queries_as_one_of_3(
    officer, my_hoa_hung, long_xuyen, electricity, other_officer, programmes
):
    listed_households(officer, my_hoa_hung, 3)
    allocate(other_officer, programmes["electricity"], long_xuyen, amount=100_000_000)
    listed_households(other_officer, long_xuyen, 30)
    assert queries_of_a_batch(other_officer, long_xuyen, electricity) == queries_of_a_batch(
        officer, my_hoa_hung, electricity
    )
