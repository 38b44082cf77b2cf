"""Two writers at the same moment, on PostgreSQL, in threads with their own connections: two
officers creating households of one commune both succeed with different codes; two edits of the
same household through the form or the API, one saved and the other told of the conflict with
nothing lost; the same form or batch payment sent twice at once makes one record.

Each write is slowed inside its transaction (after its first row is written), so the second
writer arrives while the first still holds its locks. Transactional tests empty the database
when they end: each test loads An Giang's units, and the module loads every unit again after its
last test (tests/support/test_disbursements_concurrency.py does the same)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from rest_framework.test import APIClient

from households import services
from households.models import Household
from policies.support.catalogue import load_catalogue
from policies.support.models import DisbursementBatch, Programme
from registry.choices import Role

from ..support.disbursement_rows import allocate, listed_households
from .test_api import HOUSEHOLDS, create_payload
from .test_views import THREE_MEMBERS, form_data, make_household, member, review_data

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write to the whole database: two cannot overlap there",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def _units_again(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_units", verbosity=0, stdout=quiet)


@pytest.fixture(autouse=True)
def _an_giang(transactional_db):
    from registry.loading import load_units

    load_units(scheme="2025", province=91)


@pytest.fixture
def slow_writes():
    """Each household write waits a moment inside its transaction, once its rows are written."""
    real = services._sync_head

    def slow(household):
        time.sleep(0.3)
        return real(household)

    with mock.patch.object(services, "_sync_head", side_effect=slow):
        yield


def at_once(*calls: Callable[[], object]) -> list:
    """Run the calls in threads started together; their results (or errors), in call order."""
    start = threading.Barrier(len(calls))
    found: list = [None] * len(calls)

    def run(n: int, call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=10)
            found[n] = call()
        except Exception as error:  # the test reads it
            found[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return found


def logged_in(user) -> Client:
    http = Client(HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(user)
    return http


def api_for(user) -> APIClient:
    http = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    http.force_authenticate(user)
    return http


def test_two_officers_creating_households_at_once_both_succeed(
    officer, make_user, my_hoa_hung, slow_writes
):
    colleague = make_user(Role.COMMUNE_OFFICER, my_hoa_hung)
    found = at_once(
        lambda: make_household(officer, my_hoa_hung, head="Hộ Một"),
        lambda: make_household(colleague, my_hoa_hung, head="Hộ Hai"),
    )
    assert all(isinstance(h, Household) for h in found), found
    assert sorted(h.code for h in found) == [
        f"{my_hoa_hung.code}-000001",
        f"{my_hoa_hung.code}-000002",
    ]


def _edit(household, head, address: str) -> dict:
    return form_data(
        members=[{**member("Nguyễn Văn An", "head", 1970), "id": head.pk}],
        initial_forms=1,
        version=household.version,
        address=address,
    )


def test_two_edits_through_the_form_at_once_save_one_and_tell_the_other(
    officer, make_user, my_hoa_hung, slow_writes
):
    household = make_household(officer, my_hoa_hung)
    head = household.members.get()
    url = f"/households/{household.pk}/edit/"
    mine, theirs = logged_in(officer), logged_in(make_user(Role.COMMUNE_OFFICER, my_hoa_hung))
    found = at_once(
        lambda: mine.post(url, _edit(household, head, "Tổ A")),
        lambda: theirs.post(url, _edit(household, head, "Tổ B")),
    )
    assert sorted(r.status_code for r in found) == [302, 409]
    household.refresh_from_db()
    saved = next(r for r in found if r.status_code == 302)
    refused = next(r for r in found if r.status_code == 409)
    # The refused writer is told, and their typing is still in the form they get back.
    assert "Someone else saved this household" in refused.content.decode()
    assert refused.context["form"]["address"].value() != household.address
    assert household.address == ("Tổ A" if saved is found[0] else "Tổ B")
    assert (household.version, household.history.filter(history_type="~").count()) == (2, 1)


def test_two_edits_through_the_api_at_once_save_one_and_answer_409(
    officer, make_user, my_hoa_hung, slow_writes
):
    household = make_household(officer, my_hoa_hung)
    url = f"{HOUSEHOLDS}{household.pk}/"
    mine, theirs = api_for(officer), api_for(make_user(Role.COMMUNE_OFFICER, my_hoa_hung))
    found = at_once(
        lambda: mine.patch(url, {"version": 1, "address": "Tổ A"}, format="json"),
        lambda: theirs.patch(url, {"version": 1, "phone": "0909 000 111"}, format="json"),
    )
    assert sorted(r.status_code for r in found) == [200, 409]
    refused = next(r for r in found if r.status_code == 409)
    assert refused.json()["current_version"] == 2
    household.refresh_from_db()
    assert household.version == 2
    assert (household.address, household.phone) in {("Tổ A", ""), ("Tổ 1", "0909 000 111")}


def test_the_same_new_household_form_sent_twice_at_once_registers_one(
    officer, my_hoa_hung, slow_writes
):
    browser = logged_in(officer)
    data = form_data(
        members=THREE_MEMBERS, review=review_data(), commune=my_hoa_hung.pk, submission_key="k"
    )
    found = at_once(
        lambda: browser.post("/households/new/", data),
        lambda: browser.post("/households/new/", data),
    )
    household = Household.objects.get()
    assert [(r.status_code, r.url) for r in found] == [(302, f"/households/{household.pk}/")] * 2


def test_the_same_api_call_sent_twice_at_once_registers_one(officer, my_hoa_hung, slow_writes):
    api = api_for(officer)
    payload = create_payload(my_hoa_hung)
    found = at_once(
        *[
            lambda: api.post(HOUSEHOLDS, payload, format="json", HTTP_IDEMPOTENCY_KEY="k")
            for _ in range(2)
        ]
    )
    assert [r.status_code for r in found] == [201, 201]
    assert {r.json()["id"] for r in found} == {Household.objects.get().pk}


def test_the_same_batch_payment_sent_twice_at_once_makes_one_batch(officer, my_hoa_hung):
    load_catalogue()
    electricity = Programme.objects.get(code="electricity")
    allocate(officer, electricity, my_hoa_hung, amount=100_000_000)
    listed_households(officer, my_hoa_hung, 3)
    browser = logged_in(officer)
    data = {
        "programme": electricity.pk,
        "commune": my_hoa_hung.pk,
        "period": "2026-Q1",
        "paid_on": "10/02/2026",
        "submission_key": "batch",
    }
    found = at_once(*[lambda: browser.post("/support/batches/new/", data) for _ in range(2)])
    batch = DisbursementBatch.objects.get()
    assert [(r.status_code, r.url) for r in found] == [(302, f"/support/batches/{batch.pk}/")] * 2
    assert batch.paid_count == 3


def test_two_decisions_signed_at_once_number_their_certificates_apart(officer, chair, my_hoa_hung):
    # Found by bench/load.py: two decisions of one commune at the same moment read the same
    # count of its certificates, so both numbered theirs 0001 and the second was refused by
    # the database (a server error). The commune is now locked while a decision is made.
    import datetime as dt

    from households.campaign import services as campaigns
    from households.campaign.services import recognition
    from households.models import Certificate

    households = [make_household(officer, my_hoa_hung, head=name) for name in ("Hộ Một", "Hộ Hai")]
    reviews = [h.reviews.get() for h in households]
    on = dt.date(2025, 12, 1)
    campaigns.meeting_record(
        actor=officer, commune=my_hoa_hung, village=None, held_on=on - dt.timedelta(days=10),
        attendees=10, chaired_by="Trưởng ấp", votes={r.pk: 10 for r in reviews},
    )  # fmt: skip
    campaigns.posting_record(
        actor=officer, commune=my_hoa_hung, village=None, posted_from=on - dt.timedelta(days=9),
        posted_to=on - dt.timedelta(days=3),
    )  # fmt: skip
    real = recognition._revoke_replaced

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    def decide(review, number):
        return campaigns.recognition_decide(
            actor=chair, commune=my_hoa_hung, number=number, signed_on=on,
            review_ids=[review.pk],
        )  # fmt: skip

    with mock.patch.object(recognition, "_revoke_replaced", side_effect=slow):
        found = at_once(
            lambda: decide(reviews[0], "01/QĐ-UBND"), lambda: decide(reviews[1], "02/QĐ-UBND")
        )
    assert not any(isinstance(f, Exception) for f in found), found
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
