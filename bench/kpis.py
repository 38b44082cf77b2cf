"""Benchmark of the KPIs (issue 10, "Fast"): a synthetic province of N households in PostgreSQL,
the province's KPI request through the full Django stack (read from the summaries), the same
figures by a plain aggregation over the raw rows, their ratio, the time to bring the summaries up
to date after one recognition, and the query count of each.

Run on demand, never in CI. PostgreSQL only (the rows are written with COPY); it creates the
database when missing, empties it and fills it again (`--keep` reuses a database already filled
with the same number of households):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_kpi_bench \\
        .venv/bin/python bench/kpis.py --households 500000

The province is An Giang (code 91, 2025 scheme, 102 communes), with every unit of both schemes
loaded as in production, so that the province's KPIs also read the cells of the 298 old
communes its communes took over (none hold households here). Every household has a head and
members (about 4 on average, with personal ID numbers and their history rows, which the status
derivation reads), a recognised periodic review for the lists of 2025 and 2026 (1% of households
are new in 2026) under the commune's decision, and the status rows those give (`HouseholdYear`,
`StatusPeriod`), as `household_years_sync` would derive them; the moves between the lists
(`StatusChange`; some households poor again in 2026 were poor in 2024, and relapse, with their
status of 2024); and a health-insurance card for each member of a poor household, each year.
Classes: about 5% poor, 4% near-poor, 6% middle-income, the rest not poor; 15% of heads are of an
ethnic minority (Khmer, Hoa, Chăm), whose households are poorer; the deprivations ticked on each
poor (3-6) and near-poor (0-2) review. See bench/README.md for what is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ansinh_kpi_bench"
PROVINCE_CODE = "91"  # An Giang, 2025 scheme
YEAR, PREVIOUS = 2026, 2025
STANDARD = "ND07-2021"  # sets the lists of 2022-2026 (Decree 351/2025/NĐ-CP keeps it for 2026)
TZ = dt.timezone(dt.timedelta(hours=7))

# Shares of the 2025 list by the head's ethnicity (minority households are poorer), and how the
# 2026 list follows it: a household keeps its class with STAY, else draws from REDRAW, which
# brings the province to about 5% poor, 4% near-poor and 6% middle-income in 2026.
SHARES_KINH = (0.0435, 0.0365, 0.0588)  # poor, near-poor, middle-income; the rest not poor
SHARES_MINORITY = (0.12, 0.08, 0.08)
STAY = 0.8
REDRAW = (0.03, 0.028, 0.052)
SHARES_NEW = (0.05, 0.04, 0.06)  # households new in 2026
NEW_IN_2026 = 0.01
MINORITY_HEADS = 0.15
GROUP_CODES, GROUP_WEIGHTS = ("05", "04", "17"), (0.75, 0.15, 0.10)  # Khmer, Hoa, Chăm
RELAPSE_SHARE = 0.3  # of the poor of 2026 off the 2025 list: poor in 2024 (so they relapse)
PERSONS = (0.06, 0.13, 0.21, 0.26, 0.17, 0.10, 0.05, 0.02)  # 1..8 persons: 3.95 on average
CLASSES = ("poor", "near_poor", "middle_income", "not_poor")
INDICATORS = (  # the 12 indicators of Decree 07/2021/NĐ-CP, weighted by how often they are ticked
    ("D22_EMPLOYMENT", 6), ("D22_DEPENDANTS", 5), ("D22_NUTRITION", 3),
    ("D22_HEALTH_INSURANCE", 2), ("D22_ADULT_EDUCATION", 7), ("D22_CHILD_SCHOOL_ATTENDANCE", 3),
    ("D22_HOUSING_QUALITY", 5), ("D22_HOUSING_AREA", 4), ("D22_WATER_SOURCE", 4),
    ("D22_HYGIENIC_LATRINE", 6), ("D22_TELECOM_USE", 2), ("D22_INFORMATION_MEANS", 4),
)  # fmt: skip
# Decisions recognising each list: signed before it starts, so each status holds all year.
SIGNED = {2024: dt.date(2023, 12, 20), 2025: dt.date(2024, 12, 20), 2026: dt.date(2025, 12, 19)}
REGISTERED = dt.datetime(2023, 9, 15, 8, 0, tzinfo=TZ)  # when the households were entered

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng",
          "Đỗ", "Ngô", "Hồ", "Dương", "Lý", "Lâm")  # fmt: skip
MIDDLE = {"male": ("Văn", "Hữu", "Minh", "Thanh", "Quốc"), "female": ("Thị", "Ngọc", "Thu", "Kim")}
GIVEN = {
    "male": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Minh", "Nam",
             "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Vinh"),
    "female": ("Anh", "Bích", "Cúc", "Dung", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
               "Nga", "Ngân", "Nhung", "Phượng", "Thảo", "Trang", "Tuyết", "Yến"),
}  # fmt: skip
KHMER = {
    "male": ("Chau", ("Sóc", "Pha", "Thi", "Sa Rươl", "Kha", "Ty", "Sóc Kha", "Chanh Đa")),
    "female": ("Néang", ("Sa Ry", "Sóc Thia", "Ni", "Sa Phol", "Kim Hoa", "Chanh Thy")),
}
CHAM = {
    "male": ("Mohamad", ("Ly", "Sanh", "Ha Ri", "Sa Lim", "Mát")),
    "female": ("Fa", ("Ti Ma", "Ri Da", "Sa Ly Na", "Mah")),
}


# --- set-up -----------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when it does not exist."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("bench/kpis.py writes with COPY: give a PostgreSQL DATABASE_URL")
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
    admin.close()


def setup_django(url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.dev")
    os.environ["DATABASE_URL"] = url
    # Production-like requests: no DEBUG bookkeeping; the test client's host is allowed.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import warnings

    import django

    # WhiteNoise warns once that `collectstatic` was not run: no static file is asked for here.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()


def median_ms(func, repeat: int) -> tuple[float, list[float]]:
    """Median wall time of `func` in milliseconds over `repeat` calls (after one warm-up call)."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), samples


def query_count(func) -> tuple[object, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = func()
    return result, len(captured.captured_queries)


# --- writing with COPY ------------------------------------------------------------------------


def _encode(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Copier:
    """Runs the COPY statements of all tables on one thread, in order, while the main thread
    generates the next chunks (psycopg2 releases the GIL while it waits on the server); at most
    `pending` chunks wait in memory."""

    def __init__(self, cursor, pending: int = 4):
        from concurrent.futures import ThreadPoolExecutor

        self.cursor = cursor
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.slots = threading.BoundedSemaphore(pending)
        self.futures: list = []

    def submit(self, sql: str, buffer: io.StringIO) -> None:
        self.slots.acquire()

        def run():
            try:
                buffer.seek(0)
                self.cursor.copy_expert(sql, buffer)
            finally:
                self.slots.release()

        self.futures.append(self.pool.submit(run))

    def wait(self) -> None:
        for future in self.futures:
            future.result()
        self.pool.shutdown()


class Table:
    """The rows of one table, written with COPY ... FREEZE in chunks: the columns named in
    `varying` come first on each line (already text), then every other column at the value given
    in `constants` or the field's default; a column without either stops the run, so a new field
    of the model never goes in silently empty."""

    CHUNK = 100_000

    def __init__(self, copier: Copier, model, varying: list[str], constants: dict | None = None):
        constants = constants or {}
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [name for name in [*varying, *constants] if name not in fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {unknown}")
        tail = []
        columns = [fields[name].column for name in varying]
        for name, model_field in fields.items():
            if name in varying:
                continue
            value = constants[name] if name in constants else model_field.get_default()
            if value is None and not model_field.null:
                raise ValueError(f"{model.__name__}.{name}: give a value (no default)")
            columns.append(model_field.column)
            tail.append(_encode(value))
        self.copier = copier
        self.table = model._meta.db_table
        self.sql = (
            f'COPY "{self.table}" ({", ".join(f'"{c}"' for c in columns)}) FROM STDIN WITH (FREEZE)'
        )
        self.tail = ("\t" + "\t".join(tail) if tail else "") + "\n"
        self.buffer = io.StringIO()
        self.pending = 0
        self.rows = 0

    def add(self, *values: str) -> None:
        self.buffer.write("\t".join(values) + self.tail)
        self.pending += 1
        if self.pending >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.copier.submit(self.sql, self.buffer)
            self.rows += self.pending
            self.buffer = io.StringIO()
            self.pending = 0


def _secondary_ddl(cursor, tables: list[str]) -> tuple[list[str], list[str]]:
    """Drop the foreign keys, unique constraints and indexes (all but the primary keys) of
    `tables`; returns the statements that put them back (indexes first, then constraints, each
    validated against every row when it is added)."""
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
        ORDER BY contype DESC, conname
        """,
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                          WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    drop, restore = [], []
    for table, name, _kind, definition in constraints:
        drop.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    restore.sort(key=lambda s: "FOREIGN KEY" in s)  # unique ones first
    for name, definition in indexes:
        drop.append(f'DROP INDEX "{name}"')
        restore.insert(0, definition)
    return drop, restore


# --- the synthetic province -------------------------------------------------------------------


@dataclass
class Province:
    """What the benchmark needs of the loaded province."""

    province: object
    communes: list
    staff: object  # province staff, assigned at the province
    officers: dict = field(default_factory=dict)  # commune id -> commune officer


def _draw(rng: random.Random, shares: tuple[float, ...]) -> int:
    """Index of the class drawn from cumulative `shares` (the last class takes the rest)."""
    x = rng.random()
    for index, share in enumerate(shares):
        if x < share:
            return index
        x -= share
    return len(shares)


def _names(rng, sex: str, ethnicity: str, family: str) -> str:
    if ethnicity == "05":
        first, given = KHMER[sex]
        return f"{first} {rng.choice(given)}"
    if ethnicity == "17":
        first, given = CHAM[sex]
        return f"{first} {rng.choice(given)}"
    return f"{family} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _deprivations(rng, count: int) -> list[str]:
    codes = [code for code, _w in INDICATORS]
    weights = [w for _c, w in INDICATORS]
    chosen: list[str] = []
    while len(chosen) < count:
        code = rng.choices(codes, weights)[0]
        if code not in chosen:
            chosen.append(code)
    return sorted(chosen)


def _lines() -> dict[tuple[str, str], tuple[int, int, int]]:
    """(area, class) -> (lowest income, highest income, the line the standard reports), from the
    standard itself."""
    from policies.standards.registry import get_standard

    standard = get_standard(STANDARD)
    out = {}
    for area in ("rural", "urban"):
        line = standard.parameter(f"{area}_poverty_line").value
        upper = standard.parameter(f"{area}_middle_income_upper").value
        bands = {
            "poor": (line // 2, line),
            "near_poor": (line // 2, line),
            "middle_income": (line + 10_000, upper),
            "not_poor": (upper + 10_000, 3 * upper),
        }
        for klass, (low, high) in bands.items():
            out[(area, klass)] = (low, high, line if klass in {"poor", "near_poor"} else upper)
    return out


def fill(households: int, seed: int, units: str = "all") -> Province:
    """Empty the database and load the province (see the module docstring)."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from households.campaign.choices import TransitionKind
    from households.campaign.transitions import transition_kind
    from households.models import (
        Household,
        HouseholdYear,
        Member,
        RecognitionDecision,
        Review,
        StatusChange,
        StatusPeriod,
    )
    from policies.support.catalogue import load_catalogue
    from policies.support.models import Disbursement, Programme
    from registry.models import AdminUnit, User
    from registry.text import search_key

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        if units == "all":  # every unit of both schemes, and the successions, as in production
            call_command("load_units", stdout=quiet)
        else:
            call_command("load_units", scheme="2025", province=int(PROVINCE_CODE), stdout=quiet)
    load_catalogue()
    actor = User.objects.create_user(username="bench")
    province = AdminUnit.objects.get(scheme="2025", level="province", code=PROVINCE_CODE)
    communes = list(AdminUnit.objects.filter(parent=province).order_by("code"))
    decisions: dict[tuple[int, int], int] = {}
    for commune in communes:
        for list_year, signed in SIGNED.items():
            decision = RecognitionDecision.objects.create(
                commune=commune, unit_path=commune.path, list_year=list_year,
                number=f"{list_year % 100}/QĐ-UBND", signed_on=signed, signed_by=actor,
            )  # fmt: skip
            decisions[(commune.pk, list_year)] = decision.pk
    # The decision recorded the day it was signed: when each status counts its members from.
    for list_year, signed in SIGNED.items():
        RecognitionDecision.objects.filter(list_year=list_year).update(
            created_at=dt.datetime.combine(signed, dt.time(15, 0), tzinfo=TZ)
        )
    bhyt = Programme.objects.get(code="bhyt")

    # Households per commune: wards and larger communes hold more.
    weights = [rng.uniform(0.5, 1.5) * (1.3 if c.area_type == "urban" else 1.0) for c in communes]
    total = sum(weights)
    sizes = [int(households * w / total) for w in weights]
    sizes[-1] += households - sum(sizes)

    lines = _lines()
    names: dict[str, str] = {}

    def key(name: str) -> str:
        found = names.get(name)
        if found is None:
            found = names[name] = search_key(name)
        return found

    ids = Counter()  # the last id written, by table
    serials = Counter()  # personal ID numbers: the last serial by century/sex digit and year
    decided = {
        year: dt.datetime.combine(day, dt.time(15, 0), tzinfo=TZ).isoformat()
        for year, day in SIGNED.items()
    }

    tables = [
        Household, Member, Member.history.model, Review, HouseholdYear, StatusPeriod,
        StatusChange, Disbursement,
    ]  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        names_sql = [m._meta.db_table for m in tables]
        drop, restore = _secondary_ddl(cursor, names_sql)
        for statement in drop:
            cursor.execute(statement)
        cursor.execute(f"TRUNCATE {', '.join(names_sql)} CASCADE")  # so that COPY may FREEZE
        copier = Copier(cursor)

        t_household = Table(
            copier, Household,
            ["id", "code", "commune_id", "unit_path", "area_type", "head_name", "head_name_search"],
            {"province_id": province.pk, "created_by_id": actor.pk, "created_at": REGISTERED,
             "updated_at": REGISTERED, "village_id": None},
        )  # fmt: skip
        member_fields = ["id", "household_id", "full_name", "relationship", "sex", "birth_year",
                         "ethnicity", "id_number", "has_health_insurance",
                         "health_insurance_valid_to", "school_status"]  # fmt: skip
        t_member = Table(copier, Member, [*member_fields, "name_search"])
        t_history = Table(
            copier, Member.history.model, ["history_id", *member_fields],
            {"history_date": REGISTERED, "history_type": "+", "history_user_id": actor.pk,
             "history_change_reason": None},
        )  # fmt: skip
        t_review = Table(
            copier, Review,
            ["id", "household_id", "list_year", "survey_date", "area_type", "income_per_capita",
             "deprivations", "computed_classification", "computed_line",
             "recognised_classification", "decision_id", "created_at", "updated_at"],
            {"kind": "periodic", "status": "recognised", "standard_code": STANDARD,
             "recognised_by_id": actor.pk, "campaign_id": None},
        )  # fmt: skip
        year_fields = ["id", "household_id", "list_year", "classification", "review_id",
                       "decision_id", "is_ethnic_minority", "commune_id", "unit_path",
                       "valid_from", "valid_to"]  # fmt: skip
        t_year = Table(
            copier, HouseholdYear, [*year_fields, "persons", "head_ethnicity", "area_type"],
            {"review_kind": "periodic", "province_id": province.pk, "standard_code": STANDARD,
             "end_reason": "", "updated_at": decided[YEAR]},
        )  # fmt: skip
        t_period = Table(
            copier, StatusPeriod, year_fields,
            {"review_kind": "periodic", "province_id": province.pk, "standard_code": STANDARD,
             "end_reason": ""},
        )  # fmt: skip
        t_change = Table(
            copier, StatusChange,
            ["id", "household_id", "unit_path", "list_year", "kind", "previous_classification",
             "classification", "effective_on", "decision_id"],
        )  # fmt: skip
        t_card = Table(
            copier, Disbursement,
            ["id", "household_id", "member_id", "commune_id", "unit_path", "year", "paid_on",
             "period", "recorded_at"],
            {"programme_id": bhyt.pk, "kind": "payment", "quantity": 1, "amount": 0,
             "funding_source": bhyt.funding_sources[0], "classification": "poor",
             "is_reversed": False, "recorded_by_id": actor.pk},
        )  # fmt: skip

        household_id = 0
        skipped_card = None  # one poor household paid through the service afterwards
        for commune, size in zip(communes, sizes, strict=True):
            area = commune.area_type
            path = commune.path
            cid = str(commune.pk)
            for seq in range(1, size + 1):
                household_id += 1
                hid = str(household_id)
                minority = rng.random() < MINORITY_HEADS
                head_ethnicity = (
                    rng.choices(GROUP_CODES, GROUP_WEIGHTS)[0]
                    if minority
                    else "01"
                )  # fmt: skip
                new = rng.random() < NEW_IN_2026
                if new:
                    classes = {YEAR: CLASSES[_draw(rng, SHARES_NEW)]}
                else:
                    before = _draw(rng, SHARES_MINORITY if minority else SHARES_KINH)
                    after = before if rng.random() < STAY else _draw(rng, REDRAW)
                    classes = {PREVIOUS: CLASSES[before], YEAR: CLASSES[after]}
                    if after == 0 and before > 1 and rng.random() < RELAPSE_SHARE:
                        # Poor again: it had escaped poverty on the 2025 list (poor in 2024).
                        classes = {PREVIOUS - 1: "poor", **classes}
                persons = _draw(rng, PERSONS[:-1]) + 1
                family = rng.choice(FAMILY)

                # Members: the head, a spouse, then children (grandchildren of older heads).
                head_sex = "male" if rng.random() < 0.72 else "female"
                head_year = rng.randint(1945, 1995)
                people = [("head", head_sex, head_year, head_ethnicity)]
                for n in range(1, persons):
                    if n == 1 and rng.random() < 0.9:
                        sex = "female" if head_sex == "male" else "male"
                        mixed = rng.random() < (0.15 if minority else 0.03)
                        ethnicity = ("01" if minority else "05") if mixed else head_ethnicity
                        people.append(("spouse", sex, head_year + rng.randint(-4, 6), ethnicity))
                    elif head_year < 1965 and rng.random() < 0.5:
                        people.append(("grandchild", rng.choice(("male", "female")),
                                       rng.randint(2005, 2024), head_ethnicity))  # fmt: skip
                    else:
                        born = min(2025, head_year + rng.randint(20, 38))
                        people.append(("child", rng.choice(("male", "female")), born,
                                       head_ethnicity))  # fmt: skip
                insured = classes[YEAR] in {"poor", "near_poor"}
                first_member = ids["member"] + 1
                head_name = ""
                for relationship, sex, born, ethnicity in people:
                    ids["member"] += 1
                    surname = rng.choice(FAMILY) if relationship == "spouse" else family
                    name = _names(rng, sex, ethnicity, surname)
                    if relationship == "head":
                        head_name = name
                    digit = 2 * ((born - 1900) // 100) + (sex == "female")
                    serials[(digit, born % 100)] += 1
                    id_number = f"089{digit}{born % 100:02d}{serials[(digit, born % 100)]:06d}"
                    has_card = insured or rng.random() < 0.6
                    school = "in_school" if 2026 - 18 <= born <= 2026 - 6 else "not_applicable"
                    values = (
                        str(ids["member"]), hid, name, relationship, sex, str(born), ethnicity,
                        id_number, "t" if has_card else "f",
                        f"{YEAR}-12-31" if has_card else r"\N", school,
                    )  # fmt: skip
                    t_member.add(*values, key(name))
                    ids["history"] += 1
                    t_history.add(str(ids["history"]), *values)
                t_household.add(
                    hid, f"{commune.code}-{seq:06d}", cid, path, area, head_name, key(head_name)
                )

                for list_year, klass in classes.items():
                    low, high, line = lines[(area, klass)]
                    income = rng.randrange(low, high + 1, 10_000)
                    if klass == "poor":
                        ticked = _deprivations(rng, rng.randint(3, 6))
                    elif klass == "near_poor":
                        ticked = _deprivations(rng, rng.randint(0, 2))
                    else:
                        ticked = []
                    ids["review"] += 1
                    review_id = str(ids["review"])
                    decision_id = str(decisions[(commune.pk, list_year)])
                    surveyed = f"{list_year - 1}-10-{rng.randint(1, 28):02d}"
                    t_review.add(
                        review_id, hid, str(list_year), surveyed, area, str(income),
                        json.dumps(ticked), klass, str(line), klass, decision_id,
                        decided[list_year], decided[list_year],
                    )  # fmt: skip
                    status = (
                        hid, str(list_year), klass, review_id, decision_id,
                        "t" if minority else "f", cid, path, f"{list_year}-01-01",
                        f"{list_year}-12-31",
                    )  # fmt: skip
                    ids["year"] += 1
                    t_year.add(str(ids["year"]), *status, str(persons), head_ethnicity, area)
                    ids["period"] += 1
                    t_period.add(str(ids["period"]), *status)
                    if klass == "poor" and skipped_card is None and list_year == YEAR:
                        skipped_card = household_id  # paid through the service afterwards
                    elif klass == "poor":
                        for member_id in range(first_member, ids["member"] + 1):
                            ids["card"] += 1
                            t_card.add(
                                str(ids["card"]), hid, str(member_id), cid, path, str(list_year),
                                f"{list_year}-01-15", str(list_year),
                                f"{list_year}-01-15T09:00:00+07:00",
                            )  # fmt: skip

                # The moves between consecutive lists, as the recognitions recorded them.
                years = sorted(classes)
                escaped = False
                for list_year, previous in zip(years[1:], years, strict=False):
                    kind = transition_kind(
                        classes[previous], classes[list_year], escaped_before=escaped
                    )
                    escaped = escaped or kind == TransitionKind.ESCAPED_POVERTY
                    if kind:
                        ids["change"] += 1
                        t_change.add(
                            str(ids["change"]), hid, path, str(list_year), kind,
                            classes[previous], classes[list_year],
                            SIGNED[list_year].isoformat(), str(decisions[(commune.pk, list_year)]),
                        )  # fmt: skip
                if years[0] == YEAR:  # new in 2026: on no earlier list
                    kind = transition_kind(None, classes[YEAR], escaped_before=False)
                    if kind:
                        ids["change"] += 1
                        t_change.add(
                            str(ids["change"]), hid, path, str(YEAR), kind, "", classes[YEAR],
                            SIGNED[YEAR].isoformat(), str(decisions[(commune.pk, YEAR)]),
                        )  # fmt: skip
        writers = [t_household, t_member, t_history, t_review, t_year, t_period, t_change, t_card]
        for writer in writers:
            writer.flush()
        copier.wait()
        copied = time.perf_counter()
        for statement in restore:
            cursor.execute(statement)
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)
        indexed = time.perf_counter()
    with connection.cursor() as cursor:
        for table in names_sql:
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would, before any read
    vacuumed = time.perf_counter()
    rows = ", ".join(f"{w.table.split('_', 1)[1]} {w.rows:,}" for w in writers)
    print(f"loaded {rows}")
    print(
        f"  generated and copied in {copied - started:.1f} s, indexes and constraints "
        f"{indexed - copied:.1f} s, vacuum and analyze {vacuumed - indexed:.1f} s"
    )
    return _people(province, communes, actor, skipped_card)


def _people(province, communes, actor, skipped_card: int | None) -> Province:
    """The province user, and one household's cards paid through the service (so that the rows
    written in bulk are checked against what the service writes)."""
    from households.models import Household, Member
    from policies.support.models import Disbursement, Programme
    from policies.support.services.disbursements import disbursement_record
    from registry.choices import Role
    from registry.models import User
    from registry.services import assignment_create

    staff = User.objects.create_user(username="bench-province")
    assignment_create(user=staff, role=Role.PROVINCE_STAFF, unit=province)
    loaded = Province(province=province, communes=communes, staff=staff)
    if skipped_card is not None:
        household = Household.objects.get(pk=skipped_card)
        officer = User.objects.create_user(username="bench-officer")
        assignment_create(user=officer, role=Role.COMMUNE_OFFICER, unit=household.commune)
        loaded.officers[household.commune_id] = officer
        bhyt = Programme.objects.get(code="bhyt")
        fields = ["year", "kind", "period", "variant", "quantity", "amount", "funding_source",
                  "classification", "paid_on", "is_reversed", "allocation_id"]  # fmt: skip
        bulk = Disbursement.objects.filter(programme=bhyt, year=YEAR).first()
        for member in Member.objects.filter(household=household):
            paid = disbursement_record(
                actor=officer, programme=bhyt, household=household, member=member,
                paid_on=dt.date(YEAR, 1, 15),
            )  # fmt: skip
            for name in fields:
                want, got = getattr(paid, name), getattr(bulk, name)
                assert want == got, f"bulk card {name}={got!r}, the service writes {want!r}"
    return loaded


def check(loaded: Province, sample: int = 2000) -> None:
    """Sample checks that the rows written in bulk follow the rules the services enforce: the
    standard gives each review's class and line; ID numbers are valid for their holder; the
    status rows are what `household_years_sync` derives."""
    from django.db import transaction

    from households.household_year import derive
    from households.models import Household, HouseholdYear, Member, Review, StatusPeriod
    from households.validators import validate_id_number
    from policies.standards.base import HouseholdFacts
    from policies.standards.registry import get_standard

    standard = get_standard(STANDARD)
    for review in Review.objects.order_by("?")[:sample]:
        verdict = standard.classify(
            HouseholdFacts(
                area_type=review.area_type,
                income_per_capita=review.income_per_capita,
                deprivations=frozenset(review.deprivations),
            )
        )
        assert verdict.classification.value == review.computed_classification, review.pk
        assert verdict.line == review.computed_line, review.pk
    for member in Member.objects.order_by("?")[:sample]:
        validate_id_number(member.id_number, birth_year=member.birth_year, sex=member.sex)
    ids = list(Household.objects.order_by("?").values_list("pk", flat=True)[: sample // 10])
    derived = derive(ids)
    stored = {
        (row["household_id"], row["list_year"]): row
        for row in HouseholdYear.objects.filter(household_id__in=ids).values()
    }
    assert set(derived.years) == set(stored)
    for key_, values in derived.years.items():
        for name, value in values.items():
            assert stored[key_][name] == value, (key_, name, stored[key_][name], value)
    periods = {
        (row["household_id"], row["valid_from"]): row
        for row in StatusPeriod.objects.filter(household_id__in=ids).values()
    }
    assert set(derived.periods) == set(periods)
    for key_, values in derived.periods.items():
        for name, value in values.items():
            assert periods[key_][name] == value, (key_, name)
    with transaction.atomic():  # and a sync changes nothing
        from households.household_year import household_years_sync

        assert household_years_sync(ids[:20]) == 0
        transaction.set_rollback(True)
    print(f"checked {sample:,} reviews against {STANDARD}, {sample:,} ID numbers, "
          f"the status rows of {len(ids)} households against their derivation")  # fmt: skip


# --- the measures -----------------------------------------------------------------------------


def summaries_build() -> float:
    """Seconds of `summaries_rebuild` from empty summaries."""
    from django.db import connection

    from reports.models import DeprivationSummary, StatusSummary, SupportSummary
    from reports.summaries import summaries_rebuild

    with connection.cursor() as cursor:
        tables = [m._meta.db_table for m in (StatusSummary, DeprivationSummary, SupportSummary)]
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
    start = time.perf_counter()
    summaries_rebuild()
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return seconds


def kpi_request(loaded: Province):
    """The province's KPI request for YEAR, and what it is: through the full Django stack when
    the API route exists, else the selector it calls, else a read of the summaries."""
    from django.test import Client
    from django.urls import Resolver404, resolve

    province = loaded.province
    path = f"/api/v1/kpis/units/{province.pk}/"
    try:
        resolve(path)
    except Resolver404:
        pass
    else:
        client = Client()
        client.force_login(loaded.staff)

        def get():
            response = client.get(path, {"year": YEAR})
            assert response.status_code == 200, (response.status_code, response.content[:300])
            return response.json()

        return get, f"GET {path}?year={YEAR} (test client, session of a province user)"
    try:
        from reports.selectors import unit_kpis
    except ImportError:
        pass
    else:
        return (
            lambda: unit_kpis(user=loaded.staff, unit=province, year=YEAR),
            f"reports.selectors.unit_kpis(unit={province.name}, year={YEAR}) (no API route yet)",
        )
    from django.db.models import Sum

    from reports.models import STATUS_COUNTERS, StatusSummary

    def summed():
        return StatusSummary.objects.filter(
            unit_path__startswith=province.path, year__in=[PREVIOUS, YEAR]
        ).aggregate(**{f: Sum(f) for f in STATUS_COUNTERS})

    return summed, "sum of StatusSummary rows (stand-in: no selector yet)"


_OFF = "NOT IN ('poor', 'near_poor')"
PLAIN_STATUS = f"""
SELECT y.list_year,
    count(*), sum(y.persons),
    count(*) FILTER (WHERE y.classification = 'poor'),
    coalesce(sum(y.persons) FILTER (WHERE y.classification = 'poor'), 0),
    count(*) FILTER (WHERE y.classification = 'near_poor'),
    coalesce(sum(y.persons) FILTER (WHERE y.classification = 'near_poor'), 0),
    count(*) FILTER (WHERE y.classification = 'middle_income'),
    coalesce(sum(y.persons) FILTER (WHERE y.classification = 'middle_income'), 0),
    count(*) FILTER (WHERE y.is_ethnic_minority),
    coalesce(sum(y.persons) FILTER (WHERE y.is_ethnic_minority), 0),
    count(*) FILTER (WHERE y.is_ethnic_minority AND y.classification = 'poor'),
    coalesce(sum(y.persons) FILTER (WHERE y.is_ethnic_minority AND y.classification = 'poor'), 0),
    count(*) FILTER (WHERE y.is_ethnic_minority AND y.classification = 'near_poor'),
    coalesce(sum(y.persons) FILTER (
        WHERE y.is_ethnic_minority AND y.classification = 'near_poor'), 0),
    count(*) FILTER (WHERE p.classification = 'poor' AND y.classification {_OFF}),
    count(*) FILTER (WHERE p.classification = 'near_poor' AND y.classification {_OFF}),
    count(*) FILTER (WHERE y.classification = 'poor' AND coalesce(p.classification, '') {_OFF}
                     AND NOT coalesce(e.list_year < y.list_year, false)),
    count(*) FILTER (WHERE y.classification = 'near_poor'
                     AND coalesce(p.classification, '') {_OFF}),
    count(*) FILTER (WHERE y.classification = 'near_poor' AND p.classification = 'poor'),
    count(*) FILTER (WHERE y.classification = 'poor' AND p.classification = 'near_poor'),
    count(*) FILTER (WHERE y.classification = 'poor' AND coalesce(p.classification, '') {_OFF}
                     AND e.list_year < y.list_year)
FROM households_householdyear y
LEFT JOIN households_householdyear p
    ON p.household_id = y.household_id AND p.list_year = y.list_year - 1
-- When each household first escaped poverty (poor on a list, off the next one).
LEFT JOIN (
    SELECT a.household_id, min(b.list_year) AS list_year
    FROM households_householdyear a
    JOIN households_householdyear b
        ON b.household_id = a.household_id AND b.list_year = a.list_year + 1
    WHERE a.unit_path LIKE %(path)s AND a.classification = 'poor' AND b.classification {_OFF}
    GROUP BY a.household_id
) e ON e.household_id = y.household_id
WHERE y.unit_path LIKE %(path)s AND y.list_year IN %(years)s AND y.end_reason = ''
GROUP BY y.list_year
"""
PLAIN_DEPRIVATIONS = """
SELECT y.list_year, d.indicator, count(DISTINCT y.household_id)
FROM households_householdyear y
JOIN households_review r ON r.id = y.review_id
CROSS JOIN LATERAL jsonb_array_elements_text(r.deprivations) AS d(indicator)
WHERE y.unit_path LIKE %(path)s AND y.list_year IN %(years)s AND y.end_reason = ''
    AND y.classification = 'poor'
GROUP BY 1, 2
"""
PAID = "kind = 'payment' AND NOT is_reversed"
PLAIN_SUPPORT = f"""
SELECT year, programme_id, CASE WHEN GROUPING(variant) = 1 THEN '' ELSE variant END,
    count(DISTINCT household_id) FILTER (WHERE {PAID}),
    count(DISTINCT member_id) FILTER (WHERE {PAID}),
    count(*) FILTER (WHERE {PAID}),
    sum(quantity), sum(amount),
    count(DISTINCT household_id) FILTER (WHERE {PAID} AND classification = 'poor'),
    count(DISTINCT member_id) FILTER (WHERE {PAID} AND classification = 'poor')
FROM policies_disbursement
WHERE unit_path LIKE %(path)s AND year IN %(years)s
GROUP BY GROUPING SETS ((year, programme_id), (year, programme_id, variant))
HAVING GROUPING(variant) = 1 OR variant <> ''
"""


def plain_aggregation(province) -> dict:
    """The figures of the request computed from the raw rows: one grouped query for the status
    counts and the moves (the previous year's row joined) of YEAR and PREVIOUS (the request shows
    the change from last year), one for the deprivations of the poor (their reviews joined) and
    one for the support, of YEAR."""
    from django.db import connection

    from reports.models import STATUS_COUNTERS, SUPPORT_COUNTERS

    path = f"{province.path}%"
    with connection.cursor() as cursor:
        cursor.execute(PLAIN_STATUS, {"path": path, "years": (PREVIOUS, YEAR)})
        status = {row[0]: dict(zip(STATUS_COUNTERS, row[1:], strict=True)) for row in cursor}
        cursor.execute(PLAIN_DEPRIVATIONS, {"path": path, "years": (YEAR,)})
        deprivations = {(year, code): n for year, code, n in cursor}
        cursor.execute(PLAIN_SUPPORT, {"path": path, "years": (YEAR,)})
        support = {
            (row[0], row[1], row[2]): dict(zip(SUPPORT_COUNTERS, row[3:], strict=True))
            for row in cursor
        }
    return {"status": status, "deprivations": deprivations, "support": support}


def summaries_of(province) -> dict:
    """The same figures summed from the summary rows (to check that they agree)."""
    from django.db.models import Sum

    from reports.models import (
        STATUS_COUNTERS,
        SUPPORT_COUNTERS,
        DeprivationSummary,
        StatusSummary,
        SupportSummary,
    )

    under = {"unit_path__startswith": province.path, "year": YEAR}
    status = {
        row["year"]: {f: row[f] for f in STATUS_COUNTERS}
        for row in StatusSummary.objects.filter(
            unit_path__startswith=province.path, year__in=[PREVIOUS, YEAR]
        )
        .values("year")
        .annotate(**{f: Sum(f) for f in STATUS_COUNTERS})
    }
    deprivations = {
        (row["year"], row["indicator"]): row["n"]
        for row in DeprivationSummary.objects.filter(**under)
        .values("year", "indicator")
        .annotate(n=Sum("households"))
        if row["n"]
    }
    support = {
        (row["year"], row["programme_id"], row["variant"]): {f: row[f] for f in SUPPORT_COUNTERS}
        for row in SupportSummary.objects.filter(**under)
        .values("year", "programme_id", "variant")
        .annotate(**{f: Sum(f) for f in SUPPORT_COUNTERS})
    }
    return {"status": status, "deprivations": deprivations, "support": support}


def selector_figures(loaded: Province) -> dict | None:
    """The figures `reports.selectors.unit_kpis` gives for the province (None before it exists),
    shaped as `plain_aggregation`'s."""
    try:
        from reports.selectors import unit_kpis
    except ImportError:
        return None
    from reports.models import SUPPORT_COUNTERS

    kpis = unit_kpis(user=loaded.staff, unit=loaded.province, year=YEAR)
    status = {YEAR: dict(kpis.counts)}
    if kpis.previous is not None:
        status[PREVIOUS] = dict(kpis.previous.counts)
    return {
        "status": status,
        "deprivations": {(YEAR, code): n for code, n in kpis.deprivations.items() if n},
        "support": {
            (YEAR, item.programme.pk, item.variant): {f: getattr(item, f) for f in SUPPORT_COUNTERS}
            for item in kpis.support
        },
    }


def _differences(plain: dict, summed: dict) -> list[str]:
    out = []
    for part in ("status", "deprivations", "support"):
        for key in sorted(set(plain[part]) | set(summed[part]), key=str):
            a, b = plain[part].get(key), summed[part].get(key)
            if a != b:
                out.append(f"{part} {key}: raw rows {a}, other {b}")
    return out


def _candidates(count: int) -> list:
    """Households not poor on the lists of 2025 and 2026, one a commune: each measured
    recognition makes one of them newly poor, so each sample is another household and a real
    change of its commune's cells."""
    from households.models import Household, HouseholdYear

    before = HouseholdYear.objects.filter(list_year=PREVIOUS, classification="not_poor")
    ids = list(
        HouseholdYear.objects.filter(
            list_year=YEAR,
            classification="not_poor",
            household_id__in=before.values("household_id"),
        )
        .order_by("commune_id", "household_id")
        .distinct("commune_id")
        .values_list("household_id", flat=True)[: count + 1]
    )
    return list(Household.objects.filter(pk__in=ids).select_related("commune").order_by("pk"))


def _recognise(household, actor, number: int):
    """A monthly review of YEAR recognising `household` poor, under a decision signed today: the
    raw records a recognition writes before it brings the status rows up to date."""
    from django.utils import timezone

    from households.models import RecognitionDecision, Review
    from policies.standards.base import HouseholdFacts
    from policies.standards.registry import get_standard

    today = timezone.localdate()
    decision = RecognitionDecision.objects.create(
        commune=household.commune, unit_path=household.commune.path, list_year=YEAR,
        number=f"{number}/QĐ-UBND-TX", signed_on=today, signed_by=actor,
    )  # fmt: skip
    facts = HouseholdFacts(
        area_type=household.area_type,
        income_per_capita=1_000_000,
        deprivations=frozenset({"D22_EMPLOYMENT", "D22_HOUSING_QUALITY", "D22_WATER_SOURCE"}),
    )
    verdict = get_standard(STANDARD).classify(facts)
    assert verdict.classification.value == "poor"
    return Review.objects.create(
        household=household, list_year=YEAR, kind="monthly", status="recognised",
        survey_date=today, standard_code=STANDARD, area_type=household.area_type,
        income_per_capita=facts.income_per_capita, deprivations=sorted(facts.deprivations),
        computed_classification="poor", computed_line=verdict.line,
        recognised_classification="poor", recognised_by=actor, decision=decision,
    )  # fmt: skip


def incremental(loaded: Province, runs: int) -> dict:
    """After one recognition (a household recognised poor by a monthly review), in its own
    transaction rolled back after each sample:
    - `household_years_sync` of the household, as every recognition service calls it: derives
      its status rows and periods, writes them, its entitlements, and the summaries' difference;
    - the summaries alone: `reports.summaries.tracking_status` around the write of the changed
      status row (lock, the household's contributions before and after, the difference added)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from households.household_year import household_years_sync
    from households.models import HouseholdYear
    from registry.models import User
    from reports.models import StatusSummary
    from reports.summaries import tracking_status

    actor = User.objects.get(username="bench")
    households = _candidates(runs)
    assert len(households) > runs, "fewer communes with a household not poor than samples"
    result = {"sync": [], "sync_queries": set(), "summaries": [], "summaries_queries": set()}
    for number, household in enumerate(households):
        cell = {"commune_id": household.commune_id, "year": YEAR}
        with transaction.atomic():
            before = StatusSummary.objects.get(**cell)
            _recognise(household, actor, number)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                household_years_sync([household.pk], actor=actor)
                seconds = time.perf_counter() - start
            after = StatusSummary.objects.get(**cell)
            assert after.poor_households == before.poor_households + 1
            assert after.newly_poor == before.newly_poor + 1
            if number:  # the first one warms up
                result["sync"].append(seconds * 1000)
                result["sync_queries"].add(len(captured.captured_queries))
            transaction.set_rollback(True)
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                tracker = tracking_status([household.pk]).__enter__()
                entered = time.perf_counter()
            HouseholdYear.objects.filter(household=household, list_year=YEAR).update(
                classification="poor"
            )
            with CaptureQueriesContext(connection) as finished:
                resumed = time.perf_counter()
                tracker.__exit__(None, None, None)
                end = time.perf_counter()
            assert StatusSummary.objects.get(**cell).poor_households == before.poor_households + 1
            if number:
                result["summaries"].append((entered - start + end - resumed) * 1000)
                result["summaries_queries"].add(
                    len(captured.captured_queries) + len(finished.captured_queries)
                )
            transaction.set_rollback(True)
    return result


def _ms(samples: list[float]) -> tuple[str, str]:
    return f"{statistics.median(samples):.2f}", f"{min(samples):.2f}"


def report(loaded: Province, args) -> None:
    """Measure, check the figures against each other, and print the table."""
    from django.db import connection

    from households.models import Household, Member
    from registry.models import UnitSuccession
    from reports.models import StatusSummary

    province = loaded.province
    rows: list[tuple[str, str, str, str]] = []  # case, median ms, fastest ms, queries
    if not args.no_rebuild or not StatusSummary.objects.exists():
        rebuild_s = summaries_build()
        rows.append((f"summaries_rebuild() from empty summaries: {rebuild_s:.1f} s", "", "", ""))

    request, label = kpi_request(loaded)
    answer, queries = query_count(request)
    request_ms, samples = median_ms(request, args.runs)
    rows.append((f"province KPIs: {label}", *_ms(samples), str(queries)))
    if label.startswith("GET"):  # the selector the view calls, alone
        from reports.selectors import unit_kpis

        def selector():
            # A fresh unit each call, as each request reads it (the area is cached on it).
            unit = type(province).objects.get(pk=province.pk)
            return unit_kpis(user=loaded.staff, unit=unit, year=YEAR)

        _none, selector_queries = query_count(selector)
        _median, samples = median_ms(selector, args.runs)
        name = "  of which reports.selectors.unit_kpis"
        rows.append((name, *_ms(samples), str(selector_queries)))

    plain = plain_aggregation(province)
    _none, plain_queries = query_count(lambda: plain_aggregation(province))
    plain_runs = max(5, args.runs // 3)
    plain_ms, samples = median_ms(lambda: plain_aggregation(province), plain_runs)
    rows.append(
        ("the same figures by plain aggregation over the raw rows", *_ms(samples),
         str(plain_queries))
    )  # fmt: skip
    # PostgreSQL compiles a costly query (JIT, on by default) at a price of its own: the baseline
    # without it too, and the ratio against the faster of the two.
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    no_jit_ms, samples = median_ms(lambda: plain_aggregation(province), plain_runs)
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")
    rows.append(("  the same, JIT off", *_ms(samples), str(plain_queries)))
    plain_ms = min(plain_ms, no_jit_ms)
    differences = _differences(plain, summaries_of(province))
    selected = selector_figures(loaded)
    if selected is not None:
        differences += [f"unit_kpis: {d}" for d in _differences(plain, selected)]
    api = isinstance(answer, dict) and "counts" in answer
    if api:
        differences += [
            f"API counts {name}: raw rows {plain['status'][YEAR][name]}, API {value}"
            for name, value in answer["counts"].items()
            if plain["status"][YEAR].get(name) != value
        ]

    sync = incremental(loaded, args.sync_runs)
    rows.append(
        ("after one recognition: household_years_sync of the household (with the summaries)",
         *_ms(sync["sync"]), "/".join(str(q) for q in sorted(sync["sync_queries"])))
    )  # fmt: skip
    rows.append(
        ("  of which the summaries (reports.summaries.tracking_status)",
         *_ms(sync["summaries"]), "/".join(str(q) for q in sorted(sync["summaries_queries"])))
    )  # fmt: skip

    print()
    taken_over = UnitSuccession.objects.filter(new_unit__path__startswith=province.path).count()
    print(
        f"database: {connection.vendor} {connection.pg_version // 10000}, "
        f"{Household.objects.count():,} households, {Member.objects.count():,} members "
        f"in {province.name} ({len(loaded.communes)} communes, {taken_over} successions from "
        f"old communes), {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}} {'median ms':>10} {'fastest':>9} {'queries':>8}")
    for name, median, fastest, count in rows:
        print(f"{name:<{width}} {median:>10} {fastest:>9} {count:>8}")
    ratio = plain_ms / request_ms
    summaries_ms = statistics.median(sync["summaries"])
    print(
        f"medians of {args.runs} requests, {plain_runs} aggregations, {args.sync_runs} "
        f"recognitions (each on another household, rolled back)"
    )
    print(f"ratio plain aggregation (the faster) / request: {ratio:.0f}x")
    print(
        "figures equal (raw rows, summaries"
        + (", unit_kpis" if selected is not None else "")
        + (", the API's counts" if api else "")
        + f"; {PREVIOUS} and {YEAR}): "
        + ("yes" if not differences else f"NO, {len(differences)} differ")
    )
    for line in differences[:20]:
        print("  " + line)
    goals = [
        ("request under 20 ms", request_ms < 20),
        ("at least 50x faster than the plain aggregation", ratio >= 50),
        ("summaries up to date within 50 ms of a recognition", summaries_ms < 50),
    ]
    print("goals: " + "; ".join(f"{g}: {'met' if ok else 'NOT met'}" for g, ok in goals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=30, help="requests measured (median)")
    parser.add_argument("--sync-runs", type=int, default=20, help="recognitions measured")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--no-rebuild",
        action="store_true",
        help="with --keep: read the summaries as they are instead of rebuilding them first",
    )
    parser.add_argument(
        "--units",
        choices=["all", "province"],
        default="all",
        help="all: every unit of both schemes and their successions (as in production); "
        "province: only the 2025 units of the province",
    )
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database if it holds as many households"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)

    from django.db import connection

    from households.models import Household

    started = time.perf_counter()
    filled = Household._meta.db_table in connection.introspection.table_names()
    if args.keep and filled and Household.objects.count() == args.households:
        from django.core.management import call_command

        from registry.models import AdminUnit, User

        call_command("migrate", verbosity=0)
        if args.units == "all":
            with open(os.devnull, "w") as quiet:
                call_command("load_units", stdout=quiet)  # safe to run twice
        province = AdminUnit.objects.get(scheme="2025", level="province", code=PROVINCE_CODE)
        loaded = Province(
            province=province,
            communes=list(AdminUnit.objects.filter(parent=province).order_by("code")),
            staff=User.objects.get(username="bench-province"),
        )
        print(f"reusing {args.households:,} households")
    else:
        loaded = fill(args.households, args.seed, args.units)
        print(f"ready in {time.perf_counter() - started:.1f} s")
    check(loaded)
    report(loaded, args)


if __name__ == "__main__":
    main()
