"""Keys seen in a file, each with the row it was first seen on, in about 12 bytes a key.

The checking pass of an import remembers millions of keys (a hash of each member key, ID number
and review key) to report a second occurrence with the row of the first. A `dict[int, int]`
costs about 100 bytes an entry (two int objects and the slot); `FirstRows` keeps the hashes in
sorted `array('q')` buckets and the rows beside them in `array('I')`, so the only objects are
two arrays a bucket of a few hundred keys.

A key's bucket is given by its top bits, so that a bucket is a contiguous range of keys: when
the buckets grow too full they are doubled by cutting each sorted bucket in two at the key
where the next bit turns on (a slice, no sort). Inside a bucket a key is found by bisection
and put in its place by `array.insert`, a move of at most a few kilobytes.

`Positions` numbers strings (disbursement keys, household codes) in the order they come, with a
`FirstRows` of their hashes and a list of the strings: exact, in about 21 bytes a string
besides the string itself.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator

WIDTH = sys.hash_info.width  # bits of a key (`hash()` values: signed, WIDTH bits)
# The rows of a table are counted in 32 bits: 4,294,967,295 rows, far above what the reader
# takes (a row is at least a few bytes, a file at most `reader.MAX_UNCOMPRESSED_BYTES`).
ROW_TYPE = "I" if array("I").itemsize >= 4 else "L"
START_BITS = 4  # 16 buckets to start with
# Keys a bucket on average before the buckets are doubled: 128 to 256 keys a bucket take 13.3
# bytes a key (512: 12.8, 64: 15.9), and are found in 8 steps of bisection.
FULL = 256


class FirstRows:
    """A set of integer keys (`hash()` values) with the row each was first added on."""

    __slots__ = ("_count", "_half", "_hashes", "_limit", "_rows", "_shift")

    def __init__(self) -> None:
        self._count = 0
        self._layout(START_BITS)
        self._hashes = [array("q") for _ in range(1 << START_BITS)]
        self._rows = [array(ROW_TYPE) for _ in range(1 << START_BITS)]

    def _layout(self, bits: int) -> None:
        self._shift = WIDTH - bits  # a key's bucket: (key >> shift) + half
        self._half = 1 << (bits - 1)
        self._limit = FULL << bits

    def add(self, key: int, row: int) -> int | None:
        """Remember `key` as first seen on `row` and return None; when it was added before,
        change nothing and return the row it was first added on."""
        bucket = (key >> self._shift) + self._half
        hashes = self._hashes[bucket]
        at = bisect_left(hashes, key)
        if at < len(hashes) and hashes[at] == key:
            return self._rows[bucket][at]
        hashes.insert(at, key)
        self._rows[bucket].insert(at, row)
        self._count += 1
        if self._count > self._limit:
            self._double()
        return None

    def first_row(self, key: int) -> int | None:
        """The row `key` was first added on, None when it was not."""
        bucket = (key >> self._shift) + self._half
        hashes = self._hashes[bucket]
        at = bisect_left(hashes, key)
        if at < len(hashes) and hashes[at] == key:
            return self._rows[bucket][at]
        return None

    def __contains__(self, key: int) -> bool:
        hashes = self._hashes[(key >> self._shift) + self._half]
        at = bisect_left(hashes, key)
        return at < len(hashes) and hashes[at] == key

    def __len__(self) -> int:
        return self._count

    def _double(self) -> None:
        """Twice as many buckets: each cut in two where the next bit of its keys turns on."""
        bits = WIDTH - self._shift + 1
        self._layout(bits)
        shift, half = self._shift, self._half
        hashes_out: list[array] = []
        rows_out: list[array] = []
        for bucket, (hashes, rows) in enumerate(zip(self._hashes, self._rows, strict=True)):
            # The first key of the upper half: its bucket is 2 * bucket + 1 at the new layout.
            cut = bisect_left(hashes, (2 * bucket + 1 - half) << shift)
            hashes_out += (hashes[:cut], hashes[cut:])
            rows_out += (rows[:cut], rows[cut:])
        self._hashes, self._rows = hashes_out, rows_out


class Positions:
    """Strings numbered in the order they were first added (0, 1, 2, ...), each kept once: the
    strings in a list, their hashes with their number in a `FirstRows` (about 21 bytes a string
    besides the string itself, where a dict from strings to numbers takes about 60). Exact: two
    strings of one hash are told apart by comparing them."""

    __slots__ = ("_clashes", "_numbers", "keys")

    def __init__(self) -> None:
        self.keys: list[str] = []  # by number
        self._numbers = FirstRows()  # hash(key) -> number of the first key of that hash
        self._clashes: dict[str, int] = {}  # later keys of a hash already taken -> number

    def add(self, key: str) -> int | None:
        """Number `key` (the next number) and return None; when it was added before, change
        nothing and return its number."""
        number = len(self.keys)
        first = self._numbers.add(hash(key), number)
        if first is not None:
            if self.keys[first] == key:
                return first
            if key in self._clashes:
                return self._clashes[key]
            self._clashes[key] = number
        self.keys.append(key)
        return None

    def number(self, key: str) -> int | None:
        """The number of `key`, None when it was not added."""
        if self._clashes and key in self._clashes:
            return self._clashes[key]
        first = self._numbers.first_row(hash(key))
        return first if first is not None and self.keys[first] == key else None

    def __contains__(self, key: str) -> bool:
        return self.number(key) is not None

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)
