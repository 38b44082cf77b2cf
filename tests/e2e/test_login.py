"""A commune officer logs in through the browser and lands on a home page showing their area."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_their_area(login, officer):
    page = login("officer")
    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert "Xã Mỹ Hòa Hưng" in page.locator("main").inner_text()


def test_wrong_password_shows_an_error(login, officer):
    page = login("officer", "wrong-password")
    assert page.url.endswith("/login/")
    assert page.locator(".alert-danger").is_visible()
