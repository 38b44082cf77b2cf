"""The interchange format: tables that map onto the models, cells read and written so that
export and import agree, formulas neutralised, and the two ethnicity numberings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from households.ethnicity import ETHNIC_CODES, ETHNIC_GROUPS
from households.interchange import format as fmt
from households.interchange.format import (
    NUMBERINGS,
    TABLES,
    XLSX_MAX_ROWS,
    CellError,
    Column,
    Table,
    ethnicity_name,
    format_cell,
    from_qd121,
    neutralise,
    parse_cell,
    to_qd121,
)
from households.models import Household, Member, Review
from policies.support.models import Disbursement
from reports.models import ResidentCount

TEXT = Column("t", "text", False, max_length=5)
REQUIRED_TEXT = Column("t", "text", True)
INT = Column("i", "int", False)
DECIMAL = Column("d", "decimal", False, max_digits=7, decimal_places=1)
DATE = Column("d", "date", False)
BOOL = Column("b", "bool", False)
ENUM = Column("e", "enum", False, choices=(("poor", "Poor"), ("near_poor", "Near-poor")))
LIST = Column("l", "list", False)
CODE = Column("c", "code", False, max_length=5, pad=5)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_five_tables_in_order():
    assert list(TABLES) == [
        "households",
        "members",
        "reviews",
        "disbursements",
        "resident_counts",
    ]
    assert all(isinstance(t, Table) and t.name == name for name, t in TABLES.items())


def test_every_key_column_is_a_column_of_its_table():
    for table in TABLES.values():
        for name in table.key:
            assert table.column(name).name == name


def test_required_columns_of_the_brief():
    assert TABLES["members"].required == (
        "household_code",
        "member_key",
        "full_name",
        "relationship",
        "sex",
        "birth_year",
        "ethnicity",
    )
    assert TABLES["disbursements"].required == (
        "disbursement_key",
        "household_code",
        "programme_code",
        "year",
        "kind",
        "paid_on",
        "period",
        "funding_source",
    )


@pytest.mark.parametrize(
    ("table", "model", "renamed"),
    [
        ("households", Household, {"household_code": "code", "commune_code": "commune",
                                   "village_code": "village", "scheme": None}),
        ("members", Member, {"household_code": "household", "member_key": None,
                             "ethnicity_name": None}),
        ("reviews", Review, {"household_code": "household"}),
        ("disbursements", Disbursement, {"household_code": "household", "member_key": "member",
                                         "programme_code": "programme",
                                         "disbursement_key": None, "reverses_key": "reverses"}),
        ("resident_counts", ResidentCount, {"unit_code": "unit", "scheme": None}),
    ],
)  # fmt: skip
def test_columns_map_to_model_fields_with_their_choices_and_lengths(table, model, renamed):
    for column in TABLES[table].columns:
        field_name = renamed.get(column.name, column.name)
        if field_name is None:
            continue
        field = model._meta.get_field(field_name)
        if column.kind == "enum":
            assert column.values == tuple(value for value, _ in field.choices), column.name
        if column.kind in ("text", "code") and not field.is_relation and field.max_length:
            assert column.max_length == field.max_length, column.name


def test_enum_defaults_are_the_model_defaults():
    members = TABLES["members"]
    for name in ("school_status", "qualification", "employment"):
        assert members.column(name).blank_value == Member._meta.get_field(name).default
    assert TABLES["households"].column("status").blank_value == "active"


def test_xlsx_max_rows_is_excels_limit():
    assert XLSX_MAX_ROWS == 1_048_576


def test_a_column_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Column("x", "float", False)


# --- parse_cell ---------------------------------------------------------------------------


def test_blank_required_cell_is_an_error():
    with pytest.raises(CellError, match="required"):
        parse_cell(REQUIRED_TEXT, "  ")


@pytest.mark.parametrize(
    ("column", "blank"),
    [(TEXT, ""), (INT, None), (DATE, None), (BOOL, False), (LIST, []), (CODE, None)],
)
def test_blank_optional_cell_is_the_default(column, blank):
    assert parse_cell(column, None) == blank
    assert parse_cell(column, "") == blank


def test_text_is_stripped_and_limited():
    assert parse_cell(TEXT, "  abc ") == "abc"
    with pytest.raises(CellError, match="at most 5"):
        parse_cell(TEXT, "abcdef")


def test_html_in_text_is_kept_as_text():
    assert parse_cell(REQUIRED_TEXT, "<b>Lan</b>") == "<b>Lan</b>"


def test_a_formula_is_refused():
    with pytest.raises(CellError, match="formula"):
        parse_cell(REQUIRED_TEXT, '=HYPERLINK("http://x")')


@pytest.mark.parametrize("raw", ["12", 12, 12.0, "-3"])
def test_int_accepts_digits_and_whole_numbers(raw):
    assert parse_cell(INT, raw) in (12, -3)


@pytest.mark.parametrize("raw", ["1.500.000", "1,500", "12.5", 12.5, "abc", True])
def test_int_refuses_anything_else(raw):
    with pytest.raises(CellError):
        parse_cell(INT, raw)


def test_decimal_reads_a_point_or_a_lone_comma():
    assert parse_cell(DECIMAL, "12.5") == Decimal("12.5")
    assert parse_cell(DECIMAL, "12,5") == Decimal("12.5")
    assert parse_cell(DECIMAL, 12.5) == Decimal("12.5")


def test_decimal_refuses_extra_places_and_too_large():
    with pytest.raises(CellError, match="decimal places"):
        parse_cell(DECIMAL, "12.25")
    with pytest.raises(CellError, match="too large"):
        parse_cell(DECIMAL, "1000000")


@pytest.mark.parametrize(
    "raw", ["2024-03-05", "05/03/2024", "5/3/2024", dt.date(2024, 3, 5), dt.datetime(2024, 3, 5)]
)
def test_date_accepts_iso_vietnamese_and_real_dates(raw):
    assert parse_cell(DATE, raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize("raw", ["2024-02-30", "03/05/24", "March 5", 45356])
def test_date_refuses_anything_else(raw):
    with pytest.raises(CellError):
        parse_cell(DATE, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("0", False), ("true", True), ("FALSE", False), ("Có", True),
     ("không", False), ("x", True), (True, True), (0, False)],
)  # fmt: skip
def test_bool_spellings(raw, value):
    assert parse_cell(BOOL, raw) is value


def test_bool_refuses_other_words():
    with pytest.raises(CellError, match="1 for yes"):
        parse_cell(BOOL, "maybe")


def test_nullable_bool_blank_is_none():
    column = TABLES["members"].column("school_level_matches_age")
    assert parse_cell(column, "") is None


def test_enum_takes_stored_values_and_names_the_allowed_ones():
    assert parse_cell(ENUM, "near_poor") == "near_poor"
    assert parse_cell(ENUM, "POOR") == "poor"
    with pytest.raises(CellError, match="poor, near_poor"):
        parse_cell(ENUM, "Hộ nghèo")


def test_list_only_splits():
    assert parse_cell(LIST, " D22_NUTRITION; ;D22_HOUSING_AREA ;") == [
        "D22_NUTRITION",
        "D22_HOUSING_AREA",
    ]
    assert parse_cell(LIST, "NOT_AN_INDICATOR") == ["NOT_AN_INDICATOR"]


def test_code_pads_digits_a_spreadsheet_turned_into_a_number():
    assert parse_cell(CODE, 313) == "00313"
    assert parse_cell(CODE, 313.0) == "00313"
    assert parse_cell(CODE, "30313") == "30313"


@pytest.mark.parametrize("raw", ["30 313", "<b>", "a'b", 3.5])
def test_code_refuses_spaces_markup_and_fractions(raw):
    with pytest.raises(CellError, match="code"):
        parse_cell(CODE, raw)


def test_messages_are_translated():
    with translation.override("vi"), pytest.raises(CellError) as raised:
        parse_cell(REQUIRED_TEXT, "")
    assert raised.value.message == "Cột này bắt buộc: ô không được để trống."


# --- neutralise and format_cell -----------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+2", "+84912", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Lan", "", "'quoted", "1=1"])
def test_neutralise_leaves_other_text(text):
    assert neutralise(text) == text


def test_format_cell_writes_each_kind():
    assert format_cell(BOOL, True) == "1"
    assert format_cell(BOOL, False) == "0"
    assert format_cell(DATE, dt.date(2024, 3, 5)) == "2024-03-05"
    assert format_cell(INT, -150000) == "-150000"
    assert format_cell(DECIMAL, Decimal("12.0")) == "12"
    assert format_cell(DECIMAL, Decimal("12.5")) == "12.5"
    assert format_cell(LIST, ["A", "B"]) == "A;B"
    assert format_cell(TEXT, None) == ""
    assert format_cell(TEXT, "=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("column", "value"),
    [(TEXT, "=1+2"), (TEXT, "+849"), (REQUIRED_TEXT, "Lò Văn A"), (INT, -7), (DECIMAL,
     Decimal("8.5")), (DATE, dt.date(2020, 1, 31)), (BOOL, True), (BOOL, False), (ENUM, "poor"),
     (LIST, ["D22_NUTRITION", "D22_WATER"]), (CODE, "00313")],
)  # fmt: skip
def test_format_then_parse_gives_the_value_back(column, value):
    assert parse_cell(column, format_cell(column, value)) == value


# --- Ethnicity numberings -----------------------------------------------------------------


def test_numberings():
    assert NUMBERINGS == ("qd121", "census")


def test_qd121_is_the_identity():
    assert all(to_qd121(code, "qd121") == code for code in ETHNIC_CODES)
    assert all(from_qd121(code, "qd121") == code for code in ETHNIC_CODES)


def test_census_numbering_is_a_bijection_onto_the_54_groups():
    census_codes = {f"{n:02d}" for n in range(1, 55)}
    assert {to_qd121(code, "census") for code in census_codes} == ETHNIC_CODES
    assert all(to_qd121(from_qd121(code, "census"), "census") == code for code in ETHNIC_CODES)


@pytest.mark.parametrize(
    ("census", "qd121", "name"),
    [("01", "01", "Kinh"), ("04", "06", "Mường"), ("06", "04", "Hoa"), ("14", "17", "Chăm"),
     ("05", "05", "Khơ-me"), ("43", "11", "Ngái")],
)  # fmt: skip
def test_the_lists_disagree_on_hoa_muong_cham(census, qd121, name):
    assert to_qd121(census, "census") == qd121
    assert ethnicity_name(qd121) == name


def test_census_names_are_names_of_the_same_groups():
    for _census, name, qd121 in fmt.CENSUS_GROUPS:
        assert fmt.ethnicity_name_matches(qd121, name), name


def test_each_qd121_name_matches_its_own_code():
    assert all(fmt.ethnicity_name_matches(code, name) for code, name in ETHNIC_GROUPS)


def test_folded_names_and_aliases_never_collide():
    owners: dict[str, set[str]] = {}
    for code, names in fmt._NAMES_BY_CODE.items():
        for folded in names:
            owners.setdefault(folded, set()).add(code)
    assert {f: c for f, c in owners.items() if len(c) > 1} == {}


def test_a_census_file_read_as_qd121_does_not_match_its_names():
    # A census file says 04 Mường: read with the QĐ 121 list, 04 is Hoa.
    assert not fmt.ethnicity_name_matches(to_qd121("04", "qd121"), "Mường")
    assert fmt.fits_numbering("04", "Mường", "census")
    assert not fmt.fits_numbering("04", "Mường", "qd121")


def test_names_match_without_case_diacritics_or_hyphens():
    assert fmt.ethnicity_name_matches("05", "KHMER")
    assert fmt.ethnicity_name_matches("08", "H'mông")
    assert fmt.ethnicity_code_for_name("ede") == "12"
    assert fmt.ethnicity_code_for_name("Klingon") is None


def test_unknown_codes():
    with pytest.raises(CellError):
        to_qd121("55", "census")
    with pytest.raises(CellError):
        to_qd121("00", "qd121")
    with pytest.raises(ValueError):
        to_qd121("01", "gso")


def test_one_digit_code_is_padded():
    assert to_qd121("4", "qd121") == "04"
