"""GET /health/: the database and the task queue, in JSON, 503 when either is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def queued(*, waited: dt.timedelta) -> DBTaskResult:
    """A task on the database queue that no worker has taken for `waited`."""
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="households.interchange.tasks.import_job",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - waited,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def test_anonymous_monitor_reads_a_healthy_report(client):
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["tasks"] == {"status": "ok", "backend": "ImmediateBackend"}
    assert "no-store" in response["Cache-Control"]


@override_settings(TASKS=DATABASE_QUEUE)
def test_database_queue_reports_waiting_and_running_tasks(client):
    queued(waited=dt.timedelta(seconds=5))
    queued(waited=dt.timedelta(seconds=30))
    response = client.get("/health/")
    tasks = response.json()["checks"]["tasks"]
    assert response.status_code == 200
    assert (tasks["status"], tasks["ready"], tasks["running"]) == ("ok", 2, 0)
    assert 30 <= tasks["oldest_ready_seconds"] < 60


@override_settings(TASKS=DATABASE_QUEUE)
def test_task_waiting_past_the_limit_means_no_worker_503(client):
    queued(waited=dt.timedelta(hours=1))
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 503
    assert (body["status"], body["checks"]["tasks"]["status"]) == ("error", "stalled")
    assert body["checks"]["database"]["status"] == "ok"


def test_unreachable_database_503_without_its_message(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('could not connect to server "db-secret-host" as user "ansinh"')

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["error"] == "OperationalError"
    assert b"db-secret-host" not in response.content
    assert b"ansinh" not in response.content


def test_report_holds_only_the_state_of_its_checks(client):
    response = client.get("/health/")
    checks = response.json()["checks"]
    assert set(checks) == {"database", "tasks"}
    assert set(checks["database"]) == {"status", "vendor", "ms"}


def test_health_takes_only_get(client):
    assert client.post("/health/").status_code == 405
