"""Log-in, home, unit pages, language switch and log-in throttling."""

import pytest

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_by_default(client):
    html = client.get("/login/").content.decode()
    assert "Đăng nhập" in html


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_officer_logs_in_and_sees_their_commune(client, officer):
    response = client.post(
        "/login/", {"username": "officer", "password": "pw-Ansinh-123"}, follow=True
    )
    html = response.content.decode()
    assert "Xã Mỹ Hòa Hưng" in html
    assert "Cán bộ xã" in html


def test_english_is_available(client, officer):
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Your area" in html


def test_unit_page_in_scope(client, officer, my_hoa_hung):
    client.force_login(officer)
    assert client.get(f"/units/{my_hoa_hung.pk}/").status_code == 200


def test_unit_page_out_of_scope_is_404(client, officer, long_xuyen):
    client.force_login(officer)
    assert client.get(f"/units/{long_xuyen.pk}/").status_code == 404


def test_unit_page_anonymous_redirects(client, my_hoa_hung):
    assert client.get(f"/units/{my_hoa_hung.pk}/").status_code == 302


def test_failed_logins_are_throttled(client, officer):
    for _ in range(3):
        client.post("/login/", {"username": "officer", "password": "wrong"})
    response = client.post("/login/", {"username": "officer", "password": "pw-Ansinh-123"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_officer_adds_a_village_from_the_commune_page(client, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.post(
        f"/units/{my_hoa_hung.pk}/villages/", {"name": "Ấp Mỹ Lợi", "division_type": "ấp"}
    )
    assert response.status_code == 302
    assert my_hoa_hung.children.filter(name="Ấp Mỹ Lợi", division_type="ấp").exists()


def test_blank_village_name_is_refused_beside_the_field(client, officer, my_hoa_hung):
    client.force_login(officer)
    response = client.post(
        f"/units/{my_hoa_hung.pk}/villages/", {"name": " ", "division_type": "ấp"}
    )
    assert response.status_code == 400
    assert response.context["village_form"].errors["name"]
    assert not my_hoa_hung.children.exists()


def test_chair_sees_no_village_form_and_cannot_add(client, chair, my_hoa_hung):
    client.force_login(chair)
    assert client.get(f"/units/{my_hoa_hung.pk}/").context["village_form"] is None
    response = client.post(
        f"/units/{my_hoa_hung.pk}/villages/", {"name": "X", "division_type": "ấp"}
    )
    assert response.status_code == 403


def test_officer_of_another_commune_gets_404_adding_a_village(client, other_officer, my_hoa_hung):
    client.force_login(other_officer)
    response = client.post(
        f"/units/{my_hoa_hung.pk}/villages/", {"name": "X", "division_type": "ấp"}
    )
    assert response.status_code == 404
