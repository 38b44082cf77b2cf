"""The pages and the API of entitlements: the month's due list (with its month picker and a
clear answer to a month that is not one), the full list with its filters, the household's
section, and the API's list and due list, scoped to the user's communes."""

from __future__ import annotations

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from .entitlement_helpers import settled
from .factories import recognised_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def poor_2026(programmes, officer, chair, my_hoa_hung):
    return recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "poor",
        year=2026,
        members=[settled("Nguyễn Văn An"), settled("Trần Thị Bình", relationship="spouse",
                                                   sex="female")],
    )  # fmt: skip


@pytest.fixture
def page(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture
def api(officer) -> APIClient:
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_the_due_page_shows_its_three_sections_in_vietnamese(page, poor_2026):
    body = page.get("/support/entitlements/due/?month=2026-01").content.decode()
    assert all(s in body for s in ("Quyền lợi đến hạn", "Bắt đầu", "Kết thúc", "Đến hạn chi trả"))


def test_the_due_page_lists_the_cards_to_issue_with_household_head_and_member(page, poor_2026):
    body = page.get("/support/entitlements/due/?month=2026-01").content.decode()
    assert all(s in body for s in (poor_2026.code, "Nguyễn Văn An", "Trần Thị Bình", "01/01/2026"))


def test_the_due_page_shows_this_month_by_default(page, poor_2026):
    response = page.get("/support/entitlements/due/")
    assert (response.status_code, response.context["month"].day) == (200, 1)


def test_a_month_that_is_not_one_is_said_clearly(page, poor_2026):
    response = page.get("/support/entitlements/due/?month=2026-13")
    messages = [str(m) for m in response.context["messages"]]
    assert (response.status_code, messages) == (
        400,
        ["“2026-13” không phải là một tháng: chọn tháng theo dạng NNNN-TT, ví dụ "
         f"{response.context['month']:%Y-%m}."],
    )  # fmt: skip


def test_the_list_filters_by_programme(page, poor_2026, programmes):
    response = page.get(f"/support/entitlements/?programme={programmes['electricity'].pk}")
    assert [e.programme.code for e in response.context["page"]] == ["electricity"]


def test_the_list_filters_by_the_day_in_force(page, poor_2026):
    response = page.get("/support/entitlements/?active_on=2025-06-01")
    assert list(response.context["page"]) == []


def test_the_list_filters_by_the_month_it_ends_in(page, poor_2026):
    response = page.get("/support/entitlements/?ends_in=2026-12&basis=poor")
    assert response.context["page"].paginator.count == 3


def test_the_list_refuses_a_month_that_is_not_one(page, poor_2026):
    response = page.get("/support/entitlements/?starts_in=2026-1x")
    assert response.status_code == 400


def test_the_household_page_shows_its_entitlements(page, poor_2026):
    body = page.get(f"/households/{poor_2026.pk}/").content.decode()
    assert "Hỗ trợ tiền điện cho hộ nghèo" in body.split('id="entitlements"')[1]


def test_the_api_due_list_has_the_months_starts(api, poor_2026):
    body = api.get("/api/v1/entitlements/due/?month=2026-01").json()
    assert (body["month"], len(body["starts"]), len(body["due"])) == ("2026-01", 3, 3)


def test_the_api_due_list_refuses_a_month_that_is_not_one(api, poor_2026):
    response = api.get("/api/v1/entitlements/due/?month=January")
    assert (response.status_code, list(response.json())) == (400, ["month"])


def test_the_api_due_list_leaves_out_other_communes(poor_2026, other_officer):
    client = APIClient()
    client.force_authenticate(other_officer)
    body = client.get("/api/v1/entitlements/due/?month=2026-01").json()
    assert (body["starts"], body["ends"], body["due"]) == ([], [], [])


def test_the_api_list_filters_by_basis(api, poor_2026):
    body = api.get("/api/v1/entitlements/?basis=near_poor").json()
    assert body["count"] == 0


def test_the_api_list_names_the_member_and_programme(api, poor_2026, programmes):
    body = api.get(f"/api/v1/entitlements/?programme={programmes['bhyt'].pk}").json()
    assert sorted(r["member_name"] for r in body["results"]) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_the_schema_documents_the_due_list_and_its_month():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"]["/api/v1/entitlements/due/"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["month"]


def test_the_month_picker_holds_the_month_shown(page, poor_2026):
    body = page.get("/support/entitlements/due/?month=2026-02").content.decode()
    assert 'type="month" class="form-control" name="month" id="id_month" value="2026-02"' in body


def test_the_due_page_offers_the_batch_for_an_unpaid_quarter(page, poor_2026, programmes):
    body = page.get("/support/entitlements/due/?month=2026-02").content.decode()
    link = f"/support/batches/new/?programme={programmes['electricity'].pk}&amp;period=2026-Q1"
    assert link in body


def test_the_due_page_offers_no_batch_to_read_only_users(poor_2026, chair):
    client = Client()
    client.force_login(chair)
    body = client.get("/support/entitlements/due/?month=2026-02").content.decode()
    assert "/support/batches/new/" not in body


def test_the_batch_page_opens_on_the_programme_and_period_due(page, programmes):
    electricity = programmes["electricity"]
    response = page.get(f"/support/batches/new/?programme={electricity.pk}&period=2026-Q1")
    form = response.context["form"]
    assert (form["programme"].value(), form["period"].value()) == (electricity.pk, "2026-Q1")


def test_the_batch_page_ignores_a_programme_number_too_large(page):
    response = page.get(f"/support/batches/new/?programme={2**70}")
    assert (response.status_code, response.context["form"]["programme"].value()) == (200, None)
