"""The reports of the demo: the summaries rebuilt from what the other seeders wrote (a check
that changes nothing when the services kept them), a resident total entered for one commune, and
a demo target of the province. Idempotent."""

from __future__ import annotations

from registry.choices import Level, Scheme
from registry.models import AdminUnit, User

from .models import PovertyTarget, ResidentCount, TargetKind, TargetMeasure
from .services import resident_count_set, target_save
from .summaries import summaries_rebuild

YEAR = 2026
PROVINCE = "91"
COMMUNE, OFFICER = "30313", "canbo.myhoahung"  # Mỹ Hòa Hưng enters its resident total
PROVINCE_USER = "tinh.angiang"
DEMO_BASIS = "Kế hoạch giảm nghèo (dữ liệu minh họa)"


def seed() -> str:
    differed = summaries_rebuild()
    entered = 0
    commune = AdminUnit.objects.filter(
        scheme=Scheme.CURRENT, level=Level.COMMUNE, code=COMMUNE
    ).first()
    officer = User.objects.filter(username=OFFICER).first()
    if commune and officer and not ResidentCount.objects.filter(unit=commune).exists():
        resident_count_set(
            actor=officer,
            unit=commune,
            year=YEAR,
            households=412,
            source="Dữ liệu dân cư của Công an xã (minh họa)",
        )
        entered += 1
    province = AdminUnit.objects.filter(
        scheme=Scheme.CURRENT, level=Level.PROVINCE, code=PROVINCE
    ).first()
    staff = User.objects.filter(username=PROVINCE_USER).first()
    if province and staff and not PovertyTarget.objects.filter(unit=province).exists():
        target_save(
            actor=staff,
            unit=province,
            measure=TargetMeasure.POOR_RATE,
            kind=TargetKind.YEARLY_REDUCTION,
            value="1.5",
            from_year=2026,
            to_year=2030,
            basis=DEMO_BASIS,
        )
        target_save(
            actor=staff,
            unit=province,
            measure=TargetMeasure.MULTIDIMENSIONAL_RATE,
            kind=TargetKind.BELOW_BY,
            value="10",
            from_year=2026,
            to_year=2030,
            basis=DEMO_BASIS,
        )
        entered += 2
    return f"Reports: summaries rebuilt ({differed} cells differed), {entered} figures entered."
