"""Settings come from the environment; production refuses to start without a real secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(settings: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests allow Django's sync ORM under Playwright's loop; a deployment must not.
    unset = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_check("registry.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_check("registry.settings.production", SECRET_KEY="short")
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        "registry.settings.production",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-4f9",
    )
    assert result.returncode == 0, result.stderr


def test_database_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    environment = dict(os.environ, DATABASE_URL="postgres://u@db.example:5432/x")
    environment["DJANGO_SETTINGS_MODULE"] = "registry.settings.dev"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"
