"""Writes of programmes, their dated parameters, allocations and overrides.

Who does what (issue 9, "Plans and allocations"): the province makes the yearly plan of a
programme and allocates it to its districts (three-level scheme) or straight to its communes
(two-level scheme, or where the province allocates directly); a district allocates its share to
its communes. So the row of a unit is set by the staff of the unit above it (the province's plan
by the province's staff), and the children of a row never add up to more than the row.
National programmes are changed only by system administrators; a province adds and changes its
own local programmes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from registry.choices import Level, Role, Scheme
from registry.limits import MAX_BIGINT, MAX_INTEGER, YEAR_RANGE_MESSAGE, year_in_range
from registry.models import AdminUnit
from registry.scoping import scope_for

from ..choices import FundingSource
from ..models import Allocation, AllocationOverride, Disbursement, Programme, ProgrammeParameter

# The fields of a programme a province sets for its local programmes.
PROGRAMME_FIELDS = (
    "code",
    "name_vi",
    "name_en",
    "legal_basis",
    "benefit_kind",
    "beneficiary",
    "period_kind",
    "count_unit",
    "amount_rule",
    "funding_sources",
    "for_poor",
    "for_near_poor",
    "escaped_within_years",
    "min_age",
    "max_age",
    "in_school_only",
    "ethnic_minority_only",
    "uses_priority_list",
    "capped",
    "tracks_entitlements",
    "valid_from",
    "valid_to",
    "position",
)
# The three measures of an allocation; each is capped by the parent's where the parent sets it.
MEASURES = ("quantity", "beneficiaries", "amount")
_LIMITS = {"quantity": MAX_INTEGER, "beneficiaries": MAX_INTEGER, "amount": MAX_BIGINT}


# --- who may ------------------------------------------------------------------------------------


def _holds(actor, role: str, unit: AdminUnit) -> bool:
    scope = scope_for(actor)
    return scope.may_act_as(role, unit.path)


def may_manage_programme(actor, programme: Programme) -> bool:
    """Province staff for their local programmes; system administrators for every programme."""
    if scope_for(actor).everything:
        return True
    return programme.province is not None and _holds(actor, Role.PROVINCE_STAFF, programme.province)


def _check_programme_manager(actor, programme: Programme) -> None:
    if may_manage_programme(actor, programme):
        return
    if programme.province is None:
        raise PermissionDenied(_("National programmes are changed only by system administrators."))
    raise PermissionDenied(_("Only the province's staff change its local programmes."))


# --- programmes ---------------------------------------------------------------------------------


def _programme_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(PROGRAMME_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})
    cleaned = dict(fields)
    for name in ("code", "name_vi", "name_en", "legal_basis"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


def _check_funding_sources(sources: Any) -> None:
    if not isinstance(sources, list | tuple) or not sources:
        raise ValidationError({"funding_sources": _("Choose at least one funding source.")})
    unknown = [s for s in sources if s not in FundingSource.values]
    if unknown:
        raise ValidationError(
            {"funding_sources": _("Unknown funding source: %(s)s.") % {"s": ", ".join(unknown)}}
        )


def _save_programme(programme: Programme, actor) -> Programme:
    errors: dict[str, list[str]] = {}
    try:
        _check_funding_sources(programme.funding_sources)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        programme.full_clean()
    except ValidationError as error:
        for key, found in error.message_dict.items():
            errors.setdefault(key, []).extend(found)
    if errors:
        raise ValidationError(errors)
    programme.funding_sources = list(dict.fromkeys(programme.funding_sources))
    programme._history_user = actor
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError as error:  # the same code saved at the same moment
        raise ValidationError({"code": _("A programme with this code already exists.")}) from error
    return programme


def programme_create_local(*, actor, province: AdminUnit, **fields: Any) -> Programme:
    """A province's own programme, seen by the users of that province; its province's staff
    (or a system administrator) add it."""
    scope = scope_for(actor)
    works_there = scope.everything or any(p.startswith(province.path) for p in scope.view_paths)
    if province.level != Level.PROVINCE or not works_there:
        raise ValidationError({"province": _("Choose a province in your area.")})
    if not _holds(actor, Role.PROVINCE_STAFF, province):
        raise PermissionDenied(_("Only the province's staff add its local programmes."))
    programme = Programme(**_programme_fields(fields), province=province, created_by=actor)
    return _save_programme(programme, actor)


def programme_update_local(*, actor, programme: Programme, **fields: Any) -> Programme:
    """Change a local programme (its province's staff); national ones are changed only by
    system administrators, in the admin."""
    if programme.province is None:
        raise PermissionDenied(_("National programmes are changed only by system administrators."))
    _check_programme_manager(actor, programme)
    for name, value in _programme_fields(fields).items():
        setattr(programme, name, value)
    return _save_programme(programme, actor)


# --- parameters ---------------------------------------------------------------------------------


def parameter_add(
    *,
    actor,
    programme: Programme,
    key: str,
    variant: str = "",
    value: int,
    unit: str = "VND",
    valid_from: dt.date,
    source: str,
    confirmed: bool,
) -> ProgrammeParameter:
    """A new value of a programme's parameter from `valid_from`: a new row, and the row of the
    same key and variant in force until then ends the day before. A row already in force never
    changes its value, so what was paid under it stays explained."""
    _check_programme_manager(actor, programme)
    key, variant, unit, source = (
        (key or "").strip(),
        (variant or "").strip(),
        (unit or "").strip(),
        (source or "").strip(),
    )
    errors: dict[str, str] = {}
    if not key:
        errors["key"] = _("Name the parameter.")
    if value is None or value < 0 or value > MAX_BIGINT:
        errors["value"] = _("Enter a whole number of 0 or more.")
    if not unit:
        errors["unit"] = _("Name the unit of measure (VND, kWh, %).")
    if not source:
        errors["source"] = _("Cite the legal source of the number.")
    if valid_from is None:
        errors["valid_from"] = _("Enter the date the value applies from.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        same = ProgrammeParameter.objects.select_for_update(of=("self",)).filter(
            programme=programme, key=key, variant=variant
        )
        current = same.order_by("-valid_from").first()
        if current is not None and valid_from <= current.valid_from:
            raise ValidationError(
                {
                    "valid_from": _(
                        "The value in force applies from %(date)s: a new value starts after it."
                    )
                    % {"date": current.valid_from.strftime("%d/%m/%Y")}
                }
            )
        if current is not None and (current.valid_to is None or current.valid_to >= valid_from):
            current.valid_to = valid_from - dt.timedelta(days=1)
            current._history_user = actor
            current.save(update_fields=["valid_to"])
        parameter = ProgrammeParameter(
            programme=programme,
            key=key,
            variant=variant,
            value=value,
            unit=unit,
            valid_from=valid_from,
            source=source,
            confirmed=bool(confirmed),
            created_by=actor,
        )
        try:
            parameter.full_clean()
        except ValidationError as error:
            raise ValidationError(error.message_dict) from error
        parameter._history_user = actor
        parameter.save()
    return parameter


# --- allocations --------------------------------------------------------------------------------


def parent_unit(unit: AdminUnit) -> AdminUnit | None:
    """The unit whose allocation a unit's allocation hangs under by default: none for a
    province, the province for a district or a two-level commune, the district for a legacy
    commune."""
    if unit.level == Level.PROVINCE:
        return None
    return unit.parent


def allocating_role(unit_above: AdminUnit | None) -> str:
    """The role that sets allocations under `unit_above` (the province's plan: None)."""
    if unit_above is not None and unit_above.level == Level.DISTRICT:
        return Role.DISTRICT_STAFF
    return Role.PROVINCE_STAFF


def _province_of(unit: AdminUnit) -> AdminUnit:
    while unit.parent_id is not None:
        unit = unit.parent
    return unit


def _allocation_of(programme: Programme, year: int, unit: AdminUnit, *, lock: bool = False):
    rows = Allocation.objects.filter(programme=programme, year=year, unit=unit)
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.select_related("unit").first()


def _measure_label(name: str) -> str:
    return {
        "quantity": _("target quantity"),
        "beneficiaries": _("target beneficiaries"),
        "amount": _("budget (VND)"),
    }[name]


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _disbursed(programme: Programme, year: int, unit: AdminUnit) -> dict[str, int]:
    """Net of reversals: what was delivered under `unit` for the programme and year."""
    found = Disbursement.objects.filter(
        programme=programme, year=year, unit_path__startswith=unit.path
    ).aggregate(amount=Sum("amount"), quantity=Sum("quantity"))
    return {"amount": found["amount"] or 0, "quantity": found["quantity"] or 0}


def _children_sums(allocation: Allocation | None) -> dict[str, int]:
    if allocation is None or allocation.pk is None:
        return dict.fromkeys(MEASURES, 0)
    found = Allocation.objects.filter(parent=allocation).aggregate(
        **{name: Sum(name) for name in MEASURES}
    )
    return {name: found[name] or 0 for name in MEASURES}


def _check_values(values: dict[str, int | None]) -> None:
    errors = {}
    for name, value in values.items():
        if value is not None and not 0 <= value <= _LIMITS[name]:
            errors[name] = _("Enter a whole number of 0 or more.")
    if errors:
        raise ValidationError(errors)
    if all(value is None for value in values.values()):
        raise ValidationError(
            _("Set at least one of the target quantity, the target beneficiaries and the budget.")
        )


def _resolve_parent(
    *, actor, programme: Programme, year: int, unit: AdminUnit, current: Allocation | None
) -> Allocation | None:
    """The allocation the unit's allocation hangs under, after checking the actor may set it:
    a district's is the province's plan; a legacy commune's is its district's, or the province's
    when the district has none and the province allocates directly."""
    if current is not None:
        parent = current.parent
        above = parent.unit if parent is not None else None
    elif unit.level == Level.PROVINCE:
        parent, above = None, None
    else:
        above = parent_unit(unit)
        parent = _allocation_of(programme, year, above)
        if parent is None and above.level == Level.DISTRICT:
            if _holds(actor, Role.PROVINCE_STAFF, above.parent):
                # The province allocates straight to the commune.
                above = above.parent
                parent = _allocation_of(programme, year, above)
            elif _holds(actor, Role.DISTRICT_STAFF, above):
                raise ValidationError(
                    {
                        "unit": _(
                            "Your district has no allocation of this programme for %(year)d yet: "
                            "the province allocates to the district first."
                        )
                        % {"year": year}
                    }
                )
    if not _holds(actor, allocating_role(above), above or unit):
        if above is not None and above.level == Level.DISTRICT:
            raise PermissionDenied(_("The district's staff allocate its share to its communes."))
        if unit.level == Level.PROVINCE:
            raise PermissionDenied(_("Only the province's staff set the province's plan."))
        raise PermissionDenied(_("Only the province's staff allocate the province's plan."))
    if above is not None and parent is None:
        message = (
            _("The province has no plan for this programme in %(year)d yet: set it first.")
            if above.level == Level.PROVINCE
            else _("The district has no allocation of this programme for %(year)d yet.")
        )
        raise ValidationError({"unit": message % {"year": year}})
    return parent


def _check_ceiling(
    parent: Allocation, current: Allocation | None, values: dict[str, int | None]
) -> dict[str, str]:
    """The children of `parent`, with `values` for this unit, stay within the parent."""
    siblings = Allocation.objects.filter(parent=parent)
    if current is not None:
        siblings = siblings.exclude(pk=current.pk)
    others = siblings.aggregate(**{name: Sum(name) for name in MEASURES})
    errors = {}
    for name in MEASURES:
        ceiling = getattr(parent, name)
        if ceiling is None:
            continue
        value = values[name]
        if value is None:
            errors[name] = _(
                "The allocation above sets its %(measure)s (%(ceiling)s): set this unit's share."
            ) % {"measure": _measure_label(name), "ceiling": _n(ceiling)}
            continue
        taken = others[name] or 0
        if taken + value > ceiling:
            errors[name] = _(
                "At most %(left)s: the allocation above has %(ceiling)s and the other units "
                "under it already have %(taken)s."
            ) % {"left": _n(max(ceiling - taken, 0)), "ceiling": _n(ceiling), "taken": _n(taken)}
    return errors


def _check_floor(
    programme: Programme,
    year: int,
    unit: AdminUnit,
    current: Allocation | None,
    values: dict[str, int | None],
) -> dict[str, str]:
    """An allocation is never set below what its units already have or what was delivered."""
    below = _children_sums(current)
    delivered = _disbursed(programme, year, unit)
    errors = {}
    for name in MEASURES:
        value = values[name]
        if value is None:
            continue
        if value < below[name]:
            errors[name] = _("At least %(n)s: the units under it already have %(n)s.") % {
                "n": _n(below[name])
            }
        elif name in delivered and value < delivered[name]:
            errors[name] = _("At least %(n)s: %(n)s was already delivered in this unit.") % {
                "n": _n(delivered[name])
            }
    return errors


def allocation_set(
    *,
    actor,
    programme: Programme,
    year: int,
    unit: AdminUnit,
    quantity: int | None = None,
    beneficiaries: int | None = None,
    amount: int | None = None,
    reason: str,
) -> Allocation:
    """Create or change what `unit` receives of `programme` in `year`, with the reason. The
    unit's allocation stays within its parent's (checked under a lock on the parent row, so two
    allocations saved at once cannot together pass it) and never drops below what its own units
    have or what was already delivered in it. Every change is kept (history), with who made it."""
    scope = scope_for(actor)
    if unit.level not in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE) or not scope.can_view(
        unit.path
    ):
        raise ValidationError({"unit": _("Choose a province, district or commune in your area.")})
    if year is None or not year_in_range(year):
        raise ValidationError({"year": YEAR_RANGE_MESSAGE})
    if programme.valid_from.year > year or (
        programme.valid_to is not None and programme.valid_to.year < year
    ):
        raise ValidationError({"year": _("The programme is not in force in this year.")})
    if (unit.valid_from and unit.valid_from.year > year) or (
        unit.valid_to and unit.valid_to.year < year
    ):
        raise ValidationError({"year": _("The unit did not exist in this year.")})
    if programme.province_id is not None and not unit.path.startswith(programme.province.path):
        raise ValidationError({"programme": _("This local programme is of another province.")})
    reason = (reason or "").strip()
    values = {"quantity": quantity, "beneficiaries": beneficiaries, "amount": amount}
    _check_values(values)
    if not reason:
        raise ValidationError({"reason": _("Say why the allocation is set or changed.")})

    with transaction.atomic():
        current = _allocation_of(programme, year, unit)
        parent = _resolve_parent(
            actor=actor, programme=programme, year=year, unit=unit, current=current
        )
        if unit.level == Level.DISTRICT and current is None:
            _check_no_direct_communes(programme, year, unit)
        # Top down: the parent, then the row itself, so that concurrent writers queue.
        if parent is not None:
            parent = Allocation.objects.select_for_update(of=("self",)).get(pk=parent.pk)
        if current is not None:
            current = _allocation_of(programme, year, unit, lock=True)
        errors = _check_ceiling(parent, current, values) if parent is not None else {}
        for name, message in _check_floor(programme, year, unit, current, values).items():
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)
        allocation = current or Allocation(
            programme=programme, year=year, unit=unit, unit_path=unit.path, parent=parent
        )
        for name, value in values.items():
            setattr(allocation, name, value)
        allocation.reason = reason
        allocation.changed_by = actor
        allocation._history_user = actor
        try:
            with transaction.atomic():
                allocation.save()
        except IntegrityError as error:  # the same unit's first allocation saved at once
            raise ValidationError(
                {"unit": _("Someone else allocated to this unit at the same moment; try again.")}
            ) from error
    return allocation


def _check_no_direct_communes(programme: Programme, year: int, district: AdminUnit) -> None:
    """A district is allocated its share only if the province has not allocated straight to its
    communes, which would count them twice."""
    direct = Allocation.objects.filter(
        programme=programme,
        year=year,
        unit_path__startswith=district.path,
        parent__unit__level=Level.PROVINCE,
    ).exists()
    if direct:
        raise ValidationError(
            {
                "unit": _(
                    "The province already allocates straight to communes of this district: "
                    "change those allocations instead."
                )
            }
        )


# --- overrides ----------------------------------------------------------------------------------


def may_override(actor, allocation: Allocation) -> bool:
    """District staff of the commune's district (three-level scheme), province staff of its
    province (two-level scheme), system administrators."""
    unit = allocation.unit
    if unit.level != Level.COMMUNE:
        return False
    if unit.scheme == Scheme.LEGACY:
        return _holds(actor, Role.DISTRICT_STAFF, unit.parent)
    return _holds(actor, Role.PROVINCE_STAFF, _province_of(unit))


def allocation_override_create(
    *,
    actor,
    allocation: Allocation,
    extra_amount: int = 0,
    extra_quantity: int = 0,
    reason: str,
) -> AllocationOverride:
    """Leave for a commune to be paid beyond its allocation by up to the amounts given, with the
    reason: recorded by its district (three-level scheme) or its province (two-level)."""
    if not scope_for(actor).can_view(allocation.unit_path):
        raise ValidationError({"allocation": _("Choose an allocation in your area.")})
    if allocation.unit.level != Level.COMMUNE:
        raise ValidationError(
            {"allocation": _("Only a commune's allocation is exceeded with an override.")}
        )
    if not may_override(actor, allocation):
        raise PermissionDenied(
            _(
                "The district records overrides of its communes' allocations (the province, "
                "where there are no districts)."
            )
        )
    reason = (reason or "").strip()
    errors = {}
    for name, value, limit in (
        ("extra_amount", extra_amount, MAX_BIGINT),
        ("extra_quantity", extra_quantity, MAX_INTEGER),
    ):
        if value is None or not 0 <= value <= limit:
            errors[name] = _("Enter a whole number of 0 or more.")
    if not errors and not (extra_amount or extra_quantity):
        errors["extra_amount"] = _("Give the extra budget, the extra quantity, or both.")
    if not reason:
        errors["reason"] = _("Say why the commune may exceed its allocation.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Allocation.objects.select_for_update(of=("self",)).get(pk=allocation.pk)
        return AllocationOverride.objects.create(
            allocation=locked,
            unit_path=locked.unit_path,
            extra_amount=extra_amount,
            extra_quantity=extra_quantity,
            reason=reason,
            created_by=actor,
        )
