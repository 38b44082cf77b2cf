"""The shared access test base: every route checked anonymous, in scope and out of scope.

Like NetBox's generic view test cases, it is fed from the URL resolver: `routes()` walks
`get_resolver()`, and `tests/access/test_routes.py` fails when a route is neither in the table
(`tests/access/routes.py`) nor exempt with a reason, so a new route nobody registered fails the
suite. Each route of the table says who works on it, how to build its URL (and body) for a side
of the world, what it answers in scope, and how it keeps out what lies outside:

- a route about an object answers an object of another area exactly as it answers a missing one
  (404 for an object in the URL; for an object named in the body, the same 400 as a missing id,
  numbers aside);
- a list shows the rows of the user's side and none of the other sides.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import ERROR, get_messages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from .world import Side, World, missing

# Rows a missing twin may keep: a campaign or province the user's side shares with another
# commune of the same province is in scope, so only the rows of the commune go missing.
SHARED = ("province", "campaign")


@dataclass(frozen=True)
class Route:
    """How to check one route three ways."""

    user: str  # who works on it, a key of World.users
    url: Callable[[Side], str]
    method: str = "get"
    data: Callable[[Side], dict[str, Any]] | None = None
    ok: int = 200  # what it answers in scope
    side: str = "inside"  # the side the user works on
    # Sides outside the user's area. Routes about a campaign (the same for every commune of a
    # province) and routes of province staff are asked only about another province ("far").
    outside: tuple[str, ...] = ("outside", "far")
    # A list: what it shows of a side (a text for a page, a row for the API); checked present
    # for the user's side and absent for every other side.
    shows: Callable[[Side], Any] | None = None
    # Neither an object nor a list: why there is nothing outside to ask for.
    nothing_outside: str = ""


def is_api(url: str) -> bool:
    return url.startswith("/api/")


# --- the resolver -------------------------------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            # An unnamed route gets its pattern as its name, so the table test names it.
            name = pattern.name or f"<unnamed> {prefix}{pattern.pattern}"
            yield prefix + str(pattern.pattern), ":".join(n for n in (namespace, name) if n)


def routes() -> dict[str, str]:
    """Every named route of the project: its name with its namespaces ("api:unit-detail",
    "households:household-detail") → the first pattern of that name (a router's format-suffix
    twins share the name of the route they suffix)."""
    found: dict[str, str] = {}
    for path, name in _walk(get_resolver().url_patterns):
        found.setdefault(name, path)
    return found


# --- asking ---------------------------------------------------------------------------------------


def client(world: World, url: str, user: str | None) -> Client | APIClient:
    if is_api(url):
        api_client = APIClient()
        if user is not None:
            api_client.force_authenticate(world.users[user])
        return api_client
    page_client = Client()
    if user is not None:
        page_client.force_login(world.users[user])
    return page_client


def ask(world: World, route: Route, side: Side, user: str | None):
    """The route's answer to `user` (None: anonymous) about `side`."""
    url = route.url(side)
    data = route.data(side) if route.data else None
    call = getattr(client(world, url, user), route.method)
    if is_api(url):
        return call(url, data, format="json") if route.method != "get" else call(url)
    return call(url, data) if data is not None else call(url)


def shape(response) -> tuple[int, str]:
    """The status and body with numbers and CSRF tokens blanked, to compare answers about
    different ids."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.status_code, re.sub(r"\d+", "N", body)


def listed(route: Route, response, side: Side) -> bool:
    """Whether the list in `response` shows what it would show of `side`."""
    marker = route.shows(side)
    if is_api(response.wsgi_request.path):
        body = json.loads(response.content)
        rows = body["results"] if isinstance(body, dict) and "results" in body else body
        return marker.pk in {row["id"] for row in rows}
    return marker in response.content.decode()


# --- the three checks -----------------------------------------------------------------------------


def check_anonymous(world: World, route: Route) -> None:
    response = ask(world, route, world.sides[route.side], None)
    if is_api(response.wsgi_request.path):
        assert response.status_code in (401, 403), response.status_code
    else:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/login/"), response["Location"]


def check_in_scope(world: World, route: Route) -> None:
    side = world.sides[route.side]
    response = ask(world, route, side, route.user)
    assert response.status_code == route.ok, response.content[:2000]
    # A page that redirects after a POST says what went wrong in a message: none may be an error.
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level >= ERROR]
    assert errors == []
    if route.shows:
        assert listed(route, response, side)


def check_out_of_scope(world: World, route: Route, name: str) -> None:
    """About the side `name`: a list does not show it; an object of it answers as a missing one."""
    other = world.sides[name]
    if route.shows:
        side = world.sides[route.side]
        response = ask(world, route, side, route.user)
        assert response.status_code == route.ok
        # The user's own row is on the page, so the other's is not merely on a later page.
        assert listed(route, response, side)
        assert not listed(route, response, other)
        return
    response = ask(world, route, other, route.user)
    mine = world.sides[route.side]
    keep = tuple(row for row in SHARED if getattr(other, row) == getattr(mine, row))
    absent = ask(world, route, missing(other, keep=keep), route.user)
    assert response.status_code in (400, 404), response.content[:2000]
    assert shape(response) == shape(absent)
