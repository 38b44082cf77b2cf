"""Benchmark of the export (issue 11, "Export"): `households.interchange.export.write_export` of
a whole province, as a CSV zip and as an XLSX workbook, each in a child process of its own so
that its peak memory (RSS) is its own; beside them, a bare `COPY ... TO` of the same tables'
rows (every column, no join, no formatting), the least any export of these rows must spend
reading them out of PostgreSQL.

Run on demand, never in CI, against a database that an import filled (bench/import.py leaves
one, with its importing user "bench-import", province staff):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_import_bench \\
        .venv/bin/python bench/export.py [--formats csv,xlsx]

Prints, for each format, the rows of each table, the time, rows per second, the file's size,
the ratio to the bare `COPY TO`, and the peak RSS of its process. The files are written under
var/bench/ and removed afterwards (`--keep` keeps them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kpis import setup_django  # noqa: E402

# bench/import.py: the registry's tables of the file's rows (the export's five tables) and the
# peak RSS reading.
_bench_import = import_module("import")
TABLES = _bench_import.FILE_TABLES
peak_rss_mib = _bench_import.peak_rss_mib

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ansinh_import_bench"
USERNAME = "bench-import"


def bare_copy_to(directory: Path) -> tuple[float, int]:
    """Seconds to `COPY` every row of the tables out to CSV files, and the rows."""
    from django.db import connection

    rows = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in TABLES:
            path = directory / f"bare-{table}.csv"
            with open(path, "w", encoding="utf-8") as out:
                cursor.cursor.copy_expert(f'COPY "{table}" TO STDOUT (FORMAT csv)', out)
            rows += cursor.rowcount
            path.unlink()
    return time.perf_counter() - started, rows


def one(fmt: str, out: Path) -> dict:
    """The export in this process; its figures as a dict (printed as JSON to the parent)."""
    from households.interchange.export import write_export
    from registry.models import User

    user = User.objects.get(username=USERNAME)
    before = peak_rss_mib()
    started = time.perf_counter()
    with open(out, "wb") as handle:
        counts = write_export(user, None, None, fmt, handle)
    took = time.perf_counter() - started
    return {"counts": counts, "seconds": took, "bytes": out.stat().st_size,
            "peak_mib": peak_rss_mib(), "before_mib": before}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--keep", action="store_true", help="keep the exported files")
    parser.add_argument("--one", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    setup_django(url)
    if args.one:
        print(json.dumps(one(args.one, Path(args.out))))
        return
    directory = ROOT / "var" / "bench"
    directory.mkdir(parents=True, exist_ok=True)
    bare, bare_rows = bare_copy_to(directory)
    print(f"bare COPY TO of the tables: {bare_rows:,} rows in {bare:.1f} s "
          f"({bare_rows / bare:,.0f} rows/s)")  # fmt: skip
    for fmt in args.formats.split(","):
        out = directory / f"export-bench.{'zip' if fmt == 'csv' else 'xlsx'}"
        child = subprocess.run(
            [sys.executable, __file__, "--one", fmt, "--out", str(out)],
            check=True, capture_output=True, text=True, env={**os.environ, "DATABASE_URL": url},
        )  # fmt: skip
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        rows = sum(figures["counts"].values())
        secs = figures["seconds"]
        print(f"write_export {fmt}: {rows:,} rows in {secs:.1f} s ({rows / secs:,.0f} rows/s), "
              f"{figures['bytes'] / 1e6:,.0f} MB, {secs / bare:.1f}x the bare COPY TO, "
              f"peak RSS {figures['peak_mib']:,.0f} MiB "
              f"({figures['before_mib']:,.0f} before the export)")  # fmt: skip
        print("  " + ", ".join(f"{t} {n:,}" for t, n in figures["counts"].items()))
        if not args.keep:
            out.unlink()


if __name__ == "__main__":
    main()
