"""Summing records under either scheme through the succession table."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from households.models import Household
from registry.choices import Level, Scheme
from registry.models import AdminUnit
from registry.succession import counterparts, equivalent

from ..households.factories import make_household, member, review

pytestmark = pytest.mark.django_db


def commune(scheme, code):
    return AdminUnit.objects.get(scheme=scheme, level=Level.COMMUNE, code=code)


def test_old_commune_maps_to_the_new_commune_that_took_it_over(kien_an):
    assert [u.code for u in counterparts(kien_an)] == ["30628"]


def test_new_commune_lists_the_old_communes_it_took_over():
    new = commune(Scheme.CURRENT, "30628")  # Xã Chợ Mới
    assert {u.code for u in counterparts(new)} == {"30628", "30634", "30649"}


def test_records_of_the_old_scheme_are_summed_under_the_new_commune(
    make_user, kien_an, officer, my_hoa_hung
):
    from registry.choices import Role

    legacy_officer = make_user(Role.COMMUNE_OFFICER, kien_an)
    old = make_household(
        legacy_officer, kien_an, members=[member("Hộ Cũ")],
        review_data=review(list_year=2025, survey_date=dt.date(2024, 10, 1)),
    )  # fmt: skip
    make_household(officer, my_hoa_hung, members=[member("Hộ Khác")])
    new = commune(Scheme.CURRENT, "30628")
    under_new = Household.objects.filter(equivalent(new).q())
    assert list(under_new) == [old]


def test_new_province_sums_the_old_provinces_communes(an_giang):
    view = equivalent(an_giang)
    assert any(path.startswith("2004/89/") for path in view.paths)  # old An Giang
    assert any(path.startswith("2004/91/") for path in view.paths)  # old Kiên Giang


def test_split_communes_are_flagged_partial():
    partial = AdminUnit.objects.filter(successors__kind="partial").first()
    view = equivalent(partial)
    assert view.paths
    assert set(view.partial) == set(view.paths)


def test_counterparts_endpoint_is_scoped_to_the_asked_unit(officer, kien_an, my_hoa_hung):
    client = APIClient()
    client.force_authenticate(officer)
    assert client.get(f"/api/v1/units/{kien_an.pk}/counterparts/").status_code == 404
    data = client.get(f"/api/v1/units/{my_hoa_hung.pk}/counterparts/").json()
    assert data["count"] == counterparts(my_hoa_hung).count() > 0
