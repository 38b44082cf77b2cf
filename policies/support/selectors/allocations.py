"""Reads of programmes, allocations and plan against actual, shared by the pages and the API.

Plan against actual is a rollup: the allocations of the unit and of the units one level below
come in one query, and what was delivered in one query grouped by commune, rolled up to the
units below by their paths in Python; so the number of queries does not grow with the communes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from households.choices import Classification
from registry.choices import Level
from registry.models import AdminUnit
from registry.scoping import scope_for

from ..models import Allocation, AllocationOverride, Disbursement, Programme, ProgrammeParameter

# --- programmes ---------------------------------------------------------------------------------


def programme_list(*, user, day: dt.date | None = None) -> QuerySet[Programme]:
    """National programmes and the local ones of the user's provinces, each with the
    parameters in force on `day` (default today) as `current_parameters`."""
    day = day or timezone.localdate()
    return (
        Programme.objects.available_to(user)
        .select_related("province")
        .prefetch_related(
            Prefetch(
                "parameters",
                queryset=ProgrammeParameter.objects.in_force(day).order_by("key", "variant"),
                to_attr="current_parameters",
            )
        )
        .order_by("position", "code")
    )


def parameter_history(*, programme: Programme) -> QuerySet[ProgrammeParameter]:
    """Every dated value of the programme's parameters, by key and variant, newest first."""
    return programme.parameters.select_related("created_by").order_by(
        "key", "variant", "-valid_from"
    )


# --- allocations --------------------------------------------------------------------------------


def allocation_list(*, user) -> QuerySet[Allocation]:
    """The allocations of units the user may see."""
    return (
        Allocation.objects.visible_to(user)
        .select_related("programme", "unit", "parent", "changed_by")
        .order_by("programme__position", "programme__code", "-year", "unit_path")
    )


def allocation_history(*, allocation: Allocation):
    """Every saved state of an allocation, newest first, with who saved it."""
    return allocation.history.select_related("history_user").order_by("-history_date", "-pk")


def allocation_overrides(*, user, allocation: Allocation) -> QuerySet[AllocationOverride]:
    return (
        AllocationOverride.objects.visible_to(user)
        .filter(allocation=allocation)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )


# --- plan against actual ------------------------------------------------------------------------


@dataclass
class PlanRow:
    """What a unit was allocated and what was delivered in it."""

    unit: AdminUnit
    allocation: Allocation | None = None
    # Actual: distinct households (persons for a per-person programme; borrowing households for
    # loans), quantity (cards, months, loans...) and amount, payments minus reversals.
    beneficiaries: int = 0
    quantity: int = 0
    amount: int = 0
    is_total: bool = False
    # Of the beneficiaries, those of poor households (their status when they were paid): e.g.
    # trainees of vocational training, and of them members of poor households.
    poor_beneficiaries: int = 0

    @property
    def allocated_quantity(self) -> int | None:
        return self.allocation.quantity if self.allocation else None

    @property
    def allocated_beneficiaries(self) -> int | None:
        return self.allocation.beneficiaries if self.allocation else None

    @property
    def allocated_amount(self) -> int | None:
        return self.allocation.amount if self.allocation else None

    @property
    def share_used(self) -> int | None:
        """Percent of the budget used (of the target quantity where there is no budget)."""
        planned, used = self.allocated_amount, self.amount
        if not planned:
            planned, used = self.allocated_quantity, self.quantity
        if not planned:
            return None
        return round(100 * used / planned)


@dataclass
class Plan:
    """A programme's plan against actual for a unit: its own row, a row per unit one level
    below, and the totals of those rows."""

    programme: Programme
    year: int
    unit: AdminUnit
    own: PlanRow
    rows: list[PlanRow] = field(default_factory=list)
    totals: PlanRow | None = None


def child_units(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The units one level below (districts or communes of a province, communes of a
    district); none below a commune."""
    if unit.level == Level.COMMUNE:
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(parent=unit, level__in=(Level.DISTRICT, Level.COMMUNE))


def _segments(path: str) -> int:
    return path.count("/")


def _prefix(path: str, segments: int) -> str:
    return "/".join(path.split("/")[:segments]) + "/"


def _beneficiary_field(programme: Programme) -> str:
    return "member" if programme.per_person else "household"


PAID = Q(kind="payment", is_reversed=False)
PAID_POOR = PAID & Q(classification=Classification.POOR)


def plan_against_actual(*, user, programme: Programme, year: int, unit: AdminUnit) -> Plan:
    """Allocated and delivered for `unit` and each unit one level below (a commune: itself
    only). Four queries: the units below, the allocations, the deliveries grouped by commune,
    and the distinct beneficiaries of the whole unit."""
    children = list(child_units(unit).order_by("name")) if unit.level != Level.COMMUNE else []
    paths = [unit.path, *(c.path for c in children)]
    allocations = {
        a.unit_path: a
        for a in Allocation.objects.visible_to(user)
        .filter(programme=programme, year=year, unit_path__in=paths)
        .select_related("unit")
    }
    who = _beneficiary_field(programme)
    delivered = Disbursement.objects.visible_to(user).filter(
        programme=programme, year=year, unit_path__startswith=unit.path
    )
    by_child: dict[str, PlanRow] = {
        c.path: PlanRow(unit=c, allocation=allocations.get(c.path)) for c in children
    }
    own = PlanRow(unit=unit, allocation=allocations.get(unit.path))
    depth = _segments(unit.path) + 1
    for row in (
        delivered.values("commune__path")
        .annotate(
            quantity=Sum("quantity"),
            amount=Sum("amount"),
            beneficiaries=Count(who, distinct=True, filter=PAID),
            poor_beneficiaries=Count(who, distinct=True, filter=PAID_POOR),
        )
        .order_by()
    ):
        commune_path = row["commune__path"]
        own.quantity += row["quantity"] or 0
        own.amount += row["amount"] or 0
        target = by_child.get(_prefix(commune_path, depth)) if children else None
        if target is not None:
            target.quantity += row["quantity"] or 0
            target.amount += row["amount"] or 0
            target.beneficiaries += row["beneficiaries"]
            target.poor_beneficiaries += row["poor_beneficiaries"]
    # A household paid in two communes in the year (it moved) counts once for the unit.
    counted = delivered.aggregate(
        all=Count(who, distinct=True, filter=PAID), poor=Count(who, distinct=True, filter=PAID_POOR)
    )
    own.beneficiaries, own.poor_beneficiaries = counted["all"], counted["poor"]
    rows = list(by_child.values())
    return Plan(
        programme=programme,
        year=year,
        unit=unit,
        own=own,
        rows=rows,
        totals=_totals(unit, rows) if rows else None,
    )


def _sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _totals(unit: AdminUnit, rows: list[PlanRow]) -> PlanRow:
    """The sums of the rows below: allocated to them, and delivered in them."""
    allocated = Allocation(
        quantity=_sum(r.allocated_quantity for r in rows),
        beneficiaries=_sum(r.allocated_beneficiaries for r in rows),
        amount=_sum(r.allocated_amount for r in rows),
    )
    return PlanRow(
        unit=unit,
        allocation=allocated,
        beneficiaries=sum(r.beneficiaries for r in rows),
        poor_beneficiaries=sum(r.poor_beneficiaries for r in rows),
        quantity=sum(r.quantity for r in rows),
        amount=sum(r.amount for r in rows),
        is_total=True,
    )


@dataclass
class SummaryRow:
    """One programme's allocation and delivery in a unit and year."""

    programme: Programme
    allocation: Allocation | None
    beneficiaries: int = 0
    quantity: int = 0
    amount: int = 0
    poor_beneficiaries: int = 0

    share_used = PlanRow.share_used
    allocated_quantity = PlanRow.allocated_quantity
    allocated_beneficiaries = PlanRow.allocated_beneficiaries
    allocated_amount = PlanRow.allocated_amount


def support_summary(*, user, unit: AdminUnit, year: int) -> list[SummaryRow]:
    """Every programme the user sees, with what `unit` was allocated of it in `year` and what
    was delivered in the unit. Four queries (programmes, allocations, deliveries of household
    programmes grouped by programme, the same of per-person programmes)."""
    programmes = list(Programme.objects.available_to(user).order_by("position", "code"))
    allocations = {
        a.programme_id: a
        for a in Allocation.objects.visible_to(user).filter(year=year, unit_path=unit.path)
    }
    delivered = Disbursement.objects.visible_to(user).filter(
        year=year, unit_path__startswith=unit.path
    )
    actual: dict[int, dict[str, int]] = defaultdict(dict)
    per_person = [p.pk for p in programmes if p.per_person]
    for who, ids in (("member", per_person), ("household", None)):
        rows = delivered.filter(programme_id__in=ids) if ids is not None else delivered
        if ids is None:
            rows = rows.exclude(programme_id__in=per_person)
        for row in (
            rows.values("programme_id")
            .annotate(
                quantity=Sum("quantity"),
                amount=Sum("amount"),
                beneficiaries=Count(who, distinct=True, filter=PAID),
                poor_beneficiaries=Count(who, distinct=True, filter=PAID_POOR),
            )
            .order_by()
        ):
            actual[row["programme_id"]] = row
    return [
        SummaryRow(
            programme=p,
            allocation=allocations.get(p.pk),
            beneficiaries=actual[p.pk].get("beneficiaries", 0),
            poor_beneficiaries=actual[p.pk].get("poor_beneficiaries", 0),
            quantity=actual[p.pk].get("quantity") or 0,
            amount=actual[p.pk].get("amount") or 0,
        )
        for p in programmes
    ]


def plan_units(*, user) -> list[AdminUnit]:
    """The units a user's plan pages start from: the provinces, districts and communes they
    are assigned to, top-most first."""
    scope = scope_for(user)
    if scope.everything and not scope.assigned_paths:
        return list(AdminUnit.objects.filter(level=Level.PROVINCE).order_by("scheme", "name"))
    return list(
        AdminUnit.objects.filter(path__in=scope.assigned_paths)
        .exclude(level=Level.VILLAGE)
        .order_by("depth", "name")
    )
