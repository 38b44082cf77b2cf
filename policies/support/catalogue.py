"""The national support programmes a province reports on, with their legal bases and dated
parameters: the one place the law's support numbers live. `load_catalogue` (run by
`manage.py load_programmes`) writes them; it is idempotent and never changes a parameter that
was already loaded (a correction is a new dated row, entered by an administrator).

Numbers are from ../shared/domain.md §3 and domain-verified.md §5. A number those files mark
UNCONFIRMED, or one derived here from a reported amount, is loaded with `confirmed=False`, and
where no number was found none is loaded: an administrator adds it with its source.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from django.db import transaction

D = dt.date
ALL_FROM = D(2022, 1, 1)  # the 2022-2025 standard's first list year

PROGRAMMES: list[dict[str, Any]] = [
    {
        "code": "bhyt",
        "name_vi": "Thẻ bảo hiểm y tế cho thành viên hộ nghèo, hộ cận nghèo",
        "name_en": "Health-insurance cards for members of poor and near-poor households",
        # Law on Health Insurance art. 12.3(h) (poor: budget pays the premium);
        # Decree 146/2018/ND-CP art. 3.9(a), 8.1(a)(b) as amended by Decree 75/2023/ND-CP
        # (near-poor: at least 70%, 100% in a poor district).
        "legal_basis": "Luật Bảo hiểm y tế Điều 12.3(h); Nghị định 146/2018/NĐ-CP Điều 3.9(a), "
        "8.1(a)(b), sửa đổi bởi Nghị định 75/2023/NĐ-CP",
        "benefit_kind": "card",
        "beneficiary": "person",
        "period_kind": "year",
        "count_unit": "card",
        "amount_rule": "none",
        "funding_sources": ["central", "local"],
        "for_poor": True,
        "for_near_poor": True,
        "capped": False,
        "tracks_entitlements": True,
        "valid_from": ALL_FROM,
        "parameters": [
            # The state's share of the premium, in percent (Decree 146/2018 art. 3.9(a), 8.1).
            ("support_share_percent", "poor", 100, "%", ALL_FROM, True,
             "Nghị định 146/2018/NĐ-CP Điều 3.9(a), sửa đổi bởi 75/2023/NĐ-CP"),
            ("support_share_percent", "near_poor", 70, "%", ALL_FROM, True,
             "Nghị định 146/2018/NĐ-CP Điều 8.1(a), sửa đổi bởi 75/2023/NĐ-CP (tối thiểu 70%)"),
        ],
    },
    {
        "code": "kcb_poor",
        "name_vi": "Khám, chữa bệnh cho người thuộc hộ nghèo",
        "name_en": "Medical examination and treatment for members of poor households",
        # Law on Health Insurance art. 22.1(a) with art. 12.3(h): the fund pays 100%.
        "legal_basis": "Luật Bảo hiểm y tế Điều 22.1(a), Điều 12.3(h)",
        "benefit_kind": "medical_visit",
        "beneficiary": "person",
        "period_kind": "each",
        "count_unit": "visit",
        "amount_rule": "none",
        "funding_sources": ["insurance"],
        "for_poor": True,
        "capped": False,
        "valid_from": ALL_FROM,
    },
    {
        "code": "kcb_children_under6",
        "name_vi": "Khám, chữa bệnh cho trẻ em dưới 6 tuổi thuộc hộ nghèo, hộ cận nghèo",
        "name_en": "Medical examination and treatment for children under 6 of poor and "
        "near-poor households",
        # Law on Health Insurance art. 12.3 (children under 6 insured by the budget), art. 22.1.
        "legal_basis": "Luật Bảo hiểm y tế Điều 12.3, Điều 22.1",
        "benefit_kind": "medical_visit",
        "beneficiary": "person",
        "period_kind": "each",
        "count_unit": "visit",
        "amount_rule": "none",
        "funding_sources": ["insurance"],
        "for_poor": True,
        "for_near_poor": True,
        "max_age": 6,
        "capped": False,
        "valid_from": ALL_FROM,
    },
    {
        "code": "tuition_exemption",
        "name_vi": "Miễn học phí cho học sinh, sinh viên dân tộc thiểu số thuộc hộ nghèo, "
        "hộ cận nghèo",
        "name_en": "Tuition exemption for ethnic-minority students of poor and near-poor "
        "households",
        # Decree 238/2025/ND-CP (effective 3 Sep 2025; replaces Decrees 81/2021 and 97/2023):
        # VET and higher-education students who are ethnic minorities with a parent or
        # grandparent in a poor or near-poor household pay no tuition.
        "legal_basis": "Nghị định 238/2025/NĐ-CP",
        "benefit_kind": "tuition",
        "beneficiary": "person",
        "period_kind": "year",
        "count_unit": "pupil",
        "amount_rule": "none",
        "funding_sources": ["central", "local"],
        "for_poor": True,
        "for_near_poor": True,
        "min_age": 15,
        "in_school_only": True,
        "ethnic_minority_only": True,
        "capped": False,
        "tracks_entitlements": True,
        "valid_from": D(2025, 9, 3),
    },
    {
        "code": "study_cost",
        "name_vi": "Hỗ trợ chi phí học tập",
        "name_en": "Study-cost support",
        # Decree 238/2025/ND-CP (amount UNCONFIRMED); Decision 66/2013/QD-TTg for
        # ethnic-minority higher-education students. Paid per month of schooling.
        "legal_basis": "Nghị định 238/2025/NĐ-CP; Quyết định 66/2013/QĐ-TTg",
        "benefit_kind": "tuition",
        "beneficiary": "person",
        "period_kind": "month",
        "count_unit": "pupil",
        "amount_rule": "fixed",
        "funding_sources": ["central", "local"],
        "for_poor": True,
        "for_near_poor": True,
        "min_age": 3,
        "in_school_only": True,
        "capped": True,
        "tracks_entitlements": True,
        "valid_from": ALL_FROM,
        "parameters": [
            # 150,000 VND a month under Decree 81/2021 is unverified memory only (domain.md §3).
            ("amount", "", 150_000, "VND", ALL_FROM, False,
             "Nghị định 81/2021/NĐ-CP (UNCONFIRMED: số liệu chưa kiểm chứng)"),
        ],
    },
    {
        "code": "electricity",
        "name_vi": "Hỗ trợ tiền điện cho hộ nghèo",
        "name_en": "Electricity subsidy for poor households",
        # Decision 28/2014/QD-TTg art. 3: 30 kWh a month at the tier-1 household tariff, paid
        # quarterly; Decision 14/2025/QD-TTg keeps the mechanism (final wording UNCONFIRMED).
        "legal_basis": "Quyết định 28/2014/QĐ-TTg Điều 3; Quyết định 60/2014/QĐ-TTg; "
        "Quyết định 14/2025/QĐ-TTg",
        "benefit_kind": "subsidy",
        "beneficiary": "household",
        "period_kind": "quarter",
        "count_unit": "household",
        "amount_rule": "kwh_tariff",
        "funding_sources": ["central", "local"],
        "for_poor": True,
        "capped": True,
        "tracks_entitlements": True,
        "valid_from": D(2014, 6, 1),
        "parameters": [
            # Decision 28/2014/QD-TTg art. 3 (SECONDARY, domain-verified.md §5 [E1][E2]).
            ("kwh_per_month", "", 30, "kWh", D(2014, 6, 1), True,
             "Quyết định 28/2014/QĐ-TTg Điều 3"),
            # 46,000 VND a month from 1 Jun 2014 [E2], i.e. about 1,533 VND/kWh (derived here).
            ("tier1_tariff", "", 1_533, "VND/kWh", D(2014, 6, 1), False,
             "46.000 đồng/hộ/tháng từ 01/6/2014 (suy ra 1.533 đồng/kWh; chưa kiểm chứng)"),
            # 61,333 VND a month paid in Q1 2025 (Ninh Hoa, [E7]): about 2,044 VND/kWh with VAT
            # (inferred, UNCONFIRMED). The tariff in force in 2026 was not found.
            ("tier1_tariff", "", 2_044, "VND/kWh", D(2025, 1, 1), False,
             "Ninh Hòa (Khánh Hòa) quý I/2025: 61.333 đồng/hộ/tháng (UNCONFIRMED)"),
        ],
    },
    {
        "code": "housing_ntp",
        "name_vi": "Hỗ trợ nhà ở (Chương trình mục tiêu quốc gia giảm nghèo bền vững)",
        "name_en": "Housing support (national target programme for sustainable poverty "
        "reduction)",
        # Decision 90/QD-TTg (2022), 2021-2025 programme: 40 million VND for a new house, 20
        # million for a repair, poor and near-poor households in poor districts.
        "legal_basis": "Quyết định 90/QĐ-TTg ngày 18/01/2022",
        "benefit_kind": "house",
        "beneficiary": "household",
        "period_kind": "once",
        "count_unit": "house",
        "amount_rule": "fixed",
        "funding_sources": ["ntp", "local", "mobilised"],
        "for_poor": True,
        "for_near_poor": True,
        "uses_priority_list": True,
        "capped": True,
        "valid_from": ALL_FROM,
        "valid_to": D(2025, 12, 31),
        "parameters": [
            ("amount", "new", 40_000_000, "VND", ALL_FROM, True,
             "Quyết định 90/QĐ-TTg: xây mới 40 triệu đồng/hộ"),
            ("amount", "repair", 20_000_000, "VND", ALL_FROM, True,
             "Quyết định 90/QĐ-TTg: sửa chữa 20 triệu đồng/hộ"),
        ],
    },
    {
        "code": "housing_temporary",
        "name_vi": "Xóa nhà tạm, nhà dột nát",
        "name_en": "Eliminating temporary and dilapidated houses",
        # The 2024-2025 national campaign: 60 million VND a new house, 30 million a repair,
        # to be completed by 31 Oct 2025 (domain.md §3 [S63][S64][S65]).
        "legal_basis": "Phong trào thi đua cả nước chung tay xóa nhà tạm, nhà dột nát 2024-2025",
        "benefit_kind": "house",
        "beneficiary": "household",
        "period_kind": "once",
        "count_unit": "house",
        "amount_rule": "fixed",
        "funding_sources": ["central", "local", "mobilised"],
        "for_poor": True,
        "for_near_poor": True,
        "uses_priority_list": True,
        "capped": True,
        "valid_from": D(2024, 4, 13),
        "valid_to": D(2025, 10, 31),
        "parameters": [
            ("amount", "new", 60_000_000, "VND", D(2024, 4, 13), True,
             "Xóa nhà tạm 2024-2025: xây mới 60 triệu đồng/hộ"),
            ("amount", "repair", 30_000_000, "VND", D(2024, 4, 13), True,
             "Xóa nhà tạm 2024-2025: sửa chữa 30 triệu đồng/hộ"),
        ],
    },
    {
        "code": "vbsp_poor",
        "name_vi": "Cho vay hộ nghèo (Ngân hàng Chính sách xã hội)",
        "name_en": "Loans to poor households (Bank for Social Policies)",
        # Decree 78/2002/ND-CP framework; VBSP now under Decree 06/2026. Rates and ceilings
        # UNCONFIRMED: the loan amount is entered, with no ceiling loaded.
        "legal_basis": "Nghị định 78/2002/NĐ-CP; Nghị định 06/2026/NĐ-CP",
        "benefit_kind": "loan",
        "beneficiary": "household",
        "period_kind": "each",
        "count_unit": "loan",
        "amount_rule": "entered",
        "funding_sources": ["vbsp"],
        "for_poor": True,
        "uses_priority_list": True,
        "capped": True,
        "valid_from": ALL_FROM,
    },
    {
        "code": "vbsp_near_poor",
        "name_vi": "Cho vay hộ cận nghèo (Ngân hàng Chính sách xã hội)",
        "name_en": "Loans to near-poor households (Bank for Social Policies)",
        # Decision 15/2013/QD-TTg: near-poor loans at no more than 130% of the poor rate.
        "legal_basis": "Quyết định 15/2013/QĐ-TTg",
        "benefit_kind": "loan",
        "beneficiary": "household",
        "period_kind": "each",
        "count_unit": "loan",
        "amount_rule": "entered",
        "funding_sources": ["vbsp"],
        "for_poor": False,
        "for_near_poor": True,
        "uses_priority_list": True,
        "capped": True,
        "valid_from": ALL_FROM,
    },
    {
        "code": "vbsp_escaped",
        "name_vi": "Cho vay hộ mới thoát nghèo (trong 3 năm)",
        "name_en": "Loans to households that escaped poverty (within 3 years)",
        # Decision 28/2015/QD-TTg: up to 3 years after leaving the list, at 125% of the poor
        # rate.
        "legal_basis": "Quyết định 28/2015/QĐ-TTg",
        "benefit_kind": "loan",
        "beneficiary": "household",
        "period_kind": "each",
        "count_unit": "loan",
        "amount_rule": "entered",
        "funding_sources": ["vbsp"],
        "for_poor": False,
        "escaped_within_years": 3,  # Decision 28/2015/QD-TTg art. 2
        "uses_priority_list": True,
        "capped": True,
        "tracks_entitlements": True,
        "valid_from": ALL_FROM,
    },
    {
        "code": "residential_land",
        "name_vi": "Hỗ trợ đất ở",
        "name_en": "Residential land",
        # Decision 90/QD-TTg (2022), livelihood and land support; amounts UNCONFIRMED.
        "legal_basis": "Quyết định 90/QĐ-TTg ngày 18/01/2022",
        "benefit_kind": "land",
        "beneficiary": "household",
        "period_kind": "once",
        "count_unit": "plot",
        "amount_rule": "entered",
        "funding_sources": ["ntp", "local"],
        "for_poor": True,
        "for_near_poor": True,
        "uses_priority_list": True,
        "capped": True,
        "valid_from": ALL_FROM,
    },
    {
        "code": "vocational_training",
        "name_vi": "Đào tạo nghề",
        "name_en": "Vocational training",
        # Decision 90/QD-TTg (2022), sub-project on vocational training; amounts UNCONFIRMED.
        # Working age from 15: Labour Code 45/2019/QH14 art. 3.
        "legal_basis": "Quyết định 90/QĐ-TTg ngày 18/01/2022",
        "benefit_kind": "course",
        "beneficiary": "person",
        "period_kind": "each",
        "count_unit": "trainee",
        "amount_rule": "entered",
        "funding_sources": ["ntp", "local"],
        "for_poor": True,
        "for_near_poor": True,
        "escaped_within_years": 3,
        "min_age": 15,
        "uses_priority_list": True,
        "capped": True,
        "valid_from": ALL_FROM,
    },
    {
        "code": "job_placement",
        "name_vi": "Hỗ trợ việc làm",
        "name_en": "Job placement",
        # Decision 90/QD-TTg (2022), sub-project on jobs: in the province, outside it, abroad.
        "legal_basis": "Quyết định 90/QĐ-TTg ngày 18/01/2022",
        "benefit_kind": "job",
        "beneficiary": "person",
        "period_kind": "each",
        "count_unit": "worker",
        "amount_rule": "none",
        "funding_sources": ["ntp", "local"],
        "for_poor": True,
        "for_near_poor": True,
        "escaped_within_years": 3,
        "min_age": 15,
        "capped": False,
        "valid_from": ALL_FROM,
        "variants": ["in_province", "outside_province", "abroad"],
    },
]  # fmt: skip

# Variants of programmes that have no amount parameter to carry them (job placement).
VARIANT_LABELS = {
    "new": ("Xây mới", "New house"),
    "repair": ("Sửa chữa", "Repair"),
    "in_province": ("Trong tỉnh", "In the province"),
    "outside_province": ("Ngoài tỉnh", "Outside the province"),
    "abroad": ("Đi làm việc ở nước ngoài", "Working abroad"),
    "poor": ("Hộ nghèo", "Poor household"),
    "near_poor": ("Hộ cận nghèo", "Near-poor household"),
}


# The parameters' names as officers read them.
PARAMETER_LABELS = {
    "amount": ("Mức hỗ trợ", "Amount"),
    "max_amount": ("Mức tối đa", "Ceiling"),
    "kwh_per_month": ("Số kWh mỗi tháng", "kWh a month"),
    "tier1_tariff": ("Giá điện bậc 1", "Tier-1 tariff"),
    "support_share_percent": ("Tỷ lệ ngân sách hỗ trợ mức đóng", "State's share of the premium"),
}


def _label(table: dict[str, tuple[str, str]], code: str) -> str:
    from django.utils.translation import get_language

    vi, en = table.get(code, (code, code))
    return en if (get_language() or "vi").startswith("en") else vi


def variant_label(code: str) -> str:
    return _label(VARIANT_LABELS, code)


def parameter_label(key: str) -> str:
    return _label(PARAMETER_LABELS, key)


def programme_variants(programme) -> list[str]:
    """The variants a disbursement of `programme` may name ([] when it has none)."""
    for entry in PROGRAMMES:
        if entry["code"] == programme.code and "variants" in entry:
            return list(entry["variants"])
    if programme.amount_rule == "fixed":
        return sorted(
            {p.variant for p in programme.parameters.all() if p.key == "amount" and p.variant}
        )
    return []


@transaction.atomic
def load_catalogue() -> tuple[int, int]:
    """Write the national programmes and their parameters; returns (programmes created,
    parameters created). Existing rows are left as they are."""
    from .models import Programme, ProgrammeParameter

    created_programmes = created_parameters = 0
    for position, entry in enumerate(PROGRAMMES, start=1):
        fields = {k: v for k, v in entry.items() if k not in {"code", "parameters", "variants"}}
        programme, created = Programme.objects.get_or_create(
            code=entry["code"], defaults={**fields, "position": position}
        )
        created_programmes += created
        for key, variant, value, unit, valid_from, confirmed, source in entry.get("parameters", []):
            _, created = ProgrammeParameter.objects.get_or_create(
                programme=programme,
                key=key,
                variant=variant,
                valid_from=valid_from,
                defaults={"value": value, "unit": unit, "confirmed": confirmed, "source": source},
            )
            created_parameters += created
    _close_superseded()
    return created_programmes, created_parameters


def _close_superseded() -> None:
    """End each parameter the day before the next row of the same key and variant starts."""
    from .models import ProgrammeParameter

    rows = list(ProgrammeParameter.objects.order_by("programme_id", "key", "variant", "valid_from"))
    for row, following in pairwise(rows):
        same = (row.programme_id, row.key, row.variant) == (
            following.programme_id,
            following.key,
            following.variant,
        )
        if same and row.valid_to is None:
            row.valid_to = following.valid_from - dt.timedelta(days=1)
            row.save(update_fields=["valid_to"])
