"""Reads of disbursements: the scoped lists the pages and the API share, and what one household
received, by programme."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..choices import EntryKind
from ..models import Disbursement, DisbursementBatch, Programme


def disbursement_list(*, user) -> QuerySet[Disbursement]:
    """Payments and reversals of the households the user may see, newest first."""
    return Disbursement.objects.visible_to(user).select_related(
        "programme", "household", "member", "commune", "reverses"
    )


def batch_list(*, user) -> QuerySet[DisbursementBatch]:
    """Batch runs of the communes the user may see, newest first."""
    return DisbursementBatch.objects.visible_to(user).select_related(
        "programme", "commune", "created_by"
    )


@dataclass
class ProgrammeSupport:
    """What a household received under one programme: every entry, and the totals net of
    reversals."""

    programme: Programme
    entries: list[Disbursement] = field(default_factory=list)
    amount: int = 0
    quantity: int = 0
    payments: int = 0


def household_support(household) -> list[ProgrammeSupport]:
    """What the household received, by programme, reversals included (one query)."""
    found: dict[int, ProgrammeSupport] = {}
    rows = (
        Disbursement.objects.filter(household=household)
        .select_related("programme", "member")
        .order_by("programme__position", "programme__code", "-paid_on", "-pk")
    )
    for row in rows:
        support = found.setdefault(row.programme_id, ProgrammeSupport(row.programme))
        support.entries.append(row)
        support.amount += row.amount
        support.quantity += row.quantity
        if row.kind == EntryKind.PAYMENT and not row.is_reversed:
            support.payments += 1
    return list(found.values())
