"""The yearly report's rows and its XLSX export, from a Kpis object written out in the test
(no database): every expected figure is worked out here from the counters given."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from reports.xlsx import COUNT_FORMAT, HEADER_ROW, RATE_FORMAT, WIDTHS, yearly_workbook
from reports.yearly import (
    ENTERABLE,
    ROWS,
    ROWS_BY_CODE,
    SECTION,
    Entries,
    EntryNote,
    build_report,
    entry_text,
    report_notes,
)

COMPUTED_AT = dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)  # 08:30 in Việt Nam


def pk(code: str, variant: str = "", **counters) -> SimpleNamespace:
    """A ProgrammeKpi: the counters not given are 0."""
    fields = ("households", "persons", "payments", "quantity", "amount")
    values = {f: 0 for f in (*fields, "poor_households", "poor_persons")}
    return SimpleNamespace(
        programme=SimpleNamespace(code=code), variant=variant, **values | counters
    )


# A commune of 200 households: 9 poor (31 persons), 15 near-poor (52), 40 ethnic-minority
# households of which 5 poor (19 persons) and 3 near-poor (11).
COUNTS = {
    "households": 200,
    "persons": 730,
    "poor_households": 9,
    "poor_persons": 31,
    "near_poor_households": 15,
    "near_poor_persons": 52,
    "minority_households": 40,
    "minority_persons": 150,
    "minority_poor_households": 5,
    "minority_poor_persons": 19,
    "minority_near_poor_households": 3,
    "minority_near_poor_persons": 11,
}
RATES = {
    "poor_rate": Decimal("4.50"),  # 9 / 200
    "near_poor_rate": Decimal("7.50"),  # 15 / 200
    "minority_poor_rate": Decimal("12.50"),  # 5 / 40
    "minority_near_poor_rate": Decimal("7.50"),  # 3 / 40
}
SUPPORT = [
    # 70 cards to 70 persons, 30 of them of poor households.
    pk("bhyt", quantity=70, persons=70, payments=70, households=24, poor_persons=30),
    pk("kcb_poor", quantity=12, persons=8, payments=12),
    pk("kcb_children_under6", quantity=4, persons=3, payments=4),
    pk("tuition_exemption", persons=6, households=5, quantity=6, payments=6),
    pk("residential_land", households=2, quantity=2, payments=2),
    pk("vocational_training", persons=7, poor_persons=4, households=6, quantity=7, payments=7),
    # Jobs: 5 distinct persons, 3 in the province, 1 outside it, 1 abroad.
    pk("job_placement", persons=5, quantity=5, payments=5),
    pk("job_placement", "in_province", persons=3, quantity=3, payments=3),
    pk("job_placement", "outside_province", persons=1, quantity=1, payments=1),
    pk("job_placement", "abroad", persons=1, quantity=1, payments=1),
    # Houses: two built (40 million each) and one repaired (20 million) under the national
    # target programme, one built (60 million) in the 2024-2025 campaign: 4 houses, 160 million.
    pk("housing_ntp", quantity=3, households=3, amount=100_000_000),
    pk("housing_ntp", "new", quantity=2, households=2, amount=80_000_000),
    pk("housing_ntp", "repair", quantity=1, households=1, amount=20_000_000),
    pk("housing_temporary", quantity=1, households=1, amount=60_000_000),
    pk("housing_temporary", "new", quantity=1, households=1, amount=60_000_000),
    # Loans: three to two poor households (150 million), one to a household that escaped
    # poverty (50 million): 4 loans, 3 borrowing households, 200 million.
    pk("vbsp_poor", quantity=3, payments=3, households=2, amount=150_000_000),
    pk("vbsp_escaped", quantity=1, payments=1, households=1, amount=50_000_000),
    # The electricity subsidy: 9 households, a quarter each at 184,000.
    pk("electricity", households=9, payments=9, quantity=9, amount=1_656_000),
]


def kpis(**changes) -> SimpleNamespace:
    base = {
        "unit": SimpleNamespace(name="Xã Mỹ Hòa Hưng", code="30313", scheme="2025", pk=1),
        "year": 2026,
        "as_of": None,
        "computed_at": COMPUTED_AT,
        "counts": COUNTS,
        "denominator": 200,
        "denominator_source": "registry",
        "rates": RATES,
        "support": SUPPORT,
    }
    return SimpleNamespace(**base | changes)


# The commune entered 25 cards given to social-assistance beneficiaries not in the registry,
# and a village under it entered 2 workers gone abroad; a house built with mobilised funds.
ENTRIES = Entries(
    totals={"bhyt_cards": 25, "jobs_abroad": 2, "houses_new": 1},
    notes=(
        EntryNote(
            row=ROWS_BY_CODE["bhyt_cards"],
            own=25,
            below=0,
            below_units=0,
            note="Đối tượng bảo trợ xã hội",
            entered_by="Nguyễn Văn Cán",
            entered_at=COMPUTED_AT,
        ),
        EntryNote(row=ROWS_BY_CODE["jobs_abroad"], own=None, below=2, below_units=1),
        EntryNote(row=ROWS_BY_CODE["houses_new"], own=1, below=0, below_units=0),
    ),
)

# code: (from the registry, entered, total)
EXPECTED = {
    "households": (200, None, 200),
    "poor_households": (9, None, 9),
    "poor_rate": (Decimal("4.50"), None, Decimal("4.50")),
    "poor_persons": (31, None, 31),
    "near_poor_households": (15, None, 15),
    "near_poor_rate": (Decimal("7.50"), None, Decimal("7.50")),
    "minority_households": (40, None, 40),
    "minority_poor_households": (5, None, 5),
    "minority_poor_rate": (Decimal("12.50"), None, Decimal("12.50")),
    "minority_poor_persons": (19, None, 19),
    "bhyt_cards": (70, 25, 95),
    "bhyt_poor_persons": (30, None, 30),
    "kcb_poor_visits": (12, None, 12),
    "kcb_children_visits": (4, None, 4),
    "tuition_pupils": (6, None, 6),
    "study_cost_pupils": (0, None, 0),  # no programme row: nothing delivered
    "land_households": (2, None, 2),
    "trained_persons": (7, None, 7),
    "trained_poor_persons": (4, None, 4),
    "jobs_persons": (5, 2, 7),  # the entered total is the sum of its sub-rows' entries
    "jobs_in_province": (3, None, 3),
    "jobs_outside_province": (1, None, 1),
    "jobs_abroad": (1, 2, 3),
    "houses": (4, 1, 5),
    "houses_new": (3, 1, 4),
    "houses_repair": (1, None, 1),
    "houses_amount": (160_000_000, None, 160_000_000),
    "loans": (4, None, 4),
    "loan_households": (3, None, 3),
    "loan_amount": (200_000_000, None, 200_000_000),
    "electricity_households": (9, None, 9),
    "electricity_amount": (1_656_000, None, 1_656_000),
}


@pytest.fixture(scope="module")
def report():
    return build_report(kpis(), ENTRIES)


def test_rows_have_unique_codes_that_fit_an_entry():
    codes = [row.code for row in ROWS]
    assert len(codes) == len(set(codes))
    assert max(len(c) for c in codes) <= 40  # ReportEntry.row


def test_rows_come_in_the_order_of_the_report(report):
    mains = [line.row.code for line in report.lines if line.row.number and not line.is_section]
    assert mains == [
        "households",
        "poor_households",
        "near_poor_households",
        "minority_households",
        "minority_poor_households",
        "minority_near_poor_households",
        "bhyt_cards",
        "kcb_poor_visits",
        "kcb_children_visits",
        "tuition_pupils",
        "study_cost_pupils",
        "land_households",
        "trained_persons",
        "jobs_persons",
        "houses",
        "loans",
        "electricity_households",
    ]


@pytest.mark.parametrize("code", list(EXPECTED))
def test_each_row_has_the_figures_worked_out(report, code):
    line = report.line(code)
    assert (line.registry, line.entered, line.total) == EXPECTED[code]


def test_rates_and_list_counts_cannot_be_entered():
    kinds = {ROWS_BY_CODE[c].kind for c in ENTERABLE}
    assert "rate" not in kinds
    assert not {"households", "poor_households", "minority_poor_households"} & set(ENTERABLE)


def test_an_entry_for_a_row_that_cannot_be_entered_is_ignored():
    report = build_report(kpis(), Entries(totals={"poor_households": 3, "poor_rate": 1}))
    assert report.line("poor_households").total == 9
    assert report.line("poor_rate").entered is None


def test_an_empty_denominator_leaves_the_rates_empty():
    empty = kpis(
        counts={k: 0 for k in COUNTS},
        denominator=0,
        rates={k: None for k in RATES},
        support=[],
    )
    report = build_report(empty, Entries())
    assert report.line("poor_rate").total is None
    assert report.line("poor_rate").shown_total == ""
    assert report.line("poor_households").shown_total == "0"
    assert report.line("loans").total == 0


def test_an_entered_resident_count_replaces_the_registry_households():
    report = build_report(kpis(denominator=250, denominator_source="entered"), Entries())
    line = report.line("households")
    assert (line.registry, line.entered, line.total) == (200, 250, 250)
    with translation.override("en"):
        assert "250 households" in report_notes(report)[0]


def test_figures_are_shown_as_a_vietnamese_report_prints_them(report):
    with translation.override("vi"):
        assert report.line("poor_rate").shown_total == "4,50"
        assert report.line("loan_amount").shown_total == "200.000.000"
        assert report.line("bhyt_cards").shown_entered == "25"


def test_entered_rows_say_who_entered_what(report):
    with translation.override("en"):
        own, below, _ = (entry_text(n) for n in report.entries)
    assert "by the unit: 25 (Đối tượng bảo trợ xã hội, Nguyễn Văn Cán, 01/12/2026)" in own
    assert "by 1 unit under it: 2" in below


# --- the XLSX export ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sheet(report):
    with translation.override("en"), timezone.override("Asia/Ho_Chi_Minh"):
        data = yearly_workbook(report)
    return load_workbook(BytesIO(data)).active


def _rows_by_label(sheet) -> dict[str, int]:
    """The sheet row of each report line, by the label printed in column B."""
    found = {}
    for n in range(HEADER_ROW + 2, sheet.max_row + 1):
        label = sheet.cell(row=n, column=2).value
        if label:
            found.setdefault(label.removeprefix("- "), n)
    return found


def test_the_sheet_names_the_unit_year_and_computing_time(sheet):
    texts = [sheet.cell(row=r, column=c).value for r in range(1, 7) for c in (1, 3)]
    assert "Unit: Xã Mỹ Hòa Hưng" in texts
    assert any(t and "2026" in t and "RESULTS" in t for t in texts)
    assert "Figures computed at 01/12/2026 08:30" in texts
    header = [sheet.cell(row=HEADER_ROW, column=c).value for c in range(1, 7)]
    assert header == [
        "No.",
        "Indicator",
        "Unit of measure",
        "From the registry",
        "Entered",
        "Total",
    ]


def test_the_sheet_has_every_line_in_order(sheet, report):
    with translation.override("en"):
        labels = [str(line.row.label) for line in report.lines]
    got = [
        sheet.cell(row=HEADER_ROW + 2 + n, column=2).value.removeprefix("- ")
        for n in range(len(labels))
    ]
    assert got == labels


@pytest.mark.parametrize("code", list(EXPECTED))
def test_the_sheet_holds_the_numbers_as_numbers(sheet, code):
    with translation.override("en"):
        label = str(ROWS_BY_CODE[code].label)
    # "of which ..." labels repeat (two rates of ethnic-minority households): find by position.
    n = HEADER_ROW + 2 + [r.code for r in ROWS].index(code)
    assert sheet.cell(row=n, column=2).value.removeprefix("- ") == label
    registry, entered, total = EXPECTED[code]
    cells = [sheet.cell(row=n, column=c) for c in (4, 5, 6)]
    for cell, expected in zip(cells, (registry, entered, total), strict=True):
        if expected is None:
            assert cell.value is None
        elif ROWS_BY_CODE[code].kind == "rate":
            assert cell.value == pytest.approx(float(expected) / 100)
            assert cell.number_format == RATE_FORMAT
        else:
            assert cell.value == expected
            assert type(cell.value) is int
            assert cell.number_format == COUNT_FORMAT


def test_sections_have_no_figures(sheet):
    for n, row in enumerate(ROWS):
        if row.kind == SECTION:
            assert [sheet.cell(row=HEADER_ROW + 2 + n, column=c).value for c in (4, 5, 6)] == [
                None,
                None,
                None,
            ]


def test_the_sheet_is_laid_out_for_a4_portrait(sheet):
    widths = [sheet.column_dimensions[c].width for c in "ABCDEF"]
    assert widths == list(WIDTHS)
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 2}"


def test_the_sheet_ends_with_the_notes_and_signatures(sheet):
    texts = [
        str(sheet.cell(row=r, column=c).value) for r in range(1, sheet.max_row + 1) for c in (1, 4)
    ]
    assert "PREPARED BY" in texts
    assert "HEAD OF THE UNIT" in texts
    assert "Rates are of the households in the registry." in texts
    assert any(
        t.startswith("Health-insurance cards issued (cards): by the unit: 25") for t in texts
    )
