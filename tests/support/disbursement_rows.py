"""Rows for the disbursement tests: many households on a list written straight to the tables
(for batches of a size the services would take minutes to build), allocations, overrides and
priority lists written through the ORM (their services belong to other areas)."""

from __future__ import annotations

import datetime as dt
import itertools

from households.models import Household, HouseholdYear, Member, StatusPeriod
from policies.support.models import (
    Allocation,
    AllocationOverride,
    PriorityEntry,
    PriorityList,
    Programme,
)
from registry.models import AdminUnit, User
from registry.text import search_key

SERIAL = itertools.count(1)


def listed_households(
    actor: User,
    commune: AdminUnit,
    count: int,
    *,
    classification: str = "poor",
    year: int = 2026,
    members: int = 1,
) -> list[Household]:
    """`count` households of `commune` on the list of `year` as `classification`, each with a
    head (and `members - 1` children born in 2016, in school), in three bulk inserts."""
    province = AdminUnit.objects.get(pk=commune.parent_id) if commune.parent_id else commune
    while province.parent_id:
        province = AdminUnit.objects.get(pk=province.parent_id)
    serial = next(SERIAL)
    households = Household.objects.bulk_create(
        Household(
            code=f"{commune.code}-B{serial:03d}{n:05d}",
            commune=commune,
            province=province,
            unit_path=commune.path,
            area_type=commune.area_type or "rural",
            head_name=f"Hộ {n}",
            head_name_search=search_key(f"Hộ {n}"),
            created_by=actor,
        )
        for n in range(count)
    )
    Member.objects.bulk_create(
        Member(
            household=h,
            full_name=f"Người {h.pk}-{m}",
            name_search=f"nguoi {h.pk}-{m}",
            relationship="head" if m == 0 else "child",
            sex="male",
            birth_year=1980 if m == 0 else 2016,
            ethnicity="01",
            school_status="not_applicable" if m == 0 else "in_school",
        )
        for h in households
        for m in range(members)
    )
    HouseholdYear.objects.bulk_create(
        HouseholdYear(
            household=h,
            list_year=year,
            classification=classification,
            review_kind="periodic",
            persons=members,
            is_ethnic_minority=False,
            commune=commune,
            province=province,
            unit_path=commune.path,
            area_type=h.area_type,
            standard_code="ND07-2021",
            valid_from=dt.date(year, 1, 1),
            valid_to=dt.date(year, 12, 31),
        )
        for h in households
    )
    StatusPeriod.objects.bulk_create(
        StatusPeriod(
            household=h,
            list_year=year,
            classification=classification,
            review_kind="periodic",
            is_ethnic_minority=False,
            commune=commune,
            province=province,
            unit_path=commune.path,
            standard_code="ND07-2021",
            valid_from=dt.date(year, 1, 1),
            valid_to=dt.date(year, 12, 31),
        )
        for h in households
    )
    return households


def allocate(
    actor: User,
    programme: Programme,
    commune: AdminUnit,
    *,
    year: int = 2026,
    amount: int | None = None,
    quantity: int | None = None,
) -> Allocation:
    return Allocation.objects.create(
        programme=programme,
        year=year,
        unit=commune,
        unit_path=commune.path,
        amount=amount,
        quantity=quantity,
        reason="Kế hoạch năm",
        changed_by=actor,
    )


def override(
    actor: User, allocation: Allocation, *, extra_amount: int = 0, extra_quantity: int = 0
) -> AllocationOverride:
    return AllocationOverride.objects.create(
        allocation=allocation,
        unit_path=allocation.unit_path,
        extra_amount=extra_amount,
        extra_quantity=extra_quantity,
        reason="Huyện cho phép vượt phân bổ do bão lũ",
        created_by=actor,
    )


def priority_list(
    actor: User,
    programme: Programme,
    commune: AdminUnit,
    households: list[Household],
    *,
    year: int = 2026,
    status: str = "decided",
) -> PriorityList:
    """The commune's list for the year, the households in the order given."""
    decided = PriorityList.objects.create(
        programme=programme,
        year=year,
        commune=commune,
        unit_path=commune.path,
        status=status,
        meeting_on=dt.date(year, 1, 10),
        attendees=30,
        agreed=25,
        created_by=actor,
    )
    PriorityEntry.objects.bulk_create(
        PriorityEntry(
            priority_list=decided,
            household=h,
            unit_path=h.unit_path,
            rank=rank,
            reason="Nhà dột nát nhất ấp",
        )
        for rank, h in enumerate(households, start=1)
    )
    return decided
