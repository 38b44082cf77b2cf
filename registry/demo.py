"""Demo users for every role, in An Giang (both schemes), for a lived-in first run."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .choices import Level, Role, Scheme
from .models import AdminUnit, User
from .services import assignment_create, village_create

DEMO_PASSWORD = "ansinh-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    scheme: str | None
    level: str | None
    code: str | None


DEMO_USERS = (
    DemoUser("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, None, None, None),
    DemoUser(
        "tinh.angiang", "Trần Thị Tỉnh", Role.PROVINCE_STAFF, Scheme.CURRENT, Level.PROVINCE, "91"
    ),
    DemoUser(
        "huyen.chomoi", "Lê Văn Huyện", Role.DISTRICT_STAFF, Scheme.LEGACY, Level.DISTRICT, "893"
    ),
    # Xã Mỹ Hòa Hưng (rural) and Phường Long Xuyên (urban), two-level scheme.
    DemoUser(
        "canbo.myhoahung",
        "Nguyễn Văn Cán",
        Role.COMMUNE_OFFICER,
        Scheme.CURRENT,
        Level.COMMUNE,
        "30313",
    ),
    DemoUser(
        "chutich.myhoahung",
        "Phạm Thị Chủ",
        Role.COMMUNE_CHAIR,
        Scheme.CURRENT,
        Level.COMMUNE,
        "30313",
    ),
    DemoUser(
        "canbo.longxuyen", "Võ Thị Bộ", Role.COMMUNE_OFFICER, Scheme.CURRENT, Level.COMMUNE, "30307"
    ),
    DemoUser(
        "chutich.longxuyen",
        "Đặng Văn Tịch",
        Role.COMMUNE_CHAIR,
        Scheme.CURRENT,
        Level.COMMUNE,
        "30307",
    ),
    # A commune of the legacy Chợ Mới district, for records made before 1 July 2025.
    DemoUser(
        "canbo.chomoi", "Huỳnh Văn Xã", Role.COMMUNE_OFFICER, Scheme.LEGACY, Level.COMMUNE, "30634"
    ),
)
DEMO_VILLAGES = {
    ("2025", "30313"): [("Ấp Mỹ An", "ấp"), ("Ấp Mỹ Hòa", "ấp"), ("Ấp Mỹ Thạnh", "ấp")],
    ("2025", "30307"): [("Khóm Đông Thịnh", "khóm"), ("Khóm Tây Khánh", "khóm")],
    ("2004", "30634"): [("Ấp Long Hòa", "ấp"), ("Ấp Long Thuận", "ấp")],
}


@transaction.atomic
def seed_users() -> list[tuple[DemoUser, User]]:
    """Create (or refresh) the demo users with their assignments and the demo villages."""
    admin = None
    created = []
    for demo in DEMO_USERS:
        family, _, given = demo.full_name.rpartition(" ")
        user, _ = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = given, family
        user.is_staff = demo.role == Role.SYSTEM_ADMIN
        user.is_superuser = demo.role == Role.SYSTEM_ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        unit = (
            AdminUnit.objects.get(scheme=demo.scheme, level=demo.level, code=demo.code)
            if demo.code
            else None
        )
        assignment_create(user=user, role=demo.role, unit=unit)
        if demo.role == Role.SYSTEM_ADMIN:
            admin = user
        created.append((demo, user))
    for (scheme, code), villages in DEMO_VILLAGES.items():
        commune = AdminUnit.objects.get(scheme=scheme, level=Level.COMMUNE, code=code)
        existing = set(commune.children.values_list("name", flat=True))
        for name, kind in villages:
            if name not in existing:
                village_create(actor=admin, commune=commune, name=name, division_type=kind)
    return created
