"""The compact indexes of the checking pass (`households.interchange.seen`): a key added twice
gives back the row of its first time, whatever the number of keys and the buckets' doublings;
strings are numbered in the order first added, also when their hashes are the same."""

from __future__ import annotations

import random
import sys

from households.interchange import seen
from households.interchange.seen import FirstRows, Positions

LOWEST, HIGHEST = -(2 ** (seen.WIDTH - 1)), 2 ** (seen.WIDTH - 1) - 1


def test_a_key_added_again_gives_the_row_it_was_first_added_on():
    keys = FirstRows()
    assert keys.add(hash(("HH-1", "1")), 2) is None
    assert keys.add(hash(("HH-1", "2")), 3) is None
    assert keys.add(hash(("HH-1", "1")), 7) == 2
    assert keys.add(hash(("HH-1", "1")), 9) == 2  # the first row stays
    assert len(keys) == 2


def test_look_ups_without_adding():
    keys = FirstRows()
    keys.add(hash("089080000123"), 5)
    assert hash("089080000123") in keys
    assert hash("089080000124") not in keys
    assert keys.first_row(hash("089080000123")) == 5
    assert keys.first_row(hash("089080000124")) is None
    assert len(keys) == 1


def test_the_extreme_keys_and_the_bucket_boundaries():
    keys = FirstRows()
    edges = [LOWEST, LOWEST + 1, -1, 0, 1, HIGHEST - 1, HIGHEST]
    # The first key of each of the 16 starting buckets, and the last of the one before.
    shift = seen.WIDTH - seen.START_BITS
    for bucket in range(1, 1 << seen.START_BITS):
        start = (bucket - (1 << (seen.START_BITS - 1))) << shift
        edges += [start - 1, start]
    edges = list(dict.fromkeys(edges))
    for row, key in enumerate(edges, start=2):
        assert keys.add(key, row) is None
    for row, key in enumerate(edges, start=2):
        assert keys.add(key, 0) == row
        assert key in keys
    assert len(keys) == len(edges)


def test_many_keys_across_doublings_keep_their_first_rows():
    rng = random.Random(11)
    total = 30 * seen.FULL << seen.START_BITS  # the buckets double five times
    added: dict[int, int] = {}
    recent: list[int] = []
    keys = FirstRows()
    for row in range(2, total + 2):
        key = rng.randint(LOWEST, HIGHEST)
        if rng.random() < 0.1 and recent:  # now and then a key seen before
            key = rng.choice(recent)
        recent = [*recent[-49:], key]
        expected = added.get(key)
        assert keys.add(key, row) == expected
        added.setdefault(key, row)
    assert len(keys) == len(added)
    assert len(keys._hashes) > 1 << (seen.START_BITS + 4)
    for key, row in added.items():
        assert keys.first_row(key) == row
        assert key in keys
    for _ in range(1000):
        key = rng.randint(LOWEST, HIGHEST)
        assert (key in keys) == (key in added)
    # Each bucket sorted and holding only its own keys.
    for bucket, hashes in enumerate(keys._hashes):
        assert list(hashes) == sorted(hashes)
        assert all((key >> keys._shift) + keys._half == bucket for key in hashes)


def test_a_key_costs_a_few_bytes():
    keys = FirstRows()
    rng = random.Random(5)
    for row in range(100_000):
        keys.add(rng.randint(LOWEST, HIGHEST), row)
    held = sum(map(sys.getsizeof, keys._hashes)) + sum(map(sys.getsizeof, keys._rows))
    assert held / len(keys) < 16  # a dict of ints: about 100


class Clash(str):
    """A string whose hash every other Clash shares."""

    def __hash__(self) -> int:
        return 42


def test_strings_are_numbered_in_the_order_first_added():
    keys = Positions()
    assert [keys.add(key) for key in ("P1", "P2", "P1", "P3", "P2")] == [None, None, 0, None, 1]
    assert (keys.number("P3"), keys.number("P4")) == (2, None)
    assert ("P2" in keys, "P4" in keys) == (True, False)
    assert (len(keys), list(keys), keys.keys) == (3, ["P1", "P2", "P3"], ["P1", "P2", "P3"])


def test_strings_of_one_hash_are_told_apart():
    keys = Positions()
    assert [keys.add(Clash(key)) for key in ("a", "b", "c", "b", "a", "c")] == [
        None, None, None, 1, 0, 2,
    ]  # fmt: skip
    assert [keys.number(Clash(key)) for key in ("a", "b", "c", "d")] == [0, 1, 2, None]
    assert Clash("d") not in keys
    assert len(keys) == 3


def test_many_strings_keep_their_numbers():
    keys = Positions()
    codes = [f"30292-{n:06d}" for n in range(20_000)]
    for number, code in enumerate(codes):
        assert keys.add(code) is None
        assert keys.add(code) == number
    assert all(keys.number(code) == number for number, code in enumerate(codes))
    assert keys.number("30292-020000") is None
