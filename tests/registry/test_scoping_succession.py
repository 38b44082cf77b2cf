"""Records of the old scheme are seen by whoever now holds their territory (1 July 2025 reform).

An Giang (2025) took over the old provinces of An Giang (89) and Kiên Giang (91); its staff see the
households recorded before the reform under the old communes of both, read-only, through the
succession table. So does the officer of the new commune that took an old commune over; an
officer of an unrelated commune does not.
"""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit
from registry.scoping import assigned_units, scope_for

from ..households.factories import make_household, member, review

pytestmark = pytest.mark.django_db

OLD_VINH_THANH = "30733"  # Phường Vĩnh Thanh, Rạch Giá city, old Kiên Giang: merged whole
NEW_RACH_GIA = "30742"  # Phường Rạch Giá (2025), which took Vĩnh Thanh over
OLD_PHU_HOI = "30355"  # Xã Phú Hội, old An Giang: split between two new communes
NEW_AN_PHU, NEW_NHON_HOI = "30337", "30346"
NEW_KIEN_HAI = "31108"  # Đặc khu Kiên Hải (2025): the whole old Huyện Kiên Hải (912)


def old_commune(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=Scheme.LEGACY, level=Level.COMMUNE, code=code)


def new_commune(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.COMMUNE, code=code)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def vinh_thanh() -> AdminUnit:
    return old_commune(OLD_VINH_THANH)


@pytest.fixture
def old_household(make_user, vinh_thanh):
    """A household recorded in autumn 2024, for the 2025 list, under an old Kiên Giang ward."""
    legacy_officer = make_user(Role.COMMUNE_OFFICER, vinh_thanh)
    return make_household(
        legacy_officer,
        vinh_thanh,
        members=[member("Lâm Văn Cũ")],
        review_data=review(list_year=2025, survey_date=dt.date(2024, 10, 1)),
    )


@pytest.fixture
def rach_gia_officer(make_user):
    return make_user(Role.COMMUNE_OFFICER, new_commune(NEW_RACH_GIA))


# --- the scope ----------------------------------------------------------------------------------


def test_staff_of_the_merged_province_see_both_old_provinces_as_two_paths(province_staff, an_giang):
    assert scope_for(province_staff).view_paths == ("2004/89/", "2004/91/", an_giang.path)


def test_taking_over_old_units_gives_no_edit_right_and_no_role(rach_gia_officer, vinh_thanh):
    scope = scope_for(rach_gia_officer)
    assert scope.can_view(vinh_thanh.path)
    assert not scope.can_edit(vinh_thanh.path)
    assert not scope.has_role(Role.COMMUNE_OFFICER, vinh_thanh.path)


def test_an_old_district_taken_over_whole_is_one_path(make_user):
    officer = make_user(Role.COMMUNE_OFFICER, new_commune(NEW_KIEN_HAI))
    assert "2004/91/912/" in scope_for(officer).view_paths


def test_an_old_commune_split_in_two_is_seen_by_each_successor_and_flagged_shared(make_user):
    phu_hoi = old_commune(OLD_PHU_HOI)
    successors = [
        make_user(Role.COMMUNE_OFFICER, new_commune(c)) for c in (NEW_AN_PHU, NEW_NHON_HOI)
    ]
    assert [scope_for(u).can_view(phu_hoi.path) for u in successors] == [True, True]
    assert [scope_for(u).is_shared(phu_hoi.path) for u in successors] == [True, True]


def test_a_split_commune_wholly_inside_the_province_is_not_shared_for_its_staff(province_staff):
    assert not scope_for(province_staff).is_shared(old_commune(OLD_PHU_HOI).path)


def test_a_user_of_the_old_scheme_takes_nothing_over(district_staff, cho_moi):
    assert scope_for(district_staff).view_paths == (cho_moi.path,)


def test_assigned_units_are_the_users_own_units_only(province_staff, an_giang):
    assert assigned_units(province_staff) == [an_giang]


def test_scope_of_a_2025_user_takes_three_queries_then_none(
    province_staff, django_assert_num_queries
):
    with django_assert_num_queries(3):
        scope_for(province_staff)
    with django_assert_num_queries(0):
        scope_for(province_staff)


def test_scope_of_an_old_scheme_user_takes_one_query(district_staff, django_assert_num_queries):
    with django_assert_num_queries(1):
        scope_for(district_staff)


def test_scope_of_an_administrator_takes_one_query(admin_user_, django_assert_num_queries):
    with django_assert_num_queries(1):
        scope_for(admin_user_)


# --- the pages and the API ----------------------------------------------------------------------


def test_province_staff_find_the_old_household_in_the_list_page(
    client, province_staff, old_household
):
    client.force_login(province_staff)
    page = client.get(reverse("households:household-list")).content.decode()
    assert old_household.code in page


def test_province_staff_open_the_old_household_page(client, province_staff, old_household):
    client.force_login(province_staff)
    url = reverse("households:household-detail", args=[old_household.pk])
    assert client.get(url).status_code == 200


def test_province_staff_find_the_old_household_in_the_api(province_staff, old_household):
    listed = api(province_staff).get("/api/v1/households/").json()["results"]
    assert [row["id"] for row in listed] == [old_household.pk]
    detail = api(province_staff).get(f"/api/v1/households/{old_household.pk}/")
    assert detail.status_code == 200


def test_the_successor_commune_sees_the_old_household_but_may_not_change_it(
    client, rach_gia_officer, old_household
):
    client.force_login(rach_gia_officer)
    assert (
        client.get(reverse("households:household-detail", args=[old_household.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("households:household-edit", args=[old_household.pk])).status_code == 403
    )
    changed = api(rach_gia_officer).patch(
        f"/api/v1/households/{old_household.pk}/",
        {"address": "Số 2", "version": old_household.version},
        format="json",
    )
    assert changed.status_code == 403


def test_an_unrelated_commune_officer_does_not_see_the_old_household(
    client, officer, old_household
):
    client.force_login(officer)
    assert (
        old_household.code not in client.get(reverse("households:household-list")).content.decode()
    )
    assert (
        client.get(reverse("households:household-detail", args=[old_household.pk])).status_code
        == 404
    )
    assert api(officer).get(f"/api/v1/households/{old_household.pk}/").status_code == 404
    assert api(officer).get("/api/v1/households/").json()["count"] == 0


def test_a_deployment_reads_the_successions_behind_a_scope_once(
    make_user, my_hoa_hung, settings, django_assert_num_queries
):
    from registry.scoping import _taken_over_cached, forget_scope

    settings.SUCCESSIONS_CACHED = True
    _taken_over_cached.cache_clear()
    user = make_user("commune_officer", my_hoa_hung, username="cached")
    with django_assert_num_queries(3):  # assignments, then the successions (two)
        first = scope_for(user)
    forget_scope(user)
    with django_assert_num_queries(1):  # assignments only
        assert scope_for(user) == first
    _taken_over_cached.cache_clear()
