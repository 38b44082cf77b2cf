"""Reads of entitlements: the list, a household's, and what starts, ends or falls due in a
month in the user's communes (a constant number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from households.models import Household
from registry.limits import MAX_YEAR, MIN_YEAR

from .. import rules
from ..choices import BenefitKind, EntitlementBasis, EntryKind, PeriodKind
from ..models import Disbursement, Entitlement

PERIODIC = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
_RELATED = ("programme", "household", "member", "commune")


def entitlement_list(*, user) -> QuerySet[Entitlement]:
    """The entitlements of the user's area, newest first."""
    return (
        Entitlement.objects.visible_to(user)
        .select_related(*_RELATED)
        .order_by("-valid_from", "household__code", "programme__position", "member_id", "pk")
    )


def household_entitlements(household: Household) -> list[Entitlement]:
    """A household's entitlements (the page has already checked the household is in scope),
    current and future first, then those that ended."""
    return list(
        Entitlement.objects.filter(household=household)
        .select_related("programme", "member")
        .order_by("-valid_to", "programme__position", "member_id", "valid_from")
    )


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    after = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def parse_month(text: str | None) -> dt.date:
    """The first day of a month typed "YYYY-MM"; ValueError otherwise."""
    text = rules.parse_period(rules.MONTH, text or "")
    year, month = (int(part) for part in text.split("-"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(text)
    return dt.date(year, month, 1)


@dataclass
class Due:
    """What a commune has to act on in a month."""

    month: dt.date
    starts: list[Entitlement] = field(default_factory=list)
    ends: list[Entitlement] = field(default_factory=list)
    due: list[Entitlement] = field(default_factory=list)  # each with `due_period`

    @property
    def loan_windows_closing(self) -> list[Entitlement]:
        """The households whose post-exit loan window closes this month."""
        return [
            e
            for e in self.ends
            if e.basis == EntitlementBasis.ESCAPED and e.programme.benefit_kind == BenefitKind.LOAN
        ]


def period_keys(month: dt.date) -> dict[str, str]:
    """The period of each periodic kind that contains `month` (it is current in the month, and
    ends in it when the month is its last)."""
    return {kind: rules.period_key(kind, month) for kind in PERIODIC}


def entitlements_due(*, user, month: dt.date) -> Due:
    """For the user's communes: the entitlements that start in `month`, those that end in it
    (whether at the end of a list or early, by a change of status), and those of periodic
    programmes entitled during the period current in the month with no payment for it yet
    (a reversed payment does not count). Three queries."""
    first, last = month_bounds(month)
    rows = entitlement_list(user=user).order_by(
        "household__code", "programme__position", "member_id", "valid_from"
    )
    keys = period_keys(first)
    bounds = {kind: rules.period_bounds(kind, key) for kind, key in keys.items()}
    due_period = Case(
        *(When(programme__period_kind=kind, then=Value(key)) for kind, key in keys.items()),
        default=Value(""),
        output_field=CharField(),
    )
    paid = (
        Disbursement.objects.filter(
            kind=EntryKind.PAYMENT,
            is_reversed=False,
            programme=OuterRef("programme"),
            household=OuterRef("household"),
            period=OuterRef("due_period"),
        )
        .annotate(member_key=Coalesce("member_id", 0))
        .filter(member_key=OuterRef("member_key"))
    )
    in_period = Q()
    for kind, (start, end) in bounds.items():
        in_period |= Q(programme__period_kind=kind, valid_from__lte=end, valid_to__gte=start)
    due = (
        rows.filter(programme__period_kind__in=PERIODIC)
        .filter(in_period)
        .annotate(due_period=due_period, member_key=Coalesce("member_id", 0))
        .filter(~Exists(paid))
    )
    return Due(
        month=first,
        starts=list(rows.filter(valid_from__range=(first, last))),
        ends=list(rows.filter(valid_to__range=(first, last))),
        due=list(due),
    )
