"""Writes to the standards' data: loading the mirror of the law modules, and setting or ending
parameter overrides (national corrections and provincial local standards).

The pure engine judges every override value (``Standard.classify`` refuses what the law does
not allow); this module adds who may set it, where, and from when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policies.standards import (
    PROCEDURE,
    HouseholdFacts,
    Procedure,
    Standard,
    StandardError,
    all_standards,
    get_standard,
)
from registry.choices import Level, Role
from registry.models import AdminUnit, User
from registry.scoping import scope_for

from .models import IndicatorRecord, ParameterOverride, StandardParameter

# --- loading the catalogue --------------------------------------------------------------------


@dataclass
class SyncCounts:
    """What one sync of a mirror table did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class LoadReport:
    """What ``standards_load`` did to each mirror table."""

    parameters: SyncCounts = field(default_factory=SyncCounts)
    indicators: SyncCounts = field(default_factory=SyncCounts)

    @property
    def changed(self) -> bool:
        return any(
            (c.created, c.updated, c.removed) != (0, 0, 0)
            for c in (self.parameters, self.indicators)
        )

    def lines(self) -> list[str]:
        return [
            f"{name}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged, "
            f"{c.removed} removed"
            for name, c in (("parameters", self.parameters), ("indicators", self.indicators))
        ]


def _sync(
    model: type[models.Model], key_field: str, rows: dict[tuple[str, str], dict]
) -> SyncCounts:
    counts = SyncCounts()
    existing = {(o.standard_code, getattr(o, key_field)): o for o in model.objects.all()}
    for (standard_code, key), values in rows.items():
        obj = existing.pop((standard_code, key), None)
        if obj is None:
            model.objects.create(standard_code=standard_code, **{key_field: key}, **values)
            counts.created += 1
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(values))
            counts.updated += 1
        else:
            counts.unchanged += 1
    # Rows of a key the module no longer has would misstate the law; overrides are untouched.
    counts.removed = len(existing)
    model.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
    return counts


@transaction.atomic
def standards_load() -> LoadReport:
    """Mirror every registered standard's parameters and indicators into the database.

    Safe to run again: rows already equal to the module are left alone. Administrators'
    corrections live in ParameterOverride and are never touched.
    """
    parameters: dict[tuple[str, str], dict] = {}
    indicators: dict[tuple[str, str], dict] = {}
    # The review procedure's numbers (Decision 24/2021) sit in the catalogue beside the
    # standards', so that an unconfirmed one is flagged and can be corrected the same way.
    for standard in (*all_standards(), PROCEDURE):
        for position, p in enumerate(standard.parameters):
            parameters[(standard.code, p.key)] = {
                "position": position,
                "value": p.value,
                "unit": p.unit,
                "source": p.source,
                "confirmed": p.confirmed,
                "is_line": p.is_line,
            }
        for position, i in enumerate(standard.indicators):
            indicators[(standard.code, i.code)] = {
                "position": position,
                "dimension_code": i.dimension_code,
                "dimension_vi": i.dimension_vi,
                "dimension_en": i.dimension_en,
                "name_vi": i.name_vi,
                "name_en": i.name_en,
                "rule_text": i.rule_text,
                "rule_text_vi": i.rule_text_vi,
                "theme": i.theme,
                "derivable": i.derivable,
                "confirmed": i.confirmed,
            }
    return LoadReport(
        parameters=_sync(StandardParameter, "key", parameters),
        indicators=_sync(IndicatorRecord, "code", indicators),
    )


# --- overrides --------------------------------------------------------------------------------

# Any household will do: classify() validates the overrides before it looks at the facts.
_PROBE = HouseholdFacts(area_type="rural", income_per_capita=0)


def _check_actor(actor: User, unit: AdminUnit | None) -> None:
    """National corrections by system administrators; a local standard also by the staff of
    that province."""
    scope = scope_for(actor)
    if scope.everything:
        return
    if unit is None:
        raise PermissionDenied(_("Only a system administrator may correct a national standard."))
    if not scope.has_role(Role.PROVINCE_STAFF, unit.path):
        raise PermissionDenied(
            _("Only system administrators and staff of %(province)s may set its local standard.")
            % {"province": unit.name}
        )


def _in_force_by_scope(standard_code: str, on: dt.date) -> dict[int | None, dict[str, int]]:
    """Overrides in force on ``on``, by province id (None: national). One query."""
    by_scope: dict[int | None, dict[str, int]] = {}
    rows = (
        ParameterOverride.objects.filter(standard_code=standard_code)
        .in_force(on)
        .values_list("unit_id", "key", "value")
    )
    for unit_id, key, value in rows:
        by_scope.setdefault(unit_id, {})[key] = value
    return by_scope


def _engine_check(standard: Standard, overrides: Mapping[str, int], *, where: str = "") -> None:
    """Let the engine judge a set of overrides as it would apply them; refusals name the key."""
    try:
        standard.classify(_PROBE, overrides=overrides)
    except StandardError as error:
        if error.field != "overrides":  # pragma: no cover - the probe itself is valid
            raise
        message = error.message if not where else f"{where}: {error.message}"
        raise ValidationError({"value": [message]}) from None


def _check_sets_after(
    standard: Standard, *, unit: AdminUnit | None, key: str, value: int | None, on: dt.date
) -> None:
    """Check every set of overrides the change would produce on ``on`` (``value`` None: the
    override of ``key`` in this scope ends): the national set, and each province's national
    plus local set. A local line may not be below the national one, corrected or not."""
    by_scope = _in_force_by_scope(standard.code, on)
    scope_id = unit.pk if unit is not None else None
    changed = dict(by_scope.get(scope_id, {}))
    if value is None:
        changed.pop(key, None)
    else:
        changed[key] = value
    by_scope[scope_id] = changed
    national = by_scope.get(None, {})
    _engine_check(standard, national)
    provinces = {p.pk: p for p in AdminUnit.objects.filter(pk__in=[k for k in by_scope if k])}
    lines = {p.key for p in standard.parameters if p.is_line}
    for province_id, local in by_scope.items():
        if province_id is None:
            continue
        name = provinces[province_id].name
        for line in sorted(lines & set(local) & set(national)):
            if local[line] < national[line]:
                raise ValidationError(
                    {
                        "value": _(
                            "%(key)s of %(province)s (%(local)s) would be below the national "
                            "value %(national)s; a local standard may only be higher."
                        )
                        % {
                            "key": line,
                            "province": name,
                            "local": f"{local[line]:,}",
                            "national": f"{national[line]:,}",
                        }
                    }
                )
        _engine_check(standard, national | local, where=name if province_id != scope_id else "")


def parameter_override_validate(
    *,
    actor: User,
    standard_code: str,
    key: str,
    value: int,
    unit: AdminUnit | None = None,
    reason: str,
    valid_from: dt.date,
) -> Standard | Procedure:
    """Everything ``parameter_override_set`` checks before it writes; the admin form calls it
    too, so that refusals show beside the field. Raises PermissionDenied or ValidationError."""
    _check_actor(actor, unit)
    if unit is not None and unit.level != Level.PROVINCE:
        raise ValidationError({"unit": _("A local standard is set for a province.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the override.")})
    try:
        standard = _standard_or_procedure(standard_code)
    except StandardError:
        raise ValidationError(
            {"standard_code": _("Unknown standard %(code)s.") % {"code": standard_code}}
        ) from None
    try:
        parameter = standard.parameter(key)
    except StandardError:
        message = _("%(standard)s has no parameter %(key)s.")
        raise ValidationError({"key": message % {"standard": standard.code, "key": key}}) from None
    if unit is not None and not parameter.is_line:
        raise ValidationError(
            {
                "key": _(
                    "A province may only raise income lines and score cut-offs; %(key)s is "
                    "corrected nationally by a system administrator."
                )
                % {"key": key}
            }
        )
    started = (
        ParameterOverride.objects.open()
        .filter(standard_code=standard.code, key=key, unit=unit, valid_from__gt=valid_from)
        .values_list("valid_from", flat=True)
        .first()
    )
    if started is not None:
        raise ValidationError(
            {
                "valid_from": _(
                    "The override in force for %(key)s starts on %(date)s; the new one cannot "
                    "start before it."
                )
                % {"key": key, "date": started.isoformat()}
            }
        )
    if isinstance(standard, Procedure):
        _procedure_check(standard, key, value)
    else:
        _check_sets_after(standard, unit=unit, key=key, value=value, on=valid_from)
    return standard


def _standard_or_procedure(code: str) -> Standard | Procedure:
    return PROCEDURE if code == PROCEDURE.code else get_standard(code)


def _procedure_check(procedure: Procedure, key: str, value: int) -> None:
    """A procedure's number stands alone: only the value itself is judged."""
    try:
        procedure.check_overrides({key: value})
    except StandardError as error:
        raise ValidationError({"value": [error.message]}) from None


def parameter_override_set(
    *,
    actor: User,
    standard_code: str,
    key: str,
    value: int,
    unit: AdminUnit | None = None,
    reason: str,
    source: str = "",
    valid_from: dt.date | None = None,
) -> ParameterOverride:
    """Set one number of a standard from ``valid_from`` (default today), nationally (``unit``
    None, system administrators only) or for a province's local standard; the override of the
    same number and scope in force until then ends on that date."""
    valid_from = valid_from or timezone.localdate()
    reason = (reason or "").strip()
    parameter_override_validate(
        actor=actor,
        standard_code=standard_code,
        key=key,
        value=value,
        unit=unit,
        reason=reason,
        valid_from=valid_from,
    )
    try:
        with transaction.atomic():
            for previous in (
                ParameterOverride.objects.select_for_update(of=("self",))
                .open()
                .filter(standard_code=standard_code, key=key, unit=unit)
            ):
                previous.valid_to = valid_from
                previous._history_user = actor
                previous.save(update_fields=["valid_to"])
            override = ParameterOverride(
                standard_code=standard_code,
                key=key,
                value=value,
                unit=unit,
                reason=reason,
                source=(source or "").strip(),
                valid_from=valid_from,
                created_by=actor,
            )
            override._history_user = actor
            override.save()
    except IntegrityError as error:
        # Another administrator set the same number at the same moment, or the earlier
        # override starts after valid_from (checked above, so only in a race).
        raise ValidationError(
            _("The override could not be saved: %(error)s") % {"error": error}
        ) from error
    return override


def parameter_override_end_validate(
    *, actor: User, override: ParameterOverride, on: dt.date
) -> None:
    """Everything ``parameter_override_end`` checks before it writes (the admin form calls it
    too). Raises PermissionDenied or ValidationError."""
    _check_actor(actor, override.unit)
    if override.valid_to is not None:
        raise ValidationError({"valid_to": _("This override has already ended.")})
    if on < override.valid_from:
        raise ValidationError(
            {
                "valid_to": _("An override cannot end before it starts (%(date)s).")
                % {"date": override.valid_from.isoformat()}
            }
        )
    standard = _standard_or_procedure(override.standard_code)
    if isinstance(standard, Standard):
        _check_sets_after(standard, unit=override.unit, key=override.key, value=None, on=on)


def parameter_override_end(
    *, actor: User, override: ParameterOverride, on: dt.date | None = None
) -> ParameterOverride:
    """Stop applying an override from ``on`` (default today, or its start if that is later);
    reviews surveyed from that day use the national (or the corrected national) number."""
    on = on or max(timezone.localdate(), override.valid_from)
    parameter_override_end_validate(actor=actor, override=override, on=on)
    with transaction.atomic():
        locked = ParameterOverride.objects.select_for_update(of=("self",)).get(pk=override.pk)
        if locked.valid_to is not None:
            raise ValidationError({"valid_to": _("This override has already ended.")})
        locked.valid_to = on
        locked._history_user = actor
        locked.save(update_fields=["valid_to"])
    override.valid_to = on
    return override
