"""Shared fixtures: the official units are loaded once per test database; users by role."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit, User
from registry.services import assignment_create, village_create

# Units used across the tests (two-level scheme, An Giang = 91).
AN_GIANG = "91"
MY_HOA_HUNG = "30313"  # xã: rural
LONG_XUYEN = "30307"  # phường: urban
HA_NOI = "01"
CHO_MOI_DISTRICT = "893"  # legacy scheme
KIEN_AN = "30634"  # legacy commune in Chợ Mới


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The API throttles count in the cache: every test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_units", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def unit(scheme: str, level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=scheme, level=level, code=code)


@pytest.fixture
def an_giang(db) -> AdminUnit:
    return unit(Scheme.CURRENT, Level.PROVINCE, AN_GIANG)


@pytest.fixture
def my_hoa_hung(db) -> AdminUnit:
    return unit(Scheme.CURRENT, Level.COMMUNE, MY_HOA_HUNG)


@pytest.fixture
def long_xuyen(db) -> AdminUnit:
    return unit(Scheme.CURRENT, Level.COMMUNE, LONG_XUYEN)


@pytest.fixture
def cho_moi(db) -> AdminUnit:
    return unit(Scheme.LEGACY, Level.DISTRICT, CHO_MOI_DISTRICT)


@pytest.fixture
def kien_an(db) -> AdminUnit:
    return unit(Scheme.LEGACY, Level.COMMUNE, KIEN_AN)


@pytest.fixture
def village(my_hoa_hung, admin_user_) -> AdminUnit:
    return village_create(
        actor=admin_user_, commune=my_hoa_hung, name="Ấp Mỹ An", division_type="ấp"
    )


@pytest.fixture
def make_user(db):
    """Create a user holding `role` at `unit` (password "pw-Ansinh-123")."""
    counter = iter(range(1, 10_000))

    def make(role: str, unit: AdminUnit | None = None, username: str | None = None) -> User:
        user = User.objects.create_user(
            username=username or f"{role}-{next(counter)}", password="pw-Ansinh-123"
        )
        assignment_create(user=user, role=role, unit=unit)
        return user

    return make


@pytest.fixture
def admin_user_(make_user) -> User:
    return make_user(Role.SYSTEM_ADMIN)


@pytest.fixture
def officer(make_user, my_hoa_hung) -> User:
    return make_user(Role.COMMUNE_OFFICER, my_hoa_hung, username="officer")


@pytest.fixture
def chair(make_user, my_hoa_hung) -> User:
    return make_user(Role.COMMUNE_CHAIR, my_hoa_hung, username="chair")


@pytest.fixture
def other_officer(make_user, long_xuyen) -> User:
    """A commune officer of another commune of the same province."""
    return make_user(Role.COMMUNE_OFFICER, long_xuyen, username="other-officer")


@pytest.fixture
def province_staff(make_user, an_giang) -> User:
    return make_user(Role.PROVINCE_STAFF, an_giang, username="province")


@pytest.fixture
def district_staff(make_user, cho_moi) -> User:
    return make_user(Role.DISTRICT_STAFF, cho_moi, username="district")
