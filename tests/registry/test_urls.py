"""URL names: each names one page, so that reverse() and {% url %} reach the page they mean."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db


def _named_patterns(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    """(qualified name, route, view) of every named pattern under `resolver`."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _named_patterns(entry, inner.lstrip(":"), prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            # DRF repeats each route with a format suffix (".json") under the same name and
            # view: one page in two spellings, not a clash.
            if "format" in entry.pattern.regex.groupindex:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry.callback


def test_no_two_url_patterns_share_a_name():
    routes = defaultdict(list)
    for name, route, _view in _named_patterns(get_resolver()):
        routes[name].append(route)
    shared = {name: found for name, found in routes.items() if len(found) > 1}
    assert shared == {}


def test_unit_page_is_reached_by_its_name(my_hoa_hung):
    assert reverse("unit-detail", args=[my_hoa_hung.pk]) == f"/units/{my_hoa_hung.pk}/"


def test_api_routes_are_named_in_the_api_namespace(my_hoa_hung):
    assert reverse("api:unit-detail", args=[my_hoa_hung.pk]) == f"/api/v1/units/{my_hoa_hung.pk}/"


def test_home_page_links_to_the_unit_page_not_the_api(client, officer, my_hoa_hung):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert f'href="/units/{my_hoa_hung.pk}/"' in html
    assert f'href="/api/v1/units/{my_hoa_hung.pk}/"' not in html


def test_api_root_lists_its_routes(client, officer):
    client.force_login(officer)
    root = client.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    assert root["units"].endswith("/api/v1/units/")
