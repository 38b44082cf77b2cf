"""Backup and restore (scripts/backup-db, scripts/restore-db, with pg_dump and pg_restore): a
restore into an empty database gives the same rollups. PostgreSQL only."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from registry.choices import Level, Scheme
from registry.models import AdminUnit, User
from reports.selectors import children_kpis, kpi_series, unit_kpis

from ..conftest import AN_GIANG, unit

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def _units_again(django_db_setup, django_db_blocker):
    """This test empties the database at its end: the units the next tests expect, again."""
    yield
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_units", verbosity=0, stdout=quiet)


@pytest.fixture
def units(transactional_db):
    """The official units: a transactional test before this one emptied the database."""
    if not AdminUnit.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("load_units", verbosity=0, stdout=quiet)


@pytest.fixture
def demo_registry(units):
    """The demo's registry: lists of 2025 to 2027 in several communes, summaries included."""
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def psql(name: str, sql: str) -> str:
    command = ["psql", "--no-psqlrc", "--tuples-only", "--no-align", f"--dbname={url(name)}"]
    return subprocess.run([*command, "-c", sql], check=True, capture_output=True, text=True).stdout


def rollups() -> dict:
    """Every rollup the reports read, for the province, its communes, and over the years."""
    staff = User.objects.get(username="tinh.angiang")
    province = unit(Scheme.CURRENT, Level.PROVINCE, AN_GIANG)
    return {
        "years": {
            year: unit_kpis(user=staff, unit=province, year=year) for year in (2025, 2026, 2027)
        },
        "communes": children_kpis(user=staff, unit=province, year=2026),
        "series": kpi_series(user=staff, unit=province),
    }


# Every sequence's position, read by PostgreSQL itself.
SEQUENCES = """
    SELECT string_agg(format('%s=%s', sequencename, last_value), ',' ORDER BY sequencename)
    FROM pg_sequences;
"""


def table_counts(name: str) -> dict[str, int]:
    tables = psql(name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").split()
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables)
    rows = psql(name, union).splitlines()
    return dict((t, int(n)) for t, n in (row.split("|") for row in rows))


def test_restore_into_an_empty_database_gives_the_same_rollups(demo_registry, tmp_path):
    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    dump = tmp_path / "ansinh.dump"
    before = rollups()
    subprocess.run(["dropdb", "--if-exists", f"--maintenance-db={url('postgres')}", restored])
    subprocess.run(["createdb", f"--maintenance-db={url('postgres')}", restored], check=True)
    try:
        subprocess.run([ROOT / "scripts/backup-db", url(original), dump], check=True)
        subprocess.run([ROOT / "scripts/restore-db", dump, url(restored)], check=True)
        connection.close()
        connection.settings_dict["NAME"] = restored
        after = rollups()
        restored_counts = table_counts(restored)
        restored_sequences = psql(restored, SEQUENCES)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        subprocess.run(["dropdb", "--if-exists", f"--maintenance-db={url('postgres')}", restored])
    assert before["years"][2026].counts["households"] > 0
    assert after == before
    assert restored_counts == table_counts(original)
    assert restored_sequences == psql(original, SEQUENCES)


def test_restore_refuses_a_database_that_is_not_empty(units, tmp_path):
    original = connection.settings_dict["NAME"]
    dump = tmp_path / "ansinh.dump"
    subprocess.run([ROOT / "scripts/backup-db", url(original), dump], check=True)
    result = subprocess.run(
        [ROOT / "scripts/restore-db", dump, url(original)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "refusing to restore" in result.stderr
