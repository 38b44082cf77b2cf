"""The compact indexes of the checking pass (`households.interchange.seen`): a key added twice
gives back the row of its first time, whatever the number of keys and the buckets' doublings."""

from __future__ import annotations

import random
import sys

from households.interchange import seen
from households.interchange.seen import FirstRows

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
