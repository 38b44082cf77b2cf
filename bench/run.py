"""Benchmarks, run on demand (`make bench`), never in CI.

Builds a throwaway database (SQLite under var/bench/, or DATABASE_URL when set), fills one
province with synthetic households and times the reads that must stay fast at national scale,
each beside a baseline run in the same process, and prints the figures and their ratios.

    .venv/bin/python bench/run.py [--households 200000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_path}")
    import django

    django.setup()


def timed(func, repeat: int = 7) -> float:
    """Median wall time of `func` in milliseconds (first call warms caches and is dropped)."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fill(households: int) -> None:
    """Bulk-create households with a head each across every commune of An Giang (2025 scheme)."""
    from django.core.management import call_command
    from django.db import transaction

    from households.models import Household, Member
    from registry.models import AdminUnit, User
    from registry.text import search_key

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_units", scheme="2025", province=91, verbosity=0, stdout=quiet)
    if Household.objects.count() >= households:
        return
    actor, _ = User.objects.get_or_create(username="bench")
    province = AdminUnit.objects.get(scheme="2025", level="province", code="91")
    communes = list(AdminUnit.objects.filter(parent=province))
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Huỳnh Văn Em"]
    batch = 5000
    with transaction.atomic():
        for start in range(0, households, batch):
            rows = []
            for i in range(start, min(start + batch, households)):
                commune = communes[i % len(communes)]
                name = f"{names[i % len(names)]} {i}"
                rows.append(
                    Household(
                        code=f"{commune.code}-{i:07d}", commune=commune, province=province,
                        unit_path=commune.path, area_type=commune.area_type, head_name=name,
                        head_name_search=search_key(name), created_by=actor,
                    )
                )  # fmt: skip
            created = Household.objects.bulk_create(rows)
            Member.objects.bulk_create(
                Member(household=h, full_name=h.head_name, name_search=h.head_name_search,
                       relationship="head", sex="male", birth_year=1970 + h.pk % 40)
                for h in created
            )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=200_000)
    args = parser.parse_args()
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    setup_django(bench_dir / f"bench-{args.households}.sqlite3")

    from django.db import connection

    from households.filtersets import HouseholdFilterSet
    from households.models import Household
    from households.selectors import household_list
    from registry.choices import Role
    from registry.models import AdminUnit, User
    from registry.services import assignment_create

    started = time.perf_counter()
    fill(args.households)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would keep them
    print(f"database: {connection.vendor}, households: {Household.objects.count():,} "
          f"(ready in {time.perf_counter() - started:.1f} s)")  # fmt: skip

    province = AdminUnit.objects.get(scheme="2025", level="province", code="91")
    commune = AdminUnit.objects.filter(parent=province).order_by("code").first()
    staff, _ = User.objects.get_or_create(username="bench-province")
    officer, _ = User.objects.get_or_create(username="bench-officer")
    assignment_create(user=staff, role=Role.PROVINCE_STAFF, unit=province)
    assignment_create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)

    cases = [
        (
            "province count: path prefix vs join through the unit tree",
            lambda: Household.objects.visible_to(staff).count(),
            lambda: Household.objects.filter(commune__parent__in=[province]).count(),
        ),
        (
            "officer's first list page (25 rows): scoped selector vs unscoped same query",
            lambda: list(household_list(user=officer).order_by("code")[:25]),
            lambda: list(
                Household.objects.filter(commune=commune)
                .select_related("commune", "village")
                .prefetch_related("members", "reviews")
                .order_by("code")[:25]
            ),
        ),
        (
            "name search without diacritics in one commune: filterset vs raw icontains",
            lambda: list(
                HouseholdFilterSet(
                    {"q": "nguyen van an"}, queryset=household_list(user=officer)
                ).qs[:25]
            ),
            lambda: list(
                Household.objects.filter(commune=commune, head_name__icontains="Nguyễn Văn An")[:25]
            ),
        ),
        (
            "one household by its head's full name, province-wide: filterset vs raw icontains",
            lambda: list(
                HouseholdFilterSet(
                    {"q": "tran thi binh 4321"}, queryset=household_list(user=staff)
                ).qs[:25]
            ),
            lambda: list(Household.objects.filter(head_name__icontains="Trần Thị Bình 4321")[:25]),
        ),
    ]
    print(f"{'case':<78} {'ms':>9} {'baseline':>9} {'ratio':>6}")
    for label, measured, baseline in cases:
        ours, base = timed(measured), timed(baseline)
        print(f"{label:<78} {ours:9.2f} {base:9.2f} {ours / base:6.2f}")


if __name__ == "__main__":
    main()
