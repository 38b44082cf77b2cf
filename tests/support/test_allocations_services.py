"""Allocations: ceilings, floors, who allocates in each scheme, history and overrides."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policies.support.models import Allocation, AllocationOverride
from policies.support.services.allocations import allocation_override_create
from registry.choices import Role

from .allocations_factories import *  # noqa: F403 (the fixtures)
from .allocations_factories import allocate, household_in, pay, reverse


def messages(error: ValidationError, key: str) -> str:
    return " ".join(error.value.message_dict[key])


# --- ceilings and floors -------------------------------------------------------------------------


def test_the_province_sets_its_plan(plan, province_staff):
    assert (plan.quantity, plan.amount, plan.parent, plan.changed_by) == (
        1000,
        100_000_000,
        None,
        province_staff,
    )


def test_a_commune_of_the_two_level_scheme_hangs_under_the_province_plan(
    plan, province_staff, my_hoa_hung, electricity
):
    share = allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=10_000_000)
    assert share.parent == plan


def test_children_may_not_add_up_to_more_than_the_parent(
    plan, province_staff, my_hoa_hung, long_xuyen, electricity
):
    allocate(province_staff, electricity, my_hoa_hung, quantity=600, amount=60_000_000)
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, long_xuyen, quantity=300, amount=50_000_000)
    assert messages(error, "amount") == (
        "Tối đa 40.000.000: phân bổ cấp trên là 100.000.000 và các đơn vị khác đã nhận 60.000.000."
    )


def test_a_change_of_a_child_counts_its_new_value_only(
    plan, province_staff, my_hoa_hung, electricity
):
    allocate(province_staff, electricity, my_hoa_hung, quantity=600, amount=60_000_000)
    changed = allocate(province_staff, electricity, my_hoa_hung, quantity=900, amount=90_000_000)
    assert changed.amount == 90_000_000


def test_a_child_must_state_a_measure_its_parent_caps(
    plan, province_staff, my_hoa_hung, electricity
):
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, my_hoa_hung, quantity=100)
    assert "amount" in error.value.message_dict


def test_the_parent_may_not_drop_below_its_children(
    plan, province_staff, an_giang, my_hoa_hung, electricity
):
    allocate(province_staff, electricity, my_hoa_hung, quantity=600, amount=60_000_000)
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, an_giang, quantity=1000, amount=50_000_000)
    assert messages(error, "amount") == (
        "Tối thiểu 60.000.000: các đơn vị cấp dưới đã nhận 60.000.000."
    )


def test_an_allocation_may_not_drop_below_what_was_delivered(
    plan, province_staff, officer, my_hoa_hung, electricity
):
    allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=10_000_000)
    pay(household_in(officer, my_hoa_hung), electricity, officer, amount=4_000_000)
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=3_000_000)
    assert messages(error, "amount") == ("Tối thiểu 4.000.000: đơn vị này đã chi trả 4.000.000.")


def test_a_reversed_payment_no_longer_counts_as_delivered(
    plan, province_staff, officer, my_hoa_hung, electricity
):
    allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=10_000_000)
    payment = pay(household_in(officer, my_hoa_hung), electricity, officer, amount=4_000_000)
    reverse(payment, officer)
    lowered = allocate(province_staff, electricity, my_hoa_hung, quantity=100, amount=3_000_000)
    assert lowered.amount == 3_000_000


def test_the_province_plan_drops_no_lower_than_delivered_below_it(
    plan, province_staff, officer, an_giang, my_hoa_hung, electricity
):
    pay(household_in(officer, my_hoa_hung), electricity, officer, quantity=5, amount=500_000)
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, an_giang, quantity=4, amount=100_000_000)
    assert messages(error, "quantity") == "Tối thiểu 5: đơn vị này đã chi trả 5."


def test_a_commune_needs_the_plan_above_it(province_staff, my_hoa_hung, electricity):
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, my_hoa_hung, quantity=10)
    assert messages(error, "unit") == (
        "Tỉnh chưa có kế hoạch của chương trình này cho năm 2026: hãy lập kế hoạch trước."
    )


def test_the_reason_is_required(plan, province_staff, an_giang, electricity):
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, an_giang, quantity=10, reason="  ")
    assert "reason" in error.value.message_dict


def test_an_empty_allocation_is_refused(province_staff, an_giang, electricity):
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, an_giang)
    assert error.value.messages == [
        "Hãy nhập ít nhất một trong các chỉ tiêu số lượng, số đối tượng và kinh phí."
    ]


def test_a_year_out_of_range_is_refused(province_staff, an_giang, electricity):
    with pytest.raises(ValidationError) as error:
        allocate(province_staff, electricity, an_giang, year=3000, quantity=1)
    assert "year" in error.value.message_dict


# --- who allocates --------------------------------------------------------------------------------


def test_the_district_allocates_to_its_communes(
    district_share, district_staff, kien_an, electricity
):
    share = allocate(district_staff, electricity, kien_an, year=2025, quantity=50, amount=5_000_000)
    assert (share.parent, share.changed_by) == (district_share, district_staff)


def test_the_district_cannot_allocate_before_it_is_allocated(
    legacy_plan, district_staff, kien_an, electricity
):
    with pytest.raises(ValidationError) as error:
        allocate(district_staff, electricity, kien_an, year=2025, quantity=50, amount=5_000_000)
    assert messages(error, "unit") == (
        "Huyện của bạn chưa được phân bổ chương trình này cho năm 2025: tỉnh cần phân bổ cho "
        "huyện trước."
    )


def test_the_province_allocates_straight_to_a_commune_of_a_district_without_a_share(
    legacy_plan, legacy_province_staff, kien_an, electricity
):
    share = allocate(
        legacy_province_staff, electricity, kien_an, year=2025, quantity=50, amount=5_000_000
    )
    assert share.parent == legacy_plan


def test_the_province_leaves_a_district_s_communes_to_the_district(
    district_share, legacy_province_staff, kien_an, electricity
):
    with pytest.raises(PermissionDenied):
        allocate(
            legacy_province_staff, electricity, kien_an, year=2025, quantity=50, amount=5_000_000
        )


def test_the_district_does_not_set_its_own_share(legacy_plan, district_staff, cho_moi, electricity):
    with pytest.raises(PermissionDenied):
        allocate(district_staff, electricity, cho_moi, year=2025, quantity=50, amount=5_000_000)


def test_a_commune_officer_does_not_allocate(plan, officer, my_hoa_hung, electricity):
    with pytest.raises(PermissionDenied):
        allocate(officer, electricity, my_hoa_hung, quantity=10, amount=1_000_000)


def test_a_district_share_is_refused_once_the_province_allocates_to_its_communes(
    legacy_plan, legacy_province_staff, kien_an, cho_moi, electricity
):
    allocate(legacy_province_staff, electricity, kien_an, year=2025, quantity=5, amount=500_000)
    with pytest.raises(ValidationError) as error:
        allocate(legacy_province_staff, electricity, cho_moi, year=2025, quantity=50, amount=5_000)
    assert "unit" in error.value.message_dict


def test_a_unit_outside_the_area_is_refused_without_its_name(
    plan, make_user, my_hoa_hung, electricity
):
    from ..conftest import HA_NOI, unit

    ha_noi_staff = make_user(Role.PROVINCE_STAFF, unit("2025", "province", HA_NOI))
    with pytest.raises(ValidationError) as error:
        allocate(ha_noi_staff, electricity, my_hoa_hung, quantity=10, amount=1_000)
    assert my_hoa_hung.name not in " ".join(error.value.messages)


# --- history -------------------------------------------------------------------------------------


def test_every_change_is_kept_with_its_reason_and_author(
    plan, province_staff, an_giang, electricity
):
    allocate(
        province_staff, electricity, an_giang, quantity=1200, amount=120_000_000, reason="Bổ sung"
    )
    rows = Allocation.objects.get(pk=plan.pk).history.order_by("history_date")
    assert [(h.amount, h.reason, h.history_user) for h in rows] == [
        (100_000_000, "Kế hoạch năm", province_staff),
        (120_000_000, "Bổ sung", province_staff),
    ]


# --- overrides -----------------------------------------------------------------------------------


def test_the_district_overrides_a_commune_of_its_own(
    district_share, district_staff, kien_an, electricity
):
    share = allocate(district_staff, electricity, kien_an, year=2025, quantity=50, amount=5_000_000)
    override = allocation_override_create(
        actor=district_staff, allocation=share, extra_amount=1_000_000, reason="Lũ lụt"
    )
    assert (override.extra_amount, override.unit_path, override.created_by) == (
        1_000_000,
        kien_an.path,
        district_staff,
    )


def test_the_province_overrides_in_the_two_level_scheme(
    plan, province_staff, my_hoa_hung, electricity
):
    share = allocate(province_staff, electricity, my_hoa_hung, quantity=10, amount=1_000_000)
    allocation_override_create(
        actor=province_staff, allocation=share, extra_quantity=2, reason="Hộ mới"
    )
    assert AllocationOverride.objects.filter(allocation=share).count() == 1


def test_the_province_does_not_override_in_the_three_level_scheme(
    legacy_plan, legacy_province_staff, kien_an, electricity
):
    share = allocate(
        legacy_province_staff, electricity, kien_an, year=2025, quantity=50, amount=5_000_000
    )
    with pytest.raises(PermissionDenied):
        allocation_override_create(
            actor=legacy_province_staff, allocation=share, extra_amount=1, reason="Lũ"
        )


def test_only_a_commune_allocation_is_overridden(plan, admin_user_):
    with pytest.raises(ValidationError) as error:
        allocation_override_create(actor=admin_user_, allocation=plan, extra_amount=1, reason="x")
    assert "allocation" in error.value.message_dict


def test_an_empty_override_is_refused(plan, province_staff, my_hoa_hung, electricity):
    share = allocate(province_staff, electricity, my_hoa_hung, quantity=10, amount=1_000_000)
    with pytest.raises(ValidationError) as error:
        allocation_override_create(actor=province_staff, allocation=share, reason="Lũ")
    assert "extra_amount" in error.value.message_dict


def test_an_override_needs_its_reason(plan, province_staff, my_hoa_hung, electricity):
    share = allocate(province_staff, electricity, my_hoa_hung, quantity=10, amount=1_000_000)
    with pytest.raises(ValidationError) as error:
        allocation_override_create(
            actor=province_staff, allocation=share, extra_amount=5, reason=""
        )
    assert "reason" in error.value.message_dict
