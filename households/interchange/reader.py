"""Reading an interchange file as a stream of rows, table by table.

A file is one CSV table (`<table>.csv`), a ZIP of such CSV files, or an XLSX workbook with one
sheet per table (a long table continues on sheets `<table> (2)`, `<table> (3)`, ...). Rows come
one at a time, as text cells keyed by column, with the number the user sees (the CSV record or
the spreadsheet row, the header being row 1): nothing is loaded whole, so a file of millions of
rows is read in the memory of one row.

A file is refused before any row is read when it is too large, a ZIP (an XLSX is one too) whose
declared sizes or compression ratio point to a zip bomb, or not in UTF-8; a table is refused when
its header names an unknown column, repeats one or lacks a required one; an XLSX cell holding a
formula is refused (the registry takes values, never formulas to run). Every refusal is a
`Problem` in plain Vietnamese naming the file, and where it applies the row, column and value.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from .format import TABLES
from .problems import Problem

# Limits of this software, not legal numbers; a deployment may change each in its settings
# (the setting of the same name; `limit()` reads it at the time of use).
# The largest file taken (a province's registry as a ZIP of CSV files is a few hundred MB).
MAX_FILE_BYTES = 2 * 1024**3
# The most a ZIP (or XLSX) may hold once decompressed, all members together.
MAX_UNCOMPRESSED_BYTES = 8 * 1024**3
# A member compressed more than this many times is a zip bomb (text and sheets compress 5-30x).
MAX_COMPRESSION_RATIO = 100
# Small members may compress further (a header-only sheet): the ratio is checked above this.
RATIO_CHECKED_FROM_BYTES = 1024**2
MAX_ZIP_MEMBERS = 200
# The longest cell taken (a name, an address, a note are far shorter).
MAX_CELL_CHARS = 10_000
MAX_LINE_BYTES = 1024**2  # a line of a CSV file (a row of 25 cells is a few hundred bytes)

# Sheets of the blank template that hold no rows.
DESCRIPTION_SHEETS = frozenset({"columns", "meta"})
_CONTINUATION = re.compile(r"^(?P<table>[a-z_]+) \((?P<n>[2-9]|[1-9]\d+)\)$")
SNIFF_BYTES = 64 * 1024


class FileRefused(Exception):
    """The file, or one table of it, cannot be read; `problems` say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: where it is (`file`: the CSV file or the sheet; `number`: its row there)
    and its cells as text ("" when blank), keyed by column name."""

    file: str
    number: int
    cells: dict[str, str]


def limit(name: str) -> int:
    """A limit of this module (`MAX_FILE_BYTES`, ...), or the deployment's setting
    `INTERCHANGE_<name>` when it has one."""
    return getattr(settings, f"INTERCHANGE_{name}", globals()[name])


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.0f}".replace(",", ".")


# --- encodings --------------------------------------------------------------------------------

# Bytes of Vietnamese letters in Windows-1258 that UTF-8 text never has on their own: Ă ă Đ đ
# Ơ ơ Ư ư and the combining tone marks (grave, hook, tilde, acute, dot below).
_CP1258_MARKERS = frozenset(b"\xc3\xe3\xd0\xf0\xd5\xf5\xdd\xfd\xcc\xd2\xde\xec\xf2")


def guess_encoding(sample: bytes) -> str:
    """A readable name of the encoding a non-UTF-8 sample is most likely in."""
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 (Unicode)"
    if sample and sample.count(0) * 4 >= len(sample):  # every other byte zero: UTF-16 text
        return "UTF-16 (Unicode)"
    high = [b for b in sample if b >= 0x80]
    if high and sum(b in _CP1258_MARKERS for b in high) * 5 >= len(high):
        return "Windows-1258 (tiếng Việt)"
    return "Windows-1252"


def _encoding_problem(file: str, sample: bytes, row: int | None = None) -> Problem:
    return Problem(
        file=file,
        row=row,
        column="",
        value="",
        message=_(
            "The file is not in UTF-8: it looks like %(encoding)s, so its accented letters would "
            "be read wrong. In Excel choose Save As, “CSV UTF-8 (Comma delimited)”, then import "
            "the new file."
        )
        % {"encoding": guess_encoding(sample)},
    )


def _check_utf8_start(file: str, sample: bytes) -> None:
    """Refuse a file whose first bytes are not UTF-8 (a BOM of UTF-16, or invalid bytes)."""
    if sample.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ) or (sample and sample.count(0) * 4 >= len(sample)):
        raise FileRefused([_encoding_problem(file, sample)])
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        raise FileRefused([_encoding_problem(file, sample)]) from None


# --- headers ----------------------------------------------------------------------------------


def check_header(table: str, file: str, header: list[str]) -> list[str]:
    """The header's column names, or FileRefused naming every unknown, repeated or missing
    column of the table."""
    spec = TABLES[table]
    known = {column.name for column in spec.columns}
    names = [(name or "").strip() for name in header]
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in names:
        if not name:
            continue
        if name not in known:
            problems.append(
                Problem(
                    file=file,
                    row=1,
                    column=name,
                    value=name,
                    message=_(
                        "The table %(table)s has no column “%(column)s”: check its spelling "
                        "against the template."
                    )
                    % {"table": table, "column": name},
                )
            )
        elif name in seen:
            problems.append(
                Problem(
                    file=file,
                    row=1,
                    column=name,
                    value=name,
                    message=_("The column “%(column)s” appears twice.") % {"column": name},
                )
            )
        seen.add(name)
    for column in spec.columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem(
                    file=file,
                    row=1,
                    column=column.name,
                    value="",
                    message=_("The table %(table)s lacks the required column “%(column)s”.")
                    % {"table": table, "column": column.name},
                )
            )
    if problems:
        raise FileRefused(problems)
    return names


def _row(file: str, number: int, names: list[str], values: list[str]) -> Row | None:
    """A data row from its cells; None for a blank row. Extra cells beyond the header are
    refused (a shifted row would put every value in the wrong column)."""
    if not any(v.strip() for v in values):
        return None
    if len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
        raise FileRefused(
            [
                Problem(
                    file=file,
                    row=number,
                    column="",
                    value="",
                    message=_(
                        "This row has more cells than the header has columns: a value may be "
                        "in the wrong column (a comma inside a value must be quoted)."
                    ),
                )
            ]
        )
    cells = {}
    for name, value in zip(names, values, strict=False):
        if name:
            cells[name] = value
    return Row(file=file, number=number, cells=cells)


# --- CSV --------------------------------------------------------------------------------------


class _TooLong(Exception):
    pass


def _lines(binary: IO[bytes], file: str) -> Iterator[str]:
    """The stream's lines decoded one at a time (so that a byte that is not UTF-8 is found on
    its own line), none longer than MAX_LINE_BYTES."""
    first = True
    while line := binary.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES:
            raise _TooLong
        text = line.decode("utf-8-sig" if first else "utf-8")
        first = False
        yield text


def _csv_rows(table: str, file: str, binary: IO[bytes]) -> Iterator[Row]:
    """Rows of one CSV table read from a binary stream, checked to be UTF-8 as it goes."""
    sample = binary.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(binary, "peek") else b""
    _check_utf8_start(file, sample)
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(_lines(binary, file))
    number = 0
    names: list[str] | None = None
    try:
        for values in reader:
            number += 1
            if names is None:
                names = check_header(table, file, values)
                continue
            row = _row(file, number, names, values)
            if row is not None:
                yield row
    except UnicodeDecodeError as error:
        raise FileRefused([_encoding_problem(file, error.object, row=number + 1)]) from None
    except (csv.Error, _TooLong):
        raise FileRefused(
            [
                Problem(
                    file=file,
                    row=number + 1,
                    column="",
                    value="",
                    message=_(
                        "This row cannot be read as CSV (a quote is not closed, or a cell is "
                        "longer than %(max)d characters)."
                    )
                    % {"max": MAX_CELL_CHARS},
                )
            ]
        ) from None
    if names is None:
        raise FileRefused(
            [
                Problem(
                    file=file,
                    row=None,
                    column="",
                    value="",
                    message=_("The file is empty: it has no header row."),
                )
            ]
        )


def table_of_csv(name: str) -> str | None:
    """The table a CSV file holds, from its name (`members.csv`, in any folder of a ZIP)."""
    stem = Path(name).name
    if not stem.lower().endswith(".csv"):
        return None
    table = stem[:-4].strip().lower()
    return table if table in TABLES else None


# --- ZIP --------------------------------------------------------------------------------------


def check_zip(path: Path, file: str) -> zipfile.ZipFile:
    """Open a ZIP after checking, from its directory alone, that it is no zip bomb: how many
    members, their declared sizes and their compression ratios."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(
            [
                Problem(
                    file=file,
                    row=None,
                    column="",
                    value="",
                    message=_("The file is not a valid ZIP or XLSX file: it may be damaged."),
                )
            ]
        ) from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    total = sum(info.file_size for info in members)
    problem = None
    if len(members) > limit("MAX_ZIP_MEMBERS"):
        problem = _("The archive holds %(n)d files; at most %(max)d are taken.") % {
            "n": len(members),
            "max": limit("MAX_ZIP_MEMBERS"),
        }
    elif total > limit("MAX_UNCOMPRESSED_BYTES"):
        problem = _(
            "Decompressed, the file would take %(size)s MB; at most %(max)s MB are taken. "
            "Split it, for example by district."
        ) % {"size": _mb(total), "max": _mb(limit("MAX_UNCOMPRESSED_BYTES"))}
    else:
        ratio = limit("MAX_COMPRESSION_RATIO")
        for info in members:
            if info.file_size > RATIO_CHECKED_FROM_BYTES and (
                info.file_size > ratio * max(info.compress_size, 1)
            ):
                problem = _(
                    "The part “%(name)s” of the file is compressed %(ratio)d times, far more than "
                    "any real table: the file is refused as a possible zip bomb."
                ) % {"name": info.filename, "ratio": info.file_size // max(info.compress_size, 1)}
                break
    if problem:
        archive.close()
        raise FileRefused([Problem(file=file, row=None, column="", value="", message=problem)])
    return archive


# --- XLSX -------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text the format parses: dates as ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def sheet_table(name: str) -> tuple[str, int] | None:
    """The table a sheet holds and its position (1 for `members`, 2 for `members (2)`)."""
    if name in TABLES:
        return name, 1
    match = _CONTINUATION.match(name)
    if match and match["table"] in TABLES:
        return match["table"], int(match["n"])
    return None


def _formula_problem(sheet: str, row: int, column: str, cell: str, value: Any) -> Problem:
    return Problem(
        file=sheet,
        row=row,
        column=column,
        value=str(value)[:200],
        message=_(
            "The cell %(cell)s holds a formula: the registry takes values only. Copy the sheet "
            "and paste it as values (Paste Special, Values), then import again."
        )
        % {"cell": cell},
    )


def _expands(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is the XML parser refusing a DTD or entities:
    defusedxml's refusal, or expat's own limit on the expansion of entities."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        if isinstance(error, SyntaxError) and "amplification" in str(error):
            return True  # xml.etree.ElementTree.ParseError, without defusedxml
        error = error.__cause__ or error.__context__
    return False


def _entities_message() -> str:
    return _(
        "The workbook declares XML entities, which a spreadsheet program never writes and which "
        "can make a small file expand to gigabytes when read: the file is refused. Open it in "
        "Excel or LibreOffice and save it again as .xlsx."
    )


def _xlsx_rows(table: str, sheets: list[Any]) -> Iterator[Row]:
    """Rows of one table from its sheet and continuation sheets (read-only worksheets); a
    sheet whose XML declares entities is refused (`_expands`)."""
    try:
        yield from _xlsx_sheet_rows(table, sheets)
    except Exception as error:
        if not _expands(error):
            raise
        title = sheets[0].title if sheets else table
        raise FileRefused(
            [Problem(file=title, row=None, column="", value="", message=_entities_message())]
        ) from None


def _xlsx_sheet_rows(table: str, sheets: list[Any]) -> Iterator[Row]:
    from openpyxl.utils import get_column_letter

    for sheet in sheets:
        names: list[str] | None = None
        for cells in sheet.iter_rows():
            values = []
            number = None
            for index, cell in enumerate(cells):
                if getattr(cell, "row", None) is not None:
                    number = cell.row
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    column = names[index] if names and index < len(names) else ""
                    coordinate = f"{get_column_letter(index + 1)}{number}"
                    raise FileRefused(
                        [_formula_problem(sheet.title, number or 0, column, coordinate, value)]
                    )
                values.append(_cell_text(value))
            if names is None:
                names = check_header(table, sheet.title, values)
                continue
            if number is None:
                continue
            for value in values:
                if len(value) > MAX_CELL_CHARS:
                    raise FileRefused(
                        [
                            Problem(
                                file=sheet.title,
                                row=number,
                                column="",
                                value=value[:200],
                                message=_("A cell is longer than %(max)d characters.")
                                % {"max": MAX_CELL_CHARS},
                            )
                        ]
                    )
            row = _row(sheet.title, number, names, values)
            if row is not None:
                yield row
        if names is None:
            raise FileRefused(
                [
                    Problem(
                        file=sheet.title,
                        row=None,
                        column="",
                        value="",
                        message=_("The sheet is empty: it has no header row."),
                    )
                ]
            )


# --- the source -------------------------------------------------------------------------------


class Source:
    """An opened interchange file: which tables it holds (`tables`), and their rows (`rows`),
    read afresh at each call, so that the file can be read twice (validation, then writing)
    without holding it in memory."""

    def __init__(self, path: Path, filename: str) -> None:
        self.path = Path(path)
        self.filename = filename
        self.kind = ""
        self._archive: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}  # table -> member name of a ZIP of CSV files
        self._sheets: dict[str, list[str]] = {}  # table -> sheet names in order
        self._open()

    # ... opening
    def _refuse(self, message: str) -> FileRefused:
        return FileRefused(
            [Problem(file=self.filename, row=None, column="", value="", message=message)]
        )

    def _open(self) -> None:
        size = self.path.stat().st_size
        if size > limit("MAX_FILE_BYTES"):
            raise self._refuse(
                _(
                    "The file takes %(size)s MB; at most %(max)s MB are taken. Split it, for "
                    "example by district."
                )
                % {"size": _mb(size), "max": _mb(limit("MAX_FILE_BYTES"))}
            )
        with self.path.open("rb") as handle:
            magic = handle.read(4)
        name = self.filename.lower()
        if magic.startswith(b"PK"):
            self._archive = check_zip(self.path, self.filename)
            names = self._archive.namelist()
            if "[Content_Types].xml" in names or name.endswith((".xlsx", ".xlsm")):
                self._open_xlsx()
            else:
                self._open_zip()
        elif name.endswith(".csv") or name.endswith(".txt"):
            table = table_of_csv(self.filename if name.endswith(".csv") else name[:-4] + ".csv")
            if table is None:
                raise self._refuse(self._unknown_csv_message(self.filename))
            self.kind = "csv"
            self._members = {table: self.filename}
        elif name.endswith(".xls") or magic.startswith(b"\xd0\xcf\x11\xe0"):
            raise self._refuse(
                _(
                    "This is an old Excel file (.xls): save it as an Excel Workbook (.xlsx) or as "
                    "CSV UTF-8, then import it again."
                )
            )
        else:
            raise self._refuse(
                _("Send a CSV file (UTF-8), a ZIP of CSV files or an Excel workbook (.xlsx).")
            )

    @staticmethod
    def _unknown_csv_message(name: str) -> str:
        return _(
            "The file “%(name)s” is not one of the tables: name each CSV file after its table "
            "(%(tables)s)."
        ) % {"name": name, "tables": ", ".join(f"{t}.csv" for t in TABLES)}

    def _open_zip(self) -> None:
        self.kind = "zip"
        problems = []
        for info in self._archive.infolist():
            if info.is_dir() or Path(info.filename).name.startswith((".", "__MACOSX")):
                continue
            if "__MACOSX/" in info.filename:
                continue
            table = table_of_csv(info.filename)
            if table is None:
                problems.append(self._unknown_csv_message(info.filename))
            elif table in self._members:
                problems.append(
                    _("The archive holds the table %(table)s twice.") % {"table": table}
                )
            else:
                self._members[table] = info.filename
        if not self._members and not problems:
            problems.append(_("The archive holds no CSV table."))
        if problems:
            self.close()
            raise FileRefused(
                [Problem(file=self.filename, row=None, column="", value="", message=m)
                 for m in problems]
            )  # fmt: skip

    def _open_xlsx(self) -> None:
        from openpyxl import load_workbook

        self.kind = "xlsx"
        self._archive.close()
        self._archive = None
        try:
            self._workbook = load_workbook(self.path, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many kinds on a damaged workbook
            if _expands(error):
                raise self._refuse(_entities_message()) from None
            raise self._refuse(
                _("The workbook cannot be opened: it may be damaged or not an .xlsx file.")
            ) from None
        positions: dict[str, dict[int, str]] = {}
        problems = []
        for title in self._workbook.sheetnames:
            if title.strip().lower() in DESCRIPTION_SHEETS:
                continue
            found = sheet_table(title)
            if found is None:
                problems.append(
                    _(
                        "The workbook has a sheet “%(sheet)s”, which is not one of the tables "
                        "(%(tables)s): rename or remove it."
                    )
                    % {"sheet": title, "tables": ", ".join(TABLES)}
                )
                continue
            positions.setdefault(found[0], {})[found[1]] = title
        for table, by_position in positions.items():
            expected = list(range(1, len(by_position) + 1))
            if sorted(by_position) != expected:
                problems.append(
                    _(
                        "The sheets of the table %(table)s do not follow each other: after "
                        "“%(table)s” come “%(table)s (2)”, “%(table)s (3)” and so on."
                    )
                    % {"table": table}
                )
            self._sheets[table] = [by_position[n] for n in sorted(by_position)]
        if not self._sheets and not problems:
            problems.append(_("The workbook has no sheet named after a table."))
        if problems:
            self.close()
            raise FileRefused(
                [Problem(file=self.filename, row=None, column="", value="", message=m)
                 for m in problems]
            )  # fmt: skip

    # ... reading
    @property
    def tables(self) -> list[str]:
        """The tables the file holds, in the order of the format."""
        held = set(self._members) | set(self._sheets)
        return [table for table in TABLES if table in held]

    def rows(self, table: str) -> Iterator[Row]:
        """The data rows of `table` (none when the file does not hold it)."""
        if self.kind == "xlsx":
            if table in self._sheets:
                yield from _xlsx_rows(table, [self._workbook[t] for t in self._sheets[table]])
            return
        member = self._members.get(table)
        if member is None:
            return
        if self.kind == "csv":
            with self.path.open("rb") as handle:
                buffered = io.BufferedReader(handle, buffer_size=SNIFF_BYTES)
                yield from _csv_rows(table, member, buffered)
            return
        with self._archive.open(member) as handle:
            buffered = io.BufferedReader(handle, buffer_size=SNIFF_BYTES)
            yield from _csv_rows(table, Path(member).name, buffered)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
        workbook = getattr(self, "_workbook", None)
        if workbook is not None:
            workbook.close()
            self._workbook = None

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(path: Path | str, filename: str | None = None) -> Source:
    """Open an interchange file for reading (raises FileRefused)."""
    path = Path(path)
    return Source(path, filename or path.name)
