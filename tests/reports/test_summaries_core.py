"""The summaries follow recognitions, and the KPIs read from them add up: worked-out figures on a
small registry of two communes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports import summaries
from reports.selectors import children_kpis, unit_kpis

from ..households.factories import member
from ..support.factories import recognised_household, recognised_households


def _in_sync() -> bool:
    expected = summaries._comparable(summaries.expected_cells())
    return expected == summaries._comparable(summaries.stored_cells())


@pytest.mark.django_db
def test_province_counts_and_rates_from_two_communes(
    officer, chair, other_officer, make_user, long_xuyen, my_hoa_hung, province_staff, an_giang
):
    other_chair = make_user("commune_chair", long_xuyen, username="other-chair")
    recognised_households(officer, chair, my_hoa_hung, 2, "poor")
    recognised_households(officer, chair, my_hoa_hung, 1, "near_poor")
    recognised_household(
        officer,
        chair,
        my_hoa_hung,
        "poor",
        members=[member("Lâm Văn Ba", ethnicity="05"), member("Lâm Thị Tư", relationship="spouse")],
    )  # a Khmer head: an ethnic-minority household, whatever the spouse
    recognised_households(other_officer, other_chair, long_xuyen, 3, "not_poor")
    assert _in_sync()

    province = unit_kpis(user=province_staff, unit=an_giang, year=2026)
    assert province.counts["households"] == 7
    assert province.counts["persons"] == 8
    assert province.counts["poor_households"] == 3
    assert province.counts["poor_persons"] == 4
    assert province.counts["minority_poor_households"] == 1
    assert province.denominator_source == "registry"
    assert province.rates["poor_rate"] == Decimal("42.86")  # 300 / 7 = 42.857...
    assert province.rates["multidimensional_rate"] == Decimal("57.14")  # 400 / 7
    assert province.rates["minority_poor_rate"] == Decimal("100.00")
    children = {k.unit.pk: k for k in children_kpis(user=province_staff, unit=an_giang, year=2026)}
    assert children[my_hoa_hung.pk].counts["households"] == 4
    assert children[long_xuyen.pk].rates["poor_rate"] == Decimal("0.00")
    for name, value in province.counts.items():
        if value is not None:
            assert sum(k.counts[name] or 0 for k in children.values()) == value, name
    # No list of 2025: the moves against it are not known, and no rate for an empty year.
    assert province.counts["newly_poor"] is None
    assert province.previous.rates["poor_rate"] is None
