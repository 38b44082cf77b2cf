"""Structured logs: one JSON line per record, with the request id (taken from X-Request-ID or
made) and the user; paths without their query string."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client

from registry.logs import JsonFormatter, RequestContextFilter
from registry.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the configured console handler would print, as parsed JSON objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def request_line(lines: list[dict]) -> dict:
    (line,) = [entry for entry in lines if entry["logger"] == "ansinh.request"]
    return line


def test_request_id_given_by_the_proxy_is_logged_and_returned(client, log_lines):
    response = client.get("/health/", headers={"X-Request-ID": "lb-7f3a9c.01"})
    line = request_line(log_lines())
    assert response["X-Request-ID"] == "lb-7f3a9c.01"
    assert (line["request_id"], line["method"], line["path"], line["status"]) == (
        "lb-7f3a9c.01",
        "GET",
        "/health/",
        200,
    )
    assert line["level"] == "INFO"
    assert line["user_id"] is None


def test_request_without_an_id_gets_a_new_one_each_time(client, log_lines):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get("/health/")["X-Request-ID"]
    assert len(first) == 32
    assert first != second
    assert [entry["request_id"] for entry in log_lines()] == [first, second]


@pytest.mark.parametrize("given", ["two words", "x" * 129, "id\nforged log line", "<script>"])
def test_insane_request_id_is_replaced(client, log_lines, given):
    response = client.get("/health/", headers={"X-Request-ID": given})
    assert response["X-Request-ID"] != given
    assert request_line(log_lines())["request_id"] == response["X-Request-ID"]


def test_logged_in_user_is_named_by_id_and_query_string_left_out(client, log_lines):
    user = User.objects.create_user(username="canbo.log", password="pw-Ansinh-123")
    client.force_login(user)
    client.get("/households/?q=Nguy%E1%BB%85n&id_number=091234567890")
    line = request_line(log_lines())
    assert line["user_id"] == user.pk
    assert line["path"] == "/households/"
    assert "091234567890" not in json.dumps(log_lines())


def test_every_record_during_a_request_carries_its_id(client, log_lines):
    # Django's own warning for a page not found is logged in the middle of the request.
    client.get("/no-such-page/", headers={"X-Request-ID": "req-404"})
    lines = log_lines()
    warning = next(entry for entry in lines if entry["logger"] == "django.request")
    assert (warning["level"], warning["request_id"], warning["status_code"]) == (
        "WARNING",
        "req-404",
        404,
    )
    assert request_line(lines)["status"] == 404


def test_exception_is_logged_with_its_traceback_on_one_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("ansinh.test.exception")
    logger.addHandler(handler)
    try:
        raise ValueError("bad row")
    except ValueError:
        logger.exception("import failed", extra={"job": 12})
    finally:
        logger.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert (entry["message"], entry["job"], entry["request_id"]) == ("import failed", 12, None)
    assert "ValueError: bad row" in entry["exception"]


@pytest.mark.urls("tests.registry.raising_urls")
def test_server_error_is_logged_with_request_user_and_traceback(log_lines):
    user = User.objects.create_user(username="canbo.bug", password="pw-Ansinh-123")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/test-500/", headers={"X-Request-ID": "req-500"})
    lines = log_lines()
    error = next(entry for entry in lines if entry["logger"] == "django.request")
    assert response.status_code == 500
    assert (error["level"], error["request_id"], error["user_id"]) == ("ERROR", "req-500", user.pk)
    assert "RuntimeError: a bug" in error["exception"]
    assert request_line(lines)["status"] == 500


def test_a_background_job_logs_with_the_id_of_the_request_that_queued_it(
    make_user, my_hoa_hung, log_lines, django_capture_on_commit_callbacks, settings, tmp_path
):
    from households.models import Job
    from registry.choices import Role
    from tests.households.interchange_fakes import faked_interchange

    settings.JOBS_DIR = tmp_path / "jobs"
    officer = make_user(Role.COMMUNE_OFFICER, my_hoa_hung, username="log-officer")
    client = Client()
    client.force_login(officer)

    def broken(user, unit, years, fmt, out, **options):
        raise RuntimeError("disk full")

    # The task runs on commit, after the request is over (as the worker runs it later).
    with (
        faked_interchange(write_export=broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            "/households/export/job/",
            {"unit": my_hoa_hung.pk, "format": "csv"},
            headers={"X-Request-ID": "export-req-42"},
        )

    job = Job.objects.get()
    (failure,) = [line for line in log_lines() if line["message"] == f"Export job {job.pk} failed"]
    assert (failure["request_id"], failure["user_id"], failure["job_id"]) == (
        "export-req-42",
        officer.pk,
        job.pk,
    )
    assert "disk full" in failure["exception"]
    # Outside the task, nothing of its context is left behind.
    logging.getLogger("ansinh.test").warning("after")
    (after,) = [line for line in log_lines() if line["message"] == "after"]
    assert after["request_id"] is None and "job_id" not in after
