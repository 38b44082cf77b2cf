"""Where users land: district and province staff open on their dashboard; commune officers keep
their work list, with a link to their commune's dashboard."""

import pytest

pytestmark = pytest.mark.django_db


def test_province_staff_home_opens_on_their_dashboard(client, province_staff, an_giang):
    client.force_login(province_staff)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/reports/units/{an_giang.pk}/"


def test_district_staff_home_opens_on_their_district_dashboard(client, district_staff, cho_moi):
    client.force_login(district_staff)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/reports/units/{cho_moi.pk}/"


def test_officer_home_stays_and_links_to_the_commune_dashboard(client, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="/reports/units/{my_hoa_hung.pk}/"' in response.content.decode()


def test_chair_opens_the_commune_dashboard_from_the_menu(client, chair, my_hoa_hung):
    client.force_login(chair)
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/units/{my_hoa_hung.pk}/"


def test_a_user_of_several_units_chooses_one(client, make_user, my_hoa_hung, long_xuyen):
    user = make_user("commune_officer", my_hoa_hung)
    from registry.services import assignment_create

    assignment_create(user=user, role="commune_officer", unit=long_xuyen)
    client.force_login(user)
    html = client.get("/reports/").content.decode()
    assert f'href="/reports/units/{my_hoa_hung.pk}/"' in html
    assert f'href="/reports/units/{long_xuyen.pk}/"' in html
