"""Loading the official units from vietnam-provinces, in both schemes."""

import pytest

from registry.choices import AreaType, Level, Scheme, SuccessionKind
from registry.loading import load_units
from registry.models import AdminUnit, UnitSuccession

pytestmark = pytest.mark.django_db


def count(scheme, level, **extra):
    return AdminUnit.objects.filter(scheme=scheme, level=level, **extra).count()


def test_legacy_scheme_has_63_provinces():
    assert count(Scheme.LEGACY, Level.PROVINCE) == 63


def test_legacy_an_giang_has_11_districts():
    assert count(Scheme.LEGACY, Level.DISTRICT, parent__code="89") == 11


def test_current_scheme_has_34_provinces_and_3321_communes():
    assert count(Scheme.CURRENT, Level.PROVINCE) == 34
    assert count(Scheme.CURRENT, Level.COMMUNE) == 3321


def test_current_scheme_has_no_districts():
    assert count(Scheme.CURRENT, Level.DISTRICT) == 0


def test_current_communes_sit_directly_under_provinces():
    commune = AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.COMMUNE, code="30313")
    assert commune.parent.code == "91"
    assert commune.path == "2025/91/30313/"


def test_legacy_communes_sit_under_districts():
    commune = AdminUnit.objects.get(scheme=Scheme.LEGACY, level=Level.COMMUNE, code="30634")
    assert [u.code for u in commune.ancestors()] == ["89", "893"]


@pytest.mark.parametrize(
    ("scheme", "code", "area_type"),
    [
        (Scheme.CURRENT, "30313", AreaType.RURAL),  # Xã Mỹ Hòa Hưng
        (Scheme.CURRENT, "30307", AreaType.URBAN),  # Phường Long Xuyên
        (Scheme.LEGACY, "30628", AreaType.URBAN),  # Thị trấn Chợ Mới
        (Scheme.LEGACY, "30634", AreaType.RURAL),  # Xã Kiến An
    ],
)
def test_commune_area_type_follows_its_type(scheme, code, area_type):
    assert (
        AdminUnit.objects.get(scheme=scheme, level=Level.COMMUNE, code=code).area_type == area_type
    )


def test_current_commune_types_add_up():
    assert count(Scheme.CURRENT, Level.COMMUNE, division_type="xã") == 2621
    assert count(Scheme.CURRENT, Level.COMMUNE, division_type="phường") == 687
    assert count(Scheme.CURRENT, Level.COMMUNE, division_type="đặc khu") == 13


def test_units_carry_their_validity():
    legacy = AdminUnit.objects.get(scheme=Scheme.LEGACY, level=Level.PROVINCE, code="89")
    current = AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.PROVINCE, code="91")
    assert str(legacy.valid_to) == "2025-06-30"
    assert str(current.valid_from) == "2025-07-01"
    assert current.valid_to is None


def test_loading_twice_changes_nothing():
    before = list(AdminUnit.objects.order_by("id").values_list("id", "name", "path"))
    report = load_units(scheme="all")
    assert report.changed == 0
    assert list(AdminUnit.objects.order_by("id").values_list("id", "name", "path")) == before


def test_loading_one_province_of_one_scheme_is_idempotent_too():
    assert load_units(scheme="2025", province=91).changed == 0


def test_loading_restores_a_renamed_unit_without_touching_its_area_type():
    unit = AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.COMMUNE, code="30313")
    AdminUnit.objects.filter(pk=unit.pk).update(name="Typo", area_type=AreaType.URBAN)
    report = load_units(scheme="2025", province=91)
    unit.refresh_from_db()
    assert report.updated["2025/commune"] == 1
    assert unit.name == "Xã Mỹ Hòa Hưng"
    assert unit.area_type == AreaType.URBAN  # an administrator's correction is kept


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="Unknown scheme"):
        load_units(scheme="1999")


def test_succession_maps_old_wards_into_new_long_xuyen():
    new = AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.COMMUNE, code="30307")
    old_names = set(new.predecessors.values_list("old_unit__name", flat=True))
    assert {"Phường Mỹ Bình", "Phường Mỹ Long", "Phường Mỹ Xuyên"} <= old_names


def test_split_communes_are_marked_partial():
    partial = UnitSuccession.objects.filter(kind=SuccessionKind.PARTIAL)
    assert partial.exists()
    old = partial.first().old_unit
    assert old.successors.count() >= 2


def test_every_old_commune_in_the_conversion_table_has_a_successor():
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    loaded = AdminUnit.objects.filter(
        scheme=Scheme.LEGACY, level=Level.COMMUNE, code__in=[str(c).zfill(5) for c in OLD_TO_NEW]
    )
    with_successor = UnitSuccession.objects.values("old_unit").distinct().count()
    # The package's table leaves 28 old communes out; those stay without successor.
    assert with_successor == loaded.count() > 10_000


def test_units_are_protected_from_deletion_while_referred_to():
    from django.db.models import ProtectedError

    province = AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.PROVINCE, code="91")
    with pytest.raises(ProtectedError):
        province.delete()
