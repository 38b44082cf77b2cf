"""Input no household can hold (numbers beyond 64 bits, years and dates outside what the registry
serves, negative or absurd amounts, ID numbers in other scripts' digits) in a new household sent
to the API: a 400 naming the field, never a 500, and nothing stored; typed into the household
page, the message beside the field and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from households.models import Household, Member, Review

from .test_api import HOUSEHOLDS, client_for, create_payload
from .test_views import THREE_MEMBERS, form_data, review_data

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = 10**24
ARABIC_INDIC_ID = "٠٨٩٠٨٠٠٠٠١٢٣"  # 089080000123 in Arabic-Indic digits
FULLWIDTH_ID = "０８９０８０００００１２３"  # the same in full-width digits


def _flat(errors: Any, prefix: str = "") -> set[str]:
    """The field paths of a 400 body: {"members": [{}, {"birth_date": [..]}]} names
    "members.1.birth_date", as the services' own keys do."""
    if isinstance(errors, dict):
        items = errors.items()
    elif isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        items = ((str(n), e) for n, e in enumerate(errors))
    else:
        return {prefix.rstrip(".")}
    names = {prefix.rstrip(".")} if prefix else set()
    for key, value in items:
        names |= _flat(value, f"{prefix}{key}.")
    return names


HOSTILE = {
    "birth year beyond 64 bits": (("members", 0, "birth_year"), BEYOND_64_BITS),
    "negative birth year": (("members", 0, "birth_year"), -1980),
    "birth year in the future": (("members", 0, "birth_year"), 9999),
    "birth date 0001-01-01": (("members", 1, "birth_date"), "0001-01-01"),
    "birth date 9999-12-31": (("members", 1, "birth_date"), "9999-12-31"),
    "joined on 0001-01-01": (("members", 0, "joined_on"), "0001-01-01"),
    "joined on 9999-12-31": (("members", 0, "joined_on"), "9999-12-31"),
    "insurance valid to 0001-01-01": (("members", 0, "health_insurance_valid_to"), "0001-01-01"),
    "ID number in Arabic-Indic digits": (("members", 0, "id_number"), ARABIC_INDIC_ID),
    "ID number in full-width digits": (("members", 0, "id_number"), FULLWIDTH_ID),
    "commune id beyond 64 bits": (("commune",), BEYOND_64_BITS),
    "village id beyond 64 bits": (("village",), BEYOND_64_BITS),
    "list year beyond 64 bits": (("review", "list_year"), BEYOND_64_BITS),
    "list year 9999": (("review", "list_year"), 9999),
    "survey date 0001-01-01": (("review", "survey_date"), "0001-01-01"),
    "survey date 9999-12-31": (("review", "survey_date"), "9999-12-31"),
    "income beyond 64 bits": (("review", "income_per_capita"), BEYOND_64_BITS),
    "negative income": (("review", "income_per_capita"), -1),
    "B1 score beyond 64 bits": (("review", "b1_score"), BEYOND_64_BITS),
    "negative housing area": (("review", "housing_area_m2"), "-5.0"),
    "housing area beyond its column": (("review", "housing_area_m2"), "1e30"),
}


def _field_path(path: tuple) -> str:
    return ".".join(str(p) for p in path[1:] if path[0] == "review") or ".".join(map(str, path))


@pytest.mark.parametrize(("path", "value"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_value_is_400_naming_the_field_and_nothing_is_stored(
    path, value, officer, my_hoa_hung
):
    payload = create_payload(my_hoa_hung)
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    response = client_for(officer).post(HOUSEHOLDS, payload, format="json")
    named = _flat(response.json())
    field = ".".join(map(str, path))
    assert (response.status_code, bool({field, path[-1], _field_path(path)} & named)) == (
        400,
        True,
    ), named
    assert (Household.objects.count(), Member.objects.count(), Review.objects.count()) == (0, 0, 0)


# --- the household page: the same values typed into its form ----------------------------------

PAGE_HOSTILE = {
    "birth year beyond 64 bits": ("members-1-birth_year", str(BEYOND_64_BITS), "birth_year"),
    "birth date 0001-01-01": ("members-1-birth_date", "0001-01-01", "birth_date"),
    "birth date 9999-12-31": ("members-1-birth_date", "9999-12-31", "birth_date"),
    "ID number in Arabic-Indic digits": ("members-0-id_number", ARABIC_INDIC_ID, "id_number"),
    "list year beyond 64 bits": ("review-list_year", str(BEYOND_64_BITS), "list_year"),
    "survey date 0001-01-01": ("review-survey_date", "0001-01-01", "survey_date"),
    "survey date 9999-12-31": ("review-survey_date", "9999-12-31", "survey_date"),
    "income beyond 64 bits": ("review-income_per_capita", str(BEYOND_64_BITS), "income_per_capita"),
}


@pytest.mark.parametrize(("key", "value", "field"), PAGE_HOSTILE.values(), ids=PAGE_HOSTILE.keys())
def test_hostile_value_typed_in_the_page_is_said_beside_its_field(
    key, value, field, client, officer, village
):
    client.force_login(officer)
    data = form_data(members=THREE_MEMBERS, review=review_data(), village=str(village.pk))
    data[key] = value
    response = client.post(reverse("households:household-create"), data)
    forms = [response.context["review_form"], *response.context["formset"].forms]
    assert (response.status_code, any(field in form.errors for form in forms)) == (200, True)
    assert Household.objects.count() == 0
