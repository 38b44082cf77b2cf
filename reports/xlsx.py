"""The yearly report as an XLSX workbook (openpyxl), laid out like the printed page: the unit and
the national motto, the title, the table and the signature block.

Numbers are numbers: counts and amounts are integer cells shown with thousands separators, rates
are numeric cells holding the fraction (3.25 % is 0.0325) with a percentage format, so a province
can add up its communes' sheets without retyping anything.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .yearly import RATE, YearlyReport, _c, authority, entry_text, report_notes

COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
WIDTHS = (6, 58, 12, 15, 15, 15)  # STT, indicator, unit of measure, registry, entered, total
HEADER_ROW = 8
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)


def _merged(ws: Worksheet, row: int, first: int, last: int, value: str, **style) -> None:
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row=row, column=first, value=value)
    cell.alignment = style.pop("alignment", CENTER)
    for name, item in style.items():
        setattr(cell, name, item)


def _number(cell, value, kind: str) -> None:
    if value is None:
        return
    if kind == RATE:
        cell.value = value / 100
        cell.number_format = RATE_FORMAT
    else:
        cell.value = int(value)
        cell.number_format = COUNT_FORMAT
    cell.alignment = Alignment(horizontal="right", vertical="center")


def yearly_workbook(report: YearlyReport) -> bytes:
    """The report as the bytes of an .xlsx file."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(report.year)
    for n, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width

    _merged(ws, 1, 1, 2, authority(report.unit), font=BOLD)
    _merged(ws, 1, 3, 6, _c("SOCIALIST REPUBLIC OF VIET NAM"), font=BOLD)
    _merged(
        ws,
        2,
        3,
        6,
        _c("Independence - Freedom - Happiness"),
        font=Font(bold=True, underline="single"),
    )
    title = _c("Poverty-reduction results, year %(year)s") % {"year": report.year}
    _merged(ws, 4, 1, 6, title.upper(), font=Font(bold=True, size=13))
    _merged(ws, 5, 1, 6, _c("Unit: %(unit)s") % {"unit": report.unit.name})
    computed = timezone.localtime(report.computed_at).strftime("%d/%m/%Y %H:%M")
    _merged(
        ws, 6, 1, 6, _c("Figures computed at %(time)s") % {"time": computed},
        font=Font(italic=True, size=9),
    )  # fmt: skip

    headers = (
        _c("No."),
        _c("Indicator"),
        _c("Unit of measure"),
        _c("From the registry"),
        _c("Entered"),
        _c("Total"),
    )
    for n, text in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=n, value=text)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
    for n, text in enumerate(("A", "B", "C", "1", "2", "3 = 1 + 2"), start=1):
        cell = ws.cell(row=HEADER_ROW + 1, column=n, value=text)
        cell.font, cell.alignment, cell.border = Font(italic=True, size=9), CENTER, BOX
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 2, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"

    row_number = HEADER_ROW + 2
    for line in report.lines:
        row = line.row
        cells = [ws.cell(row=row_number, column=n) for n in range(1, 7)]
        for cell in cells:
            cell.border = BOX
        cells[0].value, cells[0].alignment = row.number, CENTER
        label = ("- " if row.depth else "") + str(row.label)
        cells[1].value = label
        cells[1].alignment = Alignment(vertical="center", wrap_text=True, indent=2 * row.depth)
        if line.is_section or row.depth == 0:
            cells[1].font = BOLD
        if line.is_section:
            cells[0].font = BOLD
        else:
            cells[2].value, cells[2].alignment = str(row.measure), CENTER
            _number(cells[3], line.registry, row.kind)
            _number(cells[4], line.entered, row.kind)
            _number(cells[5], line.total, row.kind)
        row_number += 1

    row_number += 1
    for note in [*report_notes(report), *(entry_text(e) for e in report.entries)]:
        _merged(ws, row_number, 1, 6, note, alignment=WRAP, font=Font(italic=True, size=9))
        ws.row_dimensions[row_number].height = 24
        row_number += 1

    row_number += 1
    _merged(ws, row_number, 4, 6, _c("…, day … month … year …"), font=Font(italic=True))
    row_number += 1
    _merged(ws, row_number, 1, 3, _c("PREPARED BY"), font=BOLD)
    _merged(ws, row_number, 4, 6, _c("HEAD OF THE UNIT"), font=BOLD)
    row_number += 1
    _merged(ws, row_number, 1, 3, _c("(signature and full name)"), font=Font(italic=True))
    _merged(ws, row_number, 4, 6, _c("(signature, full name and seal)"), font=Font(italic=True))

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
