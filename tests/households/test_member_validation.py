"""Member validation: every mistake at once, a precise message per ID-number problem, and
ethnicity a required answer (no silent Kinh) in the form, the API and the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from households.forms import MemberForm
from households.models import Household, Member
from households.services import household_create, household_update
from households.validators import validate_id_number

from .factories import make_household, member, review

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_YEAR = TODAY.year + 1


@pytest.fixture
def client(client):
    """English, so that assertions read the msgids whatever the translations say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def id_messages(value: str, **known) -> list[str]:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_id_number(value, today=dt.date(2026, 1, 1), **known)
    return refused.value.messages


def form_post(rows: list[dict]) -> dict:
    """The household form as the browser posts it, without a review."""
    data = {
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "address": "Tổ 1",
    }
    for row, values in enumerate(rows):
        data.update({f"members-{row}-{key}": value for key, value in values.items()})
    return data


def row(name: str = "Nguyễn Văn An", **fields) -> dict:
    return {
        "full_name": name,
        "relationship": "head",
        "sex": "male",
        "birth_year": "1980",
        "ethnicity": "01",
        **fields,
    }


def member_errors(response, index: int) -> dict[str, list[str]]:
    return {
        k: [str(e) for e in v] for k, v in response.context["formset"].forms[index].errors.items()
    }


# --- ID numbers: one precise message per problem --------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "089080000123A", ["The ID number has only digits: remove “A”."], id="one-letter"
        ),
        pytest.param(
            "0890800001AB",
            [
                "The ID number has only digits: remove “A”, “B”.",
                "The ID number has 12 digits; you typed 10.",
            ],
            id="letters-and-short",
        ),
        pytest.param("0890701234", ["The ID number has 12 digits; you typed 10."], id="short"),
        pytest.param("0890800001234", ["The ID number has 12 digits; you typed 13."], id="long"),
        pytest.param(
            "381234567",
            [
                "These 9 digits are the number of an old identity card (CMND): enter the "
                "12-digit personal ID number instead."
            ],
            id="old-identity-card",
        ),
        pytest.param(
            "０８９０８００００１２３",
            [
                "The ID number contains “０”, “８”, “９”, “１”, “２”, “３”, which are not the "
                "digits 0 to 9: type them again with the 0-9 keys."
            ],
            id="full-width-digits",
        ),
        pytest.param(
            "999080000123",
            [
                "The ID number starts with 999, which is not a province code: its first 3 "
                "digits are the province where the birth was registered."
            ],
            id="not-a-province",
        ),
        pytest.param(
            "089299000123",
            [
                "The ID number is of someone born in 2099, a year still to come: check its 4th "
                "to 6th digits (century and year of birth)."
            ],
            id="born-in-the-future",
        ),
    ],
)
def test_each_id_number_problem_has_its_own_message(value, expected):
    assert id_messages(value) == expected


def test_id_number_problems_against_the_member_are_all_reported():
    # A province that does not exist, a woman's number, for a man born in 1975.
    assert id_messages("999180000123", birth_year=1975, sex="male") == [
        "The ID number starts with 999, which is not a province code: its first 3 digits are "
        "the province where the birth was registered.",
        "The ID number is of someone born in 1980, not 1975.",
        "The ID number does not match the member's sex (its 4th digit).",
    ]


def test_a_valid_id_number_passes():
    validate_id_number("089080000123", birth_year=1980, sex="male", today=dt.date(2026, 1, 1))


def test_letters_no_longer_say_twelve_characters(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("households:household-create"), form_post([row(id_number="0890800001AB")])
    )
    assert "characters" not in response.content.decode()
    assert member_errors(response, 0)["id_number"][0] == (
        "The ID number has only digits: remove “A”, “B”."
    )


# --- every mistake at once ------------------------------------------------------------------


def test_form_reports_the_id_number_and_a_future_birth_date_at_once(client, officer):
    client.force_login(officer)
    rows = [row(id_number="089080000123X", birth_year="", birth_date=f"01/01/{NEXT_YEAR}")]
    response = client.post(reverse("households:household-create"), form_post(rows))
    errors = member_errors(response, 0)
    assert errors["id_number"] == ["The ID number has only digits: remove “X”."]
    assert errors["birth_date"] == ["The date of birth cannot be in the future."]
    assert not Household.objects.exists()


def test_form_reports_typing_mistakes_and_the_registrys_rules_at_once(client, officer):
    client.force_login(officer)
    rows = [
        row(relationship="spouse", birth_date="31/02/1980"),  # an impossible date, and no head
        row("Nguyễn Văn Bé", relationship="child", id_number="0890", birth_year="2015"),
    ]
    response = client.post(reverse("households:household-create"), form_post(rows))
    assert member_errors(response, 0)["birth_date"] == [
        "Enter a real date, for example 31/12/1960."
    ]
    assert member_errors(response, 1)["id_number"] == ["The ID number has 12 digits; you typed 4."]
    assert [str(e) for e in response.context["formset"].non_form_errors()] == [
        "Mark one member as head of household (relationship: head of household)."
    ]


def test_a_typing_mistake_keeps_its_own_message_only(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("households:household-create"), form_post([row(full_name="", birth_year="abc")])
    )
    errors = member_errors(response, 0)
    assert errors["full_name"] == ["Enter the member's full name."]
    assert errors["birth_year"] == ["Enter a whole number."]


def test_service_reports_every_row_at_once(officer, my_hoa_hung):
    members = [
        member(id_number="089080000123A", birth_date=dt.date(NEXT_YEAR, 1, 1), birth_year=None),
        member("Lê Thị Hoa", relationship="spouse", sex="female", ethnicity=""),
    ]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        household_create(actor=officer, commune=my_hoa_hung, members=members, review=review())
    assert set(refused.value.message_dict) == {
        "members.0.id_number",
        "members.0.birth_date",
        "members.1.ethnicity",
    }


# --- ethnicity is a required answer ---------------------------------------------------------


def test_the_model_has_no_default_ethnicity():
    assert not Member._meta.get_field("ethnicity").has_default()


def test_the_form_starts_with_an_empty_ethnicity_to_choose():
    form = MemberForm(prefix="members-0")
    assert form.fields["ethnicity"].required
    assert form.fields["ethnicity"].choices[0][0] == ""
    assert 'value="" selected' in str(form["ethnicity"])


def test_the_form_refuses_a_member_without_ethnicity(client, officer):
    client.force_login(officer)
    response = client.post(reverse("households:household-create"), form_post([row(ethnicity="")]))
    assert member_errors(response, 0)["ethnicity"] == ["Choose the ethnicity: there is no default."]
    assert not Member.objects.exists()


def test_the_form_saves_the_chosen_ethnicity(client, officer):
    client.force_login(officer)
    client.post(reverse("households:household-create"), form_post([row(ethnicity="05")]))
    assert Member.objects.get().ethnicity == "05"


def test_the_service_refuses_a_member_without_ethnicity_naming_row_and_field(officer, my_hoa_hung):
    rows = [
        member(),
        {k: v for k, v in member("Lê Thị Hoa", relationship="spouse").items() if k != "ethnicity"},
    ]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        household_create(actor=officer, commune=my_hoa_hung, members=rows)
    assert refused.value.message_dict == {
        "members.1.ethnicity": [
            "Choose the ethnicity of Lê Thị Hoa (member 2): there is no default."
        ]
    }


def test_the_service_refuses_an_unknown_ethnicity(officer, my_hoa_hung):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        household_create(actor=officer, commune=my_hoa_hung, members=[member(ethnicity="99")])
    assert refused.value.message_dict["members.0.ethnicity"] == [
        "“99” is not an ethnicity of the list (codes 01 to 54)."
    ]


def test_a_registered_members_row_without_ethnicity_keeps_the_stored_one(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member(ethnicity="05")])
    head = household.members.get()
    rows = [{"id": head.pk, "full_name": head.full_name, "relationship": "head", "sex": "male",
             "birth_year": 1980}]  # fmt: skip
    household_update(actor=officer, household=household, expected_version=1, members=rows)
    assert Member.objects.get(pk=head.pk).ethnicity == "05"


def test_the_api_requires_ethnicity_on_create(officer, my_hoa_hung):
    client = APIClient()
    client.force_authenticate(officer)
    payload = member()
    del payload["ethnicity"]
    response = client.post(
        "/api/v1/households/",
        {"commune": my_hoa_hung.pk, "members": [payload]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {
        "members.0.ethnicity": ["Give the member's ethnicity (code 01 to 54): there is no default."]
    }


def test_the_api_requires_ethnicity_of_a_member_added_on_update(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member()])
    client = APIClient()
    client.force_authenticate(officer)
    head = household.members.get()
    added = {
        k: v for k, v in member("Lê Thị Hoa", relationship="spouse").items() if k != "ethnicity"
    }
    response = client.patch(
        f"/api/v1/households/{household.pk}/",
        {"version": 1, "members": [{"id": head.pk}, added]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["members.1.ethnicity"]
    assert household.members.count() == 1
