"""Entering the figures a unit reports that the registry cannot compute: its total of resident
households (the denominator) and the province's or district's targets (the yearly report's
entered rows: `reports.yearly.report_entries_set`, by the same `may_enter` rule). Each write
is one transaction and keeps its history (who, when, the earlier value)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from registry.choices import Level, Role
from registry.limits import MAX_INTEGER, YEAR_RANGE_MESSAGE, year_in_range
from registry.models import AdminUnit, User
from registry.scoping import scope_for

from .models import PovertyTarget, ResidentCount, TargetKind, TargetMeasure

MAX_TARGET = Decimal("100")


# Who enters a unit's own figures (its resident total, its report rows): its own staff.
ENTERING_ROLES = {
    Level.COMMUNE: (Role.COMMUNE_OFFICER,),
    Level.DISTRICT: (Role.DISTRICT_STAFF,),
    Level.PROVINCE: (Role.PROVINCE_STAFF,),
}


def may_enter(user, unit: AdminUnit) -> bool:
    """Whether `user` enters the figures of `unit`: its own staff, or a system administrator
    (staff above the unit read them, but do not enter them for it)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    roles = ENTERING_ROLES.get(unit.level, ())
    return any(role in roles and path == unit.path for role, path in scope.roles)


def _editable_unit(actor: User, unit: AdminUnit) -> None:
    if not scope_for(actor).can_view(unit.path):
        raise Http404(_("No such unit in your area."))
    if not may_enter(actor, unit):
        raise PermissionDenied(_("Only the unit's own staff enter its figures."))


def _check_year(year, errors: dict) -> None:
    if not isinstance(year, int) or not year_in_range(year):
        errors.setdefault("year", []).append(str(YEAR_RANGE_MESSAGE))


def _check_count(name: str, value, errors: dict, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors.setdefault(name, []).append(_("Enter a number."))
        return
    if not isinstance(value, int) or not 0 <= value <= MAX_INTEGER:
        errors.setdefault(name, []).append(
            _("Enter a whole number from 0 to %(max)d.") % {"max": MAX_INTEGER}
        )


def resident_count_set(
    *,
    actor: User,
    unit: AdminUnit,
    year: int,
    households: int,
    persons: int | None = None,
    source: str,
) -> ResidentCount:
    """Enter (or correct) the unit's total of resident households for `year`; its rates then use
    it as their denominator."""
    _editable_unit(actor, unit)
    errors: dict[str, list[str]] = {}
    _check_year(year, errors)
    _check_count("households", households, errors)
    _check_count("persons", persons, errors, required=False)
    source = (source or "").strip()
    if not source:
        errors["source"] = [
            _("Say where the total comes from (for example the police's residence data).")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = ResidentCount.objects.select_for_update().filter(unit=unit, year=year).first()
        row = row or ResidentCount(unit=unit, unit_path=unit.path, year=year)
        row.households, row.persons, row.source, row.entered_by = households, persons, source, actor
        row._history_user = actor
        row.save()
    return row


def resident_count_clear(*, actor: User, row: ResidentCount) -> None:
    """Remove an entered total: the rates go back to the registry's households (history kept)."""
    _editable_unit(actor, row.unit)
    with transaction.atomic():
        row._history_user = actor
        row.delete()


def may_set_targets(user, unit: AdminUnit) -> bool:
    """Whether `user` sets the targets of `unit`: province or district staff of it (or above),
    or a system administrator; targets belong to provinces and districts."""
    scope = scope_for(user)
    return unit.level in (Level.PROVINCE, Level.DISTRICT) and (
        scope.may_act_as(Role.PROVINCE_STAFF, unit.path)
        or scope.may_act_as(Role.DISTRICT_STAFF, unit.path)
    )


def _target_setter(actor: User, unit: AdminUnit) -> None:
    if not scope_for(actor).can_view(unit.path):
        raise Http404(_("No such unit in your area."))
    if not may_set_targets(actor, unit):
        raise PermissionDenied(_("Targets are set by province or district staff for their unit."))


def target_save(
    *,
    actor: User,
    unit: AdminUnit,
    measure: str,
    kind: str,
    value,
    from_year: int,
    to_year: int,
    basis: str,
    target: PovertyTarget | None = None,
) -> PovertyTarget:
    """Set a target ("below 3 % by 2030", or "down 1.5 points a year from 2026 to 2030") or
    change one (`target`); every change is kept in its history."""
    _target_setter(actor, unit)
    errors: dict[str, list[str]] = {}
    if measure not in TargetMeasure.values:
        errors["measure"] = [_("Choose what the target measures.")]
    if kind not in TargetKind.values:
        errors["kind"] = [_("Choose the kind of target.")]
    try:
        value = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not Decimal(0) < value <= MAX_TARGET:
        errors["value"] = [_("Enter a percentage above 0 and at most 100, such as 3 or 1.5.")]
    for name, year in (("from_year", from_year), ("to_year", to_year)):
        if not isinstance(year, int) or not year_in_range(year):
            errors[name] = [str(YEAR_RANGE_MESSAGE)]
    if "from_year" not in errors and "to_year" not in errors and to_year < from_year:
        errors["to_year"] = [_("The last year cannot come before the first.")]
    basis = (basis or "").strip()
    if not basis:
        errors["basis"] = [_("Name the resolution or plan that sets the target.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if target is None:
            target = PovertyTarget(unit=unit, unit_path=unit.path)
        elif target.unit_id != unit.pk:
            raise Http404(_("No such unit in your area."))
        target.measure, target.kind, target.value = measure, kind, value
        target.from_year, target.to_year, target.basis = from_year, to_year, basis
        target.entered_by = actor
        target._history_user = actor
        target.save()
    return target


def target_delete(*, actor: User, target: PovertyTarget) -> None:
    _target_setter(actor, target.unit)
    with transaction.atomic():
        target._history_user = actor
        target.delete()
