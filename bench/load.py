"""Load test: the app under gunicorn against PostgreSQL with a province-sized registry, driven by
a realistic mix of requests from a second process on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ansinh_load_bench \\
        .venv/bin/python bench/load.py --households 500000 --duration 60 --requests 20000

The registry is bench/kpis.py's synthetic An Giang (loaded with its COPY loader when the database
does not hold as many households; `--keep` there applies here by default). The set-up then adds
officers and chairs of the largest communes, staff of an old district the province took over and
the province's staff, their sessions, households to edit and posted monthly reviews for the
chairs to recognise; collects the static files; starts gunicorn (production settings, HTTPS
redirect off on loopback); and runs this file again with `--drive` in a second process, which
sends the mix from `--clients` threads on keep-alive connections until `--duration` seconds or
`--requests` requests, whichever comes first. It prints requests per second and, per kind, the
count, median and 99th-percentile latency and the errors (any status but the expected one).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ansinh_load_bench"

# The mix, in shares of requests: what a working day of a province looks like (lists and
# searches by commune officers dominate; edits are fewer; recognitions come in batches).
MIX = {
    "officer_list": 25,  # GET /households/ (the officer's commune, first page)
    "officer_search": 20,  # GET /households/?q=<a name without diacritics>
    "officer_save": 10,  # PATCH /api/v1/households/<id>/ (address, with its version)
    "chair_recognise": 5,  # POST /api/v1/recognition/decisions/ (one posted monthly review)
    "district_dashboard": 15,  # GET /reports/units/<old district>/
    "province_kpis": 25,  # GET /api/v1/kpis/units/<An Giang>/?year=2026 (an API client)
}
COMMUNES = 8  # communes whose officer and chair take part
REVIEWS_PER_CHAIR = 150  # posted monthly reviews waiting for each chair


# --- set-up (Django, in this process) ---------------------------------------------------------


def prepare(households: int, seed: int) -> dict:
    """The registry, the users and their sessions, and what each kind of request needs."""
    import kpis
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.utils import timezone
    from unidecode import unidecode

    from households.models import Household, HouseholdYear, Review
    from registry.choices import Role
    from registry.models import AdminUnit, Assignment, User
    from registry.services import assignment_create

    if Household.objects.count() != households:
        kpis.fill(households, seed)
        print(f"summaries rebuilt in {kpis.summaries_build():.1f} s")
    else:  # a database kept from an earlier run: the tables of the code as it is now
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    province = AdminUnit.objects.get(scheme="2025", level="province", code=kpis.PROVINCE_CODE)
    largest = Household.objects.values("commune").annotate(n=Count("id")).order_by("-n", "commune")
    ids = [row["commune"] for row in largest[:COMMUNES]]
    communes = sorted(AdminUnit.objects.filter(pk__in=ids), key=lambda c: ids.index(c.pk))

    def user(username: str, role: str, unit) -> User:
        found, created = User.objects.get_or_create(username=username)
        if created or not Assignment.objects.filter(user=found, is_active=True).exists():
            assignment_create(user=found, role=role, unit=unit)
        return found

    def session(person: User) -> dict:
        store = SessionStore()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.create()
        csrf = secrets.token_hex(16)  # 32 characters of [a-zA-Z0-9], as Django makes them
        return {
            "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}",
            "csrf": csrf,
        }

    # An old district of the three-level scheme whose communes An Giang took over.
    old_province = AdminUnit.objects.get(scheme="2004", level="province", code="89")
    district = AdminUnit.objects.filter(parent=old_province, level="district").order_by("code")[0]
    plan: dict = {"officers": [], "chairs": [], "saves": [], "recognitions": []}
    plan["district"] = {
        **session(user("load-district", Role.DISTRICT_STAFF, district)),
        "unit": district.pk,
    }
    plan["province"] = {
        **session(user("load-province", Role.PROVINCE_STAFF, province)),
        "unit": province.pk,
    }
    today = timezone.localdate()
    Review.objects.filter(household__commune__in=communes, kind="monthly", status="posted").delete()
    for index, commune in enumerate(communes):
        officer = user(f"load-officer-{index}", Role.COMMUNE_OFFICER, commune)
        chair = user(f"load-chair-{index}", Role.COMMUNE_CHAIR, commune)
        heads = list(
            Household.objects.filter(commune=commune)
            .order_by("?")
            .values_list("head_name", flat=True)[:50]
        )
        # "nguyen van" from "Nguyễn Văn An": what an officer types, without diacritics.
        searches = sorted({" ".join(unidecode(n).lower().split()[:2]) for n in heads})
        plan["officers"].append({**session(officer), "searches": searches})
        for pk, version in (
            Household.objects.filter(commune=commune).order_by("?").values_list("pk", "version")
        )[:40]:
            plan["saves"].append({"officer": index, "household": pk, "version": version})
        # Households not poor in 2026: a monthly review finds them poor, posted, for the chair.
        candidates = HouseholdYear.objects.filter(
            commune=commune, list_year=kpis.YEAR, classification="not_poor"
        ).values_list("household_id", flat=True)[:REVIEWS_PER_CHAIR]
        reviews = Review.objects.bulk_create(
            Review(
                household_id=pk,
                list_year=kpis.YEAR,
                kind="monthly",
                status="posted",
                survey_date=today,
                standard_code=kpis.STANDARD,
                area_type=commune.area_type,
                income_per_capita=1_000_000,
                deprivations=["D22_EMPLOYMENT", "D22_HOUSING_QUALITY", "D22_WATER_SOURCE"],
                computed_classification="poor",
                recognised_classification="poor",
                reviewer=officer,
            )
            for pk in candidates
        )
        plan["chairs"].append({**session(chair), "commune": commune.pk})
        plan["recognitions"].extend(
            {"chair": index, "review": r.pk, "number": f"{r.pk}/QĐ-UBND-LOAD"} for r in reviews
        )
    rng.shuffle(plan["saves"])
    rng.shuffle(plan["recognitions"])
    plan["signed_on"] = today.isoformat()
    return plan


def serve(port: int, workers: int, env: dict) -> subprocess.Popen:
    """gunicorn on loopback with the production settings, once /health/ answers."""
    log = open(BENCH.parent / "var" / "load-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "registry.wsgi:application",
         f"--workers={workers}", f"--bind=127.0.0.1:{port}", "--timeout=60"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer /health/: see var/load-gunicorn.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=float, default=60, help="seconds at most")
    parser.add_argument("--requests", type=int, default=20_000, help="requests at most")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--drive", help=argparse.SUPPRESS)  # the second process: a plan file
    args = parser.parse_args()
    if args.drive:
        drive(json.loads(Path(args.drive).read_text()), args)
        return
    sys.path.insert(0, str(BENCH))
    import kpis

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    secret = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64)
    os.environ["SECRET_KEY"] = secret  # the sessions made here must be valid for gunicorn's
    kpis.ensure_database(url)
    kpis.setup_django(url)
    started = time.perf_counter()
    plan = prepare(args.households, args.seed)
    print(f"set-up in {time.perf_counter() - started:.1f} s")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env,
        check=True,
    )  # fmt: skip
    server = serve(args.port, args.workers, env)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(plan, file)
        forwarded = ["--duration", str(args.duration), "--requests", str(args.requests)]
        forwarded += ["--clients", str(args.clients), "--port", str(args.port)]
        subprocess.run([sys.executable, __file__, "--drive", file.name, *forwarded], check=True)
    finally:
        server.terminate()
        server.wait()
        os.unlink(file.name)


# --- the driver (the second process: no Django, the standard library's HTTP client) ----------


class Driver:
    """The shared state of the clients: the queues of writes, the deadline, the results."""

    def __init__(self, plan: dict, args):
        self.plan = plan
        self.args = args
        self.lock = threading.Lock()
        self.sent = 0
        self.deadline = time.monotonic() + args.duration
        self.saves = list(plan["saves"])
        self.recognitions = list(plan["recognitions"])
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}

    def take(self) -> bool:
        with self.lock:
            if self.sent >= self.args.requests or time.monotonic() >= self.deadline:
                return False
            self.sent += 1
            return True

    def pop(self, queue: list):
        with self.lock:
            return queue.pop() if queue else None

    def request(self, rng: random.Random):
        """(kind, method, path, headers, body, expected status, on success) of one request."""
        kinds, weights = zip(*MIX.items(), strict=True)
        kind = rng.choices(kinds, weights)[0]
        plan = self.plan
        if kind in {"officer_list", "officer_search"}:
            officer = rng.choice(plan["officers"])
            path = "/households/"
            if kind == "officer_search":
                path += "?q=" + rng.choice(officer["searches"]).replace(" ", "+")
            return kind, "GET", path, officer, None, 200, None
        if kind == "officer_save":
            save = self.pop(self.saves)
            if save is None:
                return self.request(rng)
            officer = plan["officers"][save["officer"]]
            body = {"version": save["version"], "address": f"Tổ {rng.randint(1, 99)}, ấp Mới"}

            def saved(response_body: bytes, save=save):
                save["version"] = json.loads(response_body)["version"]
                with self.lock:
                    self.saves.insert(0, save)

            path = f"/api/v1/households/{save['household']}/"
            return kind, "PATCH", path, officer, body, 200, saved
        if kind == "chair_recognise":
            item = self.pop(self.recognitions)
            if item is None:
                return self.request(rng)
            chair = plan["chairs"][item["chair"]]
            body = {
                "commune": chair["commune"],
                "number": item["number"],
                "signed_on": plan["signed_on"],
                "reviews": [item["review"]],
            }
            return kind, "POST", "/api/v1/recognition/decisions/", chair, body, 201, None
        if kind == "district_dashboard":
            district = plan["district"]
            return kind, "GET", f"/reports/units/{district['unit']}/", district, None, 200, None
        province = plan["province"]
        path = f"/api/v1/kpis/units/{province['unit']}/?year=2026"
        return kind, "GET", path, province, None, 200, None

    def client(self, seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=60)
        while self.take():
            kind, method, path, who, body, expected, on_success = self.request(rng)
            headers = {"Host": "127.0.0.1", "Cookie": who["cookie"], "Accept-Language": "vi"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers.update({"Content-Type": "application/json", "X-CSRFToken": who["csrf"]})
            started = time.perf_counter()
            try:
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                content = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=60)
                status, content = 0, repr(error).encode()
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.times[kind].append(elapsed)
                if status != expected:
                    self.errors[kind] += 1
                    self.samples.setdefault(kind, f"{status} {content[:300]!r}")
            if status == expected and on_success is not None:
                on_success(content)
        connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def drive(plan: dict, args) -> None:
    driver = Driver(plan, args)
    started = time.perf_counter()
    threads = [threading.Thread(target=driver.client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(len(t) for t in driver.times.values())
    errors = sum(driver.errors.values())
    print(
        f"{total} requests in {elapsed:.1f} s from {args.clients} clients: "
        f"{total / elapsed:.1f} requests/s, {errors} errors"
    )
    print("| kind | requests | median ms | p99 ms | errors |")
    print("|---|---|---|---|---|")
    for kind in MIX:
        times = driver.times.get(kind, [])
        if not times:
            print(f"| {kind} | 0 | | | {driver.errors.get(kind, 0)} |")
            continue
        print(
            f"| {kind} | {len(times)} | {statistics.median(times):.1f} | "
            f"{percentile(times, 0.99):.1f} | {driver.errors.get(kind, 0)} |"
        )
    for kind, sample in driver.samples.items():
        print(f"first error of {kind}: {sample}")


if __name__ == "__main__":
    main()
