"""The pages where units enter what their dashboard cannot compute: the resident households (the
denominator) and the province's targets, through the services of reports.services."""

from __future__ import annotations

import pytest

from reports.models import PovertyTarget, ResidentCount

pytestmark = pytest.mark.django_db

TARGET = {
    "measure": "poor_rate",
    "kind": "below_by",
    "value": "3,5",
    "from_year": 2026,
    "to_year": 2030,
    "basis": "Nghị quyết 12/NQ-HĐND",
}


def test_an_officer_enters_the_resident_households(client, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.post(
        f"/reports/units/{my_hoa_hung.pk}/residents/",
        {"year": 2026, "households": 412, "source": "Công an xã"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/reports/units/{my_hoa_hung.pk}/?year=2026"
    row = ResidentCount.objects.get(unit=my_hoa_hung, year=2026)
    assert (row.households, row.entered_by) == (412, officer)
    assert row.history.get().history_user == officer


def test_a_wrong_number_is_said_beside_its_field(client, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.post(
        f"/reports/units/{my_hoa_hung.pk}/residents/",
        {"year": 2026, "households": "bốn trăm", "source": "Công an xã"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["households"]
    assert not ResidentCount.objects.exists()


def test_an_entered_total_is_removed(client, officer, my_hoa_hung):
    client.force_login(officer)
    url = f"/reports/units/{my_hoa_hung.pk}/residents/"
    client.post(url, {"year": 2026, "households": 412, "source": "Công an xã"})
    response = client.post(url, {"year": 2026, "clear": "1"})
    assert response.status_code == 302
    assert not ResidentCount.objects.exists()


def test_province_staff_read_a_communes_total_but_do_not_enter_it(
    client, province_staff, my_hoa_hung
):
    client.force_login(province_staff)
    url = f"/reports/units/{my_hoa_hung.pk}/residents/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    refused = client.post(url, {"year": 2026, "households": 1, "source": "x"})
    assert refused.status_code == 403


def test_province_staff_set_a_target_and_the_dashboard_shows_its_progress(
    client, province_staff, an_giang
):
    client.force_login(province_staff)
    response = client.post(f"/reports/units/{an_giang.pk}/targets/", TARGET)
    assert response.status_code == 302
    target = PovertyTarget.objects.get(unit=an_giang)
    assert str(target.value) == "3.50"
    html = client.get(f"/reports/units/{an_giang.pk}/?year=2026").content.decode()
    assert "dưới 3,50 %" in html


def test_a_target_is_changed_and_removed(client, province_staff, an_giang):
    client.force_login(province_staff)
    client.post(f"/reports/units/{an_giang.pk}/targets/", TARGET)
    target = PovertyTarget.objects.get()
    changed = client.post(f"/reports/targets/{target.pk}/", {**TARGET, "value": "2"})
    assert changed.status_code == 302
    target.refresh_from_db()
    assert str(target.value) == "2.00"
    client.post(f"/reports/targets/{target.pk}/", {**TARGET, "delete": "1"})
    assert not PovertyTarget.objects.exists()


def test_the_service_refuses_a_target_ending_before_it_starts(client, province_staff, an_giang):
    client.force_login(province_staff)
    response = client.post(
        f"/reports/units/{an_giang.pk}/targets/", {**TARGET, "from_year": 2030, "to_year": 2026}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["to_year"]


def test_a_commune_has_no_targets_page(client, officer, my_hoa_hung):
    client.force_login(officer)
    assert client.get(f"/reports/units/{my_hoa_hung.pk}/targets/").status_code == 404
