"""Test settings: fast hashing, the database from DATABASE_URL (SQLite by default)."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
VAR_DIR.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 3

SUCCESSIONS_CACHED = False  # query counts read the successions behind a scope every time

# --- interchange: background tasks ---
# Tasks run at once, in the process that enqueues them; each test process has its own job files.
# The browser test of an import's progress puts its task on the database queue ("database") and
# runs the worker beside the live server.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
JOBS_DIR = Path(tempfile.mkdtemp(prefix="ansinh-test-jobs-"))
atexit.register(shutil.rmtree, JOBS_DIR, ignore_errors=True)
