"""The interchange format: five tables, their columns, and how one cell is read and written.

Import and export both go through `parse_cell` and `format_cell`, so that a file the registry
writes is a file it reads back. docs/interchange.md documents every column (a test keeps the two
in step).

Ethnicity codes are stored as the codes of Decision 121-TCTK/PPCĐ (households.ethnicity); a
file may instead use the census numbering, which lists the same 54 groups in another order
(`to_qd121`, `from_qd121`). The two disagree on most codes (04 is Hoa in one and Mường in the
other), so a file read with the wrong list would load silently wrong: an `ethnicity_name`
column is checked against the name of the group the code gives (`ethnicity_name_matches`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policies.support.choices import EntryKind, FundingSource
from registry.choices import AreaType, Scheme

from ..choices import (
    Classification,
    Employment,
    HouseholdStatus,
    Qualification,
    Relationship,
    ReviewKind,
    SchoolStatus,
    Sex,
)
from ..ethnicity import ETHNIC_GROUPS

# Excel's limit of rows on a sheet (the header row is one of them): a longer table continues
# on the sheets "<table> (2)", "<table> (3)", ...
XLSX_MAX_ROWS = 1_048_576

KINDS = frozenset({"text", "int", "decimal", "date", "bool", "enum", "list", "code"})
LIST_SEPARATOR = ";"
# A cell starting with one of these would be run as a formula by a spreadsheet (OWASP's CSV
# injection advice); export puts a "'" before it and import takes that "'" away again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_UNSET: Any = object()


@dataclass(frozen=True)
class Column:
    """One column of a table: its name in the header, what it holds, and how it is checked.

    `choices` are (stored value, label) pairs of an enum column; `default` is what a blank
    optional cell means (the model's default); `pad` zero-pads an all-digit code to its official
    width, since a spreadsheet drops the leading zeros of a code typed as a number.
    """

    name: str
    kind: str
    required: bool
    choices: tuple[tuple[str, Any], ...] | None = None
    max_length: int | None = None
    help: Any = ""
    default: Any = _UNSET
    pad: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if (self.kind == "enum") != (self.choices is not None):
            raise ValueError(f"column {self.name}: choices go with enum columns only")

    @cached_property
    def values(self) -> tuple[str, ...]:
        """The allowed stored values of an enum column."""
        return tuple(value for value, _label in self.choices or ())

    @cached_property
    def folded_values(self) -> dict[str, str]:
        """The allowed stored values of an enum column by their casefolded spelling."""
        return {value.casefold(): value for value in self.values}

    @property
    def blank_value(self) -> Any:
        """What a blank cell of this (optional) column means."""
        if self.default is not _UNSET:
            return self.default
        if self.kind == "text":
            return ""
        if self.kind == "bool":
            return False
        if self.kind == "list":
            return []
        return None


@dataclass(frozen=True)
class Table:
    """One table of the format: a CSV file `<name>.csv` or a sheet `<name>` of a workbook."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


class CellError(ValueError):
    """A cell that cannot be read; `message` is plain Vietnamese once translated, and names the
    problem only (the caller adds the file, row, column and value)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _choices(choices_class) -> tuple[tuple[str, Any], ...]:
    return tuple(choices_class.choices)


_h = gettext_lazy

HOUSEHOLD_CODE = Column(
    "household_code",
    "code",
    True,
    max_length=24,
    help=_h("The household's code in the source system; it becomes its registry code."),
)

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "households",
            (
                HOUSEHOLD_CODE,
                Column(
                    "scheme",
                    "enum",
                    True,
                    choices=_choices(Scheme),
                    help=_h("The scheme of the unit codes of this row."),
                ),
                Column(
                    "commune_code",
                    "code",
                    True,
                    max_length=16,
                    pad=5,
                    help=_h("Official GSO code of the commune (5 digits)."),
                ),
                Column(
                    "village_code",
                    "code",
                    False,
                    max_length=16,
                    help=_h("Code of the village or residential group in the registry."),
                ),
                Column(
                    "area_type", "enum", True, choices=_choices(AreaType), help=_h("Area type.")
                ),
                Column("address", "text", False, max_length=200, help=_h("Address.")),
                Column("phone", "text", False, max_length=20, help=_h("Phone number.")),
                Column(
                    "status",
                    "enum",
                    False,
                    choices=_choices(HouseholdStatus),
                    default=HouseholdStatus.ACTIVE.value,
                    help=_h("Whether the household still lives in the commune."),
                ),
            ),
            key=("household_code",),
        ),
        Table(
            "members",
            (
                HOUSEHOLD_CODE,
                Column(
                    "member_key",
                    "code",
                    True,
                    max_length=40,
                    help=_h("The member's key, stable within the household."),
                ),
                Column("full_name", "text", True, max_length=120, help=_h("Full name.")),
                Column(
                    "relationship",
                    "enum",
                    True,
                    choices=_choices(Relationship),
                    help=_h("Relationship to the head; exactly one current head a household."),
                ),
                Column("sex", "enum", True, choices=_choices(Sex), help=_h("Sex.")),
                Column("birth_year", "int", True, help=_h("Year of birth.")),
                Column("birth_date", "date", False, help=_h("Date of birth.")),
                Column(
                    "ethnicity",
                    "code",
                    True,
                    max_length=2,
                    pad=2,
                    help=_h("Ethnicity code in the numbering chosen for the file."),
                ),
                Column(
                    "ethnicity_name",
                    "text",
                    False,
                    max_length=40,
                    help=_h("Name of the ethnic group, checked against the code."),
                ),
                Column(
                    "id_number",
                    "code",
                    False,
                    max_length=12,
                    help=_h("Personal ID number (12 digits), unique."),
                ),
                Column(
                    "has_health_insurance",
                    "bool",
                    False,
                    help=_h("Has a health-insurance card."),
                ),
                Column(
                    "health_insurance_valid_to",
                    "date",
                    False,
                    help=_h("Health insurance valid until."),
                ),
                Column(
                    "school_status",
                    "enum",
                    False,
                    choices=_choices(SchoolStatus),
                    default=SchoolStatus.NOT_APPLICABLE.value,
                    help=_h("Schooling."),
                ),
                Column(
                    "school_level_matches_age",
                    "bool",
                    False,
                    default=None,
                    help=_h("In the class right for their age (blank: not asked)."),
                ),
                Column(
                    "qualification",
                    "enum",
                    False,
                    choices=_choices(Qualification),
                    default=Qualification.NONE.value,
                    help=_h("Highest qualification."),
                ),
                Column(
                    "employment",
                    "enum",
                    False,
                    choices=_choices(Employment),
                    default=Employment.NOT_WORKING.value,
                    help=_h("Main work."),
                ),
                Column("has_disability", "bool", False, help=_h("Has a disability.")),
                Column(
                    "receives_social_allowance",
                    "bool",
                    False,
                    help=_h("Receives the monthly social allowance."),
                ),
                Column(
                    "malnourished",
                    "bool",
                    False,
                    help=_h("Child malnourished (stunted or underweight)."),
                ),
                Column("joined_on", "date", False, help=_h("Joined the household on.")),
                Column("left_on", "date", False, help=_h("Left the household on.")),
                Column(
                    "leave_reason", "text", False, max_length=200, help=_h("Reason for leaving.")
                ),
            ),
            key=("household_code", "member_key"),
        ),
        Table(
            "reviews",
            (
                HOUSEHOLD_CODE,
                Column("list_year", "int", True, help=_h("List year of the review.")),
                Column(
                    "kind",
                    "enum",
                    True,
                    choices=_choices(ReviewKind),
                    help=_h("Periodic or monthly review."),
                ),
                Column(
                    "survey_date",
                    "date",
                    False,
                    help=_h("Survey date; tells the monthly reviews of a year apart."),
                ),
                Column(
                    "area_type",
                    "enum",
                    True,
                    choices=_choices(AreaType),
                    help=_h("Area type on the review date."),
                ),
                Column(
                    "income_per_capita",
                    "int",
                    False,
                    help=_h("Income per person per month (VND)."),
                ),
                Column("b1_score", "int", False, help=_h("B1 score.")),
                Column(
                    "deprivations",
                    "list",
                    False,
                    help=_h(
                        "Codes of the deprived indicators of the standard of the list year, "
                        "separated by ;"
                    ),
                ),
                Column(
                    "housing_area_m2",
                    "decimal",
                    False,
                    max_digits=7,
                    decimal_places=1,
                    help=_h("Housing area (m²)."),
                ),
                Column(
                    "recognised_classification",
                    "enum",
                    True,
                    choices=_choices(Classification),
                    help=_h("Recognised classification."),
                ),
                Column(
                    "override_reason",
                    "text",
                    False,
                    help=_h("Why the recognised classification differs from the computed one."),
                ),
                Column(
                    "computed_classification",
                    "enum",
                    False,
                    choices=_choices(Classification),
                    help=_h(
                        "What the standard computes; written by export, ignored by import "
                        "(which computes it again)."
                    ),
                ),
            ),
            key=("household_code", "list_year", "kind", "survey_date"),
        ),
        Table(
            "disbursements",
            (
                Column(
                    "disbursement_key",
                    "code",
                    True,
                    max_length=40,
                    help=_h("The disbursement's key in the source system, unique."),
                ),
                HOUSEHOLD_CODE,
                Column(
                    "member_key",
                    "code",
                    False,
                    max_length=40,
                    help=_h("The member paid, for a programme paid per person."),
                ),
                Column("programme_code", "code", True, max_length=40, help=_h("Programme code.")),
                Column("year", "int", True, help=_h("Plan year.")),
                Column(
                    "kind",
                    "enum",
                    True,
                    choices=_choices(EntryKind),
                    help=_h("Payment or reversal."),
                ),
                Column(
                    "reverses_key",
                    "code",
                    False,
                    max_length=40,
                    help=_h("Key of the payment a reversal reverses (required for a reversal)."),
                ),
                Column("paid_on", "date", True, help=_h("Date paid.")),
                Column(
                    "period",
                    "text",
                    True,
                    max_length=24,
                    help=_h("Period paid: 2026-03, 2026-Q1, 2026, once, or a reference."),
                ),
                Column("variant", "text", False, max_length=20, help=_h("Variant.")),
                Column(
                    "quantity",
                    "int",
                    False,
                    default=None,
                    help=_h("Quantity (negative for a reversal); blank: 1, or -1 for a reversal."),
                ),
                Column(
                    "amount",
                    "int",
                    False,
                    default=None,
                    help=_h("Amount in VND (negative for a reversal)."),
                ),
                Column(
                    "funding_source",
                    "enum",
                    True,
                    choices=_choices(FundingSource),
                    help=_h("Funding source."),
                ),
                Column(
                    "reference",
                    "text",
                    False,
                    max_length=100,
                    help=_h("Document or reference."),
                ),
                Column("note", "text", False, help=_h("Note.")),
            ),
            key=("disbursement_key",),
        ),
        Table(
            "resident_counts",
            (
                Column(
                    "scheme",
                    "enum",
                    True,
                    choices=_choices(Scheme),
                    help=_h("The scheme of the unit code."),
                ),
                Column(
                    "unit_code",
                    "code",
                    True,
                    max_length=16,
                    help=_h("Official GSO code of the unit (province, district or commune)."),
                ),
                Column("year", "int", True, help=_h("Year.")),
                Column("households", "int", True, help=_h("Resident households.")),
                Column("persons", "int", False, help=_h("Resident persons.")),
                Column("source", "text", True, max_length=200, help=_h("Source of the figures.")),
            ),
            key=("scheme", "unit_code", "year"),
        ),
    )
}


# --- Reading a cell ------------------------------------------------------------------------

_INT_RE = re.compile(r"-?\d+")
_DECIMAL_RE = re.compile(r"-?\d+(\.\d+)?")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# Codes are plain: letters, digits and a few separators (no spaces, quotes or markup).
_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
# Accepted spellings of yes and no, compared after casefold and NFC.
_TRUE = frozenset({"1", "true", "có", "co", "x", "yes", "y"})
_FALSE = frozenset({"0", "false", "không", "khong", "no", "n"})


def _unneutralise(text: str) -> str:
    """Take away the "'" that `neutralise` put before a formula character."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _as_text(raw: Any) -> str:
    """A cell as text: numbers a spreadsheet typed as numbers become their digits."""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time(0) else raw.isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return unicodedata.normalize("NFC", str(raw))


def parse_cell(column: Column, raw: Any) -> Any:
    """The value of one cell (a CSV string, or a string, number, date or bool from a workbook)
    for `column`; raises CellError when it cannot be read. A blank cell is the column's
    `blank_value`, or an error when the column is required."""
    if raw is None:
        text = ""
    elif isinstance(raw, str):
        # ASCII text is NFC already (most cells: codes, numbers, dates).
        text = (raw if raw.isascii() else unicodedata.normalize("NFC", raw)).strip()
        if text and text[0] in "='":
            if text[0] == "=":
                raise CellError(_("This cell holds a formula: enter the value itself."))
            text = _unneutralise(text).strip()
    else:
        text = None
    if text == "":
        if column.required:
            raise CellError(_("This column is required: the cell must not be blank."))
        return column.blank_value
    parser = _PARSERS[column.kind]
    return parser(column, raw if text is None else text)


def _parse_text(column: Column, raw: Any) -> str:
    text = raw if isinstance(raw, str) else _as_text(raw)
    _check_length(column, text)
    return text


def _parse_code(column: Column, raw: Any) -> str:
    if isinstance(raw, float) and not raw.is_integer():
        raise CellError(_("Not a valid code: use only letters, digits and . _ - /"))
    text = raw if isinstance(raw, str) else _as_text(raw)
    if not _CODE_RE.fullmatch(text):
        raise CellError(_("Not a valid code: use only letters, digits and . _ - /"))
    if column.pad and text.isdigit():
        text = text.zfill(column.pad)
    _check_length(column, text)
    return text


def _check_length(column: Column, text: str) -> None:
    if column.max_length is not None and len(text) > column.max_length:
        raise CellError(
            _("Too long: at most %(max)s characters, this cell has %(length)s.")
            % {"max": column.max_length, "length": len(text)}
        )


def _parse_int(column: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(_("Not a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError(_("Not a whole number."))
    if isinstance(raw, Decimal):
        if raw == raw.to_integral_value():
            return int(raw)
        raise CellError(_("Not a whole number."))
    if isinstance(raw, str) and _INT_RE.fullmatch(raw):
        return int(raw)
    raise CellError(_("Not a whole number: write the digits only, without separators."))


def _parse_decimal(column: Column, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_("Not a number."))
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        # A decimal comma is accepted when it is the only separator ("12,5").
        text = raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw
        if not _DECIMAL_RE.fullmatch(text):
            raise CellError(_("Not a number: write it like 12.5"))
        value = Decimal(text)
    else:
        raise CellError(_("Not a number."))
    if not value.is_finite():
        raise CellError(_("Not a number."))
    if column.decimal_places is not None:
        try:
            rounded = value.quantize(Decimal(1).scaleb(-column.decimal_places))
        except InvalidOperation:
            raise CellError(_("This number is too large.")) from None
        if rounded != value:
            raise CellError(
                _("Too many decimal places: at most %(places)s.")
                % {"places": column.decimal_places}
            )
        value = rounded
    if column.max_digits is not None:
        whole = column.max_digits - (column.decimal_places or 0)
        if abs(value) >= Decimal(10) ** whole:
            raise CellError(_("This number is too large."))
    return value


def _parse_date(column: Column, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        iso = _ISO_DATE_RE.fullmatch(raw)
        vn = _VN_DATE_RE.fullmatch(raw)
        try:
            if iso:
                return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            if vn:
                return dt.date(int(vn[3]), int(vn[2]), int(vn[1]))
        except ValueError:
            raise CellError(_("This date does not exist.")) from None
    raise CellError(_("Not a date: write it as YYYY-MM-DD or DD/MM/YYYY."))


def _parse_bool(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        text = raw.casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise CellError(_("Not a yes/no value: write 1 for yes or 0 for no."))


def _parse_enum(column: Column, raw: Any) -> str:
    text = raw if isinstance(raw, str) else _as_text(raw)
    values = column.values
    if text in values:
        return text
    found = column.folded_values.get(text.casefold())
    if found is not None:
        return found
    raise CellError(
        _("Not an allowed value. Allowed values: %(values)s.") % {"values": ", ".join(values)}
    )


def _parse_list(column: Column, raw: Any) -> list[str]:
    """Split a list on ";" (the codes are checked against the standard by the import)."""
    text = raw if isinstance(raw, str) else _as_text(raw)
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


_PARSERS = {
    "text": _parse_text,
    "code": _parse_code,
    "int": _parse_int,
    "decimal": _parse_decimal,
    "date": _parse_date,
    "bool": _parse_bool,
    "enum": _parse_enum,
    "list": _parse_list,
}


# --- Writing a cell ------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """`text` made safe to open in a spreadsheet: a leading "'" before a formula character."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def format_cell(column: Column, value: Any) -> str:
    """The text of one cell for `column`, as `parse_cell` reads it back."""
    if value is None:
        return ""
    if column.kind == "bool":
        return "1" if value else "0"
    if column.kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat()
    if column.kind == "int":
        return str(int(value))
    if column.kind == "decimal":
        return _format_decimal(value)
    if column.kind == "list":
        return neutralise(LIST_SEPARATOR.join(str(item) for item in value))
    return neutralise(str(value))


def _format_decimal(value: Any) -> str:
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- Ethnicity numberings ------------------------------------------------------------------

NUMBERINGS = ("qd121", "census")
QD121 = "qd121"
CENSUS = "census"

_QD121_NAMES: dict[str, str] = dict(ETHNIC_GROUPS)

# The census numbering: the list of ethnic groups of Decision 1019/QĐ-TCTK of 12 November
# 2008 (danh mục các dân tộc Việt Nam), used by the 2009 and 2019 population censuses, which
# orders the groups by their population in the 1999 census. Each row is (census code, census
# name, QĐ 121 code). Codes 01-20 were read on the GSO's published list (gso.gov.vn, and its
# copy in QCVN 109, appendix E). Codes 21-54 are UNCONFIRMED: they follow the same ordering as
# remembered and as one non-authoritative list read, not the decision itself; check them
# against the text of Decision 1019/QĐ-TCTK before relying on a census-numbered file.
CENSUS_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("01", "Kinh", "01"),
    ("02", "Tày", "02"),
    ("03", "Thái", "03"),
    ("04", "Mường", "06"),
    ("05", "Khmer", "05"),
    ("06", "Hoa", "04"),
    ("07", "Nùng", "07"),
    ("08", "Mông", "08"),
    ("09", "Dao", "09"),
    ("10", "Gia Rai", "10"),
    ("11", "Ê Đê", "12"),
    ("12", "Ba Na", "13"),
    ("13", "Sán Chay", "15"),
    ("14", "Chăm", "17"),
    ("15", "Cơ Ho", "16"),
    ("16", "Xơ Đăng", "14"),
    ("17", "Sán Dìu", "18"),
    ("18", "Hrê", "19"),
    ("19", "Ra Glai", "21"),
    ("20", "Mnông", "20"),
    # From here on UNCONFIRMED (see above).
    ("21", "Thổ", "24"),
    ("22", "Xtiêng", "22"),
    ("23", "Khơ Mú", "29"),
    ("24", "Bru Vân Kiều", "23"),
    ("25", "Cơ Tu", "26"),
    ("26", "Giáy", "25"),
    ("27", "Tà Ôi", "31"),
    ("28", "Mạ", "28"),
    ("29", "Giẻ Triêng", "27"),
    ("30", "Co", "30"),
    ("31", "Chơ Ro", "32"),
    ("32", "Xinh Mun", "34"),
    ("33", "Hà Nhì", "35"),
    ("34", "Chu Ru", "36"),
    ("35", "Lào", "37"),
    ("36", "La Chí", "38"),
    ("37", "Kháng", "33"),
    ("38", "Phù Lá", "40"),
    ("39", "La Hủ", "41"),
    ("40", "La Ha", "39"),
    ("41", "Pà Thẻn", "46"),
    ("42", "Lự", "42"),
    ("43", "Ngái", "11"),
    ("44", "Chứt", "44"),
    ("45", "Lô Lô", "43"),
    ("46", "Mảng", "45"),
    ("47", "Cơ Lao", "47"),
    ("48", "Bố Y", "49"),
    ("49", "Cống", "48"),
    ("50", "Si La", "50"),
    ("51", "Pu Péo", "51"),
    ("52", "Rơ Măm", "54"),
    ("53", "Brâu", "52"),
    ("54", "Ơ Đu", "53"),
)
_CENSUS_TO_QD121 = {census: qd121 for census, _name, qd121 in CENSUS_GROUPS}
_QD121_TO_CENSUS = {qd121: census for census, _name, qd121 in CENSUS_GROUPS}

# Other spellings of the groups' names met in lists and forms, by QĐ 121 code.
_ALIASES: dict[str, tuple[str, ...]] = {
    "01": ("Việt", "Kinh (Việt)"),
    "04": ("Hán", "Hoa (Hán)"),
    "05": ("Khmer", "Khơ Me", "Khơ-me Krôm"),
    "08": ("Mông", "H'Mông", "Hmong", "Mèo"),
    "10": ("Jrai", "Gia Rai", "Giarai"),
    "12": ("Ê Đê", "Rhade"),
    "13": ("Bahnar",),
    "14": ("Xê Đăng", "Sedang"),
    "15": ("Cao Lan", "Sán Chỉ", "Cao Lan-Sán Chỉ"),
    "16": ("K'Ho", "Koho"),
    "19": ("H're",),
    "20": ("M'Nông",),
    "21": ("Raglai", "Ra Glay"),
    "22": ("Stiêng", "X'Tiêng"),
    "23": ("Vân Kiều", "Bru"),
    "26": ("Katu", "Kơ Tu"),
    "27": ("Giẻ Triêng", "Giẻ-Triêng"),
    "29": ("Khmu",),
    "31": ("Ta Oi",),
    "47": ("Cơ Lao",),
    "51": ("Pu Piéo",),
    "53": ("Ô Đu",),
}


def _fold(name: str) -> str:
    """A name without case, diacritics, spaces, hyphens or apostrophes ("Khơ-me" -> "khome");
    the 54 names stay distinct folded."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in bare.casefold() if ch.isalnum())


_NAMES_BY_CODE: dict[str, frozenset[str]] = {
    code: frozenset(
        {_fold(name)}
        | {_fold(alias) for alias in _ALIASES.get(code, ())}
        | {_fold(census_name) for _c, census_name, qd in CENSUS_GROUPS if qd == code}
    )
    for code, name in ETHNIC_GROUPS
}
_CODE_BY_NAME: dict[str, str] = {
    folded: code for code, names in _NAMES_BY_CODE.items() for folded in names
}


def _check_numbering(numbering: str) -> None:
    if numbering not in NUMBERINGS:
        raise ValueError(f"unknown ethnicity numbering {numbering!r}")


def to_qd121(code: str, numbering: str) -> str:
    """The QĐ 121 code of the group that `code` names in `numbering`; raises CellError for a
    code the numbering does not have."""
    _check_numbering(numbering)
    code = code.strip().zfill(2) if code.strip().isdigit() else code.strip()
    if numbering == QD121:
        if code in _QD121_NAMES:
            return code
    elif code in _CENSUS_TO_QD121:
        return _CENSUS_TO_QD121[code]
    raise CellError(_("Not an ethnicity code: the codes go from 01 to 54."))


def from_qd121(code: str, numbering: str) -> str:
    """The code in `numbering` of the group with QĐ 121 code `code`."""
    _check_numbering(numbering)
    if code not in _QD121_NAMES:
        raise ValueError(f"unknown QĐ 121 ethnicity code {code!r}")
    return code if numbering == QD121 else _QD121_TO_CENSUS[code]


def ethnicity_name(code_qd121: str) -> str:
    """The name of the group with QĐ 121 code `code_qd121`, as that list spells it."""
    return _QD121_NAMES[code_qd121]


def census_name(code_qd121: str) -> str:
    """The name of the group with QĐ 121 code `code_qd121`, as the census list spells it."""
    census = _QD121_TO_CENSUS[code_qd121]
    return next(name for c, name, _qd in CENSUS_GROUPS if c == census)


def ethnicity_name_matches(code_qd121: str, name: str) -> bool:
    """Whether `name` is a spelling of the group with QĐ 121 code `code_qd121`."""
    return _fold(name) in _NAMES_BY_CODE.get(code_qd121, frozenset())


def ethnicity_code_for_name(name: str) -> str | None:
    """The QĐ 121 code of the group `name` spells, or None for a name not known."""
    return _CODE_BY_NAME.get(_fold(name))


def other_numbering(numbering: str) -> str:
    _check_numbering(numbering)
    return CENSUS if numbering == QD121 else QD121


def fits_numbering(code: str, name: str, numbering: str) -> bool:
    """Whether the pair (code, name) of a file is right when the code is read in `numbering`;
    the import warns when a file's pairs fit the other numbering better."""
    try:
        return ethnicity_name_matches(to_qd121(code, numbering), name)
    except CellError:
        return False
