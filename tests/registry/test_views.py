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
