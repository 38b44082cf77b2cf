"""API tokens (django-rest-knox): made, listed and revoked by their owner on the tokens page;
stored hashed; refused once expired, revoked, or the account deactivated or locked out; and the
API's answer to anonymous calls and its throttles."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from registry.models import ApiToken
from registry.services import api_token_create

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"
HOUSEHOLDS = "/api/v1/households/"
TOKENS = "/account/tokens/"


def token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_the_page_shows_a_new_token_once_and_keeps_only_its_hash(client, officer):
    client.force_login(officer)
    response = client.post(TOKENS, {"name": "Phần mềm xã", "days": "30"})
    assert response.status_code == 201
    secret = response.context["created"]
    token = ApiToken.objects.get(user=officer)
    assert secret.startswith("ansinh_") and secret in response.content.decode()
    assert secret not in {token.digest, token.token_key}
    assert secret not in client.get(TOKENS).content.decode()
    assert token_client(secret).get(UNITS).status_code == 200


def test_a_token_expires_after_the_lifetime_chosen(officer):
    token, _secret = api_token_create(actor=officer, name="Báo cáo", days=7)
    assert abs(token.expiry - token.created - dt.timedelta(days=7)) < dt.timedelta(minutes=1)


def test_a_lifetime_not_offered_is_refused_on_the_page(client, officer):
    client.force_login(officer)
    response = client.post(TOKENS, {"name": "Mãi mãi", "days": "3650"})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=officer).exists()


def test_an_expired_token_is_refused(officer):
    token, secret = api_token_create(actor=officer, name="Cũ", days=7)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert token_client(secret).get(UNITS).status_code == 401


def test_a_revoked_token_is_refused(client, officer):
    token, secret = api_token_create(actor=officer, name="Thu hồi", days=7)
    client.force_login(officer)
    assert client.post(f"{TOKENS}{token.pk}/revoke/").status_code == 302
    assert token_client(secret).get(UNITS).status_code == 401


def test_another_users_token_is_not_revoked(client, officer, other_officer):
    token, secret = api_token_create(actor=other_officer, name="Của người khác", days=7)
    client.force_login(officer)
    assert client.post(f"{TOKENS}{token.pk}/revoke/").status_code == 404
    assert token_client(secret).get(UNITS).status_code == 200


def test_a_deactivated_account_s_token_is_refused(officer):
    _token, secret = api_token_create(actor=officer, name="Nghỉ việc", days=30)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert token_client(secret).get(UNITS).status_code == 401


def test_a_locked_out_account_s_token_is_refused(officer):
    _token, secret = api_token_create(actor=officer, name="Bị khoá", days=30)
    AccessAttempt.objects.create(
        username=officer.username,
        ip_address="203.0.113.9",
        user_agent="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    response = token_client(secret).get(UNITS)
    assert response.status_code == 401


def test_an_anonymous_call_is_401_naming_the_scheme():
    response = APIClient().get(UNITS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.fixture
def rates(monkeypatch):
    """Lower the throttle rates for one test (DRF reads them once, on its throttle class)."""

    def lower(**changes: str) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **changes}
        )

    return lower


def test_look_ups_by_id_number_are_throttled_apart(officer, rates):
    rates(**{"id-number": "2/min"})
    client = APIClient()
    client.force_authenticate(officer)
    answers = [client.get(HOUSEHOLDS, {"q": "089 123 456 789"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert client.get(HOUSEHOLDS, {"q": "Nguyễn"}).status_code == 200


def test_each_user_is_throttled(officer, rates):
    rates(user="2/min")
    client = APIClient()
    client.force_authenticate(officer)
    assert [client.get(UNITS).status_code for _ in range(3)] == [200, 200, 429]


def test_anonymous_calls_to_open_endpoints_are_throttled(rates):
    # Anonymous calls elsewhere are refused (401) before any throttle counts them.
    rates(anon="1/min")
    assert [APIClient().get("/api/schema/").status_code for _ in range(2)] == [200, 429]
