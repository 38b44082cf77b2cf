"""Error pages: inside the site's layout, in the user's language (Vietnamese by default), and a
refusal says what the user may do instead."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

LAYOUT = 'class="navbar-brand fw-semibold"'


def page(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("role_user", ["district_staff", "province_staff", "chair"])
def test_user_without_entry_rights_gets_a_vietnamese_refusal(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(reverse("households:household-create"))
    assert response.status_code == 403
    html = page(response)
    assert "403 Forbidden" not in html
    assert LAYOUT in html
    assert "Chỉ cán bộ xã mới nhập và sửa thông tin hộ, trong xã của mình." in html
    assert "Thay vào đó, bạn có thể" in html
    assert f'href="{reverse("households:household-list")}"' in html


def test_refusal_offers_the_chair_their_queue(client, chair):
    client.force_login(chair)
    html = page(client.get(reverse("households:household-create")))
    assert f'href="{reverse("households:recognition-queue")}"' in html
    assert f'href="{reverse("households:household-create")}"' not in html


def test_refusal_offers_province_staff_to_open_a_campaign(client, province_staff):
    client.force_login(province_staff)
    html = page(client.get(reverse("households:household-create")))
    assert f'href="{reverse("households:campaign-create")}"' in html
    assert "hãy đề nghị cán bộ xã" in html


def test_refusal_is_in_english_when_the_user_reads_english(client, district_staff):
    client.force_login(district_staff)
    response = client.get(reverse("households:household-create"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Only a commune officer enters and changes households" in page(response)
    assert "What you can do instead" in page(response)


def test_a_service_refusal_shows_its_own_reason(client, officer):
    client.force_login(officer)
    response = client.get(reverse("households:campaign-create"))
    assert response.status_code == 403
    assert "Chỉ cán bộ tỉnh mới mở đợt rà soát của tỉnh mình." in page(response)


def test_user_without_an_area_is_told_to_ask_the_administrator(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    html = page(client.get(reverse("households:household-create")))
    assert "Hãy đề nghị quản trị viên phân công bạn" in html
    assert "Xem các hộ trên địa bàn của bạn" not in html


def test_missing_page_is_vietnamese_inside_the_layout(client, officer):
    client.force_login(officer)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page(response)
    assert LAYOUT in page(response)


def test_a_household_out_of_scope_gets_the_same_404_page(client, officer):
    client.force_login(officer)
    response = client.get(reverse("households:household-detail", args=[999_999]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page(response)
    assert "No Household matches" not in page(response)


def test_server_error_page_needs_no_request_user_or_database(django_assert_num_queries):
    with translation.override("vi"), django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Đã có lỗi ở phía hệ thống" in page(response)
    assert LAYOUT in page(response)


@pytest.mark.urls("tests.registry.raising_urls")
def test_a_failing_view_shows_the_vietnamese_500_page(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.get("/test-500/")
    assert response.status_code == 500
    assert "Đã có lỗi ở phía hệ thống" in page(response)


@pytest.mark.urls("tests.registry.raising_urls")
def test_a_bad_request_shows_the_vietnamese_400_page(client):
    response = client.get("/test-400/")
    assert response.status_code == 400
    assert "Không hiểu yêu cầu" in page(response)
    assert LAYOUT in page(response)


def test_an_expired_form_says_so_in_vietnamese(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in page(response)
    assert LAYOUT in page(response)
