"""Memory of the checking pass of an import (issue 11, "peak memory under 1 GiB"): only
`households.interchange.validation.Validation` over a province written by bench/generate.py,
nothing written. Run on demand, never in CI; PostgreSQL only (the database is created when
missing, emptied, and given the province's units, the programmes and a province staff user, as
bench/import.py does):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_validation_bench \\
        .venv/bin/python bench/validation_memory.py --households 10000

With tracemalloc (the default) it prints the memory the pass keeps when it ends, in all and by
attribute of the Validation object and of its Context (a deep `sys.getsizeof` walk: an object
reachable from two attributes is counted once, for the first listed), each in MiB and bytes a
household, and the lines that allocated most of what is kept. tracemalloc slows the pass several
times: `--no-tracemalloc` measures instead the pass's wall time and the peak RSS of the process
(`resource.getrusage`), before and after the pass, and the CPU time of the process (less
disturbed than the wall time when the machine is shared; the database's own time is not in it).

The province's ZIP is reused from var/bench/ (`province_zip` of bench/import.py; `--regenerate`
writes it again).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from importlib import import_module
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kpis import ensure_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ansinh_validation_bench"
MIB = 1024 * 1024
_OPAQUE = (type, ModuleType, FunctionType, BuiltinFunctionType, MethodType)


def deep_size(root: object, seen: set[int]) -> int:
    """Bytes of `root` and of everything it reaches that `seen` does not hold yet (containers,
    instance dicts and slots; not classes, modules or functions)."""
    total = 0
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif isinstance(obj, (str, bytes, int, float, bool)) or obj is None:
            continue
        else:
            if hasattr(obj, "__dict__"):
                stack.append(obj.__dict__)
            for cls in type(obj).__mro__:
                for slot in getattr(cls, "__slots__", ()):
                    if slot not in ("__dict__", "__weakref__") and hasattr(obj, slot):
                        stack.append(getattr(obj, slot))
    return total


def by_attribute(obj: object, seen: set[int], skip: tuple[str, ...] = ()) -> dict[str, int]:
    """Deep size of each attribute of `obj`, largest first."""
    sizes = {}
    names = list(vars(obj)) if hasattr(obj, "__dict__") else []
    for cls in type(obj).__mro__:
        names += [s for s in getattr(cls, "__slots__", ()) if s not in names]
    for name in names:
        if name in skip or not hasattr(obj, name):
            continue
        sizes[name] = deep_size(getattr(obj, name), seen)
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def length(value: object) -> str:
    try:
        return f"{len(value):,}"  # type: ignore[arg-type]
    except TypeError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--regenerate", action="store_true", help="write the files again")
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="the pass's time and peak RSS instead"
    )
    parser.add_argument("--top", type=int, default=12, help="allocating lines listed")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    bench_import = import_module("import")
    path = bench_import.province_zip(args.households, args.seed, args.regenerate)
    ensure_database(url)
    setup_django(url)

    from django.utils import translation

    from households.interchange.context import Context
    from households.interchange.reader import open_source
    from households.interchange.validation import Validation

    actor = bench_import.prepare("province")
    traced = not args.no_tracemalloc
    ctx = Context(actor=actor, numbering="qd121", filename=path.name)
    gc.collect()
    before_rss = bench_import.peak_rss_mib()
    if traced:
        tracemalloc.start()
    with translation.override("en"), open_source(path, path.name) as source:
        validation = Validation(ctx, source)
        started, cpu = time.perf_counter(), time.process_time()
        validation.run()
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
    gc.collect()
    peak_rss = bench_import.peak_rss_mib()
    households = max(validation.rows["households"], 1)
    print(f"{path.name}: " + ", ".join(f"{t} {n:,}" for t, n in validation.rows.items()))
    print(f"errors {ctx.error_count:,}, warnings {ctx.warning_count:,}")
    for problem in ctx.errors[:5]:
        print(f"  {problem.file} row {problem.row} {problem.column}: {problem.message}")
    if not traced:
        print(f"checking pass: {took:.1f} s ({took / households * 1e6:.0f} µs a household), "
              f"CPU time of this process {cpu:.1f} s")  # fmt: skip
        print(f"peak RSS: {peak_rss:,.0f} MiB (before the pass {before_rss:,.0f} MiB)")
        return

    snapshot = tracemalloc.take_snapshot()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"checking pass under tracemalloc: {took:.1f} s")
    print(f"kept at the end: {current / MIB:.1f} MiB ({current / households:,.0f} B a household); "
          f"traced peak {peak / MIB:.1f} MiB ({peak / households:,.0f} B a household)")  # fmt: skip
    seen: set[int] = set()
    # Shared with the process rather than kept by the pass.
    deep_size(actor, seen)
    deep_size(source, seen)
    kept = by_attribute(validation, seen, skip=("ctx", "source"))
    rows = [("Validation." + name, size, length(getattr(validation, name)))
            for name, size in kept.items()]  # fmt: skip
    kept = by_attribute(ctx, seen, skip=("actor",))
    rows += [("Context." + name, size, length(getattr(ctx, name)))
             for name, size in kept.items()]  # fmt: skip
    print(f"{'deep size by attribute':<32} {'entries':>10} {'MiB':>8} {'B/household':>12}")
    for name, size, entries in rows:
        if size >= 1024:
            print(f"{name:<32} {entries:>10} {size / MIB:8.2f} {size / households:12,.0f}")
    total = sum(size for _name, size, _entries in rows)
    print(f"{'all attributes':<32} {'':>10} {total / MIB:8.2f} {total / households:12,.0f}")
    print("lines that allocated what is kept:")
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    for stat in snapshot.filter_traces(ignore).statistics("lineno")[: args.top]:
        frame = stat.traceback[0]
        name = os.path.relpath(frame.filename, ROOT)
        print(f"  {stat.size / MIB:8.2f} MiB {stat.count:>9,} blocks  {name}:{frame.lineno}")


if __name__ == "__main__":
    main()
