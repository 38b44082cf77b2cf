"""Profile of the import (issue 11, "Fast"): `import_file` of a province written by
bench/generate.py, under cProfile, rolled back at the end so that the next run starts from the
same database. Run on demand, never in CI; PostgreSQL only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_import_profile \\
        .venv/bin/python bench/profile_import.py --households 20000 [--prepare] [--no-profile]

`--prepare` empties the database and loads the units, programmes and the importing user as
bench/import.py does (needed once). Prints the wall time, rows per second, the top functions by
cumulative and by own time, and the queries by table and statement kind.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kpis import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ansinh_import_profile"


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--phases", action="store_true", help="time each step of both passes (no cProfile)"
    )
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "import.prof"))
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    from importlib import import_module

    bench_import = import_module("import")
    path = bench_import.province_zip(args.households, args.seed, False)
    ensure_database(url)
    setup_django(url)

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from households.interchange.importing import import_file
    from registry.models import User

    if args.prepare:
        bench_import.prepare("province")
    actor = User.objects.get(username="bench-import")
    total = sum(bench_import.data_rows(path).values())
    steps = time_steps() if args.phases else None
    profile = None if args.no_profile or args.phases else cProfile.Profile()
    queries = CaptureQueriesContext(connection)
    started = time.perf_counter()
    try:
        with transaction.atomic(), queries:
            if profile:
                profile.enable()
            result = import_file(actor=actor, path=path, filename=path.name)
            if profile:
                profile.disable()
            took = time.perf_counter() - started
            print(f"ok={result.ok} errors={result.error_count} warnings={result.warning_count}")
            for problem in result.errors[:10]:
                print(f"  {problem.file} {problem.row} {problem.column}: {problem.message}")
            print(result.counts)
            raise _Rollback
    except _Rollback:
        pass
    print(f"import_file: {took:.1f} s, {total / took:,.0f} rows/s ({total:,} rows), "
          f"peak RSS {bench_import.peak_rss_mib():,.0f} MiB, {len(queries)} queries")  # fmt: skip
    kinds: Counter[str] = Counter()
    for query in queries.captured_queries:
        words = query["sql"].split()
        kind = words[0].upper()
        table = next((w.strip('"') for w in words[1:12] if w.strip('"').islower()
                      and "_" in w), "")  # fmt: skip
        kinds[f"{kind} {table}"] += 1
    for kind, count in kinds.most_common(20):
        print(f"  {count:7,}  {kind}")
    if steps is not None:
        print("steps (wall seconds; a step's time includes the steps it calls):")
        for name, seconds in steps.items():
            print(f"  {seconds:8.2f}  {name}")
    if profile:
        profile.dump_stats(args.out)
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


def time_steps() -> dict[str, float]:
    """Wrap the steps of both passes (and the bulk writes, `ANALYZE`) with timers: a dict of
    step name -> wall seconds, filled as the import runs."""
    import functools

    from households.interchange import bulk, validation, writing

    steps: dict[str, float] = {}

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                steps[label] = steps.get(label, 0.0) + time.perf_counter() - started

        setattr(owner, name, wrapper)

    for name in ("households_table", "members_table", "reviews_table", "disbursements_table",
                 "resident_counts_table", "run"):  # fmt: skip
        timed(validation.Validation, name, f"check {name}")
    for name in ("households_table", "members_table", "reviews_table", "transitions",
                 "statuses", "disbursements_table", "resident_counts_table", "run"):  # fmt: skip
        timed(writing.Writer, name, f"write {name}")
    for name in ("review_fields", "fresh_statuses", "members_chunk", "disbursements_chunk"):
        timed(writing.Writer, name, f"write {name}")
    for name in ("derive", "entitlements_of_new", "created_entries", "reasons_payload"):
        timed(writing, name, name)
    for name in ("insert_rows", "history_rows", "analyze", "update", "history"):
        timed(bulk, name, f"bulk.{name}")
    return steps


if __name__ == "__main__":
    main()
