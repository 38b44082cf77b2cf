"""A write takes effect once: the same household form, edit form or API call sent twice (a double
click, a resent request) makes one household or one change; household codes continue after the
highest one of the commune and skip a code an import brought. Two writers at the same moment, on
PostgreSQL: test_concurrent_writes.py."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from households.models import Household, HouseholdCodeCounter, Submission
from households.services import household_codes_allocate
from registry.choices import Role

from .test_api import HOUSEHOLDS, create_payload
from .test_views import THREE_MEMBERS, form_data, make_household, member, review_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(officer) -> Client:
    http = Client(HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(officer)
    return http


@pytest.fixture
def api(officer) -> APIClient:
    http = APIClient()
    http.force_authenticate(officer)
    return http


def test_the_new_household_form_sent_twice_registers_one_household(browser, my_hoa_hung):
    data = form_data(
        members=THREE_MEMBERS, review=review_data(), commune=my_hoa_hung.pk, submission_key="k1"
    )
    first = browser.post(reverse("households:household-create"), data)
    second = browser.post(reverse("households:household-create"), data)
    household = Household.objects.get()
    detail = reverse("households:household-detail", args=[household.pk])
    assert (first.status_code, first.url, second.status_code, second.url) == (
        302,
        detail,
        302,
        detail,
    )


def test_the_new_household_form_draws_a_fresh_key_each_time(browser):
    first = browser.get(reverse("households:household-create"))
    second = browser.get(reverse("households:household-create"))
    keys = [r.context["form"]["submission_key"].value() for r in (first, second)]
    assert keys[0] != keys[1] and all(len(k) == 32 for k in keys)


def test_a_refused_form_leaves_its_key_free_for_the_corrected_one(browser, my_hoa_hung):
    url = reverse("households:household-create")
    refused = form_data(
        members=[member("", "head", 1970)], commune=my_hoa_hung.pk, submission_key="k2"
    )
    browser.post(url, refused)
    corrected = form_data(members=THREE_MEMBERS, commune=my_hoa_hung.pk, submission_key="k2")
    response = browser.post(url, corrected)
    assert (response.status_code, Household.objects.count()) == (302, 1)


def test_the_edit_form_sent_twice_is_one_change_and_no_conflict(browser, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    head = household.members.get()
    data = form_data(
        members=[{**member("Nguyễn Văn An", "head", 1970), "id": head.pk}],
        initial_forms=1,
        version=household.version,
        address="Tổ 9",
        submission_key="edit-1",
    )
    url = reverse("households:household-edit", args=[household.pk])
    statuses = [browser.post(url, data).status_code for _ in range(2)]
    household.refresh_from_db()
    assert (statuses, household.version, household.address) == ([302, 302], 2, "Tổ 9")
    assert household.history.filter(history_type="~").count() == 1


def test_a_key_of_another_households_edit_is_no_replay(browser, officer, my_hoa_hung):
    first = make_household(officer, my_hoa_hung)
    second = make_household(officer, my_hoa_hung, head="Trần Văn Bảy")
    Submission.objects.create(
        user=officer, action="households.household.update", key="edit-2", object_id=first.pk
    )
    head = second.members.get()
    data = form_data(
        members=[{**member("Trần Văn Bảy", "head", 1970), "id": head.pk}],
        initial_forms=1,
        version=second.version,
        address="Tổ 8",
        submission_key="edit-2",
    )
    browser.post(reverse("households:household-edit", args=[second.pk]), data)
    second.refresh_from_db()
    assert (second.version, second.address) == (1, "Tổ 1")  # the key is taken: nothing saved


def test_the_api_with_the_same_idempotency_key_registers_one_household(api, my_hoa_hung):
    payload = create_payload(my_hoa_hung)
    answers = [
        api.post(HOUSEHOLDS, payload, format="json", HTTP_IDEMPOTENCY_KEY="abc") for _ in range(2)
    ]
    assert [r.status_code for r in answers] == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"] == Household.objects.get().pk


def test_the_api_without_a_key_registers_each_call(api, my_hoa_hung, officer):
    make_household(officer, my_hoa_hung)
    payload = create_payload(my_hoa_hung)
    api.post(HOUSEHOLDS, payload, format="json")
    assert Household.objects.count() == 2


def test_an_idempotency_key_too_long_is_a_400_naming_it(api, my_hoa_hung):
    response = api.post(
        HOUSEHOLDS, create_payload(my_hoa_hung), format="json", HTTP_IDEMPOTENCY_KEY="x" * 65
    )
    assert (response.status_code, list(response.json())) == (400, ["Idempotency-Key"])
    assert not Household.objects.exists()


def test_the_api_update_sent_twice_is_one_change(api, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    url = f"{HOUSEHOLDS}{household.pk}/"
    body = {"version": 1, "address": "Tổ 5"}
    answers = [
        api.patch(url, body, format="json", HTTP_IDEMPOTENCY_KEY="u1").status_code for _ in range(2)
    ]
    household.refresh_from_db()
    assert (answers, household.version) == ([200, 200], 2)


def test_a_key_is_the_users_own(my_hoa_hung, officer, make_user):
    colleague = make_user(Role.COMMUNE_OFFICER, my_hoa_hung)
    payload = create_payload(my_hoa_hung)
    mine = APIClient()
    mine.force_authenticate(officer)
    mine.post(HOUSEHOLDS, payload, format="json", HTTP_IDEMPOTENCY_KEY="same")
    theirs = APIClient()
    theirs.force_authenticate(colleague)
    response = theirs.post(HOUSEHOLDS, payload, format="json", HTTP_IDEMPOTENCY_KEY="same")
    # Not handed the first officer's household: their own call is checked (the ID numbers).
    assert (response.status_code, Household.objects.count()) == (400, 1)


# --- household codes ---------------------------------------------------------------------------


def test_codes_follow_each_other_within_a_commune(officer, my_hoa_hung):
    codes = [make_household(officer, my_hoa_hung, head=f"Hộ {n}").code for n in range(2)]
    assert codes == [f"{my_hoa_hung.code}-000001", f"{my_hoa_hung.code}-000002"]


def test_codes_continue_after_households_made_before_the_counter(officer, my_hoa_hung):
    first = make_household(officer, my_hoa_hung)
    Household.objects.filter(pk=first.pk).update(code=f"{my_hoa_hung.code}-000041")
    HouseholdCodeCounter.objects.all().delete()
    assert make_household(officer, my_hoa_hung, head="Hộ mới").code == f"{my_hoa_hung.code}-000042"


def test_a_code_an_import_brought_is_skipped(officer, my_hoa_hung):
    make_household(officer, my_hoa_hung)  # -000001
    imported = make_household(officer, my_hoa_hung, head="Hộ nhập")  # -000002, the counter's last
    Household.objects.filter(pk=imported.pk).update(code=f"{my_hoa_hung.code}-000003")
    with transaction.atomic():
        codes = household_codes_allocate(commune=my_hoa_hung, count=2)
    assert codes == [f"{my_hoa_hung.code}-000004", f"{my_hoa_hung.code}-000005"]
