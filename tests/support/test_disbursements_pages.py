"""The disbursement pages and API: recording a payment with the errors beside their fields, what
the form says a programme needs, reversing, running a batch and reading its result, the
household page's section, and the same through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from policies.support.models import Disbursement

from .disbursement_rows import allocate, listed_households

pytestmark = pytest.mark.django_db

QUARTER = 30 * 2_044 * 3


@pytest.fixture
def browser(officer) -> Client:
    http = Client()
    http.force_login(officer)
    return http


@pytest.fixture
def api(officer) -> APIClient:
    http = APIClient()
    http.force_authenticate(officer)
    return http


@pytest.fixture
def electricity(programmes, officer, my_hoa_hung):
    allocate(officer, programmes["electricity"], my_hoa_hung, amount=100_000_000)
    return programmes["electricity"]


@pytest.fixture
def poor(officer, my_hoa_hung):
    return listed_households(officer, my_hoa_hung, 1)[0]


def form_data(programme, household, **extra) -> dict:
    data = {
        "programme": programme.pk,
        "household": household.pk,
        "paid_on": "10/02/2026",
        "quantity": 1,
    }
    data.update(extra)
    return data


def test_the_form_records_a_payment_and_goes_to_the_household(browser, electricity, poor):
    response = browser.post("/support/disbursements/new/", form_data(electricity, poor))
    assert response["Location"] == f"/households/{poor.pk}/"
    assert Disbursement.objects.get().amount == QUARTER


def test_the_form_puts_the_service_s_error_beside_the_amount(browser, electricity, poor):
    response = browser.post(
        "/support/disbursements/new/", form_data(electricity, poor, amount="500.000")
    )
    form = response.context["form"]
    assert (response.status_code, list(form.errors)) == (200, ["amount"])


def test_the_form_says_what_a_programme_needs(browser, programmes):
    response = browser.get(f"/support/disbursements/new/?programme={programmes['vbsp_poor'].pk}")
    needs = response.context["needs"]
    assert (needs["entered"], needs["priority"], needs["needs_reference"]) == (True, True, True)


def test_the_form_offers_the_chosen_household_s_members(browser, programmes, poor):
    response = browser.get(f"/support/disbursements/new/?household={poor.pk}")
    assert list(response.context["form"].fields["member"].queryset) == list(poor.members.all())


def test_the_chair_may_not_open_the_form(chair):
    http = Client()
    http.force_login(chair)
    assert http.get("/support/disbursements/new/").status_code == 403


def test_the_reversal_page_reverses_with_the_reason(browser, officer, electricity, poor):
    browser.post("/support/disbursements/new/", form_data(electricity, poor))
    paid = Disbursement.objects.get()
    browser.post(f"/support/disbursements/{paid.pk}/reverse/", {"reason": "Nhầm hộ"})
    assert Disbursement.objects.get(reverses=paid).note == "Nhầm hộ"


def test_the_batch_page_shows_what_it_paid_and_skipped(browser, electricity, my_hoa_hung, officer):
    listed_households(officer, my_hoa_hung, 2)
    listed_households(officer, my_hoa_hung, 1, classification="near_poor")
    response = browser.post(
        "/support/batches/new/",
        {
            "programme": electricity.pk,
            "commune": my_hoa_hung.pk,
            "period": "2026-Q1",
            "paid_on": "10/02/2026",
        },
        follow=True,
    )
    assert (response.context["batch"].paid_count, response.context["reasons"][0]["count"]) == (2, 1)


def test_the_household_page_shows_the_support_received(browser, electricity, poor):
    browser.post("/support/disbursements/new/", form_data(electricity, poor))
    response = browser.get(f"/households/{poor.pk}/")
    assert [s.amount for s in response.context["support_received"]] == [QUARTER]


def test_the_list_filters_by_period(browser, electricity, poor, officer, my_hoa_hung):
    browser.post("/support/disbursements/new/", form_data(electricity, poor))
    response = browser.get("/support/disbursements/?period=2026-Q2")
    assert list(response.context["page"]) == []


# --- API ---------------------------------------------------------------------------------------


def test_the_api_records_a_payment(api, electricity, poor):
    response = api.post(
        "/api/v1/disbursements/",
        {"programme": electricity.pk, "household": poor.pk, "paid_on": dt.date(2026, 2, 10)},
        format="json",
    )
    assert (response.status_code, response.json()["amount"], response.json()["period"]) == (
        201,
        QUARTER,
        "2026-Q1",
    )


def test_the_api_refuses_a_second_payment_naming_the_period(api, electricity, poor):
    body = {"programme": electricity.pk, "household": poor.pk, "paid_on": dt.date(2026, 2, 10)}
    api.post("/api/v1/disbursements/", body, format="json")
    response = api.post("/api/v1/disbursements/", body, format="json")
    assert (response.status_code, list(response.json())) == (400, ["period"])


def test_the_api_reverses_a_payment(api, electricity, poor):
    body = {"programme": electricity.pk, "household": poor.pk, "paid_on": dt.date(2026, 2, 10)}
    paid = api.post("/api/v1/disbursements/", body, format="json").json()
    response = api.post(
        f"/api/v1/disbursements/{paid['id']}/reverse/", {"reason": "Sai"}, format="json"
    )
    assert (response.status_code, response.json()["amount"]) == (201, -QUARTER)


def test_the_api_runs_a_batch(api, electricity, my_hoa_hung, officer):
    listed_households(officer, my_hoa_hung, 3)
    response = api.post(
        "/api/v1/disbursement-batches/",
        {
            "programme": electricity.pk,
            "commune": my_hoa_hung.pk,
            "period": "2026-Q1",
            "paid_on": dt.date(2026, 2, 10),
        },
        format="json",
    )
    assert (response.status_code, response.json()["paid_count"]) == (201, 3)


def test_the_api_lists_payments_by_batch(api, electricity, my_hoa_hung, officer):
    listed_households(officer, my_hoa_hung, 3)
    batch = api.post(
        "/api/v1/disbursement-batches/",
        {
            "programme": electricity.pk,
            "commune": my_hoa_hung.pk,
            "period": "2026-Q1",
            "paid_on": dt.date(2026, 2, 10),
        },
        format="json",
    ).json()
    assert api.get(f"/api/v1/disbursements/?batch={batch['id']}").json()["count"] == 3


def test_the_schema_documents_the_disbursement_endpoints(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {
        "/api/v1/disbursements/",
        "/api/v1/disbursements/{id}/reverse/",
        "/api/v1/disbursement-batches/",
    } <= set(schema["paths"])
