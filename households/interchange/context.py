"""What both passes of an import share: who imports into which area, the units, households,
programmes and standards they look up (each looked up once), and the problems found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from households.campaign.selectors import campaign_for
from households.evaluation import (
    Evaluation,
    member_facts,
    standard_error_to_validation,
    standard_for_review,
)
from households.models import Campaign, Household
from policies.selectors import overrides_for
from policies.standards import Standard, StandardError
from policies.standards.bulk import BulkClassifier, BulkVerdict
from registry.choices import Level, Role
from registry.models import AdminUnit, User
from registry.scoping import province_path, scope_for

from .problems import Problem
from .reader import Row
from .spool import Spool

# Who imports into their area: a commune officer their commune, district and province staff
# their district or province (the migration of a province's lists); administrators anywhere.
IMPORT_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.DISTRICT_STAFF, Role.PROVINCE_STAFF})
# A report lists at most this many problems of each kind (the counts cover them all): a file
# of two million bad rows gives a report one can open.
MAX_LISTED = 10_000
PROGRESS_EVERY = 2000  # rows between two calls of on_progress


def import_paths(user: User) -> tuple[bool, tuple[str, ...]]:
    """Whether `user` imports anywhere, else the unit paths they import into."""
    scope = scope_for(user)
    if scope.everything:
        return True, ()
    return False, tuple(sorted({path for role, path in scope.roles if role in IMPORT_ROLES}))


@dataclass(slots=True)
class HouseholdRef:
    """A household a row refers to: from the file's households table (`row`), the registry
    (`pk`), or both (an update)."""

    code: str
    commune_id: int
    unit_path: str
    area_type: str
    row: int | None = None
    pk: int | None = None


@dataclass
class Context:
    actor: User
    numbering: str
    filename: str
    on_progress: Callable[[str, int, int | None], None] | None = None
    today: dt.date = field(default_factory=timezone.localdate)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    _units: dict[tuple, AdminUnit | None] = field(default_factory=dict)
    _registry: dict[str, HouseholdRef | None] = field(default_factory=dict)
    _standards: dict[tuple, Standard | ValidationError] = field(default_factory=dict)
    _overrides: dict[tuple, dict[str, int]] = field(default_factory=dict)
    _campaigns: dict[tuple, Campaign | None] = field(default_factory=dict)
    _bulk: dict[tuple, BulkClassifier] = field(default_factory=dict)
    # The rows the checking pass parsed, for the writing pass (`spool`); None: read again.
    spool: Spool | None = None

    def __post_init__(self) -> None:
        self.everywhere, self.area = import_paths(self.actor)
        self.scope = scope_for(self.actor)

    # --- problems -----------------------------------------------------------------------------
    def error(self, row: Row | None, column: str, value: Any, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(self._problem(row, column, value, message))

    def warn(self, row: Row | None, column: str, value: Any, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(self._problem(row, column, value, message))

    def _problem(self, row: Row | None, column: str, value: Any, message: str) -> Problem:
        return Problem(
            file=row.file if row else self.filename,
            row=row.number if row else None,
            column=column,
            value="" if value is None else str(value),
            message=message,
        )

    def add(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.error_count += 1
            if len(self.errors) < MAX_LISTED:
                self.errors.append(problem)

    def progress(self, phase: str, done: int, total: int | None = None) -> None:
        if self.on_progress is not None:
            self.on_progress(phase, done, total)

    # --- the area -----------------------------------------------------------------------------
    def in_area(self, path: str) -> bool:
        return self.everywhere or path.startswith(self.area)

    # --- units --------------------------------------------------------------------------------
    def unit(self, scheme: str, level: str, code: str) -> AdminUnit | None:
        """The unit of that scheme, level and code if it lies in the importer's area; None when
        it does not exist or lies outside (the same answer, so nothing is told of other areas)."""
        key = (scheme, level, code)
        if key not in self._units:
            unit = AdminUnit.objects.filter(scheme=scheme, level=level, code=code).first()
            self._units[key] = unit if unit is not None and self.in_area(unit.path) else None
        return self._units[key]

    def any_unit(self, scheme: str, code: str) -> AdminUnit | None:
        """A province, district or commune of that scheme and code in the area (resident
        totals name the unit by its code alone)."""
        for level in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE):
            unit = self.unit(scheme, level, code)
            if unit is not None:
                return unit
        return None

    def unit_by_id(self, pk: int) -> AdminUnit:
        key = ("pk", pk)
        if key not in self._units:
            self._units[key] = AdminUnit.objects.get(pk=pk)
        return self._units[key]

    # --- households in the registry -----------------------------------------------------------
    def prefetch_registry(self, codes: list[str]) -> None:
        """Look up many household codes at once (one query)."""
        wanted = [c for c in codes if c not in self._registry]
        found = {
            row["code"]: row
            for row in Household.objects.filter(code__in=wanted).values(
                "code", "pk", "commune_id", "unit_path", "area_type"
            )
        }
        for code in wanted:
            row = found.get(code)
            self._registry[code] = (
                HouseholdRef(
                    code=code,
                    commune_id=row["commune_id"],
                    unit_path=row["unit_path"],
                    area_type=row["area_type"],
                    pk=row["pk"],
                )
                if row
                else None
            )

    def registered(self, code: str) -> HouseholdRef | None:
        """The registry's household of that code, wherever it is (None: no such code)."""
        if code not in self._registry:
            self.prefetch_registry([code])
        return self._registry[code]

    def forget_registry(self) -> None:
        self._registry.clear()

    # --- standards ----------------------------------------------------------------------------
    def standard(self, commune: AdminUnit, list_year: int) -> Standard:
        """The standard that classifies a review of the commune's households for the list year
        (`standard_for_review`, asked once per province and year). Raises ValidationError."""
        key = (province_path(commune.path), list_year)
        if key not in self._standards:
            try:
                self._standards[key] = standard_for_review(unit=commune, list_year=list_year)
            except ValidationError as error:
                self._standards[key] = error
        found = self._standards[key]
        if isinstance(found, ValidationError):
            raise found
        return found

    def campaign(self, commune: AdminUnit, list_year: int) -> Campaign | None:
        key = (province_path(commune.path), list_year)
        if key not in self._campaigns:
            self._campaigns[key] = campaign_for(unit=commune, list_year=list_year)
        return self._campaigns[key]

    def overrides(self, standard: Standard, commune: AdminUnit, on: dt.date) -> dict[str, int]:
        key = (standard.code, province_path(commune.path), on)
        if key not in self._overrides:
            self._overrides[key] = overrides_for(standard_code=standard.code, unit=commune, on=on)
        return self._overrides[key]

    def classify_fast(
        self,
        *,
        commune: AdminUnit,
        list_year: int,
        on: dt.date,
        area_type: str,
        income_per_capita: int | None,
        b1_score: int | None,
        deprivations: list[str],
    ) -> tuple[Standard, BulkVerdict]:
        """`classify` without the verdict's prose, through the engine's bulk path
        (`Standard.bulk`, one classifier per standard and set of overrides): the same
        classification, or the same ValidationError, many times faster (validation only needs
        the classification)."""
        standard = self.standard(commune, list_year)
        try:
            overrides = self.overrides(standard, commune, on)
            key = (standard.code, tuple(sorted(overrides.items())))
            classifier = self._bulk.get(key)
            if classifier is None:
                classifier = self._bulk[key] = standard.bulk(overrides)
            verdict = classifier.classify(
                area_type, income_per_capita, b1_score, frozenset(deprivations)
            )
        except StandardError as error:
            raise standard_error_to_validation(error) from None
        return standard, verdict

    def evaluation(
        self,
        *,
        commune: AdminUnit,
        list_year: int,
        on: dt.date,
        area_type: str,
        income_per_capita: int | None,
        b1_score: int | None,
        deprivations: list[str],
        members: list[dict[str, Any]],
        housing_area_m2: Any = None,
    ) -> Evaluation:
        """What `households.evaluation.evaluate` gives for a review: the verdict, the
        indicators the current members' data derive and where they disagree with the ticked
        ones (stored in the review's reasons, as when the form saves it)."""
        standard, verdict = self.classify_fast(
            commune=commune,
            list_year=list_year,
            on=on,
            area_type=area_type,
            income_per_capita=income_per_capita,
            b1_score=b1_score,
            deprivations=deprivations,
        )
        derived: dict[str, bool] = {}
        disagreements: tuple = ()
        if members:
            overrides = self.overrides(standard, commune, on)
            try:
                derived = standard.derive_indicators(
                    [member_facts(m, on) for m in members],
                    housing_area_m2=float(housing_area_m2) if housing_area_m2 is not None else None,
                    overrides=overrides,
                )
                disagreements = standard.compare_derived(derived, frozenset(deprivations))
            except StandardError as error:
                raise standard_error_to_validation(error) from None
        return Evaluation(standard, verdict, derived, disagreements)


def review_on(list_year: int, survey_date: dt.date | None) -> dt.date:
    """The day a review's numbers are read on: its survey, else the start of its list year."""
    return survey_date or dt.date(list_year, 1, 1)


def import_decision_number(list_year: int, signed_on: dt.date) -> str:
    """The number of the decision that stands for an imported list (the file names none)."""
    return f"IMPORT/{list_year}/{signed_on:%Y%m%d}"


IMPORT_DECISION_PREFIX = "IMPORT/"


def row_key(source_key: str, pk: int) -> str:
    """The key a registry row goes by in a file: the key it was imported with, else the key
    export writes for a row the registry made itself (`export.GENERATED_KEY_PREFIX` and its
    id), so that a file exported from the registry is imported back onto the same rows."""
    from .export import GENERATED_KEY_PREFIX

    return source_key or f"{GENERATED_KEY_PREFIX}{pk}"


def generated_pk(key: str) -> int | None:
    """The id in a key export made for a row the registry made itself, else None."""
    from .export import GENERATED_KEY_PREFIX

    rest = key.removeprefix(GENERATED_KEY_PREFIX)
    return int(rest) if rest != key and rest.isdigit() else None


def nothing_in_area_message(scheme: str, code: str, level_label: str) -> str:
    return _(
        "There is no %(level)s with the code %(code)s in the %(scheme)s scheme within your area."
    ) % {"level": level_label, "code": code, "scheme": scheme}
