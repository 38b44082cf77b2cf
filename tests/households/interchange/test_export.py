"""Export: scoped rows in the interchange format, a CSV zip with a BOM, an XLSX workbook read
back with openpyxl, continuation sheets, formulas neutralised, the pages and the template."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from households.interchange import export
from households.interchange.format import TABLES, parse_cell
from households.models import Household
from policies.support.catalogue import load_catalogue
from policies.support.models import Disbursement, Programme
from reports.services import resident_count_set

from ..factories import family, make_household, member, review

pytestmark = pytest.mark.django_db

PAID_ON = dt.date(2026, 1, 15)


@pytest.fixture
def mine(officer, my_hoa_hung, village):
    """A household of Xã Mỹ Hòa Hưng whose address would be a formula in a spreadsheet."""
    members = family()
    members[1]["ethnicity"] = "06"  # Mường in QĐ 121, 04 in the census numbering
    return make_household(
        officer,
        my_hoa_hung,
        village=village,
        address='=HYPERLINK("http://evil")',
        phone="+84912345678",
        members=members,
        review_data=review(deprivations=["D22_NUTRITION", "D22_WATER_SOURCE"]),
    )


@pytest.fixture
def theirs(other_officer, long_xuyen):
    return make_household(
        other_officer, long_xuyen, members=[member("Người Khác Xã", id_number="089080000999")]
    )


def _pay(household, officer, amount=150_000, **extra):
    load_catalogue()
    programme = Programme.objects.get(code="bhyt")
    return Disbursement.objects.create(
        programme=programme,
        household=household,
        commune=household.commune,
        unit_path=household.unit_path,
        year=2026,
        paid_on=PAID_ON,
        period="2026",
        amount=amount,
        funding_source="central",
        recorded_by=officer,
        **extra,
    )


@pytest.fixture
def paid(mine, theirs, officer, other_officer):
    payment = _pay(mine, officer)
    reversal = _pay(mine, officer, amount=-150_000, kind="reversal", quantity=-1, reverses=payment)
    _pay(theirs, other_officer)
    return payment, reversal


@pytest.fixture
def counts(officer, other_officer, my_hoa_hung, long_xuyen):
    resident_count_set(
        actor=officer, unit=my_hoa_hung, year=2026, households=1200, source="Công an xã"
    )
    resident_count_set(
        actor=other_officer, unit=long_xuyen, year=2026, households=9000, source="Công an phường"
    )


def _all(rows_by_table):
    return {table: list(rows) for table, rows in rows_by_table.items()}


def _xlsx(user, **kwargs) -> openpyxl.Workbook:
    out = io.BytesIO()
    export.write_xlsx(export.export_rows(user, **kwargs), out)
    out.seek(0)
    return openpyxl.load_workbook(out, read_only=True)


def _sheet_rows(workbook, name):
    rows = list(workbook[name].iter_rows(values_only=True))
    header = rows[0]
    # A read-only sheet leaves out the blank cells at the end of a row.
    return [dict(zip(header, (*row, *[None] * (len(header) - len(row))), strict=True))
            for row in rows[1:]]  # fmt: skip


# --- rows ---------------------------------------------------------------------------------


def test_rows_have_exactly_the_columns_of_their_table(mine, paid, counts, officer):
    for table, rows in _all(export.export_rows(officer)).items():
        assert rows, table
        assert all(set(row) == set(TABLES[table].header) for row in rows), table


def test_a_commune_sees_nothing_of_another_commune(mine, theirs, paid, counts, officer):
    rows = _all(export.export_rows(officer))
    assert [r["household_code"] for r in rows["households"]] == [mine.code]
    assert {r["household_code"] for r in rows["members"]} == {mine.code}
    assert {r["household_code"] for r in rows["reviews"]} == {mine.code}
    assert {r["household_code"] for r in rows["disbursements"]} == {mine.code}
    assert [r["unit_code"] for r in rows["resident_counts"]] == [mine.commune.code]


def test_province_staff_export_one_commune(mine, theirs, province_staff, long_xuyen):
    rows = _all(export.export_rows(province_staff, unit=long_xuyen))
    assert [r["household_code"] for r in rows["households"]] == [theirs.code]


def test_id_numbers_are_exported_only_to_the_household_s_own_commune(
    mine, theirs, officer, province_staff
):
    # Issue 12: the full number for the commune's officers and chair only; a masked number is
    # no number to import back, so for province (and district) staff the column is blank.
    mine_rows = list(export.export_rows(officer)["members"])
    assert "089080000123" in {r["id_number"] for r in mine_rows}
    province_rows = list(export.export_rows(province_staff)["members"])
    assert {r["household_code"] for r in province_rows} == {mine.code, theirs.code}
    assert all(not r["id_number"] for r in province_rows)


def test_a_unit_outside_the_area_is_refused(officer, long_xuyen):
    with pytest.raises(PermissionDenied):
        export.export_rows(officer, unit=long_xuyen)


def test_years_limit_the_yearly_tables_only(mine, paid, counts, officer):
    rows = _all(export.export_rows(officer, years=[2027]))
    assert len(rows["households"]) == 1
    assert len(rows["members"]) == 3
    assert rows["reviews"] == rows["disbursements"] == rows["resident_counts"] == []


def test_household_row(mine, officer, village):
    (row,) = export.export_rows(officer)["households"]
    assert row == {
        "household_code": mine.code,
        "scheme": "2025",
        "commune_code": "30313",
        "village_code": village.code,
        "area_type": "rural",
        "address": '=HYPERLINK("http://evil")',
        "phone": "+84912345678",
        "status": "active",
    }


def test_member_rows_carry_keys_and_the_ethnicity_name(mine, officer):
    rows = list(export.export_rows(officer)["members"])
    head = mine.members.get(relationship="head")
    assert rows[0]["member_key"] == f"reg-{head.pk}"
    assert rows[0]["id_number"] == "089080000123"
    assert (rows[1]["ethnicity"], rows[1]["ethnicity_name"]) == ("06", "Mường")


def test_census_numbering_writes_census_codes(mine, officer):
    rows = list(export.export_rows(officer, numbering="census")["members"])
    assert (rows[1]["ethnicity"], rows[1]["ethnicity_name"]) == ("04", "Mường")
    assert rows[0]["ethnicity"] == "01"


def test_review_row_has_the_recognised_and_computed_results(mine, officer):
    (row,) = export.export_rows(officer)["reviews"]
    stored = mine.reviews.get()
    assert row["deprivations"] == ["D22_NUTRITION", "D22_WATER_SOURCE"]
    assert row["recognised_classification"] == stored.recognised_classification
    assert row["computed_classification"] == stored.computed_classification
    assert (row["list_year"], row["kind"]) == (2026, "periodic")


def test_a_reversal_names_the_payment_it_reverses(paid, officer):
    payment, reversal = paid
    rows = list(export.export_rows(officer)["disbursements"])
    assert [(r["disbursement_key"], r["kind"], r["reverses_key"]) for r in rows] == [
        (f"reg-{payment.pk}", "payment", None),
        (f"reg-{reversal.pk}", "reversal", f"reg-{payment.pk}"),
    ]
    assert rows[1]["amount"] == -150_000


# --- CSV ----------------------------------------------------------------------------------


def test_csv_zip_has_a_file_per_table_with_a_bom_and_the_header(mine, paid, counts, officer):
    out = io.BytesIO()
    counts_written = export.write_csv_zip(export.export_rows(officer), out)
    archive = zipfile.ZipFile(out)
    assert archive.namelist() == [f"{t}.csv" for t in TABLES]
    assert counts_written == {
        "households": 1,
        "members": 3,
        "reviews": 1,
        "disbursements": 2,
        "resident_counts": 1,
    }
    raw = archive.read("households.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == TABLES["households"].header
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["address"] == '\'=HYPERLINK("http://evil")'
    assert row["phone"] == "'+84912345678"


def test_csv_cells_read_back_to_the_exported_values(mine, paid, officer):
    out = io.BytesIO()
    export.write_csv_zip(export.export_rows(officer), out)
    archive = zipfile.ZipFile(out)
    for table, expected in _all(export.export_rows(officer)).items():
        reader = csv.DictReader(io.StringIO(archive.read(f"{table}.csv").decode("utf-8-sig")))
        read = [
            {c.name: parse_cell(c, row[c.name]) for c in TABLES[table].columns} for row in reader
        ]
        blanks = {c.name: c.blank_value for c in TABLES[table].columns}
        assert read == [{k: v if v is not None else blanks[k] for k, v in r.items()}
                        for r in expected], table  # fmt: skip


def test_stream_csv_of_one_table(mine, officer):
    body = b"".join(export.stream_csv("members", export.export_rows(officer)["members"]))
    lines = body.decode("utf-8-sig").splitlines()
    assert body.startswith(b"\xef\xbb\xbf")
    assert lines[0] == ",".join(TABLES["members"].header)
    assert len(lines) == 4


# --- XLSX ---------------------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_table_with_the_expected_values(mine, paid, counts, officer):
    workbook = _xlsx(officer)
    assert workbook.sheetnames == list(TABLES)
    (household,) = _sheet_rows(workbook, "households")
    assert household["household_code"] == mine.code
    assert household["commune_code"] == "30313"
    assert household["address"] == '\'=HYPERLINK("http://evil")'
    members = _sheet_rows(workbook, "members")
    assert [m["full_name"] for m in members] == ["Nguyễn Văn An", "Trần Thị Bình",
                                                 "Nguyễn Văn Cường"]  # fmt: skip
    assert members[0]["birth_year"] == 1980
    assert members[0]["has_health_insurance"] == "1"
    assert members[0]["ethnicity"] == "01"
    (review_row,) = _sheet_rows(workbook, "reviews")
    assert review_row["income_per_capita"] == 1_200_000
    assert review_row["deprivations"] == "D22_NUTRITION;D22_WATER_SOURCE"
    assert review_row["survey_date"] == "2025-10-15"
    disbursements = _sheet_rows(workbook, "disbursements")
    assert [d["amount"] for d in disbursements] == [150_000, -150_000]
    (count,) = _sheet_rows(workbook, "resident_counts")
    assert (count["households"], count["source"]) == (1200, "Công an xã")


def test_xlsx_holds_no_formula(mine, officer):
    out = io.BytesIO()
    export.write_xlsx(export.export_rows(officer), out)
    out.seek(0)
    workbook = openpyxl.load_workbook(out)  # formulas kept as formulas, if any
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)


def test_a_long_table_continues_on_further_sheets(officer, my_hoa_hung):
    for n in range(4):
        make_household(officer, my_hoa_hung, members=[member(f"Chủ hộ {n}")])
    out = io.BytesIO()
    rows = export.export_rows(officer)
    export.write_xlsx({"households": rows["households"], "members": rows["members"]}, out,
                      max_rows=3)  # fmt: skip
    out.seek(0)
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["households", "households (2)", "members", "members (2)"]
    codes = [r["household_code"] for name in ("households", "households (2)")
             for r in _sheet_rows(workbook, name)]  # fmt: skip
    assert codes == sorted(Household.objects.values_list("code", flat=True))
    assert len(_sheet_rows(workbook, "households")) == 2


def test_control_characters_are_dropped_from_xlsx(officer, my_hoa_hung):
    make_household(officer, my_hoa_hung, members=[member("Lò\x07 Văn A")])
    workbook = _xlsx(officer)
    assert [m["full_name"] for m in _sheet_rows(workbook, "members")] == ["Lò Văn A"]


def test_write_export_writes_either_format(mine, officer):
    for fmt in export.FORMATS:
        out = io.BytesIO()
        assert export.write_export(officer, None, None, fmt, out)["households"] == 1
    with pytest.raises(ValueError):
        export.write_export(officer, None, None, "ods", io.BytesIO())


def test_template_has_the_headers_and_describes_every_column():
    with translation.override("vi"):
        data = export.template_xlsx()
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == [*TABLES, "columns"]
    for table in TABLES.values():
        assert next(workbook[table.name].iter_rows(values_only=True)) == table.header
    described = list(workbook["columns"].iter_rows(values_only=True))
    assert described[0][0] == "bảng"
    assert [(r[0], r[1]) for r in described[1:]] == [
        (t.name, c.name) for t in TABLES.values() for c in t.columns
    ]
    status = next(r for r in described if r[:2] == ("households", "status"))
    assert status[3] == "không"
    assert status[4].startswith("active = Đang sinh sống tại xã; moved_out = ")


# --- pages --------------------------------------------------------------------------------


def test_export_page_offers_only_units_of_the_area(client, officer, my_hoa_hung, long_xuyen):
    client.force_login(officer)
    body = client.get("/households/export/").content.decode()
    assert f'<option value="{my_hoa_hung.pk}"' in body
    assert f'<option value="{long_xuyen.pk}"' not in body


def test_export_of_another_commune_is_404_like_a_missing_unit(client, officer, long_xuyen):
    client.force_login(officer)
    other = client.get(f"/households/export/?unit={long_xuyen.pk}&format=xlsx")
    absent = client.get("/households/export/?unit=2000000000&format=xlsx")
    assert other.status_code == absent.status_code == 404
    assert long_xuyen.name not in other.content.decode()


def test_export_page_downloads_xlsx(client, officer, mine, my_hoa_hung):
    client.force_login(officer)
    response = client.get(f"/households/export/?unit={my_hoa_hung.pk}&format=xlsx&numbering=qd121")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ansinh-30313-')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["households"]["A2"].value == mine.code


def test_export_page_streams_one_table_as_csv(client, officer, mine):
    client.force_login(officer)
    response = client.get("/households/export/?format=csv&table=members&numbering=census")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("household_code,member_key,")


def test_export_page_refuses_a_table_as_xlsx(client, officer):
    client.force_login(officer)
    response = client.get("/households/export/?format=xlsx&table=members&numbering=qd121")
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]


@override_settings(INTERCHANGE_DIRECT_EXPORT_MAX_HOUSEHOLDS=0)
def test_a_large_area_is_not_written_in_the_request(client, officer, mine):
    client.force_login(officer)
    response = client.get(
        "/households/export/?format=csv&numbering=qd121", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Content-Disposition" not in response
    assert "This area has 1 households, more than the 0" in response.content.decode()


def test_household_list_links_to_export_and_template(client, officer):
    client.force_login(officer)
    body = client.get("/households/").content.decode()
    assert 'href="/households/export/"' in body
    assert 'href="/households/interchange/template.xlsx"' in body


def test_template_download(client, officer):
    client.force_login(officer)
    response = client.get("/households/interchange/template.xlsx")
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[-1] == "columns"


def _queries_to_export(user) -> int:
    user = type(user).objects.get(pk=user.pk)  # a fresh user: its scope is read again
    with CaptureQueriesContext(connection) as captured:
        _all(export.export_rows(user))
    return len(captured)


def test_the_queries_do_not_grow_with_the_rows(officer, my_hoa_hung):
    make_household(officer, my_hoa_hung, members=[member("Chủ hộ 1")])
    one = _queries_to_export(officer)
    for n in range(2, 6):
        make_household(officer, my_hoa_hung, members=[member(f"Chủ hộ {n}"), member(
            f"Con {n}", relationship="child", birth_year=2015)])  # fmt: skip
    # The scope (its assignments, and the successions of a 2025 commune), then one a table.
    assert one == _queries_to_export(officer) == 3 + len(TABLES)
