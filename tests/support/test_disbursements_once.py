"""The same batch payment sent twice (the form, or the API with its Idempotency-Key) makes one
batch: the second answers with the first. Two at the same moment, on PostgreSQL:
tests/households/test_concurrent_writes.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from policies.support.models import Disbursement, DisbursementBatch

from .disbursement_rows import allocate, listed_households

pytestmark = pytest.mark.django_db


@pytest.fixture
def electricity(programmes, officer, my_hoa_hung):
    allocate(officer, programmes["electricity"], my_hoa_hung, amount=100_000_000)
    listed_households(officer, my_hoa_hung, 2)
    return programmes["electricity"]


def test_the_batch_form_sent_twice_makes_one_batch(officer, electricity, my_hoa_hung):
    browser = Client()
    browser.force_login(officer)
    data = {
        "programme": electricity.pk,
        "commune": my_hoa_hung.pk,
        "period": "2026-Q1",
        "paid_on": "10/02/2026",
        "submission_key": "batch-1",
    }
    answers = [browser.post("/support/batches/new/", data) for _ in range(2)]
    batch = DisbursementBatch.objects.get()
    assert [(r.status_code, r.url) for r in answers] == [(302, f"/support/batches/{batch.pk}/")] * 2
    assert (batch.paid_count, Disbursement.objects.count()) == (2, 2)


def test_the_batch_form_carries_a_key(officer, electricity):
    browser = Client()
    browser.force_login(officer)
    response = browser.get("/support/batches/new/")
    assert len(response.context["form"]["submission_key"].value()) == 32


def test_the_batch_api_with_the_same_idempotency_key_makes_one_batch(
    officer, electricity, my_hoa_hung
):
    api = APIClient()
    api.force_authenticate(officer)
    body = {
        "programme": electricity.pk,
        "commune": my_hoa_hung.pk,
        "period": "2026-Q1",
        "paid_on": dt.date(2026, 2, 10),
    }
    answers = [
        api.post("/api/v1/disbursement-batches/", body, format="json", HTTP_IDEMPOTENCY_KEY="b1")
        for _ in range(2)
    ]
    assert [(r.status_code, r.json()["paid_count"]) for r in answers] == [(201, 2), (201, 2)]
    assert DisbursementBatch.objects.count() == 1
