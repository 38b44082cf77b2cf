"""Every route of the project, three ways: anonymous, in scope, out of scope (base.py)."""

from __future__ import annotations

import pytest

from .base import check_anonymous, check_in_scope, check_out_of_scope, routes
from .routes import EXEMPT, EXEMPT_NAMESPACES, ROUTES


def _cases(*, outside: bool = False):
    for key, entries in ROUTES.items():
        for n, route in enumerate(entries):
            if not outside:
                yield pytest.param(route, id=f"{key}#{n}")
            elif not route.nothing_outside:
                for side in route.outside:
                    yield pytest.param(route, side, id=f"{key}#{n}-{side}")


def test_every_route_is_in_the_table_or_exempt():
    found = {
        key for key in routes() if key not in EXEMPT and key.split(":")[0] not in EXEMPT_NAMESPACES
    }
    assert sorted(found - set(ROUTES)) == [], "routes missing from tests/access/routes.py"
    assert sorted(set(ROUTES) - found) == [], "routes in the table that no longer exist"


def test_every_exemption_names_a_route():
    assert sorted(set(EXEMPT) - set(routes())) == []


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(_cases()))
def test_anonymous_is_sent_to_log_in(world, route):
    check_anonymous(world, route)


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(_cases()))
def test_in_scope_answers(world, route):
    check_in_scope(world, route)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "side"), list(_cases(outside=True)))
def test_out_of_scope_is_as_if_missing(world, route, side):
    check_out_of_scope(world, route, side)
