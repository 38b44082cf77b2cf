"""Every write that concerns a household leaves an audit record (who, when, what changed), read
back in the household's timeline, by those who may see the household and by nobody else.

The access world (world.py) is written by the services themselves: households created and
updated, reviews listed, surveyed, discussed at a meeting, posted, objected to, requested,
recognised with certificates and status changes, status rows and periods derived, entitlements
derived, priority lists, a payment and a batch. Each kind of row those services wrote is checked
against its record: a django-simple-history record, its own row's actor (a review step, a
disbursement), or an `AuditEntry`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from households.campaign.services.moves import household_move_out
from households.models import (
    AuditEntry,
    Certificate,
    Household,
    HouseholdYear,
    MeetingVote,
    Member,
    Objection,
    Review,
    ReviewRequest,
    ReviewStep,
    StatusChange,
    StatusPeriod,
)
from households.selectors import household_timeline
from policies.support.models import Disbursement, Entitlement, PriorityEntry
from policies.support.services.disbursements import disbursement_reverse

pytestmark = pytest.mark.django_db

A = "/api/v1"

# Rows with their own history: every row has at least one record, and a record names its writer.
HISTORY = [Household, Member, Review, HouseholdYear, ReviewRequest, Objection, PriorityEntry]
# Rows without one: each created row has an AuditEntry naming who wrote it.
AUDITED = [StatusPeriod, Entitlement, StatusChange, Certificate, MeetingVote]


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_rows_with_history_have_a_record_with_its_writer(world, model):
    rows = list(model.objects.values_list("pk", flat=True))
    recorded = set(
        model.history.filter(history_type="+", history_user__isnull=False).values_list(
            "id", flat=True
        )
    )
    assert rows
    assert set(rows) <= recorded


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_rows_without_history_have_an_audit_entry_of_their_creation(world, model):
    rows = list(model.objects.values_list("pk", flat=True))
    audited = set(
        AuditEntry.objects.filter(
            model=model._meta.label_lower, action="created", actor__isnull=False
        ).values_list("object_id", flat=True)
    )
    assert rows
    assert set(rows) <= audited


@pytest.mark.parametrize("model", [ReviewStep, Disbursement], ids=lambda m: m.__name__)
def test_self_recording_rows_name_their_writer(world, model):
    actor = "actor" if model is ReviewStep else "recorded_by"
    assert model.objects.exists()
    assert not model.objects.filter(**{f"{actor}__isnull": True}).exists()


def test_every_entry_of_the_timeline_names_who_and_when(world):
    household = Household.objects.get(pk=world.sides["inside"].recognised.pk)
    timeline = household_timeline(household)
    kinds = {e["kind"] for e in timeline}
    assert {"status", "status_period", "entitlement", "certificate", "disbursement"} <= kinds
    assert all(e["who"] is not None and e["when"] is not None for e in timeline)


def test_a_reversal_records_the_payment_marked_reversed(world):
    side = world.sides["inside"]
    officer = world.users["officer"]
    disbursement_reverse(actor=officer, disbursement=side.disbursement, reason="Sai đối tượng")
    entry = AuditEntry.objects.get(
        model="policies.disbursement", object_id=side.disbursement.pk, action="changed"
    )
    assert (entry.actor, entry.changes) == (
        officer,
        [{"field": "is_reversed", "old": False, "new": True}],
    )


def test_a_move_out_records_the_certificates_revoked_and_the_status_change(world):
    side = world.sides["inside"]
    officer = world.users["officer"]
    household = Household.objects.get(pk=side.recognised.pk)
    on = timezone.localdate() - dt.timedelta(days=1)
    household_move_out(actor=officer, household=household, on=on, reason="Chuyển đi Cần Thơ")
    revoked = AuditEntry.objects.get(
        model="households.certificate", object_id=side.certificate.pk, action="changed"
    )
    moved = StatusChange.objects.get(household=household, kind="moved_out")
    assert {c["field"] for c in revoked.changes} == {"revoked_on", "revoke_reason"}
    assert AuditEntry.objects.filter(
        model="households.statuschange", object_id=moved.pk, actor=officer
    ).exists()


def test_the_timeline_shows_the_reversal_to_the_household_s_officer(world):
    side = world.sides["inside"]
    disbursement_reverse(
        actor=world.users["officer"], disbursement=side.disbursement, reason="Sai đối tượng"
    )
    api = APIClient()
    api.force_authenticate(world.users["officer"])
    entries = api.get(f"{A}/households/{side.recognised.pk}/history/").json()
    reversed_ = [
        e
        for e in entries
        if e["kind"] == "disbursement" and any(c["field"] == "is_reversed" for c in e["changes"])
    ]
    assert [e["who"] for e in reversed_] == [world.users["officer"].username]


@pytest.mark.parametrize("side", ["inside", "outside"])
def test_another_commune_gets_404_for_the_timeline(world, side):
    """The officer of the inside commune asks about the outside household: 404 on the page and
    the API, as if it did not exist; their own household answers 200."""
    household = world.sides[side].recognised
    api = APIClient()
    api.force_authenticate(world.users["officer"])
    expected = 200 if side == "inside" else 404
    assert api.get(f"{A}/households/{household.pk}/history/").status_code == expected
    api.force_login(world.users["officer"])
    assert api.get(f"/households/{household.pk}/").status_code == expected


def test_audit_entries_are_visible_only_within_the_household_s_area(world):
    officer = world.users["officer"]
    outside = world.sides["outside"].recognised.pk
    visible = AuditEntry.objects.visible_to(officer)
    assert visible.exists()
    assert not visible.filter(household_id=outside).exists()
    assert AuditEntry.objects.filter(household_id=outside).exists()


def test_the_inside_timeline_names_nothing_of_the_outside(world):
    """No entry of the officer's household points to the other commune's rows."""
    inside = Household.objects.get(pk=world.sides["inside"].recognised.pk)
    outside = world.sides["outside"].recognised
    api = APIClient()
    api.force_authenticate(world.users["officer"])
    body = api.get(f"{A}/households/{inside.pk}/history/").content.decode()
    assert outside.code not in body
    assert outside.head_name not in body
