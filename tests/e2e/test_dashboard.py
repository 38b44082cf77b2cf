"""Province staff log in and land on their dashboard at tablet width: the charts are drawn from
the tables beside them, the communes sort by a column, and a commune's dashboard opens."""

import pytest
from django.utils import timezone

from reports.models import StatusSummary

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots"
CELLS = {  # commune fixture -> (year, households, poor, near-poor)
    "my_hoa_hung": ((2025, 200, 20, 10), (2026, 200, 15, 12)),
    "long_xuyen": ((2025, 300, 3, 30), (2026, 300, 6, 25)),
}


def test_province_staff_open_on_their_dashboard(
    login, page, live_server, province_staff, an_giang, my_hoa_hung, long_xuyen
):
    communes = {"my_hoa_hung": my_hoa_hung, "long_xuyen": long_xuyen}
    StatusSummary.objects.bulk_create(
        StatusSummary(
            commune=communes[name],
            unit_path=communes[name].path,
            year=year,
            updated_at=timezone.now(),
            households=households,
            poor_households=poor,
            near_poor_households=near_poor,
        )
        for name, years in CELLS.items()
        for year, households, poor, near_poor in years
    )
    page.set_viewport_size({"width": 768, "height": 1024})
    login("province")
    assert page.url.endswith(f"/reports/units/{an_giang.pk}/")
    assert page.locator("#chart-trend-rates").is_visible()
    drawn = page.evaluate("() => Chart.getChart('chart-trend-rates').data.datasets[0].data")
    assert drawn == [4.6, 4.2]  # the poverty rates of 2025 and 2026, read from the table
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.screenshot(path=f"{SHOTS}/dashboard_province_768.png", full_page=False)

    page.click("#children thead a:has-text('Tỷ lệ hộ nghèo %')")
    page.wait_for_load_state("networkidle")
    assert "sort=-poor_rate" in page.url
    page.click(f"#children tbody a:has-text('{my_hoa_hung.name}')")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith(my_hoa_hung.name)
