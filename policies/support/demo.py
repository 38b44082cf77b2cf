"""A year of support in the demo communes: the province's plans allocated down to the communes,
health-insurance cards, the four quarters of the electricity subsidy, a local housing programme
with the commune's priority list and the first houses, loans in the order of a priority list, a
reversal and an override of a commune's ceiling; and, in the three-level scheme of 2025, the
district allocating to its commune.

Everything goes through the services, so the demo obeys every rule. Idempotent: nothing is
done when the province already has a plan for the demo year.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from households.models import Household, HouseholdYear
from registry.choices import Level, Scheme
from registry.models import AdminUnit, User

from .catalogue import load_catalogue
from .models import Allocation, Programme
from .services import allocations, disbursements, priority

YEAR = 2026
PROVINCE = "91"  # An Giang, two-level scheme
COMMUNES = (("30313", "canbo.myhoahung"), ("30307", "canbo.longxuyen"))
LEGACY_PROVINCE, LEGACY_DISTRICT, LEGACY_COMMUNE = "89", "893", "30634"
HOUSING = "nha_dai_doan_ket_ag"
# Electricity quarters are paid in the second month of each quarter.
QUARTER_PAID_ON = {1: dt.date(YEAR, 2, 10), 2: dt.date(YEAR, 5, 11), 3: dt.date(YEAR, 8, 10)}
QUARTER_PAID_ON[4] = dt.date(YEAR, 11, 10)


def _unit(scheme: str, level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(scheme=scheme, level=level, code=code)


def _listed(commune: AdminUnit, classification: str, year: int = YEAR) -> list[Household]:
    ids = HouseholdYear.objects.filter(
        commune=commune, list_year=year, classification=classification, end_reason=""
    ).values_list("household_id", flat=True)
    return list(Household.objects.filter(pk__in=ids).order_by("code"))


def _local_housing(province_staff: User, province: AdminUnit) -> Programme:
    """The province's own housing programme, paid from the "Vì người nghèo" fund."""
    programme = allocations.programme_create_local(
        actor=province_staff,
        province=province,
        code=HOUSING,
        name_vi="Nhà Đại đoàn kết (Quỹ Vì người nghèo tỉnh An Giang)",
        name_en="Great Solidarity houses (An Giang's fund for the poor)",
        legal_basis="Kế hoạch của Ủy ban MTTQ và UBND tỉnh An Giang (dữ liệu mẫu)",
        benefit_kind="house",
        beneficiary="household",
        period_kind="once",
        count_unit="house",
        amount_rule="fixed",
        funding_sources=["mobilised", "local"],
        for_poor=True,
        for_near_poor=True,
        uses_priority_list=True,
        capped=True,
        valid_from=dt.date(YEAR, 1, 1),
    )
    for variant, value in (("new", 60_000_000), ("repair", 30_000_000)):
        allocations.parameter_add(
            actor=province_staff,
            programme=programme,
            key="amount",
            variant=variant,
            value=value,
            unit="VND",
            valid_from=dt.date(YEAR, 1, 1),
            source="Dữ liệu mẫu của tỉnh",
            confirmed=True,
        )
    return programme


def _plan(actor, programme, unit, *, reason: str, year: int = YEAR, **targets) -> Allocation:
    return allocations.allocation_set(
        actor=actor, programme=programme, year=year, unit=unit, reason=reason, **targets
    )


@transaction.atomic
def seed() -> str:
    """Create the demo year of support; returns a one-line summary."""
    load_catalogue()
    province = _unit(Scheme.CURRENT, Level.PROVINCE, PROVINCE)
    if Allocation.objects.filter(unit=province, year=YEAR).exists():
        return "Demo support: already there."
    today = timezone.localdate()
    staff = User.objects.get(username="tinh.angiang")
    programmes = {p.code: p for p in Programme.objects.all()}
    programmes[HOUSING] = _local_housing(staff, province)
    # The province's plan for the year, then its allocation to each commune (no districts).
    plans = {
        "electricity": {"amount": 120_000_000, "beneficiaries": 200},
        "bhyt": {"quantity": 1_500, "beneficiaries": 1_500},
        "study_cost": {"amount": 150_000_000, "beneficiaries": 150},
        "vbsp_poor": {"amount": 2_000_000_000, "quantity": 40, "beneficiaries": 40},
        HOUSING: {"amount": 900_000_000, "quantity": 15, "beneficiaries": 15},
    }
    for code, targets in plans.items():
        _plan(staff, programmes[code], province, reason="Kế hoạch giảm nghèo năm 2026", **targets)
    paid = 0
    for code, officer_name in COMMUNES:
        commune = _unit(Scheme.CURRENT, Level.COMMUNE, code)
        officer = User.objects.get(username=officer_name)
        poor = _listed(commune, "poor")
        share = {code_: max(1, len(poor)) for code_ in plans}
        electricity = _plan(
            staff, programmes["electricity"], commune, reason="Phân bổ theo số hộ nghèo",
            amount=share["electricity"] * 4 * 190_000, beneficiaries=share["electricity"],
        )  # fmt: skip
        _plan(
            staff, programmes["bhyt"], commune, reason="Phân bổ theo số nhân khẩu",
            quantity=500, beneficiaries=500,
        )  # fmt: skip
        _plan(
            staff, programmes["vbsp_poor"], commune, reason="Nguồn vốn NHCSXH ủy thác",
            amount=400_000_000, quantity=8, beneficiaries=8,
        )  # fmt: skip
        _plan(
            staff, programmes[HOUSING], commune, reason="Theo đề xuất của xã",
            amount=150_000_000, quantity=3, beneficiaries=3,
        )  # fmt: skip
        # Cards for every member of the listed households, in January.
        cards = disbursements.disbursement_batch_run(
            actor=officer, programme=programmes["bhyt"], commune=commune, period=str(YEAR),
            paid_on=dt.date(YEAR, 1, 15),
        )  # fmt: skip
        paid += cards.paid_count
        for quarter, paid_on in QUARTER_PAID_ON.items():
            if paid_on > today:
                break
            batch = disbursements.disbursement_batch_run(
                actor=officer, programme=programmes["electricity"], commune=commune,
                period=f"{YEAR}-Q{quarter}", paid_on=paid_on,
            )  # fmt: skip
            paid += batch.paid_count
        if code == "30307":  # Long Xuyên: one payment sent to the wrong account, reversed
            wrong = batch.disbursements.order_by("pk").first()
            if wrong is not None:
                disbursements.disbursement_reverse(
                    actor=officer, disbursement=wrong,
                    reason="Chuyển nhầm tài khoản, đã thu hồi; chi lại kỳ sau.",
                )  # fmt: skip
            allocations.allocation_override_create(
                actor=staff, allocation=electricity, extra_amount=2_000_000,
                reason="Giá điện bậc 1 tăng trong năm: cho phép chi vượt phân bổ.",
            )  # fmt: skip
        paid += _houses_and_loans(officer, commune, programmes, poor)
    paid += _legacy_district()
    return f"Demo support: {paid} payments recorded."


def _decided_list(officer, programme, commune, households, reasons) -> object:
    the_list = priority.priority_list_create(
        actor=officer, programme=programme, year=YEAR, commune=commune
    )
    for household, reason in zip(households, reasons, strict=False):
        priority.priority_entry_add(
            actor=officer, priority_list=the_list, household=household, reason=reason
        )
    return priority.priority_list_decide(
        actor=officer, priority_list=the_list, meeting_on=dt.date(YEAR, 3, 12), attendees=46,
        agreed=41, minutes="Họp dân ấp bình xét, thống nhất thứ tự ưu tiên hỗ trợ.",
    )  # fmt: skip


def _houses_and_loans(officer, commune, programmes, poor: list[Household]) -> int:
    """A priority list for houses (the first two built) and one for loans (the first paid)."""
    candidates = poor[:5]
    if len(candidates) < 3:
        return 0
    reasons = (
        "Nhà tạm, dột nát; chủ hộ cao tuổi",
        "Nhà dột nát, có người khuyết tật",
        "Nhà xuống cấp, cần sửa mái",
        "Nhà tạm, đông con nhỏ",
        "Nhà cũ, tường nứt",
    )
    _decided_list(officer, programmes[HOUSING], commune, candidates, reasons)
    for household, variant in zip(candidates[:2], ("new", "repair"), strict=True):
        disbursements.disbursement_record(
            actor=officer, programme=programmes[HOUSING], household=household,
            paid_on=dt.date(YEAR, 6, 20), variant=variant, funding_source="mobilised",
            reference=f"BB-{household.code}",
        )  # fmt: skip
    borrowers = poor[5:8] or candidates
    _decided_list(
        officer, programmes["vbsp_poor"], commune, borrowers,
        ("Cần vốn nuôi bò sinh sản", "Cần vốn trồng rau màu", "Cần vốn buôn bán nhỏ"),
    )  # fmt: skip
    disbursements.disbursement_record(
        actor=officer, programme=programmes["vbsp_poor"], household=borrowers[0],
        paid_on=dt.date(YEAR, 4, 2), amount=50_000_000, reference=f"HDV-{YEAR}-001",
    )  # fmt: skip
    return 3


def _legacy_district() -> int:
    """2025, three-level scheme: the old province plans, the district allocates to its commune,
    the commune pays the first two quarters of the electricity subsidy (before 1 July 2025)."""
    admin = User.objects.get(username="admin")
    district_staff = User.objects.get(username="huyen.chomoi")
    officer = User.objects.get(username="canbo.chomoi")
    electricity = Programme.objects.get(code="electricity")
    province = _unit(Scheme.LEGACY, Level.PROVINCE, LEGACY_PROVINCE)
    district = _unit(Scheme.LEGACY, Level.DISTRICT, LEGACY_DISTRICT)
    commune = _unit(Scheme.LEGACY, Level.COMMUNE, LEGACY_COMMUNE)
    poor = _listed(commune, "poor", 2025)
    for unit, amount, actor in (
        (province, 500_000_000, admin),
        (district, 60_000_000, admin),
        (commune, max(1, len(poor)) * 2 * 190_000, district_staff),
    ):
        _plan(
            actor, electricity, unit, year=2025, amount=amount,
            reason="Kế hoạch hỗ trợ tiền điện năm 2025",
        )  # fmt: skip
    paid = 0
    for quarter, paid_on in ((1, dt.date(2025, 2, 10)), (2, dt.date(2025, 5, 12))):
        batch = disbursements.disbursement_batch_run(
            actor=officer, programme=electricity, commune=commune, period=f"2025-Q{quarter}",
            paid_on=paid_on,
        )  # fmt: skip
        paid += batch.paid_count
    return paid
