"""The content security policy (django-csp): every page is sent with it and satisfies it with
no inline script, neither a <script> with a body nor an on* handler attribute, and no inline
style, neither a style attribute nor a <style> element (style-src is 'self' alone). The pages
are those of the access table (routes.py), each rendered as its user sees it in scope.

One exception: the API documentation pages (Swagger UI, ReDoc) are vendored and inject their
own <style> elements, so their views alone add 'unsafe-inline' to style-src (registry/urls.py);
their script-src stays 'self'."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client

from .base import ask
from .routes import ROUTES

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)

# The vendored pages whose views relax style-src (and only style-src), with the reason above.
RELAXED_STYLE = ("/api/docs/", "/api/redoc/")


def _pages():
    for key, entries in ROUTES.items():
        for n, route in enumerate(entries):
            if route.method == "get" and not key.startswith("api:"):
                yield pytest.param(route, id=f"{key}#{n}")


def _directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"{name} is missing from {policy!r}")


def assert_no_inline_script(response) -> None:
    policy = response["Content-Security-Policy"]
    assert _directive(policy, "script-src") == ["'self'"]
    if "html" in response.get("Content-Type", ""):
        body = response.content.decode()
        assert INLINE_SCRIPT.findall(body) == []
        assert HANDLER.findall(body) == []


def assert_no_inline_style(response) -> None:
    assert _directive(response["Content-Security-Policy"], "style-src") == ["'self'"]
    if "html" in response.get("Content-Type", ""):
        assert_no_inline_style_in(response.content.decode())


def assert_no_inline_style_in(body: str) -> None:
    assert STYLE_ATTRIBUTE.findall(body) == []
    assert STYLE_ELEMENT.findall(body) == []


def test_the_policy_allows_no_inline_style():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["style-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(_pages()))
def test_every_page_satisfies_the_policy(world, route):
    response = ask(world, route, world.sides[route.side], route.user)
    assert response.status_code == route.ok
    assert_no_inline_script(response)
    assert_no_inline_style(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/no-such-page/"])
def test_pages_outside_the_table_satisfy_it_too(url):
    response = Client().get(url)
    assert response.status_code in (200, 404)
    assert_no_inline_script(response)
    assert_no_inline_style(response)


def test_the_server_error_page_has_no_inline_style():
    # Django's handler renders 500.html with no request and no context: so does this.
    assert_no_inline_style_in(loader.get_template("500.html").render())


@pytest.mark.django_db
@pytest.mark.parametrize("url", RELAXED_STYLE)
def test_the_api_documentation_alone_allows_inline_style(url):
    response = Client().get(url)
    assert response.status_code == 200
    assert_no_inline_script(response)
    assert _directive(response["Content-Security-Policy"], "style-src") == [
        "'self'",
        "'unsafe-inline'",
    ]
