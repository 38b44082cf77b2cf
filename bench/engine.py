"""Benchmark of the standards engine (issue 11, "Fast"): reviews classified per second on one
core by the normal path (`Standard.classify`, with its prose) and by the fast path for bulk
work (`Standard.bulk(...).classify`, the verdict without prose), on the same inputs, and the
ratio; every fast verdict is checked against the normal one.

Run on demand, never in CI; no database, no Django:

    .venv/bin/python bench/engine.py [--reviews 200000] [--rounds 3] [--seed 11]

The inputs are what an import parses from a province's reviews: for each of the three
standards, rural and urban households, an income (or, for a fifth of them under the standards
that have B1 cut-offs, a B1 score) half of the time within a few units of one of the standard's
lines and otherwise anywhere from 0 to 1.5 times the highest line, and 0 to 6 deprivations drawn
with the weights of how often officers tick them. Each round times the normal path, then the
fast path with a new classifier (its tables start empty, so their filling is counted), then the
same classifier again (tables filled, as in the rest of a long import); the best round of each
is reported.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policies.standards import (  # noqa: E402
    AreaType,
    BulkVerdict,
    HouseholdFacts,
    Standard,
    all_standards,
)

# How many deprivations a review ticks (0..6), and how often each theme is ticked (as
# bench/kpis.py weighs the indicators of Decree 07/2021/NĐ-CP); other themes weigh 3.
COUNT_WEIGHTS = (40, 20, 15, 10, 8, 5, 2)
THEME_WEIGHTS = {
    "employment": 6, "dependants": 5, "nutrition": 3, "health_insurance": 2,
    "adult_education": 7, "child_school_attendance": 3, "housing_quality": 5,
    "housing_area": 4, "water_source": 4, "hygienic_latrine": 6, "telecom_use": 2,
    "information_means": 4,
}  # fmt: skip
SCORED_SHARE = 0.2
NEAR_SHARE = 0.5

Review = tuple[Standard, str, int | None, int | None, list[str]]


def _lines(standard: Standard, area: AreaType, scored: bool) -> list[int]:
    bands = standard.score_bands if scored else standard.income_bands
    values = [standard.parameter(band.key(area)).value for band in bands]
    return [value for value in values if value is not None]


def reviews(count: int, seed: int) -> list[Review]:
    """`count` reviews, a third under each standard (see the module docstring)."""
    rng = random.Random(seed)
    standards = all_standards()
    out: list[Review] = []
    for n in range(count):
        standard = standards[n % len(standards)]
        area = rng.choice(list(AreaType))
        scored = bool(_lines(standard, area, True)) and rng.random() < SCORED_SHARE
        lines = _lines(standard, area, scored)
        if rng.random() < NEAR_SHARE:
            value = max(0, rng.choice(lines) + rng.randint(-3, 3))
        else:
            value = rng.randint(0, lines[-1] * 3 // 2)
        codes = [indicator.code for indicator in standard.indicators]
        weights = [THEME_WEIGHTS.get(i.theme, 3) for i in standard.indicators]
        wanted = rng.choices(range(len(COUNT_WEIGHTS)), COUNT_WEIGHTS)[0]
        ticked: set[str] = set()
        while len(ticked) < wanted:
            ticked.add(rng.choices(codes, weights)[0])
        income, b1 = (None, value) if scored else (value, None)
        out.append((standard, area.value, income, b1, sorted(ticked)))
    return out


def normal_path(inputs: list[Review]) -> list:
    return [
        standard.classify(
            HouseholdFacts(area, income_per_capita=income, b1_score=b1, deprivations=ticked)
        )
        for standard, area, income, b1, ticked in inputs
    ]


def fast_path(inputs: list[Review], classifiers: dict[str, object]) -> list:
    return [
        classifiers[standard.code].classify(area, income, b1, ticked)
        for standard, area, income, b1, ticked in inputs
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    inputs = reviews(args.reviews, args.seed)
    best = {"normal": float("inf"), "cold": float("inf"), "warm": float("inf")}
    normal = fast = []
    for _round in range(args.rounds):
        started = time.perf_counter()
        normal = normal_path(inputs)
        best["normal"] = min(best["normal"], time.perf_counter() - started)

        classifiers = {standard.code: standard.bulk() for standard in all_standards()}
        started = time.perf_counter()
        fast = fast_path(inputs, classifiers)
        best["cold"] = min(best["cold"], time.perf_counter() - started)
        started = time.perf_counter()
        fast_path(inputs, classifiers)
        best["warm"] = min(best["warm"], time.perf_counter() - started)

    wrong = sum(BulkVerdict.of(v) != f for v, f in zip(normal, fast, strict=True))
    cells = sum(
        len(cell)
        for classifier in classifiers.values()
        for tables in (classifier._income, classifier._scored)
        for _lines, row in tables.values()
        for cell in row
    )
    rate = {name: args.reviews / seconds for name, seconds in best.items()}
    print(f"{args.reviews:,} reviews (3 standards, rural and urban, near every line), "
          f"best of {args.rounds} rounds, one core")  # fmt: skip
    print(f"{'path':<58} {'s':>7} {'reviews/s':>11} {'ratio':>6}")
    rows = [
        ("normal: Standard.classify (with prose)", "normal"),
        ("fast: Standard.bulk().classify, tables empty at the start", "cold"),
        ("fast: the same classifier again, tables filled", "warm"),
    ]
    for label, name in rows:
        ratio = rate[name] / rate["normal"]
        print(f"{label:<58} {best[name]:7.3f} {rate[name]:11,.0f} {ratio:6.1f}")
    print(f"verdicts that differ: {wrong}; table entries filled: {cells:,}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
