"""The yearly report (báo cáo kết quả giảm nghèo năm): the table a province's poverty-reduction
report is built from, for any unit and year, in the order such a report uses: the unit's
households, its poor, near-poor and ethnic-minority households, then what the support
programmes delivered.

Rows are defined once here (`ROWS`); each says where its registry figure comes from in the
`Kpis` of the unit and year (`reports.selectors.unit_kpis`): a status counter, a rate, or the
`ProgrammeKpi` counters of programmes of the seeded catalogue (`policies.support.catalogue`).

Entered figures (`ReportEntry`). Some of what a unit reports never passes through the registry:
health-insurance cards or electricity subsidies given to social-assistance beneficiaries who
are not on the list, houses built with funds the commune mobilised itself, visits the insurance
agency counts. Such a figure is entered per unit, year and row, and it is an *addition*: the row
shows the registry's figure, the entered figure and their total side by side, so the registry's
own number is never overwritten and every entered number is visible as such. A unit's entered
figure is what it entered itself plus what every unit under it entered (an entry is the unit's
own, never a total of its communes), so a parent's report is the sum of its children's as the
registry's figures are. Counts of households and persons of the list, and rates, are the
registry's alone: they cannot be entered here. The one exception is row 1, the rates'
denominator: where the unit entered its total of resident households for the year
(`ResidentCount`, the legal denominator when not every household is registered), that total
stands in the entered column and *replaces* the registry's count in the total, as it does in
the rates.

The official layout of the report tables (Circular 07/2021/TT-BLĐTBXH, VBHN 1315/VBHN-BLĐTBXH)
is UNCONFIRMED (../shared/domain.md §2.6); this table follows the order of the indicators named
in issue 10 and should be checked against the forms a province submits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import formats, numberformat, timezone
from django.utils.functional import Promise
from django.utils.translation import npgettext, pgettext, pgettext_lazy

from registry.choices import Level
from registry.limits import MAX_BIGINT, YEAR_RANGE_MESSAGE, year_in_range

from .services import may_enter

# Every text of the report is translated in this context, so that a label such as "Total" or
# "households" can read as a report prints it ("Tổng số", "hộ") without changing it elsewhere.
CONTEXT = "yearly report"


def _c(text: str) -> str:
    return pgettext(CONTEXT, text)


def _t(text: str) -> Promise:
    return pgettext_lazy(CONTEXT, text)


# The levels a yearly report is made for (a village reports through its commune).
REPORT_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)

# Who enters a unit's rows: its own staff (an assignment at the unit itself, not above it),
# or a system administrator.
COUNT, RATE, AMOUNT, SECTION = "count", "rate", "amount", "section"
Value = int | Decimal | None

# --- where a row's registry figure comes from ------------------------------------------------


def _code(programme: Any) -> str:
    """A ProgrammeKpi's programme code, whether it carries the Programme or its code."""
    return getattr(programme, "code", programme)


def status(name: str) -> Callable[[Any], Value]:
    """A counter of the unit's status summaries (households of the list in force)."""
    return lambda kpis: kpis.counts.get(name)


def rate(name: str) -> Callable[[Any], Value]:
    """A rate of the Kpis: 100 × n / d, 2 decimals, None (empty) when d is 0."""
    return lambda kpis: kpis.rates.get(name)


def support(codes: tuple[str, ...], counter: str, variant: str = "") -> Callable[[Any], Value]:
    """The sum of one ProgrammeKpi counter over programmes `codes` (one variant of them; ""
    the whole programme). A programme that delivered nothing in the unit and year counts 0."""

    def compute(kpis: Any) -> Value:
        return sum(
            getattr(p, counter) or 0
            for p in kpis.support
            if _code(p.programme) in codes and (p.variant or "") == variant
        )

    return compute


HOUSING = ("housing_ntp", "housing_temporary")
LOANS = ("vbsp_poor", "vbsp_near_poor", "vbsp_escaped")


@dataclass(frozen=True)
class Row:
    """One row of the report: its stable code (the `row` of an entry), its number and label as
    printed, the unit of measure, and where its figures come from."""

    code: str
    number: str  # "I" a section, "1" a row, "" a sub-row ("of which")
    label: Promise
    measure: Promise | str
    kind: str  # COUNT, RATE, AMOUNT or SECTION
    compute: Callable[[Any], Value] | None = None
    enterable: bool = False
    # The entered figure is the sum of these rows' entered figures (a total of sub-rows).
    entered_from: tuple[str, ...] = ()
    depth: int = 0
    # The rates' denominator: the registry's households, or the unit's entered total of resident
    # households (`ResidentCount`), which then replaces the registry's figure.
    is_denominator: bool = False
    # A hint in the entry form: what the entered figure is, exactly.
    hint: Promise | str = ""


HH, PERSON, PCT, VND = _t("households"), _t("persons"), "%", _t("VND")

ROWS: tuple[Row, ...] = (
    Row("poverty", "I", _t("Poor and near-poor households"), "", SECTION),
    Row("households", "1", _t("Households in the unit"), HH, COUNT, status("households"),
        is_denominator=True),
    Row("poor_households", "2", _t("Poor households"), HH, COUNT, status("poor_households")),
    Row("poor_rate", "", _t("Poverty rate (of all households)"), PCT, RATE, rate("poor_rate"),
        depth=1),
    Row("poor_persons", "", _t("Persons of poor households"), PERSON, COUNT,
        status("poor_persons"), depth=1),
    Row("near_poor_households", "3", _t("Near-poor households"), HH, COUNT,
        status("near_poor_households")),
    Row("near_poor_rate", "", _t("Near-poverty rate (of all households)"), PCT, RATE,
        rate("near_poor_rate"), depth=1),
    Row("near_poor_persons", "", _t("Persons of near-poor households"), PERSON, COUNT,
        status("near_poor_persons"), depth=1),
    Row("minority_households", "4", _t("Ethnic-minority households"), HH, COUNT,
        status("minority_households")),
    Row("minority_poor_households", "5", _t("Poor ethnic-minority households"), HH, COUNT,
        status("minority_poor_households")),
    Row("minority_poor_rate", "", _t("Their rate among ethnic-minority households"), PCT, RATE,
        rate("minority_poor_rate"), depth=1),
    Row("minority_poor_persons", "", _t("Persons of poor ethnic-minority households"), PERSON,
        COUNT, status("minority_poor_persons"), depth=1),
    Row("minority_near_poor_households", "6", _t("Near-poor ethnic-minority households"), HH,
        COUNT, status("minority_near_poor_households")),
    Row("minority_near_poor_rate", "", _t("Their rate among ethnic-minority households"), PCT,
        RATE, rate("minority_near_poor_rate"), depth=1),
    Row("minority_near_poor_persons", "", _t("Persons of near-poor ethnic-minority households"),
        PERSON, COUNT, status("minority_near_poor_persons"), depth=1),
    Row("support", "II", _t("Results of the support policies"), "", SECTION),
    Row("bhyt_cards", "7", _t("Health-insurance cards issued"), _t("cards"), COUNT,
        support(("bhyt",), "quantity"), enterable=True,
        hint=_t("Cards issued to people not in the registry, e.g. social-assistance "
                "beneficiaries.")),
    Row("bhyt_poor_persons", "", _t("of which to persons of poor households"), PERSON, COUNT,
        support(("bhyt",), "poor_persons"), depth=1),
    Row("kcb_poor_visits", "8", _t("Medical visits of persons of poor households"), _t("visits"),
        COUNT, support(("kcb_poor",), "quantity"), enterable=True,
        hint=_t("Visits the health-insurance agency counted that the registry did not record.")),
    Row("kcb_children_visits", "9", _t("Free medical visits of children under 6"), _t("visits"),
        COUNT, support(("kcb_children_under6",), "quantity"), enterable=True,
        hint=_t("Visits the health-insurance agency counted that the registry did not record.")),
    Row("tuition_pupils", "10", _t("Pupils and students with tuition exemption or reduction"),
        PERSON, COUNT, support(("tuition_exemption",), "persons"), enterable=True,
        hint=_t("Tuition reductions, and exemptions of pupils not in the registry.")),
    Row("study_cost_pupils", "11", _t("Pupils and students given study-cost support"), PERSON,
        COUNT, support(("study_cost",), "persons"), enterable=True),
    Row("study_cost_amount", "", _t("Amount of study-cost support"), VND, AMOUNT,
        support(("study_cost",), "amount"), enterable=True, depth=1),
    Row("land_households", "12", _t("Households given residential land"), HH, COUNT,
        support(("residential_land",), "households"), enterable=True),
    Row("trained_persons", "13", _t("People given vocational training"), PERSON, COUNT,
        support(("vocational_training",), "persons"), enterable=True),
    Row("trained_poor_persons", "", _t("of which from poor households"), PERSON, COUNT,
        support(("vocational_training",), "poor_persons"), enterable=True, depth=1),
    Row("jobs_persons", "14", _t("People placed in jobs"), PERSON, COUNT,
        support(("job_placement",), "persons"),
        entered_from=("jobs_in_province", "jobs_outside_province", "jobs_abroad")),
    Row("jobs_in_province", "", _t("in the province"), PERSON, COUNT,
        support(("job_placement",), "persons", "in_province"), enterable=True, depth=1),
    Row("jobs_outside_province", "", _t("outside the province"), PERSON, COUNT,
        support(("job_placement",), "persons", "outside_province"), enterable=True, depth=1),
    Row("jobs_abroad", "", _t("abroad (contract work)"), PERSON, COUNT,
        support(("job_placement",), "persons", "abroad"), enterable=True, depth=1),
    Row("houses", "15", _t("Houses built or repaired"), _t("houses"), COUNT,
        support(HOUSING, "quantity"), entered_from=("houses_new", "houses_repair")),
    Row("houses_new", "", _t("built"), _t("houses"), COUNT, support(HOUSING, "quantity", "new"),
        enterable=True, depth=1,
        hint=_t("Houses built with other funds (e.g. mobilised) for households in the "
                "registry or not.")),
    Row("houses_repair", "", _t("repaired"), _t("houses"), COUNT,
        support(HOUSING, "quantity", "repair"), enterable=True, depth=1),
    Row("houses_amount", "", _t("Cost of the houses"), VND, AMOUNT, support(HOUSING, "amount"),
        enterable=True, depth=1),
    Row("loans", "16", _t("Preferential loans (Bank for Social Policies)"), _t("loans"), COUNT,
        support(LOANS, "quantity"), enterable=True),
    # Summed over the three lending programmes: a household that borrowed under two of them in
    # the year is counted in each.
    Row("loan_households", "", _t("Borrowing households"), HH, COUNT,
        support(LOANS, "households"), enterable=True, depth=1),
    Row("loan_amount", "", _t("Amount lent"), VND, AMOUNT, support(LOANS, "amount"),
        enterable=True, depth=1),
    Row("electricity_households", "17", _t("Households given the electricity subsidy"), HH,
        COUNT, support(("electricity",), "households"), enterable=True,
        hint=_t("Social-policy households not in the registry that were paid the subsidy.")),
    Row("electricity_amount", "", _t("Amount of the electricity subsidy"), VND, AMOUNT,
        support(("electricity",), "amount"), enterable=True, depth=1),
)  # fmt: skip

ROWS_BY_CODE = {row.code: row for row in ROWS}
ENTERABLE = tuple(row.code for row in ROWS if row.enterable)


def _number(value: int | Decimal, decimals: int) -> str:
    """A number grouped by thousands in the language's separators (vi: 1.234.567 and 3,25)."""
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A row of the report for one unit and year: the registry's figure, the entered figure
    (None when nothing was entered), and their total."""

    row: Row
    registry: Value
    entered: int | None = None

    @property
    def total(self) -> Value:
        if self.row.kind == RATE or self.entered is None:
            return self.registry
        if self.row.is_denominator:
            return self.entered
        return (self.registry or 0) + self.entered

    @property
    def is_section(self) -> bool:
        return self.row.kind == SECTION

    def shown(self, which: str = "total") -> str:
        """A figure as a Vietnamese report prints it (1.234; 3,25), "" for none."""
        value = getattr(self, which)
        if value is None or self.is_section:
            return ""
        return _number(value, 2 if self.row.kind == RATE else 0)

    @property
    def shown_registry(self) -> str:
        return self.shown("registry")

    @property
    def shown_entered(self) -> str:
        return self.shown("entered")

    @property
    def shown_total(self) -> str:
        return self.shown("total")


@dataclass(frozen=True)
class EntryNote:
    """What was entered for one row: the unit's own figure (with its note and who entered it)
    and the sum of what the units under it entered."""

    row: Row
    own: int | None
    below: int
    below_units: int
    note: str = ""
    entered_by: str = ""
    entered_at: dt.datetime | None = None


@dataclass(frozen=True)
class Entries:
    """The entered figures of a unit and year, by row code."""

    totals: Mapping[str, int] = field(default_factory=dict)  # own + below
    notes: tuple[EntryNote, ...] = ()


@dataclass(frozen=True)
class YearlyReport:
    unit: Any
    year: int
    computed_at: dt.datetime
    denominator: int | None
    denominator_source: str  # "registry" | "entered"
    lines: tuple[Line, ...]
    entries: tuple[EntryNote, ...]

    @property
    def has_entered(self) -> bool:
        return any(line.entered is not None for line in self.lines)

    def line(self, code: str) -> Line:
        return next(line for line in self.lines if line.row.code == code)


def build_lines(kpis: Any, entered: Mapping[str, int]) -> tuple[Line, ...]:
    """The report's lines from a unit's Kpis and its entered figures (pure)."""
    lines = []
    for row in ROWS:
        if row.kind == SECTION:
            lines.append(Line(row, None))
            continue
        registry = row.compute(kpis) if row.compute else None
        if row.is_denominator:
            value = kpis.denominator if kpis.denominator_source == "entered" else None
        elif row.entered_from:
            parts = [entered[c] for c in row.entered_from if c in entered]
            value = sum(parts) if parts else None
        else:
            value = entered.get(row.code) if row.enterable else None
        lines.append(Line(row, registry, value))
    return tuple(lines)


def build_report(kpis: Any, entries: Entries) -> YearlyReport:
    """The yearly report of the unit and year of `kpis` (pure: no query)."""
    return YearlyReport(
        unit=kpis.unit,
        year=kpis.year,
        computed_at=kpis.computed_at,
        denominator=kpis.denominator,
        denominator_source=kpis.denominator_source,
        lines=build_lines(kpis, entries.totals),
        entries=entries.notes,
    )


# --- reading and writing the entered rows ----------------------------------------------------


def entries_of(*, unit, year: int) -> Entries:
    """The rows entered for `unit` and `year`, its own and its units' below: two queries (the
    sums by row, and the unit's own entries with who entered them)."""
    from .models import ReportEntry

    under = ReportEntry.objects.filter(
        unit_path__startswith=unit.path, year=year, row__in=ENTERABLE
    )
    sums = {
        r["row"]: r
        for r in under.values("row")
        .annotate(
            total=Sum("value"),
            below=Sum("value", filter=~Q(unit=unit), default=0),
            below_units=Count("unit", filter=~Q(unit=unit), distinct=True),
        )
        .order_by()
    }
    own = {
        e.row: e
        for e in ReportEntry.objects.filter(unit=unit, year=year, row__in=ENTERABLE).select_related(
            "entered_by"
        )
    }
    notes = []
    for code in ENTERABLE:
        if code not in sums:
            continue
        mine = own.get(code)
        notes.append(
            EntryNote(
                row=ROWS_BY_CODE[code],
                own=mine.value if mine else None,
                below=sums[code]["below"],
                below_units=sums[code]["below_units"],
                note=mine.note if mine else "",
                entered_by=(mine.entered_by.get_full_name() or mine.entered_by.username)
                if mine
                else "",
                entered_at=mine.entered_at if mine else None,
            )
        )
    return Entries(totals={c: s["total"] for c, s in sums.items()}, notes=tuple(notes))


def yearly_report(*, user, unit, year: int) -> YearlyReport:
    """The yearly report of `unit` and `year` as `user` may see it (a unit outside their area:
    Http404, from the selector)."""
    from . import selectors

    kpis = selectors.unit_kpis(user=user, unit=unit, year=year)
    return build_report(kpis, entries_of(unit=unit, year=year))


def report_entries_set(
    *, actor, unit, year: int, values: Mapping[str, int | None], notes: Mapping[str, str]
) -> int:
    """Set the entered rows of `unit` and `year`: a value creates or changes the row's entry,
    None removes it. Every change is kept (history) with who made it. Returns the number of
    entries changed."""
    from .models import ReportEntry

    if not may_enter(actor, unit):
        raise ValidationError(_c("Only the unit's own staff enter its report rows."))
    if year is None or not year_in_range(year):
        raise ValidationError({"year": YEAR_RANGE_MESSAGE})
    errors: dict[str, str] = {}
    for code, value in values.items():
        if code not in ENTERABLE:
            errors[code] = _c("This row cannot be entered.")
        elif value is not None and not 0 <= value <= MAX_BIGINT:
            errors[code] = _c("Enter a whole number of 0 or more.")
    if errors:
        raise ValidationError(errors)

    changed = 0
    with transaction.atomic():
        current = {
            e.row: e
            for e in ReportEntry.objects.select_for_update().filter(
                unit=unit, year=year, row__in=list(values)
            )
        }
        for code, value in values.items():
            note = (notes.get(code) or "").strip()
            entry = current.get(code)
            if value is None:
                if entry is not None:
                    entry._history_user = actor
                    entry.delete()
                    changed += 1
                continue
            if entry is not None and entry.value == value and entry.note == note:
                continue
            entry = entry or ReportEntry(unit=unit, unit_path=unit.path, year=year, row=code)
            entry.value, entry.note, entry.entered_by = value, note, actor
            entry._history_user = actor
            entry.save()
            changed += 1
    return changed


def entry_history(*, unit, year: int, limit: int = 50) -> list:
    """The latest changes of the unit's entered rows for the year, newest first (one query)."""
    from .models import ReportEntry

    return list(
        ReportEntry.history.filter(unit_id=unit.pk, year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )


def authority(unit) -> str:
    """The issuing body in a report's top-left corner ("UBND XÃ MỸ HÒA HƯNG")."""
    return _c("People's Committee of %(unit)s") % {"unit": unit.name.upper()}


def report_notes(report: YearlyReport) -> list[str]:
    """The notes under the table: which denominator the rates use, and what was entered."""
    found = []
    if report.denominator_source == "entered":
        found.append(
            _c(
                "Rates are of the total of resident households the unit entered for the year "
                "(%(n)s households), which replaces the registry's count in row 1."
            )
            % {"n": report.line("households").shown("entered")}
        )
    else:
        found.append(_c("Rates are of the households in the registry."))
    if report.has_entered:
        found.append(
            _c(
                "Column 2 holds figures entered by the unit and the units under it, in addition "
                "to what the registry recorded (column 1)."
            )
        )
    return found


def _grouped(value: int) -> str:
    return _number(value, 0)


def entry_text(note: EntryNote) -> str:
    """One entered row as the notes under the table say it: the unit's own figure (with its
    note, who entered it and when) and what the units under it entered."""
    parts = []
    if note.own is not None:
        own = _c("by the unit: %(value)s") % {"value": _grouped(note.own)}
        who = ", ".join(
            p
            for p in (
                note.note,
                note.entered_by,
                timezone.localtime(note.entered_at).strftime("%d/%m/%Y") if note.entered_at else "",
            )
            if p
        )
        parts.append(f"{own} ({who})" if who else own)
    if note.below_units:
        parts.append(
            npgettext(
                CONTEXT,
                "by %(n)d unit under it: %(value)s",
                "by %(n)d units under it: %(value)s",
                note.below_units,
            )
            % {"n": note.below_units, "value": _grouped(note.below)}
        )
    return f"{note.row.label} ({note.row.measure}): " + "; ".join(parts)
