"""The scoping matrix: each role sees exactly its area and changes only what it may."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit
from registry.scoping import scope_for
from registry.services import assignment_create, village_create

pytestmark = pytest.mark.django_db


def visible_communes(user, scheme=Scheme.CURRENT):
    return AdminUnit.objects.visible_to(user).filter(level=Level.COMMUNE, scheme=scheme)


def old_commune(code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=Scheme.LEGACY, level=Level.COMMUNE, code=code)


def test_anonymous_sees_nothing():
    assert not AdminUnit.objects.visible_to(AnonymousUser()).exists()


def test_user_without_assignment_sees_nothing(django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    assert not AdminUnit.objects.visible_to(user).exists()


def test_commune_officer_sees_own_commune_its_villages_and_the_old_commune_it_took_over(
    officer, my_hoa_hung, village
):
    visible = set(AdminUnit.objects.visible_to(officer).values_list("pk", flat=True))
    # Xã Mỹ Hòa Hưng (2025) took over part of the old Xã Mỹ Hoà Hưng of Long Xuyên city.
    assert visible == {my_hoa_hung.pk, village.pk, old_commune("30313").pk}


def test_commune_officer_can_edit_own_commune_only(officer, my_hoa_hung, long_xuyen):
    scope = scope_for(officer)
    assert scope.can_edit(my_hoa_hung.path)
    assert not scope.can_edit(long_xuyen.path)


def test_commune_chair_sees_but_does_not_edit(chair, my_hoa_hung):
    scope = scope_for(chair)
    assert scope.can_view(my_hoa_hung.path)
    assert not scope.can_edit(my_hoa_hung.path)
    assert scope.has_role(Role.COMMUNE_CHAIR, my_hoa_hung.path)


def test_province_staff_sees_every_commune_of_the_province(province_staff, an_giang):
    communes = visible_communes(province_staff)
    assert communes.count() == AdminUnit.objects.filter(parent=an_giang).count()
    assert not communes.exclude(path__startswith=an_giang.path).exists()
    assert not AdminUnit.objects.editable_by(province_staff).exists()


def test_district_staff_sees_the_communes_of_the_district(district_staff, cho_moi):
    communes = visible_communes(district_staff, Scheme.LEGACY)
    assert communes.count() == cho_moi.children.count() > 0
    assert set(communes.values_list("parent_id", flat=True)) == {cho_moi.pk}
    assert not visible_communes(district_staff, Scheme.CURRENT).exists()


def test_system_admin_sees_everything(admin_user_):
    assert AdminUnit.objects.visible_to(admin_user_).count() == AdminUnit.objects.count()
    assert scope_for(admin_user_).can_edit("2025/01/")


def test_inactive_user_sees_nothing(officer):
    officer.is_active = False
    assert not AdminUnit.objects.visible_to(officer).exists()


def test_role_must_be_held_at_its_level(make_user, my_hoa_hung, an_giang):
    user = make_user(Role.PROVINCE_STAFF, an_giang)
    with pytest.raises(ValidationError) as err:
        assignment_create(user=user, role=Role.COMMUNE_OFFICER, unit=an_giang)
    assert "unit" in err.value.message_dict


def test_officer_of_two_communes_sees_both(make_user, my_hoa_hung, long_xuyen):
    user = make_user(Role.COMMUNE_OFFICER, my_hoa_hung)
    assignment_create(user=user, role=Role.COMMUNE_OFFICER, unit=long_xuyen)
    assert set(visible_communes(user)) == {my_hoa_hung, long_xuyen}


def test_officer_adds_a_village_in_own_commune(officer, my_hoa_hung):
    village = village_create(actor=officer, commune=my_hoa_hung, name="  Ấp  Mỹ Thạnh ")
    assert village.name == "Ấp Mỹ Thạnh"
    assert village.path.startswith(my_hoa_hung.path)
    assert village.area_type == my_hoa_hung.area_type
    assert village.scheme == Scheme.CURRENT


def test_officer_cannot_add_a_village_elsewhere(officer, long_xuyen):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        village_create(actor=officer, commune=long_xuyen, name="Khóm 1")


def test_duplicate_village_name_is_refused_ignoring_diacritics(officer, my_hoa_hung, village):
    with pytest.raises(ValidationError) as err:
        village_create(actor=officer, commune=my_hoa_hung, name="ap my an")
    assert "name" in err.value.message_dict
