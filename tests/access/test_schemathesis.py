"""The API against its own OpenAPI schema (drf-spectacular), tried by Schemathesis as a commune
officer of the access world: for every operation a bounded number of generated requests, valid
and invalid, none of which may answer a server error, a status code the schema does not
document, or a body that breaks the schema of its status.

The requests go through the WSGI application in this process, on the test's database, signed in
as the officer by the session cookie (with its CSRF token, as a browser's script sends it).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .world import World

pytestmark = pytest.mark.django_db

# Per operation: enough for a few valid and invalid requests, few enough that the whole schema
# (95 operations) runs in about a minute on two cores.
EXAMPLES = 10
CSRF_TOKEN = "AnsinhSchemathesisCsrfToken00000"  # 32 letters or digits, as Django makes them
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _connection_kept():
    """As Django's test client does: a request's start and end must not close the database
    connection, which holds the access world's transaction (close_old_connections closes a
    connection in a transaction, as one a request left open; an in-memory SQLite one survives,
    PostgreSQL's does not)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def signed_in(world: World) -> dict[str, dict[str, str]]:
    client = Client()
    client.force_login(world.users["officer"])
    return {
        "cookies": {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: CSRF_TOKEN,
        },
        "headers": {"X-CSRFToken": CSRF_TOKEN, "Accept-Language": "en"},
    }


# The schema the project serves at /api/schema/, generated here so that each operation is a test
# of its own (spread over the pytest workers).
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
# Generated requests only, valid and invalid, EXAMPLES of them per operation: Schemathesis's
# coverage phase (every boundary of every field, however many) would take minutes.
schema.config.phases.update(phases=["examples", "fuzzing"])
schema.config.generation.update(modes=["positive", "negative"], max_examples=EXAMPLES)
APP = get_wsgi_application()


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_schema(case, signed_in):
    case.call_and_validate(
        app=APP, headers=signed_in["headers"], cookies=signed_in["cookies"], checks=CHECKS
    )
