"""Stand-ins for the import and the export (`households.interchange.importing` and `.export`,
written apart), with their frozen API (an ImportResult's fields, `import_file`'s keywords,
`write_export(user, unit, years, fmt, out)`, `template_xlsx()`), so that the jobs, the tasks and
the pages are tested on their own: what a job shows is what the import returned.

The fake import reads a CSV's lines after the header: a line holding `LOI` is an error, one
holding `CANH BAO` a warning, every line a household; it reports progress per line.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

IMPORTING = "households.interchange.importing"
EXPORT = "households.interchange.export"
EXPORTED = b"households.csv\nhousehold_code,scheme,commune_code\n"
TEMPLATE = b"PK\x03\x04 blank template"


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class Result:
    ok: bool
    dry_run: bool
    counts: dict[str, dict[str, int]]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    batch: Any = None

    def report_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["tệp", "dòng", "cột", "giá trị", "vấn đề"])
        for p in [*self.errors, *self.warnings]:
            writer.writerow([p.file, p.row, p.column, p.value, p.message])
        return out.getvalue().encode("utf-8-sig")


@dataclass
class Calls:
    """What the fakes were called with."""

    imports: list[dict[str, Any]] = field(default_factory=list)
    exports: list[dict[str, Any]] = field(default_factory=list)


def fake_import_file(calls: Calls, *, delay: float = 0.0):
    def import_file(*, actor, path, filename, numbering="qd121", dry_run=False, on_progress=None):
        calls.imports.append(
            {
                "actor": actor,
                "path": Path(path),
                "filename": filename,
                "numbering": numbering,
                "dry_run": dry_run,
                "content": Path(path).read_bytes(),
            }
        )
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()[1:]
        errors, warnings = [], []
        for number, line in enumerate(lines, start=2):
            if "LOI" in line:
                errors.append(Problem(filename, number, "phone", line, "Số điện thoại sai"))
            if "CANH BAO" in line:
                warnings.append(Problem(filename, number, "ethnicity_name", line, "Xem lại"))
            if on_progress:
                on_progress("validate", number - 1, len(lines))
            time.sleep(delay)
        ok = not errors
        written = ok and not dry_run
        if on_progress and written:
            on_progress("write", len(lines), len(lines))
        counts = {"households": {"created": len(lines), "updated": 0, "unchanged": 0}}
        return Result(ok=ok, dry_run=dry_run, counts=counts, errors=errors, warnings=warnings)

    return import_file


def fake_write_export(calls: Calls):
    def write_export(user, unit, years, fmt, out, *, numbering="qd121", on_progress=None):
        calls.exports.append({"user": user, "unit": unit, "years": years, "fmt": fmt})
        out.write(EXPORTED)

    return write_export


def _patch(stack: ExitStack, name: str, **attrs: Any) -> None:
    """Replace `attrs` of module `name`; while the module is not written yet, stand in for it."""
    try:
        module = import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        # Only this key: `mock.patch.dict` would also drop every module imported meanwhile.
        module = sys.modules[name] = ModuleType(name)
        stack.callback(sys.modules.pop, name, None)
    for attr, value in attrs.items():
        stack.enter_context(mock.patch.object(module, attr, value, create=True))


@contextmanager
def faked_interchange(*, import_file=None, write_export=None) -> Iterator[Calls]:
    """The import and the export replaced by the fakes (or by the given functions)."""
    calls = Calls()
    with ExitStack() as stack:
        _patch(stack, IMPORTING, import_file=import_file or fake_import_file(calls))
        _patch(
            stack,
            EXPORT,
            write_export=write_export or fake_write_export(calls),
            template_xlsx=lambda: TEMPLATE,
        )
        yield calls


@contextmanager
def missing_interchange() -> Iterator[None]:
    """Only the modules not written yet stood in for (the access tests ask the real ones)."""
    with ExitStack() as stack:
        for name, attrs in (
            (IMPORTING, {"import_file": fake_import_file(Calls())}),
            (
                EXPORT,
                {"write_export": fake_write_export(Calls()), "template_xlsx": lambda: TEMPLATE},
            ),
        ):
            try:
                import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                _patch(stack, name, **attrs)
        yield


def csv_upload(*rows: str, name: str = "households.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "\n".join(["household_code,scheme,commune_code", *rows]) + "\n"
    return SimpleUploadedFile(name, body.encode(), content_type="text/csv")
