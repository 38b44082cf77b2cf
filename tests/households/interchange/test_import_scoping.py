"""Who imports where: a commune officer into their commune, district and province staff into
their district or province, nobody into another area; and no message tells anything of another
area beyond the code the file itself gave."""

from __future__ import annotations

import pytest
from django.utils import translation

from households.interchange.importing import import_file
from households.models import Household

from ..factories import make_household
from ..factories import member as service_member
from .files import LONG_XUYEN, family, member, review, write_zip

pytestmark = pytest.mark.django_db

KIEN_AN = "30634"  # a commune of the district of Chợ Mới (three-level scheme)


@pytest.fixture
def run(tmp_path):
    def run(actor, tables):
        path = write_zip(tmp_path / "lists.zip", tables)
        with translation.override("en"):
            return import_file(actor=actor, path=path, filename="lists.zip")

    return run


def messages(result) -> str:
    return " ".join(p.message for p in result.errors)


def test_an_officer_cannot_import_into_another_commune(run, officer, long_xuyen):
    result = run(officer, family(commune_code=LONG_XUYEN))
    assert [(p.row, p.column, p.value) for p in result.errors] == [(2, "commune_code", LONG_XUYEN)]
    assert not Household.objects.exists()
    assert long_xuyen.name not in messages(result)


def test_the_refusal_is_the_same_as_for_a_commune_that_does_not_exist(run, officer):
    foreign = run(officer, family(commune_code=LONG_XUYEN)).errors[0].message
    missing = run(officer, family(commune_code="99999")).errors[0].message
    assert foreign.replace(LONG_XUYEN, "#") == missing.replace("99999", "#")


def test_a_code_used_in_another_commune_names_nothing_of_that_household(
    run, officer, other_officer, long_xuyen
):
    theirs = make_household(
        other_officer, long_xuyen, members=[service_member("Võ Thị Kín", sex="female")],
        address="Số 9 Trần Hưng Đạo",
    )  # fmt: skip
    result = run(officer, family(theirs.code))
    assert [(p.column, p.value) for p in result.errors] == [("household_code", theirs.code)]
    text = messages(result)
    assert "outside your area" in text
    assert "Võ Thị Kín" not in text and "Trần Hưng Đạo" not in text
    assert long_xuyen.name not in text  # the commune code shows only inside the code given
    theirs.refresh_from_db()
    assert theirs.address == "Số 9 Trần Hưng Đạo"


def test_rows_naming_a_household_of_another_commune_are_refused_as_unknown(
    run, officer, other_officer, long_xuyen
):
    theirs = make_household(other_officer, long_xuyen)
    result = run(officer, {"members": [member(theirs.code, "9")], "reviews": [review(theirs.code)]})
    assert {p.column for p in result.errors} == {"household_code"}
    assert "No household has the code" in messages(result)
    assert theirs.members.count() == 3


def test_district_staff_import_into_a_commune_of_their_district(run, district_staff):
    tables = family(scheme="2004", commune_code=KIEN_AN)
    tables["reviews"][0]["list_year"] = 2025
    tables["reviews"][0]["survey_date"] = "2024-10-15"
    result = run(district_staff, tables)
    assert result.ok, result.errors
    assert Household.objects.get().commune.code == KIEN_AN


def test_district_staff_cannot_import_outside_their_district(run, district_staff):
    result = run(district_staff, family(scheme="2004", commune_code="00004"))
    assert [p.column for p in result.errors] == ["commune_code"]


def test_province_staff_import_into_any_commune_of_the_province(run, province_staff):
    assert run(province_staff, family(commune_code=LONG_XUYEN)).ok


def test_a_commune_chair_does_not_import(run, chair):
    result = run(chair, family())
    assert not result.ok
    assert "Only commune officers" in messages(result)
    assert not Household.objects.exists()


def test_an_administrator_imports_anywhere(run, admin_user_):
    assert run(admin_user_, family(commune_code=LONG_XUYEN)).ok
