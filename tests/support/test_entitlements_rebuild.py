"""The entitlements kept by the services are what a rebuild gives: the command, a table of
scenarios rebuilt from nothing, and any sequence of recognitions, member changes and moves."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from households.campaign import services as campaigns
from policies.support.entitlements import entitlements_rebuild
from policies.support.models import Entitlement

from .entitlement_helpers import D, monthly, periodic, rows_of, settled, update
from .factories import recognised_household

pytestmark = pytest.mark.django_db
NAMES = itertools.count(1)
CHILD = {"relationship": "child", "qualification": "primary", "employment": "student"}


def snapshot() -> list[tuple]:
    return sorted(
        Entitlement.objects.values_list(
            "programme_id", "household_id", "member_id", "basis", "valid_from", "valid_to",
            "commune_id", "unit_path",
        )
    )  # fmt: skip


def household(officer, chair, commune, classification="poor", year=2025):
    n = next(NAMES)
    return recognised_household(officer, chair, commune, classification, year=year, members=[
        settled(f"Hộ {n}"),
        settled(f"Con {n}", birth_date=D(2016, 7, 1), birth_year=2016,
                school_status="in_school", **CHILD),
    ])  # fmt: skip


def test_the_command_reports_no_change_after_the_services(programmes, officer, chair, my_hoa_hung):
    household(officer, chair, my_hoa_hung)
    out = io.StringIO()
    call_command("rebuild_entitlements", stdout=out)
    assert out.getvalue().strip() == f"{Entitlement.objects.count()} entitlements, 0 changed."


def test_the_command_restores_a_changed_and_a_deleted_row(programmes, officer, chair, my_hoa_hung):
    one = household(officer, chair, my_hoa_hung)
    kept = snapshot()
    Entitlement.objects.filter(household=one, programme__code="electricity").delete()
    Entitlement.objects.filter(household=one, programme__code="bhyt").update(basis="near_poor")
    call_command("rebuild_entitlements", stdout=io.StringIO())
    assert snapshot() == kept


def _consecutive(officer, chair, commune):
    periodic(officer, chair, household(officer, chair, commune), 2026, "poor")


def _escape(officer, chair, commune):
    periodic(officer, chair, household(officer, chair, commune, year=2024), 2025, "not_poor")


def _move(officer, chair, commune):
    campaigns.household_move_out(
        actor=officer, household=household(officer, chair, commune), on=D(2025, 8, 1),
        reason="Chuyển đi",
    )  # fmt: skip


def _near_poor(officer, chair, commune):
    household(officer, chair, commune, "near_poor")


@pytest.mark.parametrize("scenario", [_consecutive, _escape, _move, _near_poor])
def test_a_rebuild_from_nothing_gives_the_rows_the_services_kept(
    scenario, programmes, officer, chair, my_hoa_hung
):
    scenario(officer, chair, my_hoa_hung)
    kept = snapshot()
    Entitlement.objects.all().delete()
    entitlements_rebuild()
    assert snapshot() == kept


CLASSES = st.sampled_from(["poor", "near_poor", "not_poor"])
OPERATIONS = st.one_of(
    st.tuples(st.just("periodic"), st.sampled_from([2025, 2026]), CLASSES),
    st.tuples(st.just("monthly"), st.integers(1, 10), CLASSES),
    st.tuples(st.just("school"), st.sampled_from(["in_school", "out_of_school"])),
    st.tuples(st.just("joins")),
    st.tuples(st.just("leaves")),
    st.tuples(
        st.sampled_from(["move_out", "move_in"]),
        st.sampled_from([dt.date(2025, 6, 1), dt.date(2026, 2, 1), dt.date(2026, 8, 1)]),
    ),
)


def _apply(operation, one, officer, chair) -> None:
    name, *args = operation
    one.refresh_from_db()
    rows = rows_of(one)
    if name == "periodic":
        periodic(officer, chair, one, *args)
    elif name == "monthly":
        monthly(officer, chair, one, dt.date(2026, args[0], 2), args[1])
    elif name == "school":
        update(officer, one, members=[{**r, "school_status": args[0]} if r["relationship"]
                                      == "child" else r for r in rows])  # fmt: skip
    elif name == "joins":
        update(officer, one, members=[*rows, settled(f"Bé {next(NAMES)}", birth_year=2024,
                                                     **CHILD)])  # fmt: skip
    elif name == "leaves":
        update(officer, one, members=[r for r in rows if r["relationship"] == "head"])
    elif name == "move_out":
        campaigns.household_move_out(actor=officer, household=one, on=args[0], reason="Đi")
    else:
        campaigns.household_move_in(actor=officer, household=one, on=args[0])


@settings(
    max_examples=10,  # fresh examples every run: coverage accrues across runs
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=5))
def test_the_rows_kept_by_the_services_are_what_a_rebuild_gives(
    operations, programmes, officer, chair, my_hoa_hung
):
    """From a household on the 2025 list, any sequence of recognitions, school and member
    changes and moves leaves the rows a rebuild gives (no row changes)."""
    one = household(officer, chair, my_hoa_hung)
    for operation in operations:
        with contextlib.suppress(ValidationError):  # a step the rules refuse writes nothing
            _apply(operation, one, officer, chair)
    kept = snapshot()
    assert (entitlements_rebuild(), snapshot()) == (0, kept)
