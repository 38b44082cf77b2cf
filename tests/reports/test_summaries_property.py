"""The summaries kept by the services are what a rebuild from the raw records gives, after every
step of any sequence of recognitions, refusals, member changes, moves, payments and reversals."""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.support.models import Disbursement
from policies.support.services.disbursements import disbursement_record, disbursement_reverse
from reports import summaries
from reports.models import StatusSummary

from ..households.factories import member
from ..households.test_household_year import (
    NUMBERS,
    OPERATIONS,
    PROPERTY_SETTINGS,
    _apply,
    new_household,
    recognise,
)
from ..support.disbursement_rows import allocate

pytestmark = pytest.mark.django_db

PAYMENTS = st.one_of(
    st.tuples(st.just("pay"), st.sampled_from([dt.date(2026, 2, 10), dt.date(2026, 5, 10)])),
    st.tuples(st.just("reverse")),
)
STEPS = st.lists(st.one_of(OPERATIONS, PAYMENTS), min_size=1, max_size=6)


def _in_sync() -> bool:
    return summaries._comparable(summaries.expected_cells()) == summaries._comparable(
        summaries.stored_cells()
    )


def _step(step, household, officer, chair, electricity) -> None:
    name = step[0]
    if name == "pay":
        disbursement_record(
            actor=officer, programme=electricity, household=household, paid_on=step[1]
        )
    elif name == "reverse":
        payment = Disbursement.objects.filter(kind="payment", is_reversed=False).first()
        if payment is not None:
            disbursement_reverse(actor=officer, disbursement=payment, reason="Chi nhầm")
    else:
        _apply(step, household, officer, chair)


@pytest.fixture
def electricity(programmes, officer, my_hoa_hung):
    allocate(officer, programmes["electricity"], my_hoa_hung, amount=10_000_000, quantity=50)
    return programmes["electricity"]


@settings(PROPERTY_SETTINGS, max_examples=12)
@given(steps=STEPS)
def test_the_summaries_kept_by_the_services_are_what_a_rebuild_gives(
    steps, officer, chair, my_hoa_hung, electricity
):
    household = new_household(officer, my_hoa_hung, members=[member(f"Hộ {next(NUMBERS)}")])
    recognise(officer, chair, [household.reviews.get()], number=f"{next(NUMBERS)}")
    assert _in_sync()
    for step in steps:
        with contextlib.suppress(ValidationError):
            _step(step, household, officer, chair, electricity)
        assert _in_sync(), step


def test_the_rebuild_command_restores_the_summaries(officer, chair, my_hoa_hung):
    household = new_household(officer, my_hoa_hung, members=[member("Hộ Một")])
    recognise(officer, chair, [household.reviews.get()])
    kept = summaries._comparable(summaries.stored_cells())
    StatusSummary.objects.update(households=99, poor_households=0)
    out = io.StringIO()
    call_command("rebuild_summaries", stdout=out)
    assert summaries._comparable(summaries.stored_cells()) == kept
    assert "1 differed" in out.getvalue()
    call_command("rebuild_summaries", stdout=out)
    assert "0 differed" in out.getvalue()
