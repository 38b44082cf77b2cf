"""What an import found wrong (or worth a warning) in a file, and the report a user downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import pgettext

from .format import neutralise

# The value shown in a problem is cut to this length (a row of a file, not the whole cell).
VALUE_SHOWN = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of a file: where (`file`: the CSV file or sheet; `row`: its number there, the
    header being row 1, None for the whole file; `column`), the value read there, and the
    problem in the user's language."""

    file: str
    row: int | None
    column: str
    value: str
    message: str

    def __post_init__(self) -> None:
        value = self.value if isinstance(self.value, str) else str(self.value)
        object.__setattr__(self, "value", value[:VALUE_SHOWN])


def report_csv(problems: Iterable[tuple[str, Problem]]) -> bytes:
    """The report of `problems` (each with its kind: error or warning) as CSV in UTF-8 with a
    BOM, so that Excel opens the Vietnamese text right; header and text in the user's language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            pgettext("import report", "file"),
            pgettext("import report", "row"),
            pgettext("import report", "column"),
            pgettext("import report", "value"),
            pgettext("import report", "problem"),
            pgettext("import report", "kind"),
        ]
    )
    for kind, problem in problems:
        writer.writerow(
            [
                neutralise(problem.file),
                "" if problem.row is None else problem.row,
                neutralise(problem.column),
                neutralise(problem.value),
                neutralise(problem.message),
                kind,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
