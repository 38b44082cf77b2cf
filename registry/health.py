"""The health check a load balancer or a monitor asks: can the app reach its databases, and is
the task queue being worked? JSON, no personal data, 503 when something is wrong."""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# A task that has waited this long for a worker means no worker is running (an import or an
# export of a province is picked up within seconds when one is). Not a number of the law.
QUEUE_MAX_WAIT_SECONDS = int(os.environ.get("ANSINH_HEALTH_QUEUE_MAX_WAIT", "300"))


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def database_health(alias: str) -> dict[str, Any]:
    """One round trip to the database `alias`; the error's class only, never its message (it
    may name hosts or users)."""
    started = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": "error", "error": type(error).__name__, "ms": _elapsed_ms(started)}
    return {"status": "ok", "vendor": connections[alias].vendor, "ms": _elapsed_ms(started)}


def tasks_health() -> dict[str, Any]:
    """The default task backend; on the database queue (django-tasks-db): how many tasks wait
    and run, and how long the oldest ready one has waited."""
    backend = settings.TASKS["default"]["BACKEND"]
    name = backend.rsplit(".", 1)[-1]
    if backend != "django_tasks_db.DatabaseBackend":
        # The immediate and dummy backends have no queue to watch.
        return {"status": "ok", "backend": name}
    from django_tasks_db.models import DBTaskResult

    started = time.perf_counter()
    try:
        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        report: dict[str, Any] = {
            "backend": name,
            "ready": ready.count(),
            "running": DBTaskResult.objects.running().count(),
            "oldest_ready_seconds": (
                None if oldest is None else round((timezone.now() - oldest).total_seconds())
            ),
        }
    except DatabaseError as error:
        return {"status": "error", "backend": name, "error": type(error).__name__}
    waited = report["oldest_ready_seconds"]
    stalled = waited is not None and waited > QUEUE_MAX_WAIT_SECONDS
    report["status"] = "stalled" if stalled else "ok"
    report["max_wait_seconds"] = QUEUE_MAX_WAIT_SECONDS
    report["ms"] = _elapsed_ms(started)
    return report


def health_report() -> tuple[bool, dict[str, Any]]:
    """Every configured database and the task queue; healthy when each is "ok"."""
    checks: dict[str, Any] = {
        f"database:{alias}" if alias != "default" else "database": database_health(alias)
        for alias in connections
    }
    checks["tasks"] = tasks_health()
    healthy = all(check["status"] == "ok" for check in checks.values())
    return healthy, {"status": "ok" if healthy else "error", "checks": checks}


@never_cache
@require_GET
def health(request):
    """GET /health/: 200 when healthy, 503 otherwise; open to anyone, as monitors are."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
