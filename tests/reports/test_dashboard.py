"""The dashboard pages: a unit's KPIs for the chosen year with the change from last year, its
children sortable and drilling down, the charts' tables, the denominator said, bad input said,
and nothing of another area. The summary cells are written directly (what the services keep)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from households.selectors import current_list_year
from registry.choices import Level
from registry.models import AdminUnit
from reports.models import DeprivationSummary, ResidentCount, StatusSummary

pytestmark = pytest.mark.django_db

# Mỹ Hòa Hưng: 2025 and 2026 lists; Long Xuyên: 2026 only.
CELLS = {
    ("my_hoa_hung", 2025): {"households": 200, "poor_households": 20, "near_poor_households": 10},
    ("my_hoa_hung", 2026): {
        "households": 200,
        "persons": 700,
        "poor_households": 15,
        "poor_persons": 60,
        "near_poor_households": 12,
        "escaped_poverty": 4,
        "poor_to_near_poor": 2,
        "newly_poor": 1,
    },
    ("long_xuyen", 2026): {"households": 300, "poor_households": 3, "near_poor_households": 30},
}


@pytest.fixture
def cells(my_hoa_hung, long_xuyen):
    units = {"my_hoa_hung": my_hoa_hung, "long_xuyen": long_xuyen}
    now = timezone.now()
    StatusSummary.objects.bulk_create(
        StatusSummary(
            commune=units[name], unit_path=units[name].path, year=year, updated_at=now, **counts
        )
        for (name, year), counts in CELLS.items()
    )
    DeprivationSummary.objects.bulk_create(
        DeprivationSummary(
            commune=my_hoa_hung,
            unit_path=my_hoa_hung.path,
            year=2026,
            updated_at=now,
            indicator=code,
            households=n,
        )
        for code, n in (("D11_EMPLOYMENT", 9), ("D22_WATER_SOURCE", 6))
    )


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_commune_kpis_of_the_year_with_the_change_from_last_year(
    client, cells, officer, my_hoa_hung
):
    text = _text(_page(client, officer, f"/reports/units/{my_hoa_hung.pk}/?year=2026"))
    assert "7,50 %" in text  # 15 poor of 200 households
    assert "−2,50 điểm" in text  # from 10,00 % in 2025
    assert "13,50 %" in text  # poor + near-poor: (15 + 12) / 200
    assert "Số liệu tính lúc" in text


def test_the_multidimensional_rate_is_labelled_apart(client, cells, officer, my_hoa_hung):
    text = _text(_page(client, officer, f"/reports/units/{my_hoa_hung.pk}/?year=2026"))
    assert "Tỷ lệ hộ nghèo và cận nghèo (nghèo đa chiều)" in text
    assert "không phải tỷ lệ hộ nghèo" in text


def test_the_denominator_and_its_source_are_said(client, cells, officer, my_hoa_hung):
    url = f"/reports/units/{my_hoa_hung.pk}/?year=2026"
    before = _text(_page(client, officer, url))
    ResidentCount.objects.create(
        unit=my_hoa_hung,
        unit_path=my_hoa_hung.path,
        year=2026,
        households=250,
        source="Công an xã",
        entered_by=officer,
    )
    after = _text(_page(client, officer, url))
    assert "200 hộ" in before and "trong cơ sở dữ liệu" in before
    assert "250 hộ" in after and "do đơn vị nhập" in after
    assert "6,00 %" in after  # 15 of the 250 resident households


def test_a_commune_drills_down_to_its_household_list(client, cells, officer, my_hoa_hung):
    html = _page(client, officer, f"/reports/units/{my_hoa_hung.pk}/?year=2026")
    assert f"/households/?commune={my_hoa_hung.pk}&amp;year=2026&amp;classification=poor" in html


def test_children_sorted_on_the_server_and_drilling_down(
    client, cells, province_staff, an_giang, my_hoa_hung, long_xuyen
):
    url = f"/reports/units/{an_giang.pk}/?year=2026&sort=-poor_rate"
    html = _page(client, province_staff, url)
    first_two = re.findall(r'<th scope="row" class="fw-normal"><a href="([^"]+)">', html)[:2]
    # 7,50 % before 1,00 %; each row opens the child's dashboard for the same year.
    assert first_two == [
        f"/reports/units/{my_hoa_hung.pk}/?year=2026",
        f"/reports/units/{long_xuyen.pk}/?year=2026",
    ]
    assert 'href="?year=2026&amp;sort=poor_rate"' in html  # the heading reverses the sort


def test_charts_read_their_numbers_from_the_tables(client, cells, officer, my_hoa_hung):
    html = _page(client, officer, f"/reports/units/{my_hoa_hung.pk}/?year=2026")
    assert 'data-chart="line" data-chart-canvas="chart-trend-rates"' in html
    assert 'data-value="7.50"' in html  # the 2026 poverty rate, as the chart reads it
    assert 'data-chart="hbar" data-chart-canvas="chart-deprivations"' in html
    assert 'data-value="9"' in html  # poor households deprived in employment
    assert "chart.umd.min.js" in html


def test_a_bad_year_is_said_naming_the_field_and_the_page_still_shows(
    client, cells, officer, my_hoa_hung
):
    client.force_login(officer)
    response = client.get(f"/reports/units/{my_hoa_hung.pk}/?year=20x6")
    assert response.status_code == 200
    assert "Năm: " in _text(response.content.decode())
    assert response.context["year"] == current_list_year()


def test_another_district_is_missing(client, district_staff, cho_moi):
    other = (
        AdminUnit.objects.filter(parent=cho_moi.parent, level=Level.DISTRICT)
        .exclude(pk=cho_moi.pk)
        .first()
    )
    client.force_login(district_staff)
    assert client.get(f"/reports/units/{other.pk}/").status_code == 404
    assert client.get(f"/reports/units/{cho_moi.pk}/").status_code == 200


def test_a_commune_dashboard_shows_nothing_of_another_commune(
    client, cells, officer, my_hoa_hung, long_xuyen
):
    html = _page(client, officer, f"/reports/units/{my_hoa_hung.pk}/?year=2026")
    assert long_xuyen.name not in html
    assert client.get(f"/reports/units/{long_xuyen.pk}/").status_code == 404


def test_a_bad_date_and_programme_are_said_and_left_out(client, cells, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.get(
        f"/reports/units/{my_hoa_hung.pk}/?year=2026&as_of=2026-13-40&programme=no_such"
    )
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Tính đến ngày: " in text and "Chương trình: " in text
    assert response.context["as_of"] is None and response.context["programme"] is None
