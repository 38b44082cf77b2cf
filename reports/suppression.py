"""Statistical disclosure control for the open-data KPIs: small counts are suppressed, and so
are enough other counts that no suppressed one can be worked back out of the published ones.

Pure Python, no Django: the input is a unit tree (a parent's counts and its children's, per
field) and the output the same tree with `None` for every suppressed count.

What is protected
- Primary suppression: every count from 1 to `THRESHOLD - 1` (fewer than 5 households or
  persons) is suppressed.
- Zero is published: a 0 says nobody in the unit has the attribute, which is no individual's
  figure, and a published 0 is a known value like any other, so it helps nobody subtract. Except
  when the population it is a part of is suppressed (0 poor ethnic-minority households among a
  suppressed number of ethnic-minority households): among fewer than 5 households "none of them"
  tells something about each of them, and publishing that 0 would also show that its suppressed
  population is not small. So a 0 is suppressed whenever one of its populations is, unless the
  published figures leave it 0 anyway (a published 0 above it, or a published whole of 0): then
  hiding it would take hiding the 0 around it too, which says the same of everyone in it.
- Linked fields share one pattern (a group: households and persons of the same class), so a
  published persons count never stands in for a suppressed household count.
- The linear relations protected are the unit tree's: for every field, a parent equals the sum
  of its children. Within one unit no equality between fields is published (households is not
  poor + near-poor + middle: the rest, "not poor", is not a published cell), so the only other
  relations an attacker has are the inequalities of parts and wholes (poor <= households,
  poor ethnic-minority <= ethnic-minority and <= poor), which bound a suppressed cell; the audit
  below uses them. Programme variants are not published next to the whole programme, and the
  succession table's sums across the two schemes are not published for the same year, because
  either would add equalities across fields or trees that this module does not protect. A
  parent that is not the sum of its children (an old commune split between two new ones counts
  under each) is read as a bound of their sum only; a count that is not known (None: moves
  without a previous list) is a suppressed cell whose value nobody has.
- Complementary suppression: a cell is recoverable when the published figures leave it a single
  possible value: when it is the only suppressed cell of a relation (parent minus the published
  children), and also when bounds pin it (a parent of 10 with suppressed children 1 and 1 and
  the rest published: each suppressed child is at least 1, so both are exactly 1). An attacker's
  exact range for each suppressed cell is computed over the whole tree (two passes; the relations
  form a tree, so interval propagation is exact, and integral because the system is totally
  unimodular), and while any suppressed cell is left one value, another cell of its relation is
  suppressed: the smallest non-zero published sibling (the "next-smallest child"), else the
  smallest non-zero published child when the cell is the parent of the relation, else its parent.
  Suppression only widens an attacker's ranges, so this ends, and the result is the same
  whichever unit of the tree a request starts from, as long as the whole tree is passed in:
  publish one pattern per tree and year, or two requests could be subtracted from each other.
- Rates: a rate is published only when its numerator's counts and its denominator are.

Not protected: differences between years and between "as of" dates (the open data publishes
year-end figures only), bounds an attacker could chain across fields beyond a cell's published
parts and wholes, and an attacker who reasons about which cell this algorithm would have
chosen; the guarantee is that no suppressed count is left a single possible value. It is not a
protection interval: a suppressed count may be known to lie between 1 and 3.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from .kpis import RATES

# Counts below this are suppressed (the usual rule of the statistical offices: fewer than 5).
THRESHOLD = 5

Key = Hashable
Published = dict[Key, dict[str, int | None]]


@dataclass(frozen=True)
class Rules:
    """How the fields of a table relate: which share a pattern and which are parts of which."""

    # Fields suppressed together: if one is, all are (households and persons of one class).
    groups: tuple[tuple[str, ...], ...] = ()
    # field -> the fields it is a part of, in the same unit (poor_households -> households).
    populations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Fields that are not counts of households or persons (amounts, quantities): never suppressed
    # for their own size, only with their group.
    magnitudes: frozenset[str] = frozenset()


STATUS_RULES = Rules(
    groups=(
        ("households", "persons"),
        ("poor_households", "poor_persons"),
        ("near_poor_households", "near_poor_persons"),
        ("middle_households", "middle_persons"),
        ("minority_households", "minority_persons"),
        ("minority_poor_households", "minority_poor_persons"),
        ("minority_near_poor_households", "minority_near_poor_persons"),
    ),
    populations={
        "poor_households": ("households",),
        "near_poor_households": ("households",),
        "middle_households": ("households",),
        "minority_households": ("households",),
        "minority_poor_households": ("minority_households", "poor_households"),
        "minority_near_poor_households": ("minority_households", "near_poor_households"),
        # Moves against the previous list, counted in this year's cell (by this year's class).
        "newly_poor": ("poor_households",),
        "near_poor_to_poor": ("poor_households",),
        "relapsed": ("poor_households",),
        "newly_near_poor": ("near_poor_households",),
        "poor_to_near_poor": ("near_poor_households",),
        "escaped_poverty": ("households",),
        "escaped_near_poverty": ("households",),
    },
)

SUPPORT_RULES = Rules(
    groups=(
        ("households", "persons", "payments", "quantity", "amount"),
        ("poor_households", "poor_persons"),
    ),
    populations={"poor_households": ("households",)},
    magnitudes=frozenset({"quantity", "amount"}),
)


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < THRESHOLD


@dataclass
class _Tree:
    counts: Mapping[Key, Mapping[str, int | None]]
    children: dict[Key, tuple[Key, ...]]
    parent: dict[Key, Key]
    order: list[Key]  # every unit, each parent before its children
    rank: dict[Key, int]
    # (parent, field) -> (children may sum to more, to less): a relation that does not add up
    # (an old commune split between new ones counts under each), where the parent only bounds
    # the children's sum.
    loose: dict[tuple[Key, str], tuple[bool, bool]] = field(default_factory=dict)

    def relation(self, key: Key, name: str) -> tuple[bool, bool]:
        return self.loose.get((key, name), (False, False))


def _tree(counts: Mapping[Key, Mapping[str, int]], children: Mapping[Key, Sequence[Key]]) -> _Tree:
    kids = {key: tuple(children.get(key, ())) for key in counts}
    parent = {child: key for key, below in kids.items() for child in below}
    missing = [child for child in parent if child not in counts]
    if missing:
        raise ValueError(f"children without counts: {missing!r}")
    order: list[Key] = []
    stack = [key for key in counts if key not in parent][::-1]
    while stack:
        key = stack.pop()
        order.append(key)
        stack.extend(reversed(kids[key]))
    if len(order) != len(counts):
        raise ValueError("the units do not form a tree")
    tree = _Tree(counts, kids, parent, order, {key: i for i, key in enumerate(order)})
    for key, below in kids.items():
        if not below:
            continue
        for name, value in counts[key].items():
            values = [counts[child].get(name) for child in below]
            if value is None or None in values or sum(values) == value:
                continue
            tree.loose[(key, name)] = (sum(values) > value, sum(values) < value)
    return tree


def suppress(
    counts: Mapping[Key, Mapping[str, int]],
    children: Mapping[Key, Sequence[Key]],
    rules: Rules = Rules(),
) -> Published:
    """Every unit's counts with the suppressed ones as None.

    `counts` holds every unit of the tree (its roots down to the leaves) with the same fields;
    `children` maps a unit to its children (leaves may be left out). A parent's counts are
    expected to be the sums of its children's; where they are not, the parent is taken as a
    bound of their sum only. A count that is None (not known) stays None and counts as
    suppressed.
    """
    tree = _tree(counts, children)
    fields = sorted({name for row in counts.values() for name in row})
    hidden: dict[Key, set[str]] = {
        key: {
            name
            for name in fields
            if row.get(name, 0) is None or (name not in rules.magnitudes and is_small(row[name]))
        }
        for key, row in counts.items()
    }
    # Zeros worked out from the published figures anyway (under a published 0): shown.
    known: dict[Key, set[str]] = {key: set() for key in counts}
    # A field's ranges depend on its own pattern and on those of its parts and wholes.
    related = {name: {name} for name in fields}
    for part, wholes in rules.populations.items():
        for whole in wholes:
            if part in related and whole in related:
                related[part].add(whole)
                related[whole].add(part)
    checked: dict[str, object] = {}
    while True:
        _close(tree, hidden, known, rules)
        changed = False
        for name in fields:
            state = tuple(
                frozenset(key for key in tree.order if other in hidden[key])
                for other in sorted(related[name])
            )
            if checked.get(name) == state:
                continue
            if _protect(tree, hidden, known, rules, name):
                changed = True
            else:
                checked[name] = state
        if not changed:
            break
    return {
        key: {name: None if name in hidden[key] else value for name, value in row.items()}
        for key, row in counts.items()
    }


def _close(tree: _Tree, hidden, known, rules: Rules) -> None:
    """Groups share a pattern; a 0 whose population is suppressed is suppressed too."""
    for key, row in tree.counts.items():
        cells, shown = hidden[key], known[key]
        changed = True
        while changed:
            size = len(cells)
            for group in rules.groups:
                if cells.intersection(group):
                    cells.update(name for name in group if name in row and name not in shown)
            for name, wholes in rules.populations.items():
                if (
                    name in row
                    and row[name] == 0
                    and name not in shown
                    and cells.intersection(wholes)
                ):
                    cells.add(name)
            changed = len(cells) != size


def _protect(tree: _Tree, hidden, known, rules: Rules, name: str) -> bool:
    """Suppress more cells of `name` while one suppressed cell is left a single value (one fix
    per relation and round: the next round's ranges tell whether a second pinned cell of the
    same relation was freed by the first fix). True when anything changed."""
    exact = ranges(tree, hidden, rules, name)
    changed = False
    touched: set[Key] = set()
    for key in tree.order:
        if name not in hidden[key] or exact[key][0] != exact[key][1]:
            continue
        if tree.counts[key][name] == 0 and _zero_is_implied(tree, hidden, rules, name, key):
            hidden[key].discard(name)
            known[key].add(name)
            changed = True
            continue
        if key in touched or tree.parent.get(key, key) in touched:
            continue
        if _unpin(tree, hidden, rules, name, key):  # pinned within its own unit
            changed = True
            continue
        before = {c for c in _near(tree, key) if name in hidden[c]}
        if _complement(tree, hidden, name, key):
            changed = True
            for cell in _near(tree, key):
                if name in hidden[cell] and cell not in before:
                    touched.update((cell, tree.parent.get(cell, cell)))
    return changed


def _zero_is_implied(tree: _Tree, hidden, rules: Rules, name: str, key: Key) -> bool:
    """A suppressed 0 left no other value by a published 0 around it (a published whole of 0,
    a parent whose other children leave nothing), rather than by other children's figures:
    there is nothing to hide it from, short of suppressing the 0 around it too."""
    if _box(tree, hidden, rules, name, key)[1] == 0:
        return True
    parent = tree.parent.get(key)
    if parent is None:
        return True
    return not any(
        tree.counts[c][name] != 0 and name not in hidden[c]
        for c in tree.children[parent]
        if c != key
    )


def _unpin(tree: _Tree, hidden, rules: Rules, name: str, key: Key) -> bool:
    """A suppressed cell whose published part equals its published whole in the same unit (5
    poor ethnic-minority households of 5 households: the ethnic-minority count is 5) is pinned
    whatever the tree hides: suppress the part that binds it (else the whole). True when one
    was found."""
    low, high = _box(tree, hidden, rules, name, key)
    if low != high:
        return False
    row, cells = tree.counts[key], hidden[key]
    parts = [p for p, of in rules.populations.items() if name in of and p in row]
    wholes = [w for w in rules.populations.get(name, ()) if w in row]
    for candidate in (
        *(p for p in parts if p not in cells and row[p] == low),
        *(w for w in wholes if w not in cells and row[w] == high),
    ):
        cells.add(candidate)
        return True
    return False


def _box(tree: _Tree, hidden, rules: Rules, name: str, key: Key) -> tuple[float, float]:
    """What an attacker knows of one cell before using the sums: its value if published, else the
    bounds from zeros being published and from its published parts and wholes in the unit."""
    row = tree.counts[key]
    if name not in hidden[key]:
        return row[name], row[name]
    if row[name] is None:
        return 0, math.inf
    cells = hidden[key]
    wholes = [whole for whole in rules.populations.get(name, ()) if whole in row]
    low = 0 if name in rules.magnitudes or cells.intersection(wholes) else 1
    low = min(low, row[name])  # never above the truth, even for inconsistent input
    high = math.inf
    for whole in wholes:
        if whole in row and whole not in cells:
            high = min(high, row[whole])
    for part, of in rules.populations.items():
        if name in of and part in row and part not in cells:
            low = max(low, row[part])
    return low, high


def ranges(tree: _Tree, hidden, rules: Rules, name: str) -> dict[Key, tuple[float, float]]:
    """The exact range of values each cell of one field can take given what is published."""
    up: dict[Key, tuple[float, float]] = {}
    for key in reversed(tree.order):
        low, high = _box(tree, hidden, rules, name, key)
        below = tree.children[key]
        if below:
            more, less = tree.relation(key, name)
            if not more:
                low = max(low, sum(up[child][0] for child in below))
            if not less:
                high = min(high, sum(up[child][1] for child in below))
        up[key] = (low, high)
    exact: dict[Key, tuple[float, float]] = {}
    for key in tree.order:
        if key not in tree.parent:
            exact[key] = up[key]
        below = tree.children[key]
        if not below:
            continue
        p_low, p_high = exact[key]
        more, less = tree.relation(key, name)
        if more:
            p_high = math.inf
        if less:
            p_low = -math.inf
        lows = [up[child][0] for child in below]
        highs = [up[child][1] for child in below]
        all_low = sum(lows)
        finite_high = sum(high for high in highs if high != math.inf)
        infinite = len(highs) - sum(1 for high in highs if high != math.inf)
        for child, low, high in zip(below, lows, highs, strict=True):
            # The other children's highest sum, without inf - inf.
            others_high = (
                finite_high - (0 if high == math.inf else high)
                if infinite - (high == math.inf) == 0
                else math.inf
            )
            exact[child] = (
                max(low, p_low - others_high),
                min(high, p_high - (all_low - low)),
            )
    return exact


def _near(tree: _Tree, key: Key) -> list[Key]:
    """The cells of the relations `key` is in: its parent, siblings, children and itself."""
    parent = tree.parent.get(key)
    cells = [key, *tree.children[key]]
    if parent is not None:
        cells += [parent, *tree.children[parent]]
    return cells


def _complement(tree: _Tree, hidden, name: str, key: Key) -> bool:
    """Suppress more cells of the relations `key` is in; True when one was found."""
    parent = tree.parent.get(key)
    siblings = [c for c in tree.children[parent] if c != key] if parent is not None else []
    below = list(tree.children[key])

    def shown(cells: Sequence[Key]) -> bool:
        return not any(name in hidden[c] for c in cells)

    def hide_parent() -> bool:
        if parent is None or name in hidden[parent]:
            return False
        hidden[parent].add(name)
        return True

    added = False
    # A relation where it is the only suppressed cell gives it away by a subtraction.
    if below and shown(below):
        added |= _hide_smallest(tree, hidden, name, below)
    if parent is not None and name not in hidden[parent] and shown(siblings):
        added |= _hide_smallest(tree, hidden, name, siblings) or hide_parent()
    if added:
        return True
    # Otherwise bounds pin it: widen its relations, siblings first.
    return (
        _hide_smallest(tree, hidden, name, siblings)
        or _hide_smallest(tree, hidden, name, below)
        or hide_parent()
    )


def _hide_smallest(tree: _Tree, hidden, name: str, cells: Sequence[Key]) -> bool:
    """Suppress the smallest non-zero published cell: a 0 hides nothing, as everyone sees."""
    open_ = [c for c in cells if name not in hidden[c] and tree.counts[c][name] != 0]
    if not open_:
        return False
    choice = min(open_, key=lambda c: (tree.counts[c][name], tree.rank[c]))
    hidden[choice].add(name)
    return True


def published_rates(
    rates: Mapping[str, object],
    counts: Mapping[str, int | None],
    denominator: int | None,
) -> dict[str, object]:
    """The rates whose parts are all published; the others None.

    `counts` are a unit's published counts and `denominator` its published denominator (None
    when suppressed: the registry's households when those are).
    """
    result: dict[str, object] = {}
    for name, value in rates.items():
        numerator, over = RATES[name]
        # "households" in `kpis.RATES` stands for the unit's denominator.
        whole = denominator if over == "households" else counts.get(over)
        parts_shown = all(counts.get(part) is not None for part in numerator)
        result[name] = value if parts_shown and whole is not None else None
    return result
