"""Benchmark of a disbursement batch (issue 9, "Fast"): one commune of N eligible poor households,
this quarter's electricity subsidy paid to all of them by `disbursement_batch_run`, beside the
baseline of recording payments one by one with `disbursement_record` (a sample, extrapolated).

Run on demand, never in CI. It empties the database it is given (SQLite under var/bench/ by
default, or DATABASE_URL when set) and fills it again:

    .venv/bin/python bench/support_batch.py [--households 5000] [--sample 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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


def fill(households: int):
    """A commune of An Giang with `households` poor households on the 2026 list (a head each),
    written in bulk; returns the officer and the commune."""
    from django.core.management import call_command
    from django.db import transaction

    from households.models import Household, HouseholdYear, Member, StatusPeriod
    from policies.support.catalogue import load_catalogue
    from registry.choices import Role
    from registry.models import AdminUnit, User
    from registry.services import assignment_create
    from registry.text import search_key

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_units", scheme="2025", province=91, verbosity=0, stdout=quiet)
    load_catalogue()
    province = AdminUnit.objects.get(scheme="2025", level="province", code="91")
    commune = AdminUnit.objects.filter(parent=province).order_by("code").first()
    officer = User.objects.create_user(username="bench-officer")
    assignment_create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
    with transaction.atomic():
        created = Household.objects.bulk_create(
            Household(
                code=f"{commune.code}-{i:07d}", commune=commune, province=province,
                unit_path=commune.path, area_type=commune.area_type or "rural",
                head_name=f"Hộ {i}", head_name_search=search_key(f"Hộ {i}"), created_by=officer,
            )
            for i in range(households)
        )  # fmt: skip
        Member.objects.bulk_create(
            Member(household=h, full_name=h.head_name, name_search=h.head_name_search,
                   relationship="head", sex="male", birth_year=1970 + h.pk % 40, ethnicity="01")
            for h in created
        )  # fmt: skip
        HouseholdYear.objects.bulk_create(
            HouseholdYear(
                household=h, list_year=2026, classification="poor", review_kind="periodic",
                persons=1, is_ethnic_minority=False, commune=commune, province=province,
                unit_path=commune.path, area_type=h.area_type, standard_code="ND07-2021",
                valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31),
            )
            for h in created
        )  # fmt: skip
        StatusPeriod.objects.bulk_create(
            StatusPeriod(
                household=h, list_year=2026, classification="poor", review_kind="periodic",
                is_ethnic_minority=False, commune=commune, province=province,
                unit_path=commune.path, standard_code="ND07-2021",
                valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31),
            )
            for h in created
        )  # fmt: skip
    return officer, commune, created


def measured(func):
    """Seconds and queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
    return result, seconds, len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    setup_django(bench_dir / "support-batch.sqlite3")

    from django.db import connection, transaction

    from policies.support.models import Allocation, Programme
    from policies.support.services.disbursements import (
        disbursement_batch_run,
        disbursement_record,
    )

    started = time.perf_counter()
    officer, commune, households = fill(args.households)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    electricity = Programme.objects.get(code="electricity")
    Allocation.objects.create(
        programme=electricity, year=2026, unit=commune, unit_path=commune.path,
        amount=10_000_000_000, reason="Kế hoạch năm (bench)", changed_by=officer,
    )  # fmt: skip
    print(
        f"database: {connection.vendor}, {args.households:,} poor households in {commune.name} "
        f"(ready in {time.perf_counter() - started:.1f} s)"
    )

    batch, batch_s, batch_q = measured(
        lambda: disbursement_batch_run(
            actor=officer,
            programme=electricity,
            commune=commune,
            period="2026-Q1",
            paid_on=dt.date(2026, 2, 10),
        )
    )
    assert batch.paid_count == args.households, batch.paid_count
    again, again_s, again_q = measured(
        lambda: disbursement_batch_run(
            actor=officer,
            programme=electricity,
            commune=commune,
            period="2026-Q1",
            paid_on=dt.date(2026, 2, 10),
        )
    )
    assert again.paid_count == 0

    # Baseline: the same payments (next quarter) recorded one by one, in one transaction, for a
    # sample; extrapolated to every household.
    sample = households[: args.sample]

    def one_by_one():
        with transaction.atomic():
            for household in sample:
                disbursement_record(
                    actor=officer,
                    programme=electricity,
                    household=household,
                    paid_on=dt.date(2026, 4, 10),
                )

    _none, base_s, base_q = measured(one_by_one)
    scale = args.households / len(sample)
    print(f"{'case':<62} {'s':>8} {'queries':>9}")
    print(f"{'batch of every household (disbursement_batch_run)':<62} {batch_s:8.2f} {batch_q:9d}")
    print(f"{'the same batch run again (pays nothing)':<62} {again_s:8.2f} {again_q:9d}")
    label = f"one by one (disbursement_record), {len(sample)} measured"
    print(f"{label:<62} {base_s:8.2f} {base_q:9d}")
    label = f"one by one, extrapolated to {args.households:,}"
    print(f"{label:<62} {base_s * scale:8.2f} {round(base_q * scale):9d}")
    print(f"ratio batch / one by one: {batch_s / (base_s * scale):.3f}")


if __name__ == "__main__":
    main()
