"""Load official administrative units from the `vietnam-provinces` package, in either scheme.

Loading is idempotent: units are matched by (scheme, level, code); a second run creates and
changes nothing. An area type an administrator corrected is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from .choices import AreaType, Level, Scheme, SuccessionKind
from .models import AdminUnit, UnitSuccession
from .text import search_key

# Resolution 202/2025/QH15 and Decision 19/2025/QĐ-TTg: the two-level scheme from 1 July 2025.
REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_END = dt.date(2025, 6, 30)
SUCCESSION_SOURCE = "vietnam-provinces: BangChuyendoiĐVHCmoi_cu_khong_merge.csv (2025 conversion)"

# Area type from the commune's type: xã is rural; phường and thị trấn are urban (domain.md §4).
# Đặc khu (special zones, since 2025) are island units; treated as rural until MAE guidance says
# otherwise (UNCONFIRMED). Administrators may correct any commune's area type in the admin.
AREA_BY_TYPE = {
    "xã": AreaType.RURAL,
    "phường": AreaType.URBAN,
    "thị trấn": AreaType.URBAN,
    "đặc khu": AreaType.RURAL,
}
CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


@dataclass
class LoadReport:
    """What one load changed, per (scheme, level)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    successions_created: int = 0

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + self.successions_created

    def lines(self) -> list[str]:
        keys = sorted(set(self.created) | set(self.updated))
        out = [
            f"{k}: {self.created.get(k, 0)} created, {self.updated.get(k, 0)} updated" for k in keys
        ]
        out.append(f"successions: {self.successions_created} created")
        return out


@dataclass(frozen=True)
class _Row:
    level: str
    code: str
    name: str
    division_type: str
    parent_code: str | None
    area_type: str | None


def _code(level: str, value: int) -> str:
    return str(int(value)).zfill(CODE_WIDTH[level])


def _legacy_rows(province: int | None) -> Iterable[_Row]:
    from vietnam_provinces.legacy.base import District, Province, Ward

    provinces = [p for p in Province.iter_all() if province is None or int(p.code) == province]
    for p in provinces:
        yield _Row(
            Level.PROVINCE, _code(Level.PROVINCE, p.code), p.name, str(p.division_type), None, None
        )
    wanted = {int(p.code) for p in provinces}
    districts = [d for d in District.iter_all() if int(d.province_code) in wanted]
    for d in districts:
        yield _Row(
            Level.DISTRICT,
            _code(Level.DISTRICT, d.code),
            d.name,
            str(d.division_type),
            _code(Level.PROVINCE, d.province_code),
            None,
        )
    district_codes = {int(d.code) for d in districts}
    for w in Ward.iter_all():
        if int(w.district_code) in district_codes:
            yield _Row(
                Level.COMMUNE,
                _code(Level.COMMUNE, w.code),
                w.name,
                str(w.division_type),
                _code(Level.DISTRICT, w.district_code),
                AREA_BY_TYPE[str(w.division_type)],
            )


def _current_rows(province: int | None) -> Iterable[_Row]:
    from vietnam_provinces import Province, Ward

    provinces = [p for p in Province.iter_all() if province is None or int(p.code) == province]
    for p in provinces:
        yield _Row(
            Level.PROVINCE, _code(Level.PROVINCE, p.code), p.name, str(p.division_type), None, None
        )
    wanted = {int(p.code) for p in provinces}
    for w in Ward.iter_all():
        if int(w.province_code) in wanted:
            yield _Row(
                Level.COMMUNE,
                _code(Level.COMMUNE, w.code),
                w.name,
                str(w.division_type),
                _code(Level.PROVINCE, w.province_code),
                AREA_BY_TYPE[str(w.division_type)],
            )


def _sync_level(scheme: str, level: str, rows: list[_Row], report: LoadReport) -> None:
    """Create the missing units of one level and bring changed names and types up to date."""
    existing = {u.code: u for u in AdminUnit.objects.filter(scheme=scheme, level=level)}
    parent_level = {Level.DISTRICT: Level.PROVINCE, Level.COMMUNE: Level.DISTRICT}.get(level)
    if scheme == Scheme.CURRENT and level == Level.COMMUNE:
        parent_level = Level.PROVINCE
    parents = (
        {u.code: u for u in AdminUnit.objects.filter(scheme=scheme, level=parent_level)}
        if parent_level
        else {}
    )
    valid_from = REFORM_DATE if scheme == Scheme.CURRENT else None
    valid_to = LEGACY_END if scheme == Scheme.LEGACY else None
    to_create: list[AdminUnit] = []
    to_update: list[AdminUnit] = []
    for row in rows:
        parent = parents[row.parent_code] if row.parent_code else None
        path = f"{parent.path if parent else scheme + '/'}{row.code}/"
        unit = existing.get(row.code)
        if unit is None:
            to_create.append(
                AdminUnit(
                    scheme=scheme,
                    level=level,
                    code=row.code,
                    name=row.name,
                    name_search=search_key(row.name),
                    division_type=row.division_type,
                    area_type=row.area_type,
                    parent=parent,
                    path=path,
                    depth=path.count("/") - 1,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
        elif (unit.name, unit.division_type) != (row.name, row.division_type):
            unit.name, unit.division_type = row.name, row.division_type
            unit.name_search = search_key(row.name)
            to_update.append(unit)
    AdminUnit.objects.bulk_create(to_create, batch_size=2000)
    AdminUnit.objects.bulk_update(
        to_update, ["name", "name_search", "division_type"], batch_size=2000
    )
    key = f"{scheme}/{level}"
    report.created[key] = report.created.get(key, 0) + len(to_create)
    report.updated[key] = report.updated.get(key, 0) + len(to_update)


def _load_scheme(scheme: str, province: int | None, report: LoadReport) -> None:
    rows = list(_legacy_rows(province) if scheme == Scheme.LEGACY else _current_rows(province))
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        level_rows = [r for r in rows if r.level == level]
        if level_rows:
            _sync_level(scheme, level, level_rows, report)


def _load_successions(report: LoadReport) -> None:
    """Map every loaded old commune to the new commune(s) that took it over on 1 July 2025."""
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    old = dict(
        AdminUnit.objects.filter(scheme=Scheme.LEGACY, level=Level.COMMUNE).values_list(
            "code", "id"
        )
    )
    new = dict(
        AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=Level.COMMUNE).values_list(
            "code", "id"
        )
    )
    existing = set(UnitSuccession.objects.values_list("old_unit_id", "new_unit_id"))
    to_create = []
    for old_code, entry in OLD_TO_NEW.items():
        old_id = old.get(_code(Level.COMMUNE, old_code))
        if old_id is None:
            continue
        kind = SuccessionKind.PARTIAL if entry.old_ward.is_partly_merged else SuccessionKind.WHOLE
        for new_ref in entry.new_wards:
            new_id = new.get(_code(Level.COMMUNE, new_ref.code))
            if new_id is None or (old_id, new_id) in existing:
                continue
            existing.add((old_id, new_id))
            to_create.append(
                UnitSuccession(
                    old_unit_id=old_id,
                    new_unit_id=new_id,
                    kind=kind,
                    effective_date=REFORM_DATE,
                    source=SUCCESSION_SOURCE,
                )
            )
    UnitSuccession.objects.bulk_create(to_create, batch_size=2000)
    report.successions_created += len(to_create)


@transaction.atomic
def load_units(*, scheme: str = "all", province: int | None = None) -> LoadReport:
    """Load one scheme ("2004", "2025") or both ("all"), optionally one province of each."""
    if scheme not in {"all", *Scheme.values}:
        raise ValueError(f"Unknown scheme {scheme!r}: use 2004, 2025 or all.")
    report = LoadReport()
    schemes = Scheme.values if scheme == "all" else [scheme]
    for one in schemes:
        _load_scheme(one, province, report)
    _load_successions(report)
    return report
