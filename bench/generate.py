"""Generator of synthetic provinces at any size (issue 11, "Fast"), written as interchange files
(docs/interchange.md): `households.csv`, `members.csv`, `reviews.csv`, `disbursements.csv` and
`resident_counts.csv` in one directory (or one ZIP of them with `--zip`).

    .venv/bin/python bench/generate.py --households 500000 --out var/bench/province-500k \\
        [--seed 11] [--province 91] [--years 2025,2026] [--numbering qd121|census] \\
        [--resident-counts units|province] [--zip]

Run on demand, never in CI; no database. Seeded: the same arguments write the same files. It
streams (each household's rows are written as they are made; what is kept is bounded by the
number of communes and birth years, not of households), about a minute per 100,000 households
on one core.

What it writes, for a province of the 2025 scheme (An Giang, 91, by default), with the commune
codes and area types `manage.py load_units` loads (`registry.loading`, from the
`vietnam-provinces` package) and the programmes of `manage.py load_programmes`
(`policies.support.catalogue`):
- households spread over the communes (wards hold more), each with a code
  `<commune code>-<6 digits>`, an address and often a phone number;
- members as bench/kpis.py draws them (about 3.95 a household: a head, usually a spouse,
  children or grandchildren; 15% of heads Khmer, Hoa or Chăm and their households poorer),
  with a birth date for most, schooling, qualification, work, disability, the social allowance,
  nutrition and health insurance plausible for their age and their household, a few who left
  in the last year, and a personal ID number for almost all: 12 digits of Decree 137/2015/NĐ-CP
  (province of birth registration, century and sex, year of birth, 6 digits), unique;
- a recognised periodic review for each list year, under the standard of that year: an income
  (or a B1 score for a tenth of them, where the standard has cut-offs) drawn inside the band of
  the household's class, a quarter of the time at or just beside a line (every line of the
  standard, rural and urban), the deprivations around the standard's cut-off, the housing area
  consistent with the housing-area indicator; `computed_classification` is the engine's verdict
  (`Standard.bulk`), and the recognised class equals it except for 0.5% with an override reason;
- disbursements to eligible households and members only (checked with
  `policies.support.rules`, the rules the services apply): a health-insurance card for every
  member of a poor or near-poor household each year, medical visits of members of poor
  households and of children under 6, job placements, and a few reversals of a card, about 0.9
  a household in all; each paid within the year of the list that made the household eligible;
- the resident households and persons of each commune and of the province, each year (or of
  the province only, with `--resident-counts province`: a unit's own staff enter its figures).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time
import zipfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine import COUNT_WEIGHTS, THEME_WEIGHTS  # noqa: E402
from kpis import (  # noqa: E402
    CLASSES,
    FAMILY,
    GROUP_CODES,
    GROUP_WEIGHTS,
    MINORITY_HEADS,
    PERSONS,
    REDRAW,
    SHARES_KINH,
    SHARES_MINORITY,
    STAY,
    _draw,
    _names,
)

TABLE_ORDER = ("households", "members", "reviews", "disbursements", "resident_counts")
SCORED_SHARE = 0.1
NEAR_LINE_SHARE = 0.25
OVERRIDE_SHARE = 0.005
LEFT_SHARE = 0.01  # members (never the head) who left the household in the last year
NO_ID_SHARE = 0.02
BIRTH_DATE_SHARE = 0.8
PHONE_SHARE = 0.6
URBAN_WEIGHT = 1.3  # a ward holds more households than a rural commune
# Per eligible member and year: a medical visit (poor), a visit of a child under 6 (poor and
# near-poor), a job placement (unemployed or without a contract), a card reversed.
VISIT_SHARE = 0.25
CHILD_VISIT_SHARE = 0.5
JOB_SHARE = 0.08
REVERSAL_SHARE = 0.002
# Legacy provinces whose birth registrations An Giang's people mostly hold (An Giang 089,
# Kiên Giang 091, merged in 2025), and the share born elsewhere.
HOME_BIRTH_PROVINCES = (89, 91)
ELSEWHERE_SHARE = 0.05
ID_SERIAL_STEP = 7_919  # prime to 10**6: the k-th serial of a prefix is unique and looks drawn

REASONS_LEFT = ("Chuyển đi nơi khác", "Đi làm ăn xa", "Lập gia đình, chuyển về nhà chồng",
                "Qua đời")  # fmt: skip
OVERRIDE_REASON = "Hội nghị thôn xác định lại thu nhập thực tế của hộ"
QUALIFICATIONS = (("none", 10), ("primary", 20), ("lower_secondary", 30), ("upper_secondary", 20),
                  ("vocational", 10), ("college", 10))  # fmt: skip
WORK = (("contract", 25), ("no_contract", 25), ("self_employed", 35), ("unemployed", 5),
        ("not_working", 10))  # fmt: skip


def setup_django() -> None:
    """The interchange format reads Django's choices and translations; no database is used."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.dev")
    import django

    django.setup()


class Weighted:
    """Draws from (value, weight) pairs with one random number and a bisection."""

    def __init__(self, pairs) -> None:
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(accumulate(weight for _value, weight in pairs))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random):
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


@dataclass(frozen=True)
class Band:
    """One interval of a standard's lines: values low..high (inclusive) fall in the band of
    `kind` (a `BandKind` value, or "" above the last line)."""

    kind: str
    low: int
    high: int


@dataclass
class YearStandard:
    """What the generator needs of the standard of one list year."""

    year: int
    standard: object
    bulk: object
    bands: dict[tuple[str, bool], list[Band]]  # (area, scored) -> bands, lowest first
    cutoff: int
    indicators: Weighted
    housing_indicator: str | None
    housing_min_m2: int | None


def _bands(standard, area, scored: bool) -> list[Band]:
    """The intervals of the standard's known lines for an area and input form, read from its
    parameters (a line not known is skipped, as the engine skips it; a scored form without its
    cut-offs gives none)."""
    from policies.standards.base import BandKind

    known = []
    for band in standard.score_bands if scored else standard.income_bands:
        line = standard.parameter(band.key(area)).value
        if line is None and band.kind is not BandKind.MIDDLE_INCOME:
            return []  # the engine refuses such input
        if line is not None:
            known.append((band.kind.value, line))
    if not known:
        return []
    out, low = [], (max(0, known[0][1] - 60) if scored else known[0][1] // 3)
    for kind, line in known:
        out.append(Band(kind, low, line))
        low = line + 1
    out.append(Band("", low, known[-1][1] * 3 // (2 if scored else 1)))
    return out


def year_standard(year: int) -> YearStandard:
    from policies.standards import AreaType, standard_for_list_year

    standard = standard_for_list_year(year)
    housing = standard.indicator_for_theme("housing_area")
    minimum = next(
        (p.value for p in standard.parameters if p.key == "housing_area_min_m2_per_person"), None
    )
    return YearStandard(
        year=year,
        standard=standard,
        bulk=standard.bulk(),
        bands={
            (area.value, scored): _bands(standard, area, scored)
            for area in AreaType
            for scored in (False, True)
        },
        cutoff=standard.parameter("deprivation_cutoff").value,
        indicators=Weighted([(i.code, THEME_WEIGHTS.get(i.theme, 3)) for i in standard.indicators]),
        housing_indicator=housing.code if housing and minimum else None,
        housing_min_m2=minimum,
    )


# Which classes a band can give: poor on income; poor or near-poor by the deprivations;
# middle-income; not poor above the last line.
BAND_CLASSES = {
    "poor_on_income": ("poor",),
    "deprivation_test": ("poor", "near_poor"),
    "middle_income": ("middle_income",),
    "": ("not_poor",),
}


@dataclass(frozen=True)
class Programme:
    """A programme of the catalogue, with the eligibility rule the services apply."""

    code: str
    rule: object
    funding_sources: tuple[str, ...]
    variants: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date | None

    def runs_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def programmes() -> dict[str, Programme]:
    from policies.support import rules
    from policies.support.catalogue import PROGRAMMES

    out = {}
    for entry in PROGRAMMES:
        out[entry["code"]] = Programme(
            code=entry["code"],
            rule=rules.Rule(
                for_poor=entry.get("for_poor", False),
                for_near_poor=entry.get("for_near_poor", False),
                escaped_within_years=entry.get("escaped_within_years", 0),
                per_person=entry["beneficiary"] == "person",
                min_age=entry.get("min_age"),
                max_age=entry.get("max_age"),
                in_school_only=entry.get("in_school_only", False),
                ethnic_minority_only=entry.get("ethnic_minority_only", False),
            ),
            funding_sources=tuple(entry["funding_sources"]),
            variants=tuple(entry.get("variants", ())),
            valid_from=entry["valid_from"],
            valid_to=entry.get("valid_to"),
        )
    return out


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    area_type: str


def province_units(province: str) -> tuple[Unit, list[Unit]]:
    """The province and its communes, as `manage.py load_units` loads them (2025 scheme)."""
    from registry.choices import Level
    from registry.loading import _current_rows

    rows = list(_current_rows(int(province)))
    head = next(r for r in rows if r.level == Level.PROVINCE)
    communes = [Unit(r.code, r.name, str(r.area_type)) for r in rows if r.level == Level.COMMUNE]
    if not communes:
        raise SystemExit(f"province {province} has no communes in the 2025 scheme")
    return Unit(head.code, head.name, ""), sorted(communes, key=lambda u: u.code)


class Writers:
    """One CSV file a table, its header and cells written by the interchange format itself."""

    def __init__(self, directory: Path) -> None:
        from households.interchange.format import TABLES, format_cell

        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.format_cell = format_cell
        self.files = {}
        self.writers = {}
        self.columns = {}
        self.rows = Counter()
        for name in TABLE_ORDER:
            table = TABLES[name]
            handle = open(directory / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.files[name] = handle
            self.writers[name] = csv.writer(handle, lineterminator="\n")
            self.writers[name].writerow(table.header)
            self.columns[name] = table.columns

    def add(self, table: str, row: dict) -> None:
        """Write one row given as column -> value (missing columns are blank)."""
        fmt = self.format_cell
        self.writers[table].writerow(
            [fmt(column, row.get(column.name)) for column in self.columns[table]]
        )
        self.rows[table] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()

    def paths(self) -> list[Path]:
        return [self.directory / f"{name}.csv" for name in TABLE_ORDER]


class IdNumbers:
    """Unique personal ID numbers (Decree 137/2015/NĐ-CP, art. 7, as households/validators.py
    checks them): province of birth registration, century and sex digit, year of birth, then
    the k-th serial of that prefix, spread over 6 digits."""

    def __init__(self, rng: random.Random) -> None:
        from households.validators import LEGACY_PROVINCE_CODES

        self.rng = rng
        self.elsewhere = sorted(LEGACY_PROVINCE_CODES - set(HOME_BIRTH_PROVINCES))
        self.issued = Counter()

    def new(self, born: int, sex: str) -> str:
        rng = self.rng
        if rng.random() < ELSEWHERE_SHARE:
            province = rng.choice(self.elsewhere)
        else:
            province = HOME_BIRTH_PROVINCES[rng.random() < 0.45]
        digit = 2 * ((born - 1900) // 100) + (sex == "female")
        prefix = f"{province:03d}{digit}{born % 100:02d}"
        k = self.issued[prefix]
        if k >= 1_000_000:
            raise RuntimeError(f"more than a million people with the ID prefix {prefix}")
        self.issued[prefix] = k + 1
        return f"{prefix}{((k + 1) * ID_SERIAL_STEP) % 1_000_000:06d}"


def _day_in(rng: random.Random, year: int, first_month: int = 1, last_month: int = 12) -> dt.date:
    start = dt.date(year, first_month, 1).toordinal()
    after = (
        dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    ).toordinal()
    return dt.date.fromordinal(rng.randrange(start, after))


class Generator:
    """Writes one synthetic province (see the module docstring)."""

    def __init__(
        self, *, seed: int, province: str, years: list[int], numbering: str, residents: str
    ) -> None:
        from households.interchange.format import census_name, ethnicity_name, from_qd121

        self.rng = random.Random(seed)
        self.years = sorted(years)
        self.numbering = numbering
        self.residents_of = residents
        self.province, self.communes = province_units(province)
        self.standards = {year: year_standard(year) for year in self.years}
        self.programmes = programmes()
        self.ids = IdNumbers(self.rng)
        name_of = census_name if numbering == "census" else ethnicity_name
        self.ethnicity = {
            code: (from_qd121(code, numbering), name_of(code)) for code in ("01", *GROUP_CODES)
        }
        self.qualifications = Weighted(QUALIFICATIONS)
        self.work = Weighted(WORK)
        self.counts = Counter()
        self.residents: dict[str, list[int]] = {}  # commune code -> [households, persons]

    # --- the province --------------------------------------------------------------------

    def sizes(self, households: int) -> list[int]:
        rng = random.Random(self.rng.random())
        weights = [
            rng.uniform(0.5, 1.5) * (URBAN_WEIGHT if c.area_type == "urban" else 1.0)
            for c in self.communes
        ]
        total = sum(weights)
        sizes = [int(households * w / total) for w in weights]
        sizes[-1] += households - sum(sizes)
        return sizes

    def write(self, writers: Writers, households: int, on_progress=None) -> None:
        done = 0
        for commune, size in zip(self.communes, self.sizes(households), strict=True):
            tally = self.residents.setdefault(commune.code, [0, 0])
            for seq in range(1, size + 1):
                persons = self.household(writers, commune, seq)
                tally[0] += 1
                tally[1] += persons
                done += 1
                if on_progress and done % 10_000 == 0:
                    on_progress(done, households)
        self.resident_counts(writers)

    def resident_counts(self, writers: Writers) -> None:
        """Each commune's resident households and persons a year (those registered, and a few
        percent more who are not on any list), and the province's: its sum. Only the
        province's with `residents="province"` (what its own staff may enter)."""
        rng = self.rng
        for year in self.years:
            total_households = total_persons = 0
            for commune in self.communes:
                registered, persons = self.residents.get(commune.code, (0, 0))
                extra = 1 + rng.uniform(0.0, 0.03)
                counted = (round(registered * extra), round(persons * extra))
                total_households += counted[0]
                total_persons += counted[1]
                if self.residents_of != "units":
                    continue
                writers.add(
                    "resident_counts",
                    {"scheme": "2025", "unit_code": commune.code, "year": year,
                     "households": counted[0], "persons": counted[1],
                     "source": f"Thống kê hộ cư trú năm {year} của UBND xã"},
                )  # fmt: skip
            writers.add(
                "resident_counts",
                {"scheme": "2025", "unit_code": self.province.code, "year": year,
                 "households": total_households, "persons": total_persons,
                 "source": f"Thống kê hộ cư trú năm {year} của UBND tỉnh"},
            )  # fmt: skip

    # --- one household -------------------------------------------------------------------

    def household(self, writers: Writers, commune: Unit, seq: int) -> int:
        rng = self.rng
        code = f"{commune.code}-{seq:06d}"
        area = commune.area_type
        minority = rng.random() < MINORITY_HEADS
        head_ethnicity = GROUP_CODES[_draw(rng, GROUP_WEIGHTS[:-1])] if minority else "01"
        classes = self.classes(minority)
        last_class = classes[self.years[-1]]
        members = self.members(head_ethnicity, minority, last_class)
        place = "Khóm" if area == "urban" else "Ấp"
        writers.add(
            "households",
            {"household_code": code, "scheme": "2025", "commune_code": commune.code,
             "area_type": area, "address": f"{place} {rng.randint(1, 12)}, {commune.name}",
             "phone": f"09{rng.randrange(10**8):08d}" if rng.random() < PHONE_SHARE else "",
             "status": "active"},
        )  # fmt: skip
        for member in members:
            writers.add("members", {"household_code": code, **member.row})
        for year in self.years:
            classes[year] = self.review(writers, code, area, classes[year], len(members), year)
        self.disbursements(writers, code, classes, members)
        self.counts["households"] += 1
        return len(members)

    def classes(self, minority: bool) -> dict[int, str]:
        """The class the household's review aims at, each list year (bench/kpis.py's drift)."""
        rng = self.rng
        index = _draw(rng, SHARES_MINORITY if minority else SHARES_KINH)
        out = {}
        for year in self.years:
            out[year] = CLASSES[index]
            if rng.random() >= STAY:
                index = _draw(rng, REDRAW)
        return out

    def members(self, head_ethnicity: str, minority: bool, last_class: str) -> list[_Member]:
        rng = self.rng
        persons = _draw(rng, PERSONS[:-1]) + 1
        family = rng.choice(FAMILY)
        head_sex = "male" if rng.random() < 0.72 else "female"
        head_year = rng.randint(1945, 1995)
        people = [("head", head_sex, head_year, head_ethnicity)]
        for n in range(1, persons):
            if n == 1 and rng.random() < 0.9:
                sex = "female" if head_sex == "male" else "male"
                mixed = rng.random() < (0.15 if minority else 0.03)
                ethnicity = ("01" if minority else "05") if mixed else head_ethnicity
                people.append(("spouse", sex, head_year + rng.randint(-4, 6), ethnicity))
            elif n == 2 and head_year < 1960 and rng.random() < 0.1 and head_year - 22 >= 1925:
                people.append(("parent", rng.choice(("male", "female")),
                               head_year - rng.randint(20, 30), head_ethnicity))  # fmt: skip
            elif head_year < 1965 and rng.random() < 0.5:
                people.append(("grandchild", rng.choice(("male", "female")),
                               rng.randint(2005, 2024), head_ethnicity))  # fmt: skip
            else:
                born = min(2025, head_year + rng.randint(20, 38))
                people.append(("child", rng.choice(("male", "female")), born, head_ethnicity))
        poor = last_class in {"poor", "near_poor"}
        return [
            self.member(str(key), relationship, sex, born, ethnicity, family, poor)
            for key, (relationship, sex, born, ethnicity) in enumerate(people, start=1)
        ]

    def member(self, key, relationship, sex, born, ethnicity, family, poor) -> _Member:
        rng = self.rng
        last = self.years[-1]
        age = last - born  # the age reached during the last list year
        birth_date = None
        if rng.random() < BIRTH_DATE_SHARE:
            birth_date = _day_in(rng, born)
        in_school = False
        school, matches = "not_applicable", None
        if 6 <= age <= 17:
            in_school = rng.random() < 0.92
        elif 18 <= age <= 22:
            in_school = rng.random() < 0.2
        if in_school:
            school, matches = "in_school", rng.random() < 0.95
        elif 6 <= age <= 17:
            school = "out_of_school"
        if age < 11:
            qualification = "none"
        elif age < 15:
            qualification = "primary"
        elif age < 18:
            qualification = "lower_secondary"
        else:
            qualification = self.qualifications.draw(rng)
        if age < 15:
            employment = "not_working"
        elif in_school:
            employment = "student"
        elif age <= 60:
            employment = self.work.draw(rng)
        else:
            employment = "self_employed" if rng.random() < 0.3 else "not_working"
        disabled = rng.random() < 0.03
        allowance = age >= 80 or (disabled and rng.random() < 0.5)
        insured = poor or age < 6 or rng.random() < 0.65
        left_on = leave_reason = None
        if relationship != "head" and rng.random() < LEFT_SHARE:
            left_on = _day_in(rng, last, 2, 10)
            leave_reason = rng.choice(REASONS_LEFT)
        code, name = self.ethnicity[ethnicity]
        surname = rng.choice(FAMILY) if relationship in {"spouse", "parent"} else family
        id_number = "" if rng.random() < NO_ID_SHARE else self.ids.new(born, sex)
        row = {
            "member_key": key,
            "full_name": _names(rng, sex, ethnicity, surname),
            "relationship": relationship,
            "sex": sex,
            "birth_year": born,
            "birth_date": birth_date,
            "ethnicity": code,
            "ethnicity_name": name,
            "id_number": id_number,
            "has_health_insurance": insured,
            "health_insurance_valid_to": dt.date(last, 12, 31) if insured else None,
            "school_status": school,
            "school_level_matches_age": matches,
            "qualification": qualification,
            "employment": employment,
            "has_disability": disabled,
            "receives_social_allowance": allowance,
            "malnourished": age < 16 and rng.random() < (0.08 if poor else 0.01),
            "left_on": left_on,
            "leave_reason": leave_reason,
        }
        self.counts["members"] += 1
        return _Member(key, born, birth_date, in_school, ethnicity != "01", left_on, employment,
                       row)  # fmt: skip

    def review(self, writers, code: str, area: str, target: str, persons: int, year: int) -> str:
        """Write the periodic review of `year`; returns the class recognised."""
        rng = self.rng
        spec = self.standards[year]
        scored = (
            target != "middle_income"
            and bool(spec.bands[(area, True)])
            and rng.random() < SCORED_SHARE
        )
        bands = spec.bands[(area, scored)]
        fitting = [band for band in bands if target in BAND_CLASSES[band.kind]]
        band = rng.choice(fitting) if fitting else bands[-1]
        value = self.value(band, scored)
        ticked = self.deprivations(spec, band, target)
        income, b1 = (None, value) if scored else (value, None)
        verdict = spec.bulk.classify(area, income, b1, ticked)
        computed = verdict.classification.value
        recognised, reason = computed, ""
        if rng.random() < OVERRIDE_SHARE:
            recognised = rng.choice([c for c in CLASSES if c != computed])
            reason = OVERRIDE_REASON
        writers.add(
            "reviews",
            {"household_code": code, "list_year": year, "kind": "periodic",
             "survey_date": _day_in(rng, year - 1, 9, 11), "area_type": area,
             "income_per_capita": income, "b1_score": b1, "deprivations": ticked,
             "housing_area_m2": self.housing_area(spec, ticked, persons),
             "recognised_classification": recognised, "override_reason": reason,
             "computed_classification": computed},
        )  # fmt: skip
        self.counts["reviews"] += 1
        self.counts[f"reviews {computed}"] += 1
        return recognised

    def value(self, band: Band, scored: bool) -> int:
        """An income (VND, whole thousands mostly) or a B1 score inside `band`, at or just beside
        one of its lines a quarter of the time."""
        rng = self.rng
        low, high = band.low, band.high
        if rng.random() < NEAR_LINE_SHARE:
            if rng.random() < 0.5:  # at the line or just below it
                offsets = (0, 0, 1, 2) if scored else (0, 0, 1, 1_000, 5_000)
                return max(low, high - rng.choice(offsets))
            offsets = (0, 0, 1, 2) if scored else (0, 0, 999, 4_999)  # just above the line below
            return min(high, low + rng.choice(offsets))
        value = rng.randint(low, high)
        if not scored:
            value = min(high, max(low, round(value, -3)))
        return value

    def deprivations(self, spec: YearStandard, band: Band, target: str) -> list[str]:
        rng = self.rng
        cutoff = spec.cutoff
        if band.kind == "deprivation_test" and target == "poor":
            count = cutoff if rng.random() < 0.4 else rng.randint(cutoff, cutoff + 3)
        elif band.kind == "deprivation_test":
            count = cutoff - 1 if rng.random() < 0.4 else rng.randint(0, cutoff - 1)
        elif band.kind == "poor_on_income":
            count = rng.randint(0, 6)
        else:  # richer households are deprived less often
            count = min(_draw(rng, tuple(w / 100 for w in COUNT_WEIGHTS[:-1])), 3)
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(spec.indicators.draw(rng))
        return sorted(chosen)

    def housing_area(self, spec: YearStandard, ticked: list[str], persons: int) -> Decimal:
        """Floor area (m²) consistent with the housing-area indicator where the standard has
        one: below its minimum per person when ticked, above it otherwise."""
        rng = self.rng
        minimum = spec.housing_min_m2
        if minimum is None:
            per_person = rng.uniform(6.0, 30.0)
        elif spec.housing_indicator in ticked:
            per_person = rng.uniform(2.5, minimum - 0.5)
        else:
            per_person = rng.uniform(minimum + 0.5, 30.0)
        return Decimal(f"{per_person * persons:.1f}")

    # --- support -------------------------------------------------------------------------

    def disbursements(self, writers, code: str, classes: dict[int, str], members) -> None:
        from policies.support import rules

        rng = self.rng
        programmes = self.programmes
        number = 0

        def pay(programme: Programme, member, day: dt.date, period: str, klass: str, **extra):
            nonlocal number
            person = member.facts if member is not None else None
            household = rules.HouseholdFacts(klass)
            if not programme.runs_on(day) or rules.refusal(programme.rule, household, day, person):
                return None
            number += 1
            key = f"{code}-{number:03d}"
            sources = programme.funding_sources
            source = sources[0] if len(sources) == 1 or rng.random() < 0.8 else sources[1]
            writers.add(
                "disbursements",
                {"disbursement_key": key, "household_code": code,
                 "member_key": member.key if member else None, "programme_code": programme.code,
                 "year": day.year, "kind": "payment", "paid_on": day, "period": period,
                 "funding_source": source, **extra},
            )  # fmt: skip
            self.counts["disbursements"] += 1
            self.counts[f"disbursements {programme.code}"] += 1
            return key, source

        for year, klass in classes.items():
            if klass not in {"poor", "near_poor"}:
                continue
            card_day = dt.date(year, 1, rng.randint(5, 28))
            for member in members:
                paid = pay(programmes["bhyt"], member, card_day, str(year), klass,
                           reference=f"QĐ cấp thẻ BHYT năm {year}")  # fmt: skip
                if paid and rng.random() < REVERSAL_SHARE:
                    self.reversal(writers, code, member, programmes["bhyt"], paid, card_day, year)
                if klass == "poor" and rng.random() < VISIT_SHARE:
                    day = _day_in(rng, year, 2, 10)
                    period = f"KCB-{day:%Y%m%d}-{member.key}"
                    pay(programmes["kcb_poor"], member, day, period, klass,
                        reference=f"Phiếu khám {day:%d/%m/%Y}")  # fmt: skip
                if member.born >= year - 6 and rng.random() < CHILD_VISIT_SHARE:
                    day = _day_in(rng, year, 2, 10)
                    period = f"TE-{day:%Y%m%d}-{member.key}"
                    pay(programmes["kcb_children_under6"], member, day, period, klass,
                        reference=f"Phiếu khám {day:%d/%m/%Y}")  # fmt: skip
                if member.employment in {"unemployed", "no_contract"} and rng.random() < JOB_SHARE:
                    day = _day_in(rng, year, 4, 9)
                    job = programmes["job_placement"]
                    pay(job, member, day, f"VL-{year}-{member.key}", klass,
                        variant=rng.choice(job.variants) if job.variants else "",
                        reference=f"Hợp đồng giới thiệu việc làm {year}")  # fmt: skip

    def reversal(self, writers, code, member, programme, paid, day, year) -> None:
        """A card issued twice by mistake, reversed a few weeks later (numbered after it)."""
        key, source = paid
        writers.add(
            "disbursements",
            {"disbursement_key": f"{key}-R", "household_code": code, "member_key": member.key,
             "programme_code": programme.code, "year": year, "kind": "reversal",
             "reverses_key": key, "paid_on": day + dt.timedelta(days=self.rng.randint(10, 40)),
             "period": str(year), "quantity": -1, "funding_source": source,
             "note": "Thu hồi thẻ cấp trùng"},
        )  # fmt: skip
        self.counts["disbursements"] += 1
        self.counts["disbursements reversal"] += 1


@dataclass(frozen=True)
class _Member:
    key: str
    born: int
    birth_date: dt.date | None
    in_school: bool
    ethnic_minority: bool
    left_on: dt.date | None
    employment: str
    row: dict

    @property
    def facts(self):
        from policies.support import rules

        return rules.PersonFacts(
            birth_year=self.born,
            birth_date=self.birth_date,
            in_school=self.in_school,
            ethnic_minority=self.ethnic_minority,
            left_on=self.left_on,
        )


def generate(
    out: Path,
    *,
    households: int,
    seed: int = 11,
    province: str = "91",
    years: list[int] | None = None,
    numbering: str = "qd121",
    residents: str = "units",
    zip_path: Path | None = None,
    on_progress=None,
) -> Counter:
    """Write a synthetic province of `households` households into the directory `out` (and,
    with `zip_path`, one ZIP of the CSV files, the directory's files removed); returns the
    counts of rows by table and of reviews and disbursements by kind."""
    generator = Generator(
        seed=seed,
        province=province,
        years=years or [2025, 2026],
        numbering=numbering,
        residents=residents,
    )
    writers = Writers(out)
    try:
        generator.write(writers, households, on_progress)
    finally:
        writers.close()
    if zip_path is not None:
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in writers.paths():
                archive.write(path, path.name)
                path.unlink()
    counts = Counter(writers.rows)
    counts.update({k: v for k, v in generator.counts.items() if " " in k})
    return counts


def _years(text: str) -> list[int]:
    if "-" in text:
        first, last = (int(part) for part in text.split("-"))
        return list(range(first, last + 1))
    return [int(part) for part in text.split(",")]


def _report(counts: Counter) -> Iterator[str]:
    households = counts["households"] or 1
    for table in TABLE_ORDER:
        yield f"  {table}: {counts[table]:,} ({counts[table] / households:.2f} a household)"
    kinds = sorted(k for k in counts if " " in k)
    yield "  " + ", ".join(f"{k} {counts[k]:,}" for k in kinds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, required=True)
    parser.add_argument("--out", type=Path, help="directory (default var/bench/province-<N>)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--province", default="91", help="province code, 2025 scheme")
    parser.add_argument("--years", default="2025,2026", help="list years: 2025,2026 or 2021-2027")
    parser.add_argument("--numbering", choices=("qd121", "census"), default="qd121")
    parser.add_argument(
        "--resident-counts",
        choices=("units", "province"),
        default="units",
        help="units: each commune's and the province's; province: the province's only (what "
        "province staff may import)",
    )
    parser.add_argument("--zip", action="store_true", help="write <out>.zip instead")
    args = parser.parse_args()
    setup_django()
    out = args.out or ROOT / "var" / "bench" / f"province-{args.households}"
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"\r  {done:,} / {total:,} households, {elapsed:.0f} s", end="", file=sys.stderr)

    counts = generate(
        out,
        households=args.households,
        seed=args.seed,
        province=args.province,
        years=_years(args.years),
        numbering=args.numbering,
        residents=args.resident_counts,
        zip_path=out.with_suffix(".zip") if args.zip else None,
        on_progress=progress,
    )
    print(file=sys.stderr)
    where = out.with_suffix(".zip") if args.zip else out
    print(f"wrote {where} in {time.perf_counter() - started:.1f} s")
    for line in _report(counts):
        print(line)


if __name__ == "__main__":
    main()
