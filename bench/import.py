"""Benchmark of the import (issue 11, "Fast"): a synthetic province (bench/generate.py) imported
into PostgreSQL by `households.interchange.importing.import_file`, beside a bare `COPY` of the
same rows into unindexed tables; prints rows per second, both times, their ratio and the peak
memory (RSS) of the process.

Run on demand, never in CI. PostgreSQL only; it creates the database when missing, empties it
and fills it again:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_import_bench \\
        .venv/bin/python bench/import.py --households 500000

The province's files are written first, in another process (so that its memory is not counted),
as one ZIP of the five CSV files under var/bench/ (reused when it exists: `--regenerate` writes
it again), with the resident totals of the province only (a unit's own staff enter its figures,
and the importer is the province's). The database then gets the 2025 units of the province
(`load_units --scheme 2025 --province 91`; `--units all` loads every unit of both schemes and
the successions), the programmes (`load_programmes`) and a province staff user assigned at the
province, who imports.

The bare `COPY` reads the same ZIP, the same way (each CSV member decompressed as a stream),
into tables of a schema of its own with one typed column per column of the file (text, bigint,
numeric, date, boolean) and no index, key or constraint, in one transaction, then drops them:
the least any import of these rows must do. Goals (issue 11): the import within 3x the bare
`COPY`, peak memory under 1 GiB.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kpis import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ansinh_import_bench"
PROVINCE_CODE = "91"  # An Giang, 2025 scheme (as bench/generate.py writes it by default)
TABLE_ORDER = ("households", "members", "reviews", "disbursements", "resident_counts")
BARE_SCHEMA = "bench_bare_copy"
SQL_TYPES = {
    "int": "bigint",
    "decimal": "numeric",
    "date": "date",
    "bool": "boolean",
}  # text, code, enum and list columns are text


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def province_zip(households: int, seed: int, regenerate: bool) -> Path:
    """The ZIP of the province's files, written by bench/generate.py in a child process."""
    out = ROOT / "var" / "bench" / f"province-{households}-seed{seed}"
    path = out.with_suffix(".zip")
    if path.exists() and not regenerate:
        print(f"reusing {path.relative_to(ROOT)}")
        return path
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--households", str(households),
         "--seed", str(seed), "--out", str(out), "--resident-counts", "province", "--zip"],
        check=True,
    )  # fmt: skip
    print(f"generated in {time.perf_counter() - started:.1f} s")
    return path


def prepare(units: str):
    """Empty the database, load the units and programmes; returns the importing user."""
    from django.core.management import call_command

    from policies.support.catalogue import load_catalogue
    from registry.choices import Role
    from registry.models import AdminUnit, User
    from registry.services import assignment_create

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        if units == "all":
            call_command("load_units", stdout=quiet)
        else:
            call_command("load_units", scheme="2025", province=int(PROVINCE_CODE), stdout=quiet)
    load_catalogue()
    province = AdminUnit.objects.get(scheme="2025", level="province", code=PROVINCE_CODE)
    staff = User.objects.create_user(username="bench-import")
    assignment_create(user=staff, role=Role.PROVINCE_STAFF, unit=province)
    return staff


def data_rows(path: Path) -> dict[str, int]:
    """Rows of each table of the ZIP, its header not counted."""
    counts = {}
    with zipfile.ZipFile(path) as archive:
        for table in TABLE_ORDER:
            with archive.open(f"{table}.csv") as member:
                # Lines: no generated cell holds a line break.
                lines = sum(block.count(b"\n") for block in iter(lambda: member.read(1 << 20), b""))
            counts[table] = lines - 1
    return counts


def bare_copy(path: Path) -> float:
    """Seconds to COPY every table of the ZIP into unindexed typed tables (then dropped)."""
    from django.db import connection, transaction

    from households.interchange.format import TABLES

    quote = connection.ops.quote_name
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, zipfile.ZipFile(path) as archive:
        cursor.execute(f"DROP SCHEMA IF EXISTS {BARE_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {BARE_SCHEMA}")
        for name in TABLE_ORDER:
            table = TABLES[name]
            columns = ", ".join(
                f"{quote(c.name)} {SQL_TYPES.get(c.kind, 'text')}" for c in table.columns
            )
            cursor.execute(f"CREATE TABLE {BARE_SCHEMA}.{name} ({columns})")
            with archive.open(f"{name}.csv") as member:
                text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                cursor.cursor.copy_expert(
                    f"COPY {BARE_SCHEMA}.{name} FROM STDIN WITH (FORMAT csv, HEADER true)",
                    text,
                    size=1 << 20,
                )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {BARE_SCHEMA} CASCADE")
    return elapsed


class Progress:
    """Prints the import's phase and rows at most once every few seconds."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.started = self.last = time.perf_counter()
        self.phase = ""
        self.phases: dict[str, float] = {}  # phase -> seconds from its first report to the next

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        if phase != self.phase:
            self.close(now)
            self.phase, self.phase_started = phase, now
        if now - self.last >= self.every:
            self.last = now
            of = f" / {total:,}" if total else ""
            rss = peak_rss_mib()
            print(
                f"  {now - self.started:6.0f} s  {phase:<24} {done:>10,}{of}  peak {rss:,.0f} MiB",
                file=sys.stderr,
            )

    def close(self, now: float) -> None:
        if self.phase:
            took = now - self.phase_started
            self.phases[self.phase] = self.phases.get(self.phase, 0.0) + took


def registry_rows() -> dict[str, int]:
    """Rows the import left in the registry's tables (history included)."""
    from households.models import Household, HouseholdYear, Member, Review, StatusPeriod
    from policies.support.models import Disbursement

    models = [Household, Household.history.model, Member, Member.history.model, Review,
              Review.history.model, HouseholdYear, StatusPeriod, Disbursement]  # fmt: skip
    return {model._meta.db_table: model.objects.count() for model in models}


# The tables holding the file's own rows (the floor's first step), and their history tables.
FILE_TABLES = ("households_household", "households_member", "households_review",
               "policies_disbursement", "reports_residentcount")  # fmt: skip
HISTORY_TABLES = ("households_historicalhousehold", "households_historicalmember",
                  "households_historicalreview")  # fmt: skip


def table_counts() -> dict[str, int]:
    """Exact rows of every table of the registry's schema."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def write_floor(filled: list[str], directory: Path) -> list[tuple[str, int, float]]:
    """The least any import writing what this one wrote must spend in PostgreSQL: the rows the
    import left in `filled` (tables that were empty before it), dumped with `COPY TO` and loaded
    again with `COPY FROM` in one transaction, nothing checked or computed in Python, then the
    deferred foreign-key checks (`SET CONSTRAINTS ALL IMMEDIATE`, what COMMIT would run); each
    step rolled back. Steps, each adding tables: the file's own rows; with their history; every
    table the import filled; the same with the tables' indexes and constraints dropped first and
    rebuilt after the load (an exclusive lock on the registry's tables for the whole import).
    Returns (step, rows, seconds)."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    directory.mkdir(parents=True, exist_ok=True)
    rows = {}
    with connection.cursor() as cursor:
        for table in filled:
            with open(directory / f"{table}.csv", "w", encoding="utf-8") as out:
                cursor.cursor.copy_expert(f"COPY {quote(table)} TO STDOUT (FORMAT csv)", out)
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")
            rows[table] = cursor.fetchone()[0]
    file_tables = [t for t in FILE_TABLES if t in rows]
    history = file_tables + [t for t in HISTORY_TABLES if t in rows]
    steps = [("the file's rows", file_tables, False), ("with their history", history, False),
             ("every table the import filled", filled, False),
             ("the same, indexes and constraints rebuilt after", filled, True)]  # fmt: skip
    figures = []
    for label, tables, rebuild in steps:
        with transaction.atomic(), connection.cursor() as cursor:
            names = ", ".join(quote(t) for t in tables)
            cursor.execute(f"TRUNCATE {names} CASCADE")
            started = time.perf_counter()
            rebuilt = _drop_indexes(cursor, tables) if rebuild else []
            parts = {}
            for table in tables:
                at = time.perf_counter()
                with open(directory / f"{table}.csv", encoding="utf-8") as source:
                    cursor.cursor.copy_expert(
                        f"COPY {quote(table)} FROM STDIN (FORMAT csv)", source, size=1 << 20
                    )
                parts[table] = time.perf_counter() - at
            at = time.perf_counter()
            for statement in rebuilt:
                cursor.execute(statement)
            parts["indexes and constraints made again"] = time.perf_counter() - at
            at = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            parts["deferred foreign-key checks"] = time.perf_counter() - at
            took = time.perf_counter() - started
            transaction.set_rollback(True)
        figures.append((label, sum(rows[t] for t in tables), took))
        print(f"  floor, {label}: {figures[-1][1]:,} rows in {took:.1f} s ("
              + ", ".join(f"{t} {secs:.1f}" for t, secs in parts.items() if secs >= 0.05)
              + ")", file=sys.stderr)  # fmt: skip
    for table in filled:
        (directory / f"{table}.csv").unlink()
    return figures


def _drop_indexes(cursor, tables: list[str]) -> list[str]:
    """Drops every constraint and index of `tables` (and the foreign keys of other tables that
    point at them); returns the statements that make them again, keys before foreign keys."""
    cursor.execute(
        """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
           FROM pg_constraint c
           WHERE c.conrelid = ANY(%(t)s::regclass[]) OR c.confrelid = ANY(%(t)s::regclass[])
           ORDER BY c.contype = 'f' DESC""",
        {"t": tables},
    )
    constraints = cursor.fetchall()  # foreign keys first: the keys they point at drop after
    for table, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    make = [definition for _name, definition in indexes]
    keys = [(t, n, d) for t, n, d, kind in constraints if kind != "f"]
    foreign = [(t, n, d) for t, n, d, kind in constraints if kind == "f"]
    make += [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in keys + foreign]
    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--units", choices=["all", "province"], default="province")
    parser.add_argument("--regenerate", action="store_true", help="write the files again")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="import_file's dry run: both passes, the transaction undone at the end",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="after the import, time COPY alone of the rows it wrote (write_floor)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    path = province_zip(args.households, args.seed, args.regenerate)
    ensure_database(url)
    setup_django(url)

    from households.interchange.importing import import_file

    actor = prepare(args.units)
    rows = data_rows(path)
    total = sum(rows.values())
    print(f"{path.name}: {path.stat().st_size / 1e6:,.0f} MB, "
          + ", ".join(f"{t} {n:,}" for t, n in rows.items()))  # fmt: skip

    empty = {table for table, n in table_counts().items() if n == 0} if args.floor else set()
    bare = bare_copy(path)
    print(f"bare COPY into unindexed tables: {bare:.1f} s ({total / bare:,.0f} rows/s)")
    before = peak_rss_mib()

    progress = Progress()
    started = time.perf_counter()
    result = import_file(
        actor=actor, path=path, filename=path.name, on_progress=progress, dry_run=args.dry_run
    )
    took = time.perf_counter() - started
    peak = peak_rss_mib()
    progress.close(started + took)
    if not result.ok:
        print(f"import refused: {result.error_count:,} errors; the first:")
        for problem in result.errors[:20]:
            print(f"  {problem.file} row {problem.row} {problem.column}={problem.value!r}: "
                  f"{problem.message}")  # fmt: skip
    for problem in result.warnings[:5]:
        print(f"  warning: {problem.file} row {problem.row} {problem.column}={problem.value!r}: "
              f"{problem.message}")  # fmt: skip
    print(f"import_file: {took:.1f} s ({total / took:,.0f} rows/s), ok={result.ok}, "
          f"{result.warning_count:,} warnings")  # fmt: skip
    for table, counts in result.counts.items():
        print(f"  {table}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print("  in the registry: " + ", ".join(f"{t} {n:,}" for t, n in registry_rows().items()))
    phases = ", ".join(f"{phase} {secs:.1f} s" for phase, secs in progress.phases.items())
    print(f"  phases (each from its first progress report to the next phase's): {phases}")
    ratio = took / bare
    print(f"ratio import / bare COPY: {ratio:.2f} (goal: at most 3)")
    print(f"peak RSS: {peak:,.0f} MiB (before the import {before:,.0f} MiB; goal: under 1,024)")
    if args.floor and result.ok and not args.dry_run:
        filled = sorted(t for t, n in table_counts().items() if t in empty and n)
        print(f"write floor over the {len(filled)} tables the import filled: "
              + ", ".join(filled))  # fmt: skip
        for label, written, took in write_floor(filled, ROOT / "var" / "bench" / "floor"):
            print(f"  {label}: {written:,} rows, {took:.1f} s, {took / bare:.1f}x the bare COPY")


if __name__ == "__main__":
    main()
