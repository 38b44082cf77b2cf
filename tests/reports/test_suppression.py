"""The open-data suppression: counts under 5 suppressed, and no suppressed count recoverable.

The attacker here is independent of the module's own audit: for each field it works out, by
exhaustive sets of integers over the unit tree, every value a suppressed cell can take given
the published cells, the sums (parent = sum of children), zeros being published and the
published parts and wholes of the same unit. A cell is recovered when one value is left.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import (
    STATUS_RULES,
    THRESHOLD,
    Rules,
    published_rates,
    suppress,
)

RULES = Rules(
    groups=(("households", "persons"),),
    populations={
        "poor_households": ("households",),
        "minority_households": ("households",),
        "minority_poor_households": ("minority_households", "poor_households"),
    },
)
FIELDS = ("households", "persons", "poor_households", "minority_households",
          "minority_poor_households")  # fmt: skip


def one(value: int) -> dict[str, int]:
    return {"households": value}


# --- the attacker -------------------------------------------------------------------------


def _bits(low: int, high: int) -> int:
    return ((1 << (high - low + 1)) - 1) << low


def _plus(a: int, b: int) -> int:
    total, value = 0, 0
    while b:
        if b & 1:
            total |= a << value
        b >>= 1
        value += 1
    return total


def _minus(a: int, b: int) -> int:
    """{x - y : x in a, y in b, x - y >= 0}."""
    total, value = 0, 0
    while b:
        if b & 1:
            total |= a >> value
        b >>= 1
        value += 1
    return total


def feasible(counts, children, shown, rules: Rules, name: str) -> dict[str, int]:
    """Every value each cell of `name` can take, as a bitset, given the published figures."""
    cap = sum(row[name] for row in counts.values()) + THRESHOLD
    parent = {c: p for p, kids in children.items() for c in kids}

    def box(key: str) -> int:
        value = shown[key][name]
        if value is not None:
            return 1 << value
        wholes = rules.populations.get(name, ())
        row = shown[key]
        low = 0 if any(row[w] is None for w in wholes) else 1
        high = min([row[w] for w in wholes if row[w] is not None], default=cap)
        for part, of in rules.populations.items():
            if name in of and row.get(part) is not None:
                low = max(low, row[part])
        return _bits(low, high)

    order, stack = [], [k for k in counts if k not in parent]
    while stack:
        key = stack.pop()
        order.append(key)
        stack.extend(children.get(key, ()))
    up = {}
    for key in reversed(order):
        cells = box(key)
        kids = children.get(key, ())
        if kids:
            total = 1
            for kid in kids:
                total = _plus(total, up[kid])
            cells &= total
        up[key] = cells
    down = {}
    for key in order:
        if key not in parent:
            down[key] = up[key]
            continue
        others = 1
        for sibling in children[parent[key]]:
            if sibling != key:
                others = _plus(others, up[sibling])
        down[key] = up[key] & _minus(down[parent[key]], others)
    return down


def recovered(counts, children, shown, rules: Rules) -> list[tuple[str, str]]:
    found = []
    for name in FIELDS:
        cells = feasible(counts, children, shown, rules, name)
        for key, bits in cells.items():
            assert bits >> counts[key][name] & 1, "the attacker lost the true value"
            if shown[key][name] is None and bits.bit_count() == 1:
                found.append((key, name))
    return found


# --- random unit trees --------------------------------------------------------------------


@st.composite
def leaf(draw) -> dict[str, int]:
    households = draw(st.integers(0, 9) | st.integers(0, 40))
    persons = draw(st.integers(households, 2 * households + (1 if households else 0)))
    poor = draw(st.integers(0, households))
    minority = draw(st.integers(0, households))
    return {
        "households": households,
        "persons": persons,
        "poor_households": poor,
        "minority_households": minority,
        "minority_poor_households": draw(st.integers(0, min(poor, minority))),
    }


@st.composite
def trees(draw):
    """A province, 1 to 4 districts, each with 0 to 4 communes (counts summed upward)."""
    counts: dict[str, dict[str, int]] = {}
    children: dict[str, list[str]] = {"P": []}
    for d in range(draw(st.integers(1, 4))):
        district = f"D{d}"
        children["P"].append(district)
        communes = [f"{district}C{c}" for c in range(draw(st.integers(0, 4)))]
        for commune in communes:
            counts[commune] = draw(leaf())
        if communes:
            children[district] = communes
            counts[district] = {f: sum(counts[c][f] for c in communes) for f in FIELDS}
        else:
            counts[district] = draw(leaf())
    counts["P"] = {f: sum(counts[d][f] for d in children["P"]) for f in FIELDS}
    return counts, children


@settings(max_examples=150, deadline=None)
@given(trees())
def test_no_suppressed_count_can_be_recovered(tree) -> None:
    counts, children = tree
    shown = suppress(counts, children, RULES)
    assert recovered(counts, children, shown, RULES) == []


@settings(max_examples=100, deadline=None)
@given(trees())
def test_small_counts_are_suppressed_and_the_rest_is_true(tree) -> None:
    counts, children = tree
    shown = suppress(counts, children, RULES)
    cells = [(counts[k][f], shown[k][f]) for k in counts for f in FIELDS]
    assert [true for true, out in cells if 0 < true < THRESHOLD and out is not None] == []
    assert [(true, out) for true, out in cells if out is not None and out != true] == []


@settings(max_examples=100, deadline=None)
@given(trees())
def test_households_and_persons_are_suppressed_together(tree) -> None:
    counts, children = tree
    shown = suppress(counts, children, RULES)
    assert all((row["households"] is None) == (row["persons"] is None) for row in shown.values())


# --- the rules, case by case --------------------------------------------------------------


def test_nothing_is_suppressed_when_every_count_is_zero_or_at_least_five() -> None:
    counts = {"P": one(12), "a": one(5), "b": one(0), "c": one(7)}
    shown = suppress(counts, {"P": ["a", "b", "c"]})
    assert shown == counts


def test_one_small_child_takes_the_next_smallest_child_with_it() -> None:
    counts = {"P": one(27), "a": one(3), "b": one(9), "c": one(6), "d": one(9)}
    shown = suppress(counts, {"P": ["a", "b", "c", "d"]})
    assert shown == {"P": one(27), "a": {"households": None}, "b": one(9),
                     "c": {"households": None}, "d": one(9)}  # fmt: skip


def test_a_zero_child_is_published_and_never_taken_as_the_complement() -> None:
    counts = {"P": one(10), "a": one(2), "b": one(0), "c": one(8)}
    shown = suppress(counts, {"P": ["a", "b", "c"]})
    assert [shown[k]["households"] for k in "Pabc"] == [10, None, 0, None]


def test_two_small_children_at_their_lowest_take_a_third() -> None:
    # 12 - 10 = 2 = 1 + 1: each suppressed child is at least 1, so both would be exactly 1.
    counts = {"P": one(12), "a": one(1), "b": one(1), "c": one(10)}
    shown = suppress(counts, {"P": ["a", "b", "c"]})
    assert [shown[k]["households"] for k in "Pabc"] == [12, None, None, None]


def test_a_small_parent_takes_a_child_with_it() -> None:
    counts = {"P": one(4), "a": one(0), "b": one(4)}
    shown = suppress(counts, {"P": ["a", "b"]})
    assert [shown[k]["households"] for k in "Pab"] == [None, 0, None]


def test_a_child_suppressed_as_complement_is_protected_by_its_own_children() -> None:
    # District b is suppressed to protect a; its communes would give it away but for b2, small
    # and suppressed itself: b - b2 = 5 pins neither.
    counts = {
        "P": one(30), "a": one(2), "b": one(8), "c": one(20),
        "b1": one(5), "b2": one(3), "b3": one(0),
    }  # fmt: skip
    children = {"P": ["a", "b", "c"], "b": ["b1", "b2", "b3"]}
    shown = suppress(counts, children)
    assert [shown[k]["households"] for k in ("P", "a", "b", "c", "b1", "b2", "b3")] == [
        30, None, None, 20, 5, None, 0,
    ]  # fmt: skip


def test_a_zero_among_a_suppressed_population_is_suppressed() -> None:
    # One ethnic-minority household that is not poor: "0 poor among them" would say so.
    row = {"households": 40, "minority_households": 1, "minority_poor_households": 0}
    shown = suppress({"C": row}, {}, STATUS_RULES)
    assert shown["C"]["minority_poor_households"] is None
    assert shown["C"]["households"] == 40


def test_a_zero_among_a_published_population_is_published() -> None:
    row = {"households": 40, "minority_households": 12, "minority_poor_households": 0}
    shown = suppress({"C": row}, {}, STATUS_RULES)
    assert shown["C"] == row


def test_rates_of_suppressed_counts_are_suppressed() -> None:
    rates = {
        "poor_rate": Decimal("3.00"),
        "near_poor_rate": Decimal("12.00"),
        "multidimensional_rate": Decimal("15.00"),
        "minority_poor_rate": Decimal("20.00"),
    }
    counts = {
        "poor_households": None,
        "near_poor_households": 12,
        "minority_households": None,
        "minority_poor_households": None,
    }
    assert published_rates(rates, counts, denominator=100) == {
        "poor_rate": None,
        "near_poor_rate": Decimal("12.00"),
        "multidimensional_rate": None,
        "minority_poor_rate": None,
    }


def test_no_rate_over_a_suppressed_denominator() -> None:
    rates = {"near_poor_rate": Decimal("50.00")}
    assert published_rates(rates, {"near_poor_households": 6}, denominator=None) == {
        "near_poor_rate": None
    }


def test_a_parent_that_does_not_add_up_only_bounds_its_children() -> None:
    # An old commune split between a and b counts under each: 3 + 9 > 10. Read as a sum, a would
    # be 10 - 9 = 1 and look pinned; it is not, and nothing more is suppressed for it.
    counts = {"P": one(10), "a": one(3), "b": one(9)}
    shown = suppress(counts, {"P": ["a", "b"]})
    assert [shown[k]["households"] for k in "Pab"] == [10, None, 9]


def test_an_unknown_count_stays_unknown_and_protects_like_a_suppressed_one() -> None:
    # No previous list for b: its moves are unknown (None), which hides a's 2 as well.
    counts = {"P": {"newly_poor": 9}, "a": {"newly_poor": 2}, "b": {"newly_poor": None}}
    shown = suppress(counts, {"P": ["a", "b"]})
    assert [shown[k]["newly_poor"] for k in "Pab"] == [9, None, None]


def test_a_count_pinned_by_its_own_unit_s_part_and_whole_is_freed():
    # Found by the property test: D0's 1 ethnic-minority household is suppressed, so is D1's
    # (its complement), but D1's 5 households, all poor and ethnic-minority, pinned it at 5
    # (at least its 5 poor ethnic-minority, at most its 5 households) whatever the tree hid.
    counts = {
        "D0": {"households": 5, "persons": 5, "poor_households": 0, "minority_households": 1,
               "minority_poor_households": 0},
        "D1": {"households": 5, "persons": 5, "poor_households": 5, "minority_households": 5,
               "minority_poor_households": 5},
        "P": {"households": 10, "persons": 10, "poor_households": 5, "minority_households": 6,
              "minority_poor_households": 5},
    }  # fmt: skip
    children = {"P": ["D0", "D1"]}
    shown = suppress(counts, children, RULES)
    assert shown["D1"]["minority_households"] is None
    assert recovered(counts, children, shown, RULES) == []
