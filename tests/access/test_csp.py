"""The content security policy (django-csp): every page is sent with it and satisfies it with
no inline script, neither a <script> with a body nor an on* handler attribute. The pages are
those of the access table (routes.py), each rendered as its user sees it in scope."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .base import ask
from .routes import ROUTES

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _pages():
    for key, entries in ROUTES.items():
        for n, route in enumerate(entries):
            if route.method == "get" and not key.startswith("api:"):
                yield pytest.param(route, id=f"{key}#{n}")


def assert_no_inline_script(response) -> None:
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    if "html" in response.get("Content-Type", ""):
        body = response.content.decode()
        assert INLINE_SCRIPT.findall(body) == []
        assert HANDLER.findall(body) == []


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(_pages()))
def test_every_page_satisfies_the_policy(world, route):
    response = ask(world, route, world.sides[route.side], route.user)
    assert response.status_code == route.ok
    assert_no_inline_script(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/api/docs/", "/api/redoc/", "/no-such-page/"])
def test_pages_outside_the_table_satisfy_it_too(url):
    response = Client().get(url)
    assert response.status_code in (200, 404)
    assert_no_inline_script(response)
