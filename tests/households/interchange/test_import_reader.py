"""Reading interchange files: CSV, ZIP and XLSX streamed row by row, and the files refused
before any row is written (wrong encoding, formulas, zip bombs, oversized files, unknown or
missing columns and sheets)."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from django.utils import translation

from households.interchange.importing import import_file
from households.interchange.reader import FileRefused, guess_encoding, open_source
from households.models import Household, ImportBatch

from .files import csv_bytes, family, household, write_xlsx, write_zip


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: precomposed where the code page has the letter (ơ, â,
    đ), the tone as a combining mark after it."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        kept = "".join(m for m in marks if m in "\u0302\u0306\u031b")
        tone = "".join(m for m in marks if m not in kept)
        out.append((unicodedata.normalize("NFC", base + kept) + tone).encode("cp1258"))
    return b"".join(out)


CP1258_TEXT = cp1258("household_code,full_name\nHH-1,Đặng Thị Ưng\n")


def refused(path, filename=None):
    with pytest.raises(FileRefused) as caught:
        open_source(path, filename).rows("households").__next__()
    return caught.value.problems


# --- rows ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_csv_with_a_bom_is_read_with_its_row_numbers(tmp_path):
    path = tmp_path / "households.csv"
    path.write_bytes(csv_bytes("households", [household("A"), household("B")], bom=True))
    rows = list(open_source(path).rows("households"))
    assert [(r.file, r.number, r.cells["household_code"]) for r in rows] == [
        ("households.csv", 2, "A"),
        ("households.csv", 3, "B"),
    ]


@pytest.mark.django_db
def test_a_zip_holds_one_csv_file_per_table(tmp_path):
    source = open_source(write_zip(tmp_path / "lists.zip", family()))
    assert source.tables == ["households", "members", "reviews"]
    assert [r.cells["member_key"] for r in source.rows("members")] == ["1", "2"]


@pytest.mark.django_db
def test_a_workbook_table_continues_on_numbered_sheets(tmp_path):
    rows = [household(f"H{n}") for n in range(5)]
    path = write_xlsx(tmp_path / "lists.xlsx", {"households": rows}, max_rows=2)
    source = open_source(path)
    read = list(source.rows("households"))
    assert [(r.file, r.number, r.cells["household_code"]) for r in read] == [
        ("households", 2, "H0"), ("households", 3, "H1"),
        ("households (2)", 2, "H2"), ("households (2)", 3, "H3"),
        ("households (3)", 2, "H4"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_blank_rows_are_skipped(tmp_path):
    path = tmp_path / "households.csv"
    body = csv_bytes("households", [household("A")]) + b",,,,\n"
    path.write_bytes(body)
    assert len(list(open_source(path).rows("households"))) == 1


# --- encodings ----------------------------------------------------------------------------------


def test_windows_1258_is_recognised_by_its_vietnamese_letters():
    assert guess_encoding(CP1258_TEXT).startswith("Windows-1258")


def test_utf_16_is_recognised_by_its_bom():
    assert guess_encoding("household_code\n".encode("utf-16")).startswith("UTF-16")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("encoding", "named"),
    [("cp1258", "Windows-1258"), ("cp1252", "Windows-1252"), ("utf-16", "UTF-16")],
)
def test_a_csv_not_in_utf8_is_refused_naming_its_encoding(tmp_path, officer, encoding, named):
    text = csv_bytes("households", [household(address="Đường Ưu Đàm, ấp Mỹ Hòa")]).decode()
    if encoding == "cp1252":
        text = text.replace("Đường Ưu Đàm, ấp Mỹ Hòa", "Café Noël")
    path = tmp_path / "households.csv"
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename="households.csv")
    assert not result.ok
    assert len(result.errors) == 1
    assert "not in UTF-8" in result.errors[0].message
    assert named in result.errors[0].message
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_an_encoding_error_further_down_is_refused_with_its_row(tmp_path):
    good = csv_bytes("households", [household(f"H{n}") for n in range(2000)])
    bad = cp1258("HH-X,2025,30313,rural,Ấp Đông\n")
    path = tmp_path / "households.csv"
    path.write_bytes(good + bad)
    with pytest.raises(FileRefused) as caught:
        list(open_source(path).rows("households"))
    assert caught.value.problems[0].row == 2002


@pytest.mark.django_db
def test_the_refusal_is_in_vietnamese_by_default(tmp_path, officer):
    path = tmp_path / "households.csv"
    path.write_bytes(CP1258_TEXT)
    result = import_file(actor=officer, path=path, filename="households.csv")
    assert "UTF-8" in result.errors[0].message
    assert "không" in result.errors[0].message.lower()


# --- formulas -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_workbook_with_a_formula_is_refused_naming_the_cell(tmp_path, officer):
    path = write_xlsx(tmp_path / "lists.xlsx", family())
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook["households"]["F2"] = '=HYPERLINK("http://example.com","x")'
    workbook.save(path)
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename="lists.xlsx")
    assert not result.ok
    problem = result.errors[0]
    assert (problem.file, problem.row) == ("households", 2)
    assert "F2" in problem.message and "formula" in problem.message
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_a_csv_cell_that_starts_a_formula_is_refused(tmp_path, officer):
    path = tmp_path / "households.csv"
    path.write_bytes(csv_bytes("households", [household(address="=1+2")]))
    result = import_file(actor=officer, path=path, filename="households.csv")
    assert [(p.row, p.column) for p in result.errors] == [(2, "address")]


# --- sizes and zip bombs ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, officer, settings):
    settings.INTERCHANGE_MAX_FILE_BYTES = 100
    path = write_zip(tmp_path / "lists.zip", family())
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename="lists.zip")
    assert not result.ok
    assert "at most" in result.errors[0].message


def _bomb(path, inner_name: str, size: int = 20 * 1024**2) -> None:
    """Add to a ZIP (or workbook) a member of `size` zero bytes: it compresses about 1000x."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(inner_name, b"\0" * size)


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path, officer):
    path = write_zip(tmp_path / "lists.zip", family())
    _bomb(path, "members2.csv")
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename="lists.zip")
    assert not result.ok
    assert "zip bomb" in result.errors[0].message
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_zip_bomb_workbook_is_refused_before_openpyxl_opens_it(tmp_path, officer):
    path = write_xlsx(tmp_path / "lists.xlsx", family())
    _bomb(path, "xl/media/image1.png")
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename="lists.xlsx")
    assert "zip bomb" in result.errors[0].message


@pytest.mark.django_db
def test_a_workbook_too_large_decompressed_is_refused(tmp_path, officer, settings):
    settings.INTERCHANGE_MAX_UNCOMPRESSED_BYTES = 1000
    path = write_xlsx(tmp_path / "lists.xlsx", family())
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename="lists.xlsx")
    assert "Decompressed" in result.errors[0].message


# --- headers and sheets -------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_each_named(tmp_path):
    path = tmp_path / "households.csv"
    path.write_bytes(b"household_code,scheme,commune,area_type\nA,2025,30313,rural\n")
    problems = refused(path)
    assert {(p.row, p.column) for p in problems} == {(1, "commune"), (1, "commune_code")}


@pytest.mark.django_db
def test_a_repeated_column_is_refused(tmp_path):
    path = tmp_path / "households.csv"
    path.write_bytes(b"household_code,scheme,commune_code,area_type,scheme\nA,2025,1,rural,2025\n")
    assert [p.column for p in refused(path)] == ["scheme"]


@pytest.mark.django_db
def test_a_csv_named_after_no_table_is_refused(tmp_path):
    path = tmp_path / "ho_ngheo.csv"
    path.write_bytes(b"x\n1\n")
    with pytest.raises(FileRefused):
        open_source(path)


@pytest.mark.django_db
def test_a_sheet_named_after_no_table_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "lists.xlsx", family())
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.create_sheet("Sheet1").append(["x"])
    workbook.save(path)
    with pytest.raises(FileRefused) as caught:
        open_source(path)
    assert "Sheet1" in caught.value.problems[0].message


@pytest.mark.django_db
def test_the_template_s_columns_sheet_is_ignored(tmp_path):
    path = write_xlsx(tmp_path / "lists.xlsx", family())
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.create_sheet("columns").append(["table", "column", "help"])
    workbook.save(path)
    assert open_source(path).tables == ["households", "members", "reviews"]


@pytest.mark.django_db
def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path):
    path = tmp_path / "households.csv"
    header = csv_bytes("households", [household()]).splitlines()[0]
    path.write_bytes(header + b"\nA,2025,30313,rural,Ap 1,extra\n")
    assert refused(path)[0].row == 2


def test_the_report_is_csv_in_utf8_with_a_bom_and_neutralised_cells():
    from households.interchange.importing import ImportResult, Problem

    result = ImportResult(
        ok=False,
        dry_run=False,
        errors=[Problem("households.csv", 2, "address", "=1+2", "Đây là công thức.")],
    )
    with translation.override("vi"):
        report = result.report_csv()
    assert report.startswith("\ufeff".encode())
    text = io.StringIO(report.decode("utf-8-sig")).read()
    header, line = text.splitlines()[:2]
    assert header == "tệp,dòng,cột,giá trị,vấn đề,loại"
    assert "'=1+2" in line


def _with_entities(path) -> None:
    """Rewrite the households sheet of a workbook with a DTD declaring nested entities (the
    "billion laughs": each level ten of the one before) and a cell that uses the last one."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    workbook = parts["xl/workbook.xml"].decode()
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    assert 'name="households"' in workbook
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    dtd = f"<!DOCTYPE worksheet [{''.join(levels)}]>"
    xml = parts[sheet].decode()
    start = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    # The DTD before the root element; the entity used in a cell of a last row.
    xml = xml[:start] + dtd + xml[start:]
    xml = xml.replace(
        "</sheetData>",
        '<row r="99"><c r="A99" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>',
        1,
    )
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.django_db
@pytest.mark.parametrize("defused", [True, False], ids=["defusedxml", "expat-limit"])
def test_a_workbook_with_xml_entities_is_refused_and_nothing_is_written(
    tmp_path, officer, defused, monkeypatch
):
    """Refused whichever parser reads the sheets: defusedxml's (openpyxl uses it when it is
    installed, as here), or the standard library's, whose expat stops the expansion."""
    if not defused:
        from xml.etree import ElementTree

        import openpyxl.worksheet._reader

        monkeypatch.setattr(openpyxl.worksheet._reader, "iterparse", ElementTree.iterparse)

    path = write_xlsx(tmp_path / "lists.xlsx", family())
    _with_entities(path)
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename="lists.xlsx")
    assert not result.ok
    # defusedxml refuses the DTD as openpyxl opens the workbook; expat once the sheet is read.
    assert [problem.file for problem in result.errors] == [
        "lists.xlsx" if defused else "households"
    ]
    assert "declares XML entities" in result.errors[0].message
    assert not Household.objects.exists()
    assert not ImportBatch.objects.exists()
