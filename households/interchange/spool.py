"""The rows of a file as the checking pass read them, kept on disk for the writing pass, so that
each cell of a province's file is parsed once (parsing is the largest part of reading a row).

Each table's rows go to a temporary file as compressed pickles of a few thousand rows: its
values in column order, with the row's file and number. Memory holds one chunk per table;
the disk holds about a tenth of the parsed values' size. The files are deleted when the
import ends (`close`), whatever the outcome.
"""

from __future__ import annotations

import pickle
import tempfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

from . import format as fmt
from .reader import Row

CHUNK = 2000  # rows pickled together


class Spool:
    """Parsed rows by table, written once (`add`) and read back in the same order (`rows`)."""

    def __init__(self) -> None:
        self._files: dict[str, IO[bytes]] = {}
        self._pending: dict[str, list[tuple[str, int, tuple]]] = {}

    def add(self, table: str, row: Row, values: dict[str, Any]) -> None:
        """Keep a row that parsed (its values by column, as `validation.parse_row` gave)."""
        pending = self._pending.setdefault(table, [])
        names = fmt.TABLES[table].header
        pending.append((row.file, row.number, tuple(values[name] for name in names)))
        if len(pending) >= CHUNK:
            self._flush(table)

    def _flush(self, table: str) -> None:
        pending = self._pending.get(table)
        if not pending:
            return
        handle = self._files.get(table)
        if handle is None:
            # Open as long as the spool is: closed (and so deleted) by `close`.
            handle = tempfile.TemporaryFile(prefix=f"ansinh-{table}-")  # noqa: SIM115
            self._files[table] = handle
        block = zlib.compress(pickle.dumps(pending, protocol=pickle.HIGHEST_PROTOCOL), 1)
        handle.write(len(block).to_bytes(8, "little"))
        handle.write(block)
        self._pending[table] = []

    def has(self, table: str) -> bool:
        return table in self._files or bool(self._pending.get(table))

    def rows(self, table: str) -> Iterator[tuple[Row, dict[str, Any]]]:
        """The table's rows in the order they were added, with their values by column."""
        self._flush(table)
        handle = self._files.get(table)
        if handle is None:
            return
        names = fmt.TABLES[table].header
        handle.seek(0)
        while size := handle.read(8):
            block = pickle.loads(zlib.decompress(handle.read(int.from_bytes(size, "little"))))
            for file, number, values in block:
                yield Row(file, number, {}), dict(zip(names, values, strict=True))
        handle.seek(0, 2)  # later rows (none are added after the checks) would go at the end

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()
        self._pending.clear()
