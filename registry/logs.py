"""Structured logs: one JSON object a line, each carrying the request id and the user.

The request id comes from the client's or proxy's `X-Request-ID` when it is a sane token, or is
made here; it is sent back in the response's `X-Request-ID` so that a report from a user, the
proxy's log and ours can be joined. Paths are logged without their query string, which may
carry a personal ID number or a name searched for.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id looks like (a UUID, a hex or base64url token); anything else is replaced,
# so that a client cannot write arbitrary text into the logs.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "ansinh_request", default=None
)

# Outside a request (a background task): the request that started the work and its user, so
# that a job's log lines carry the id of the upload or export request that queued it.
_current_work: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "ansinh_work", default=None
)

request_logger = logging.getLogger("ansinh.request")


def current_request_id() -> str | None:
    """The id of the request being served (or of the one that queued the running task)."""
    request = _current_request.get()
    if request is not None:
        return getattr(request, "request_id", None)
    return (_current_work.get() or {}).get("request_id")


@contextlib.contextmanager
def work_context(*, request_id: str | None, user_id: int | None, **fields: Any):
    """Log lines written inside carry `request_id`, `user_id` and `fields` (a task's job)."""
    token = _current_work.set({"request_id": request_id, "user_id": user_id, **fields})
    try:
        yield
    finally:
        _current_work.reset(token)


# The attributes every LogRecord has: whatever else a record carries came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _user_id(request: HttpRequest, *, load: bool = False) -> int | None:
    """The user's id; read from the session (`load`) only for the request's own line, never from
    a log call in the middle of a view."""
    user = getattr(request, "user", None)
    if user is None or (not load and getattr(user, "_wrapped", None) is empty):
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:  # the database that failed the request cannot name its user either
        return None


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django's "django.request" records name their request: the 4xx/5xx line is logged
        # once the middleware (and so the context) has been left.
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = _current_request.get()
        work = _current_work.get() if request is None else None
        if work is not None:
            for name, value in work.items():
                if not hasattr(record, name):
                    setattr(record, name, value)
            return True
        record.request_id = getattr(request, "request_id", None)
        if not hasattr(record, "user_id"):
            # An error is worth the session's query to name its user; other records are not.
            load = record.levelno >= logging.ERROR
            record.user_id = None if request is None else _user_id(request, load=load)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the request's
    context, any `extra=` fields, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        # The request a Django error record carries is not JSON: its context is already here.
        entry.pop("request", None)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """First in the chain: gives the request its id, serves it, logs one line of what was asked
    (method, path, status, duration, user) and returns the id in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = _current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request, load=True),
                },
            )
            return response
        finally:
            _current_request.reset(token)
