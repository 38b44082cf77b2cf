"""Rows for the priority-list tests: a commune's loan list for 2026 with poor households
proposed in order, and households that may not be proposed."""

from __future__ import annotations

import pytest
from django.utils import translation

from policies.support.models import Disbursement, PriorityEntry, PriorityList
from policies.support.services import priority as services
from registry.choices import Role

from .factories import recognised_households

YEAR = 2026


@pytest.fixture(autouse=True)
def english():
    """Messages in English, so the tests read what they check (the pages are Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def other_chair(make_user, long_xuyen):
    return make_user(Role.COMMUNE_CHAIR, long_xuyen, username="other-chair")


@pytest.fixture
def loans(programmes):
    """Loans to poor households (Bank for Social Policies): follows a priority list."""
    return programmes["vbsp_poor"]


@pytest.fixture
def loan_list(officer, loans, my_hoa_hung) -> PriorityList:
    return services.priority_list_create(
        actor=officer, programme=loans, year=YEAR, commune=my_hoa_hung
    )


@pytest.fixture
def poor(officer, chair, my_hoa_hung):
    """Four poor households of the commune."""
    return recognised_households(officer, chair, my_hoa_hung, 4, "poor")


@pytest.fixture
def ranked(officer, loan_list, poor) -> list[PriorityEntry]:
    """The four poor households proposed in order, places 1 to 4."""
    return [
        services.priority_entry_add(
            actor=officer, priority_list=loan_list, household=h, reason=f"Lý do {n}"
        )
        for n, h in enumerate(poor, start=1)
    ]


def order(priority_list) -> list[int]:
    """The households of the list by place (withdrawn ones included, at the end)."""
    return list(
        PriorityEntry.objects.filter(priority_list=priority_list)
        .order_by("rank")
        .values_list("household_id", flat=True)
    )


def ranks(priority_list) -> list[int]:
    return list(
        PriorityEntry.objects.filter(priority_list=priority_list)
        .order_by("rank")
        .values_list("rank", flat=True)
    )


def pay(entry, officer, *, year: int = YEAR, reversed_: bool = False) -> Disbursement:
    """A loan paid to the entry's household (written directly: the test is about reading it)."""
    household = entry.household
    return Disbursement.objects.create(
        programme=entry.priority_list.programme,
        household=household,
        commune=household.commune,
        unit_path=household.unit_path,
        year=year,
        paid_on=f"{year}-06-01",
        period=f"HD-{entry.pk}-{year}",
        amount=50_000_000,
        funding_source="vbsp",
        is_reversed=reversed_,
        recorded_by=officer,
    )
