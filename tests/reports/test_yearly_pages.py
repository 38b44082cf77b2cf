"""The yearly report's pages on a small registry: two communes of An Giang whose summary rows
are written here (the summaries' agreement with the raw records is tested with them), the rows
their staff enter, the XLSX export opened with openpyxl, and who may see and enter what."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from policies.support.catalogue import load_catalogue
from policies.support.models import Programme
from registry.choices import Role
from reports.models import ReportEntry, StatusSummary, SupportSummary
from reports.xlsx import HEADER_ROW, RATE_FORMAT
from reports.yearly import ROWS, report_entries_set

pytestmark = pytest.mark.django_db

YEAR = 2026
R = "/reports/units"


def client_for(user) -> Client:
    http = Client()
    http.force_login(user)
    return http


def _status(commune, **counts) -> None:
    StatusSummary.objects.create(
        commune=commune, unit_path=commune.path, year=YEAR, updated_at=timezone.now(), **counts
    )


def _support(commune, code: str, variant: str = "", **counters) -> None:
    SupportSummary.objects.create(
        commune=commune,
        unit_path=commune.path,
        year=YEAR,
        updated_at=timezone.now(),
        programme=Programme.objects.get(code=code),
        variant=variant,
        **counters,
    )


@pytest.fixture
def registry(my_hoa_hung, long_xuyen):
    """Mỹ Hòa Hưng: 120 households, 6 poor (21 persons), 9 near-poor, 20 ethnic-minority of
    which 3 poor; 27 cards (21 to persons of poor households), 2 loans of 30 million to 2 poor
    households. Long Xuyên: 80 households, 2 poor, 3 near-poor; 6 cards; 1 loan of 30 million to
    a near-poor household. An Giang: 200 households, 8 poor (4.00 %), 12 near-poor (6.00 %),
    3 of 20 ethnic-minority households poor (15.00 %); 33 cards; 3 loans, 3 households, 90
    million."""
    load_catalogue()
    _status(
        my_hoa_hung,
        households=120,
        persons=430,
        poor_households=6,
        poor_persons=21,
        near_poor_households=9,
        near_poor_persons=30,
        minority_households=20,
        minority_persons=70,
        minority_poor_households=3,
        minority_poor_persons=11,
    )
    _status(
        long_xuyen,
        households=80,
        persons=300,
        poor_households=2,
        poor_persons=6,
        near_poor_households=3,
        near_poor_persons=10,
    )
    _support(my_hoa_hung, "bhyt", quantity=27, payments=27, persons=27, households=9,
             poor_persons=21, poor_households=6)  # fmt: skip
    _support(long_xuyen, "bhyt", quantity=6, payments=6, persons=6, households=2)
    _support(my_hoa_hung, "vbsp_poor", quantity=2, payments=2, households=2,
             amount=60_000_000, poor_households=2)  # fmt: skip
    _support(long_xuyen, "vbsp_near_poor", quantity=1, payments=1, households=1,
             amount=30_000_000)  # fmt: skip


@pytest.fixture
def entered(registry, officer, province_staff, my_hoa_hung, an_giang):
    """Mỹ Hòa Hưng entered 5 cards given to social-assistance beneficiaries; the province
    entered 10 of its own."""
    note = {"bhyt_cards": "Đối tượng BTXH"}
    report_entries_set(
        actor=officer, unit=my_hoa_hung, year=YEAR, values={"bhyt_cards": 5}, notes=note
    )
    report_entries_set(
        actor=province_staff, unit=an_giang, year=YEAR, values={"bhyt_cards": 10}, notes={}
    )


def _row(page: str, code: str) -> str:
    start = page.index(f'data-row="{code}"')
    return page[start : page.index("</tr>", start)]


def _cells(page: str, code: str) -> list[str]:
    """The three figures of a row as printed: registry, entered, total."""
    import re

    row = _row(page, code)
    found = re.findall(r'<td class="yr-num[^"]*">(.*?)</td>', row, re.S)
    return [re.sub(r"<[^>]+>|\(\*\)", "", cell).strip() for cell in found]


def test_a_commune_report_shows_its_figures_in_vietnamese(entered, officer, my_hoa_hung):
    response = client_for(officer).get(f"{R}/{my_hoa_hung.pk}/yearly/?year={YEAR}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "UBND XÃ MỸ HÒA HƯNG" in page
    assert "Biểu tổng hợp kết quả giảm nghèo năm 2026" in page
    assert "NGƯỜI LẬP BIỂU" in page and "THỦ TRƯỞNG ĐƠN VỊ" in page
    assert _cells(page, "households") == ["120", "", "120"]
    assert _cells(page, "poor_rate") == ["5,00", "", "5,00"]  # 6 / 120
    assert _cells(page, "minority_poor_rate") == ["15,00", "", "15,00"]  # 3 / 20
    assert _cells(page, "bhyt_cards") == ["27", "5", "32"]
    assert _cells(page, "loan_amount") == ["60.000.000", "", "60.000.000"]
    assert "Đối tượng BTXH" in page  # the entry's note, marked as entered


def test_a_province_report_sums_its_communes_and_their_entries(entered, province_staff, an_giang):
    page = client_for(province_staff).get(f"{R}/{an_giang.pk}/yearly/?year={YEAR}")
    page = page.content.decode()
    assert _cells(page, "households") == ["200", "", "200"]
    assert _cells(page, "poor_households") == ["8", "", "8"]
    assert _cells(page, "poor_rate") == ["4,00", "", "4,00"]  # 8 / 200
    assert _cells(page, "near_poor_rate") == ["6,00", "", "6,00"]  # 12 / 200
    assert _cells(page, "bhyt_cards") == ["33", "15", "48"]  # 10 of its own, 5 of Mỹ Hòa Hưng
    assert _cells(page, "loans") == ["3", "", "3"]
    assert _cells(page, "loan_households") == ["3", "", "3"]
    assert _cells(page, "loan_amount") == ["90.000.000", "", "90.000.000"]


def test_the_xlsx_export_holds_the_expected_numbers(entered, province_staff, an_giang):
    response = client_for(province_staff).get(f"{R}/{an_giang.pk}/yearly/xlsx/?year={YEAR}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bao-cao-giam-ngheo-2025-91-2026.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    line = {row.code: HEADER_ROW + 2 + n for n, row in enumerate(ROWS)}

    def figures(code: str) -> list:
        return [sheet.cell(row=line[code], column=c).value for c in (4, 5, 6)]

    assert sheet.cell(row=line["poor_households"], column=2).value == "Số hộ nghèo"
    assert figures("households") == [200, None, 200]
    assert figures("poor_households") == [8, None, 8]
    assert figures("bhyt_cards") == [33, 15, 48]
    assert figures("loan_amount") == [90_000_000, None, 90_000_000]
    rate = sheet.cell(row=line["poor_rate"], column=6)
    assert rate.value == pytest.approx(0.04)  # 4.00 %, a number with a percentage format
    assert rate.number_format == RATE_FORMAT
    assert sheet.cell(row=5, column=1).value == "Đơn vị: Tỉnh An Giang"


# --- entering rows -----------------------------------------------------------------------------


def test_the_units_staff_enter_rows_and_the_history_is_kept(registry, officer, my_hoa_hung):
    http = client_for(officer)
    url = f"{R}/{my_hoa_hung.pk}/yearly/entries/?year={YEAR}"
    assert http.get(url).status_code == 200
    response = http.post(url, {"bhyt_cards": "1.200", "bhyt_cards__note": "BTXH"})
    assert response.status_code == 302
    http.post(url, {"bhyt_cards": "1.250", "electricity_households": "4"})
    entries = {e.row: e.value for e in ReportEntry.objects.filter(unit=my_hoa_hung, year=YEAR)}
    assert entries == {"bhyt_cards": 1250, "electricity_households": 4}
    http.post(url, {"electricity_households": "4"})  # the cards row left empty: removed
    history = ReportEntry.history.filter(unit_id=my_hoa_hung.pk, row="bhyt_cards")
    assert [h.history_type for h in history.order_by("history_id")] == ["+", "~", "-"]
    assert {h.history_user_id for h in history} == {officer.pk}
    page = http.get(url).content.decode()
    assert page.count("<tr>") >= 4  # the history table lists the four changes
    assert "1.250" in page


def test_bad_input_is_named_beside_its_field(registry, officer, my_hoa_hung):
    url = f"{R}/{my_hoa_hung.pk}/yearly/entries/?year={YEAR}"
    response = client_for(officer).post(url, {"bhyt_cards": "12,5", "loans": "-3"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["bhyt_cards"] == ["Hãy nhập một số nguyên, ví dụ 1.200."]
    assert form.errors["loans"] == ["Hãy nhập một số nguyên từ 0 trở lên."]
    assert not ReportEntry.objects.exists()


def test_staff_above_the_unit_read_its_report_but_do_not_enter_it(
    registry, province_staff, my_hoa_hung
):
    http = client_for(province_staff)
    assert http.get(f"{R}/{my_hoa_hung.pk}/yearly/?year={YEAR}").status_code == 200
    assert http.get(f"{R}/{my_hoa_hung.pk}/yearly/entries/?year={YEAR}").status_code == 403
    assert (
        http.post(f"{R}/{my_hoa_hung.pk}/yearly/entries/?year={YEAR}", {"loans": "1"}).status_code
        == 403
    )
    assert not ReportEntry.objects.exists()


@pytest.mark.parametrize("path", ["yearly/", "yearly/xlsx/", "yearly/entries/"])
def test_another_communes_report_is_as_if_missing(registry, other_officer, my_hoa_hung, path):
    assert client_for(other_officer).get(f"{R}/{my_hoa_hung.pk}/{path}").status_code == 404


def test_another_provinces_staff_get_404(registry, make_user, an_giang, my_hoa_hung):
    from registry.choices import Level, Scheme
    from registry.models import AdminUnit

    ha_noi = AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.PROVINCE, code="01")
    http = client_for(make_user(Role.PROVINCE_STAFF, ha_noi))
    assert http.get(f"{R}/{an_giang.pk}/yearly/").status_code == 404
    assert http.get(f"{R}/{my_hoa_hung.pk}/yearly/xlsx/").status_code == 404


@pytest.mark.parametrize("year", ["abc", "1999", "99999999999999999999"])
def test_a_year_the_registry_cannot_hold_answers_404(officer, my_hoa_hung, year):
    assert client_for(officer).get(f"{R}/{my_hoa_hung.pk}/yearly/?year={year}").status_code == 404


def test_only_the_units_own_staff_may_enter(
    officer, chair, province_staff, district_staff, admin_user_, my_hoa_hung, an_giang, cho_moi
):
    from reports.yearly import may_enter

    assert may_enter(officer, my_hoa_hung)
    assert not may_enter(chair, my_hoa_hung)  # the chair signs; the officer enters
    assert not may_enter(officer, an_giang)
    assert not may_enter(province_staff, my_hoa_hung)
    assert may_enter(province_staff, an_giang)
    assert may_enter(district_staff, cho_moi)
    assert may_enter(admin_user_, my_hoa_hung)


def test_the_service_refuses_a_row_that_cannot_be_entered(officer, my_hoa_hung):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        report_entries_set(
            actor=officer, unit=my_hoa_hung, year=YEAR, values={"poor_rate": 3}, notes={}
        )
    assert list(refused.value.message_dict) == ["poor_rate"]
    assert not ReportEntry.objects.exists()
