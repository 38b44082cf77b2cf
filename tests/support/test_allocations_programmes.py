"""Local programmes and dated parameters: who changes them, and a new value never rewrites an
earlier one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policies.support.models import Programme, ProgrammeParameter
from policies.support.selectors.allocations import programme_list
from policies.support.services.allocations import (
    parameter_add,
    programme_create_local,
    programme_update_local,
)
from registry.choices import Role

from ..conftest import HA_NOI, unit
from .allocations_factories import *  # noqa: F403 (the fixtures)

D = dt.date
LOCAL = {
    "code": "ag_tet_gift",
    "name_vi": "Quà Tết cho hộ nghèo An Giang",
    "name_en": "Tết gifts for poor households of An Giang",
    "legal_basis": "Nghị quyết 12/2025/NQ-HĐND tỉnh An Giang",
    "benefit_kind": "subsidy",
    "beneficiary": "household",
    "period_kind": "year",
    "count_unit": "household",
    "amount_rule": "fixed",
    "funding_sources": ["local", "mobilised"],
    "valid_from": D(2026, 1, 1),
}


@pytest.fixture
def local(province_staff, an_giang) -> Programme:
    return programme_create_local(actor=province_staff, province=an_giang, **LOCAL)


def add(actor, programme, valid_from, value, **extra):
    return parameter_add(
        actor=actor,
        programme=programme,
        key=extra.pop("key", "amount"),
        variant=extra.pop("variant", ""),
        value=value,
        unit="VND",
        valid_from=valid_from,
        source=extra.pop("source", "Nghị quyết 12/2025/NQ-HĐND"),
        confirmed=extra.pop("confirmed", True),
    )


def test_province_staff_add_a_local_programme(local, an_giang, province_staff):
    assert (local.province, local.created_by) == (an_giang, province_staff)


def test_a_commune_officer_does_not_add_a_province_programme(an_giang, make_user):
    officer = make_user(Role.COMMUNE_OFFICER, an_giang.children.filter(level="commune").first())
    with pytest.raises(PermissionDenied):
        programme_create_local(actor=officer, province=an_giang, **LOCAL)


def test_a_local_programme_needs_a_known_funding_source(province_staff, an_giang):
    with pytest.raises(ValidationError) as error:
        programme_create_local(
            actor=province_staff, province=an_giang, **{**LOCAL, "funding_sources": ["x"]}
        )
    assert "funding_sources" in error.value.message_dict


def test_a_local_programme_is_changed_by_its_province(local, province_staff):
    changed = programme_update_local(actor=province_staff, programme=local, name_vi="Quà Tết")
    assert Programme.objects.get(pk=changed.pk).name_vi == "Quà Tết"


def test_a_national_programme_is_not_changed_by_a_province(electricity, province_staff):
    with pytest.raises(PermissionDenied):
        programme_update_local(actor=province_staff, programme=electricity, name_vi="x")


def test_another_province_does_not_see_a_local_programme(local, make_user):
    ha_noi_staff = make_user(Role.PROVINCE_STAFF, unit("2025", "province", HA_NOI))
    assert local not in programme_list(user=ha_noi_staff)


def test_a_new_value_ends_the_previous_one_the_day_before(local, province_staff):
    first = add(province_staff, local, D(2026, 1, 1), 500_000)
    add(province_staff, local, D(2027, 1, 1), 600_000)
    first.refresh_from_db()
    assert (first.value, first.valid_to) == (500_000, D(2026, 12, 31))


def test_a_new_value_may_not_start_on_or_before_the_current_one(local, province_staff):
    add(province_staff, local, D(2026, 1, 1), 500_000)
    with pytest.raises(ValidationError) as error:
        add(province_staff, local, D(2026, 1, 1), 600_000)
    assert error.value.message_dict["valid_from"] == [
        "Giá trị đang có hiệu lực áp dụng từ 01/01/2026: giá trị mới phải bắt đầu sau ngày đó."
    ]


def test_a_province_does_not_add_a_national_parameter(electricity, province_staff):
    with pytest.raises(PermissionDenied):
        add(province_staff, electricity, D(2026, 1, 1), 2_100, key="tier1_tariff")


def test_a_system_administrator_adds_a_national_parameter(electricity, admin_user_):
    add(admin_user_, electricity, D(2026, 1, 1), 2_100, key="tier1_tariff", confirmed=False)
    tariffs = ProgrammeParameter.objects.filter(programme=electricity, key="tier1_tariff")
    assert [(t.value, t.valid_to) for t in tariffs.order_by("valid_from")] == [
        (1_533, D(2024, 12, 31)),
        (2_044, D(2025, 12, 31)),
        (2_100, None),
    ]


def test_a_parameter_needs_its_source(local, province_staff):
    with pytest.raises(ValidationError) as error:
        add(province_staff, local, D(2026, 1, 1), 1, source=" ")
    assert "source" in error.value.message_dict
