"""Rows for the allocation tests: plans set through the service, deliveries written directly
(the disbursement services are another area's; these tests are about reading and capping)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from policies.support.models import Allocation, Disbursement
from policies.support.services.allocations import allocation_set
from registry.choices import Level, Role, Scheme

from ..conftest import unit
from ..households.factories import make_household, member

# The fixtures, for `from .allocations_factories import *` in the test modules.
__all__ = [
    "district_share",
    "electricity",
    "kien_an_officer",
    "legacy_an_giang",
    "legacy_plan",
    "legacy_province_staff",
    "plan",
]

LEGACY_AN_GIANG = "89"
YEAR = 2026
_periods = itertools.count(1)


def allocate(actor, programme, unit_, *, year: int = YEAR, reason: str = "Kế hoạch năm", **values):
    return allocation_set(
        actor=actor, programme=programme, year=year, unit=unit_, reason=reason, **values
    )


def household_in(officer, commune, name: str = "Nguyễn Văn An"):
    return make_household(officer, commune, members=[member(name)])


def pay(
    household,
    programme,
    recorder,
    *,
    amount: int = 0,
    quantity: int = 1,
    year: int = YEAR,
    member_=None,
    period: str | None = None,
    classification: str = "",
) -> Disbursement:
    return Disbursement.objects.create(
        classification=classification,
        programme=programme,
        household=household,
        member=member_,
        commune=household.commune,
        unit_path=household.unit_path,
        year=year,
        paid_on=dt.date(year, 3, 15),
        period=period or f"ref-{next(_periods)}",
        quantity=quantity,
        amount=amount,
        funding_source="central",
        recorded_by=recorder,
    )


def reverse(payment: Disbursement, recorder) -> Disbursement:
    payment.is_reversed = True
    payment.save(update_fields=["is_reversed"])
    return Disbursement.objects.create(
        programme=payment.programme,
        household=payment.household,
        member=payment.member,
        commune=payment.commune,
        unit_path=payment.unit_path,
        year=payment.year,
        kind="reversal",
        reverses=payment,
        paid_on=payment.paid_on,
        period=payment.period,
        quantity=-payment.quantity,
        amount=-payment.amount,
        funding_source=payment.funding_source,
        recorded_by=recorder,
    )


@pytest.fixture
def legacy_an_giang(db):
    return unit(Scheme.LEGACY, Level.PROVINCE, LEGACY_AN_GIANG)


@pytest.fixture
def legacy_province_staff(make_user, legacy_an_giang):
    return make_user(Role.PROVINCE_STAFF, legacy_an_giang, username="legacy-province")


@pytest.fixture
def kien_an_officer(make_user, kien_an):
    return make_user(Role.COMMUNE_OFFICER, kien_an, username="kien-an-officer")


@pytest.fixture
def electricity(programmes):
    return programmes["electricity"]


@pytest.fixture
def plan(province_staff, an_giang, electricity) -> Allocation:
    """An Giang's 2026 electricity plan: 1,000 households, 100 million VND."""
    return allocate(province_staff, electricity, an_giang, quantity=1000, amount=100_000_000)


@pytest.fixture
def legacy_plan(legacy_province_staff, legacy_an_giang, electricity) -> Allocation:
    """The three-level An Giang's 2025 plan, and Chợ Mới's share of it."""
    return allocate(
        legacy_province_staff,
        electricity,
        legacy_an_giang,
        year=2025,
        quantity=1000,
        amount=100_000_000,
    )


@pytest.fixture
def district_share(legacy_province_staff, legacy_plan, cho_moi, electricity) -> Allocation:
    return allocate(
        legacy_province_staff, electricity, cho_moi, year=2025, quantity=300, amount=30_000_000
    )
