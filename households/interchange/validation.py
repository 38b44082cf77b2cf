"""The first pass of an import: every row of every table checked, nothing written.

Rows are read one at a time and forgotten; what the checks across rows and tables need is kept
as keys and small tuples (a household's unit, its current head; a hash of each member key and
ID number; each disbursement's programme, beneficiary and period), so memory grows by tens of
bytes a row, never by the row. The checks the database answers (household codes and ID numbers
already registered) are asked a chunk of rows at a time.

The rules are those of the services, called where they can be (`_clean_members` for a member's
name, birth, ethnicity and ID number; the standards engine through `households.evaluation`; the
support service's checks of a programme, period, variant, amount and funding), so that a row is
refused for what the form would refuse.
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict
from collections.abc import ItemsView, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from households.choices import Classification, Relationship, ReviewKind
from households.models import Household, Member
from households.services import _clean_members, registered_elsewhere_message
from policies.support.choices import EntryKind
from policies.support.models import Disbursement, Programme
from policies.support.services import disbursements as support
from registry.choices import Level
from registry.limits import MAX_BIGINT, YEAR_RANGE_MESSAGE, year_in_range
from reports.services import may_enter

from . import format as fmt
from .context import (
    PROGRESS_EVERY,
    Context,
    HouseholdRef,
    generated_pk,
    nothing_in_area_message,
    review_on,
    row_key,
)
from .reader import FileRefused, Row, Source
from .seen import ROW_TYPE, FirstRows, Positions

CHUNK = 2000  # rows checked against the database together

# What a member row needs for the service's member checks (households.services).
_MEMBER_CHECKED = ("full_name", "relationship", "sex", "birth_year", "birth_date", "ethnicity",
                   "id_number")  # fmt: skip
_REVIEW_FIELDS = {"income_per_capita", "b1_score", "deprivations", "list_year", "area_type"}
_DISBURSEMENT_FIELDS = {
    "paid_on": "paid_on", "period": "period", "variant": "variant", "amount": "amount",
    "funding_source": "funding_source", "reference": "reference", "quantity": "quantity",
    "programme": "programme_code", "member": "member_key", "household": "household_code",
}  # fmt: skip


def key_hash(*parts: Any) -> int:
    """A compact stand-in for a key kept per row (members, ID numbers): two different keys of a
    file share one with a chance of about 1 in 10^7 for two million rows."""
    return hash(parts)


@dataclass(frozen=True, slots=True)
class DisbursementEntry:
    """What the checks across rows need of a disbursement row (one `Disbursements` gives)."""

    row: int
    file: str
    household_code: str
    kind: str
    programme_id: int
    member_key: str
    period: str
    reverses_key: str


class Disbursements:
    """The disbursement rows kept for the checks across rows, in columns by number (the order
    the rows came in): about 40 bytes a row besides its key, where a `DisbursementEntry` a row
    in a dict took about 150. What many rows share (file, kind, programme, period) is kept once,
    numbered; the key a reversal reverses only for reversals."""

    __slots__ = ("_fact_numbers", "codes", "facts", "keys", "member_keys", "reverses", "rows",
                 "shared")  # fmt: skip

    def __init__(self) -> None:
        self.keys = Positions()  # the disbursement keys, numbered
        self.rows = array(ROW_TYPE)
        self.codes: list[str] = []  # household codes (the strings `Validation.households` holds)
        self.member_keys: list[str] = []
        self.facts = array("I")  # number of the row's (file, kind, programme id, period) in shared
        self.shared: list[tuple[str, str, int, str]] = []
        self._fact_numbers: dict[tuple[str, str, int, str], int] = {}
        self.reverses: dict[int, str] = {}  # number of a reversal -> the key it reverses

    def __len__(self) -> int:
        return len(self.rows)

    def first_row(self, key: str) -> int | None:
        """The row of the disbursement of that key, None when there is none."""
        number = self.keys.number(key)
        return None if number is None else self.rows[number]

    def add(self, entry: DisbursementEntry, key: str) -> None:
        """Keep a disbursement whose key is not kept yet."""
        if self.keys.add(key) is not None:
            raise ValueError(f"the disbursement key {key} is kept already")
        facts = (entry.file, entry.kind, entry.programme_id, entry.period)
        number = self._fact_numbers.get(facts)
        if number is None:
            number = self._fact_numbers[facts] = len(self.shared)
            self.shared.append(facts)
        self.facts.append(number)
        self.rows.append(entry.row)
        self.codes.append(entry.household_code)
        self.member_keys.append(entry.member_key)
        if entry.kind == EntryKind.REVERSAL:
            self.reverses[len(self.rows) - 1] = entry.reverses_key

    def entry(self, number: int) -> DisbursementEntry:
        file, kind, programme_id, period = self.shared[self.facts[number]]
        return DisbursementEntry(
            row=self.rows[number],
            file=file,
            household_code=self.codes[number],
            kind=kind,
            programme_id=programme_id,
            member_key=self.member_keys[number],
            period=period,
            reverses_key=self.reverses.get(number, ""),
        )

    def get(self, key: str) -> DisbursementEntry | None:
        number = self.keys.number(key)
        return None if number is None else self.entry(number)


class Heads(Mapping[str, tuple[int, str]]):
    """Household code -> (row, full name) of the household's current head in the file, read as
    a dict of them (in the order added), kept in columns: the codes numbered (`Positions`; the
    strings `Validation.households` holds), the rows in an array, the names in a list (about 35
    bytes a household besides the name, where the dict of tuples took about 110)."""

    __slots__ = ("_codes", "_names", "_rows")

    def __init__(self) -> None:
        self._codes = Positions()
        self._rows = array(ROW_TYPE)
        self._names: list[str] = []

    def add(self, code: str, row: int, name: str) -> int | None:
        """Keep `code`'s head, on `row`, and return None; when the household has one already,
        change nothing and return its row."""
        number = self._codes.add(code)
        if number is not None:
            return self._rows[number]
        self._rows.append(row)
        self._names.append(name)
        return None

    def __getitem__(self, code: str) -> tuple[int, str]:
        number = self._codes.number(code)
        if number is None:
            raise KeyError(code)
        return self._rows[number], self._names[number]

    def get(self, code: str, default: Any = None) -> Any:
        number = self._codes.number(code)
        return default if number is None else (self._rows[number], self._names[number])

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._codes.number(code) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def items(self) -> ItemsView[str, tuple[int, str]]:
        return _HeadItems(self)


class _HeadItems(ItemsView):
    def __iter__(self) -> Iterator[tuple[str, tuple[int, str]]]:
        heads = self._mapping
        return zip(heads._codes, zip(heads._rows, heads._names, strict=True), strict=True)


def parse_row(ctx: Context, table: str, row: Row) -> dict[str, Any] | None:
    """The row's values by column, or None after reporting every cell that cannot be read."""
    values: dict[str, Any] = {}
    ok = True
    for column in fmt.TABLES[table].columns:
        raw = row.cells.get(column.name, "")
        try:
            values[column.name] = fmt.parse_cell(column, raw)
        except fmt.CellError as error:
            ctx.error(row, column.name, raw, error.message)
            ok = False
    if not ok:
        return None
    if ctx.spool is not None:
        ctx.spool.add(table, row, values)
    return values


def read_table(ctx: Context, source: Source, table: str, phase: str) -> Iterator[Row]:
    """The rows of a table, with progress; a table that cannot be read adds its problems."""
    done = 0
    try:
        for row in source.rows(table):
            done += 1
            if done % PROGRESS_EVERY == 0:
                ctx.progress(phase, done)
            yield row
    except FileRefused as refused:
        ctx.add(refused.problems)
    ctx.progress(phase, done)


class Validation:
    """Check a whole file; afterwards `ctx.errors` lists what is wrong, and the indexes below
    are what the writing pass needs (`heads`, `reversed_keys`)."""

    def __init__(self, ctx: Context, source: Source) -> None:
        self.ctx = ctx
        self.source = source
        # households of the file: code -> where it is (and its registry id when known)
        self.households: dict[str, HouseholdRef] = {}
        # code -> (row, name) of the household's current head in the file
        self.heads = Heads()
        # Hashes of the keys kept per row, with the row each was first seen on (`FirstRows`:
        # about 12 bytes a key, where a dict of ints takes 100).
        self.member_keys = FirstRows()  # key_hash(code, member key) -> row
        self.id_numbers = FirstRows()  # key_hash(number) -> row
        self.review_keys = FirstRows()  # key_hash(code, year, kind, survey) -> row
        self.disbursements = Disbursements()  # the rows kept, by key
        self.reversed_keys: set[str] = set()  # payments of the file a reversal of the file undoes
        self.programmes: dict[str, Programme | None] = {}
        self.resident_keys: dict[tuple, int] = {}
        self.named_ethnicities = 0
        self.other_numbering_fits = 0
        self.rows: dict[str, int] = defaultdict(int)
        self.files: dict[str, str] = {}  # table -> the CSV file or first sheet read
        # registry households that rows of the file name without listing them in its
        # households table: code -> where it is
        self.registry_refs: dict[str, HouseholdRef] = {}
        self.refused_codes: set[str] = set()  # households refused (said once, on their row)

    # --- the whole file ---------------------------------------------------------------------
    def run(self) -> None:
        tables = self.source.tables
        checks = {
            "households": self.households_table,
            "members": self.members_table,
            "reviews": self.reviews_table,
            "disbursements": self.disbursements_table,
            "resident_counts": self.resident_counts_table,
        }
        for table in fmt.TABLES:
            if table in tables:
                checks[table]()
        self.check_heads()
        self.check_numbering()

    # --- households ---------------------------------------------------------------------------
    def households_table(self) -> None:
        chunk: list[tuple[Row, dict[str, Any]]] = []
        in_chunk: set[str] = set()
        for row in read_table(self.ctx, self.source, "households", "validate:households"):
            self.rows["households"] += 1
            self.files.setdefault("households", row.file)
            values = parse_row(self.ctx, "households", row)
            if values is None:
                self.refused_codes.add(row.cells.get("household_code", "").strip())
                continue
            code = values["household_code"]
            if code in self.households or code in in_chunk or code in self.refused_codes:
                self.ctx.error(
                    row, "household_code", code,
                    _("The household code %(code)s appears twice in the file.") % {"code": code},
                )  # fmt: skip
                continue
            chunk.append((row, values))
            in_chunk.add(code)
            if len(chunk) >= CHUNK:
                self._households_chunk(chunk)
                chunk, in_chunk = [], set()
        self._households_chunk(chunk)
        self.ctx.forget_registry()  # `households` holds what the other tables need of them

    def _households_chunk(self, chunk: list[tuple[Row, dict[str, Any]]]) -> None:
        ctx = self.ctx
        ctx.prefetch_registry([values["household_code"] for _row, values in chunk])
        for row, values in chunk:
            code = values["household_code"]
            self.refused_codes.add(code)  # until it passes every check below
            scheme = values["scheme"]
            commune = ctx.unit(scheme, Level.COMMUNE, values["commune_code"])
            if commune is None:
                ctx.error(
                    row, "commune_code", values["commune_code"],
                    nothing_in_area_message(scheme, values["commune_code"], _("commune")),
                )  # fmt: skip
                continue
            unit = commune
            if values["village_code"]:
                village = ctx.unit(scheme, Level.VILLAGE, values["village_code"])
                if village is None or village.parent_id != commune.pk:
                    ctx.error(
                        row, "village_code", values["village_code"],
                        _("The commune %(commune)s has no village with the code %(code)s in "
                          "the registry: add the village first, or leave the cell blank.")
                        % {"commune": commune.code, "code": values["village_code"]},
                    )  # fmt: skip
                    continue
                unit = village
            existing = ctx.registered(code)
            if existing is not None and not ctx.in_area(existing.unit_path):
                ctx.error(row, "household_code", code, _code_elsewhere_message(code))
                continue
            if existing is not None and existing.commune_id != commune.pk:
                ctx.error(
                    row, "commune_code", values["commune_code"],
                    _("The household %(code)s is registered in another commune of your area: "
                      "a move between communes is recorded in the registry, not by an import.")
                    % {"code": code},
                )  # fmt: skip
                continue
            self.refused_codes.discard(code)
            self.households[code] = HouseholdRef(
                code=code,
                commune_id=commune.pk,
                unit_path=unit.path,
                area_type=sys.intern(values["area_type"]),  # one copy of "rural", of "urban"
                row=row.number,
                pk=existing.pk if existing else None,
            )

    def household(self, row: Row, code: str) -> HouseholdRef | None:
        """The household a row of another table names: in the file, or in the importer's area
        of the registry; reported when neither."""
        found = self.households.get(code) or self.registry_refs.get(code)
        if found is not None:
            return found
        if code in self.refused_codes:
            return None  # its own row says why
        existing = self.ctx.registered(code)
        if existing is not None and self.ctx.in_area(existing.unit_path):
            self.registry_refs[code] = existing
            return existing
        self.refused_codes.add(code)
        self.ctx.error(
            row, "household_code", code,
            _("No household has the code %(code)s, neither in the households table of the file "
              "nor in your area of the registry.") % {"code": code},
        )  # fmt: skip
        return None

    # --- members ------------------------------------------------------------------------------
    def members_table(self) -> None:
        chunk: list[tuple[Row, str, str, str]] = []  # ID numbers to look up in the registry
        for row in read_table(self.ctx, self.source, "members", "validate:members"):
            self.rows["members"] += 1
            values = parse_row(self.ctx, "members", row)
            if values is None:
                continue
            cleaned = self.member(row, values)
            if cleaned is not None and cleaned.get("id_number"):
                chunk.append(
                    (row, cleaned["id_number"], values["household_code"], values["member_key"])
                )
                if len(chunk) >= CHUNK:
                    self._id_numbers_chunk(chunk)
                    chunk = []
        self._id_numbers_chunk(chunk)

    def ethnicity(self, row: Row, values: dict[str, Any]) -> str | None:
        """The QĐ 121 code of the row's ethnicity read in the file's numbering; a name that
        does not fit the code is refused (the file may be in the other numbering)."""
        ctx = self.ctx
        raw = values["ethnicity"]
        try:
            code = fmt.to_qd121(raw, ctx.numbering)
        except fmt.CellError as error:
            ctx.error(row, "ethnicity", raw, error.message)
            return None
        name = values.get("ethnicity_name") or ""
        if not name:
            return code
        self.named_ethnicities += 1
        if fmt.ethnicity_name_matches(code, name):
            return code
        other = fmt.other_numbering(ctx.numbering)
        if fmt.fits_numbering(raw, name, other):
            self.other_numbering_fits += 1
            message = _(
                "In the numbering %(numbering)s the code %(code)s is %(expected)s, not "
                "%(name)s; in the numbering %(other)s it is %(name)s. The file may be in the "
                "numbering %(other)s: import it again choosing that numbering."
            ) % {
                "numbering": _numbering_label(ctx.numbering),
                "other": _numbering_label(other),
                "code": raw,
                "expected": fmt.ethnicity_name(code),
                "name": name,
            }
        else:
            message = _(
                "In the numbering %(numbering)s the code %(code)s is %(expected)s, not %(name)s: "
                "check the code and the name."
            ) % {
                "numbering": _numbering_label(ctx.numbering),
                "code": raw,
                "expected": fmt.ethnicity_name(code),
                "name": name,
            }
        ctx.error(row, "ethnicity_name", name, message)
        return None

    def member(self, row: Row, values: dict[str, Any]) -> dict[str, Any] | None:
        ctx = self.ctx
        code = values["household_code"]
        household = self.household(row, code)
        ethnicity = self.ethnicity(row, values)
        data = {name: values[name] for name in _MEMBER_CHECKED}
        data["ethnicity"] = ethnicity or ""
        cleaned, errors = _clean_members([data], today=ctx.today)
        cleaned = cleaned[0]
        ok = household is not None and ethnicity is not None
        for key, messages in errors.items():
            column = key.rsplit(".", 1)[-1]
            if column == "ethnicity" and ethnicity is None:
                continue  # said already, in the file's numbering
            for message in messages:
                ctx.error(row, column, values.get(column), message)
            ok = False
        left_on, joined_on = values["left_on"], values["joined_on"]
        if left_on and joined_on and left_on < joined_on:
            ctx.error(
                row, "left_on", left_on,
                _("The member left before joining: check the two dates."),
            )  # fmt: skip
            ok = False
        for column in ("left_on", "joined_on"):
            if values[column] and values[column] > ctx.today:
                ctx.error(row, column, values[column], _("This date is still to come."))
                ok = False
        first = self.member_keys.add(key_hash(code, values["member_key"]), row.number)
        if first is not None:
            ctx.error(
                row, "member_key", values["member_key"],
                _("The member key %(key)s appears twice in the household %(code)s (first on "
                  "row %(row)d).") % {"key": values["member_key"], "code": code, "row": first},
            )  # fmt: skip
            return None
        is_head = values["relationship"] == Relationship.HEAD and left_on is None
        if is_head and household is not None:
            # keyed by the household's own code string: one copy per household
            first = self.heads.add(household.code, row.number, cleaned["full_name"])
            if first is not None:
                ctx.error(
                    row, "relationship", values["relationship"],
                    _("A household has only one head; another member is already the head.")
                    + " "
                    + _("(row %(row)d)") % {"row": first},
                )  # fmt: skip
                ok = False
        number = cleaned.get("id_number")
        if number and "id_number" not in errors:
            first = self.id_numbers.add(key_hash(number), row.number)
            if first is not None:
                ctx.error(
                    row, "id_number", number,
                    _("This ID number is already given to the member on row %(row)d of the "
                      "file.") % {"row": first},
                )  # fmt: skip
                ok = False
        return cleaned if ok else None

    def _id_numbers_chunk(self, chunk: list[tuple[Row, str, str, str]]) -> None:
        """ID numbers of the file already registered for someone else."""
        if not chunk:
            return
        visible = Household.objects.visible_to(self.ctx.actor).filter(pk=OuterRef("household_id"))
        holders = {
            m["id_number"]: m
            for m in Member.objects.filter(id_number__in=[number for _r, number, _c, _k in chunk])
            .annotate(visible=Exists(visible))
            .values("pk", "id_number", "source_key", "household__code", "full_name", "visible")
        }
        for row, number, code, member_key in chunk:
            holder = holders.get(number)
            if holder is None or (
                holder["household__code"] == code
                and row_key(holder["source_key"], holder["pk"]) == member_key
            ):
                continue
            if holder["visible"]:
                message = _(
                    "This ID number is already registered for %(name)s in household %(code)s."
                ) % {"name": holder["full_name"], "code": holder["household__code"]}
            else:
                message = registered_elsewhere_message()
            self.ctx.error(row, "id_number", number, message)

    def check_heads(self) -> None:
        """Exactly one current head a household, counting the registry's members that the file
        leaves as they are."""
        ctx = self.ctx
        file = self.files.get("households", "households")
        for code, household in self.households.items():
            if household.pk is None and code not in self.heads:
                ctx.error(
                    Row(file, household.row, {}),
                    "household_code", code,
                    _("The household %(code)s has no current head in the members table: mark "
                      "one member as head of household.") % {"code": code},
                )  # fmt: skip
        existing = {
            h.pk: h.code
            for h in [*self.households.values(), *self.registry_refs.values()]
            if h.pk is not None
        }
        if not existing:
            return
        ids = list(existing)
        heads_in_registry: dict[int, int] = defaultdict(int)
        for start in range(0, len(ids), CHUNK):
            rows = Member.objects.filter(
                household_id__in=ids[start : start + CHUNK],
                relationship=Relationship.HEAD,
                left_on__isnull=True,
            ).values_list("household_id", "source_key", "pk")
            for household_id, source_key, pk in rows:
                key = key_hash(existing[household_id], row_key(source_key, pk))
                if key not in self.member_keys:
                    heads_in_registry[household_id] += 1
        for household_id, code in existing.items():
            count = heads_in_registry[household_id] + (1 if code in self.heads else 0)
            if count == 1:
                continue
            household = self.households.get(code) or self.registry_refs[code]
            row = Row(file, household.row, {}) if household.row else None
            ctx.error(
                row, "household_code", code,
                _("The household %(code)s would have no current head: mark one member as head "
                  "of household.") % {"code": code}
                if count == 0
                else _("The household %(code)s would have two heads: its head in the registry "
                       "and the head of the file. Give the registry's head a new relationship in "
                       "the file.") % {"code": code},
            )  # fmt: skip

    def check_numbering(self) -> None:
        """Warn once when the names of the file fit the other numbering."""
        ctx = self.ctx
        if self.other_numbering_fits:
            ctx.warn(
                None, "ethnicity", "",
                _("%(n)d of %(total)d ethnicity names fit the numbering %(other)s rather than "
                  "%(numbering)s: the file is probably in the numbering %(other)s.")
                % {"n": self.other_numbering_fits, "total": self.named_ethnicities,
                   "other": _numbering_label(fmt.other_numbering(ctx.numbering)),
                   "numbering": _numbering_label(ctx.numbering)},
            )  # fmt: skip
        elif self.rows["members"] and not self.named_ethnicities:
            ctx.warn(
                None, "ethnicity_name", "",
                _("The members table gives no ethnicity names, so nothing checks that its codes "
                  "are in the numbering %(numbering)s: they were read in it.")
                % {"numbering": _numbering_label(ctx.numbering)},
            )  # fmt: skip

    # --- reviews ------------------------------------------------------------------------------
    def reviews_table(self) -> None:
        for row in read_table(self.ctx, self.source, "reviews", "validate:reviews"):
            self.rows["reviews"] += 1
            values = parse_row(self.ctx, "reviews", row)
            if values is not None:
                self.review(row, values)

    def review(self, row: Row, values: dict[str, Any]) -> None:
        ctx = self.ctx
        household = self.household(row, values["household_code"])
        list_year, kind, survey = values["list_year"], values["kind"], values["survey_date"]
        ok = household is not None
        if not year_in_range(list_year):
            ctx.error(row, "list_year", list_year, str(YEAR_RANGE_MESSAGE))
            return
        if kind == ReviewKind.MONTHLY and survey is None:
            ctx.error(
                row, "survey_date", "",
                _("Enter the survey date of a monthly review: it tells the monthly reviews of a "
                  "year apart."),
            )  # fmt: skip
            ok = False
        if survey is not None and survey > ctx.today:
            ctx.error(row, "survey_date", survey, _("The survey date cannot be in the future."))
            ok = False
        income, b1 = values["income_per_capita"], values["b1_score"]
        if income is None and b1 is None:
            ctx.error(
                row, "income_per_capita", "",
                _("Enter the income per person or the B1 score: the classification needs one."),
            )  # fmt: skip
            ok = False
        if income is not None and not 0 <= income <= MAX_BIGINT:
            ctx.error(row, "income_per_capita", income, _("Income cannot be negative."))
            ok = False
        key = key_hash(values["household_code"], list_year, kind,
                       survey if kind == ReviewKind.MONTHLY else None)  # fmt: skip
        first = self.review_keys.add(key, row.number)
        if first is not None:
            ctx.error(
                row, "list_year", list_year,
                _("This review appears twice in the file (first on row %(row)d): a household has "
                  "one periodic review a list year, and one monthly review a survey date.")
                % {"row": first},
            )  # fmt: skip
            return
        if not ok:
            return
        commune = ctx.unit_by_id(household.commune_id)
        try:
            standard, verdict = ctx.classify_fast(
                commune=commune,
                list_year=list_year,
                on=review_on(list_year, survey),
                area_type=values["area_type"],
                income_per_capita=income,
                b1_score=b1,
                deprivations=values["deprivations"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                column = field if field in _REVIEW_FIELDS else ""
                for message in messages:
                    ctx.error(row, column, values.get(column, ""), message)
            return
        computed = verdict.classification.value
        recognised = values["recognised_classification"]
        if computed != recognised:
            ctx.warn(
                row, "recognised_classification", recognised,
                _("The standard %(standard)s computes “%(computed)s” for these facts; the file "
                  "recognises “%(recognised)s”. Both are kept, the recognised one in force.")
                % {"standard": standard.code, "computed": Classification(computed).label,
                   "recognised": Classification(recognised).label},
            )  # fmt: skip

    # --- disbursements ------------------------------------------------------------------------
    def programme(self, code: str) -> Programme | None:
        if code not in self.programmes:
            self.programmes[code] = (
                Programme.objects.available_to(self.ctx.actor)
                .prefetch_related("parameters")
                .filter(code=code)
                .first()
            )
        return self.programmes[code]

    def disbursements_table(self) -> None:
        for row in read_table(self.ctx, self.source, "disbursements", "validate:disbursements"):
            self.rows["disbursements"] += 1
            values = parse_row(self.ctx, "disbursements", row)
            if values is not None:
                self.disbursement(row, values)
        self.check_reversals()
        self.check_paid_once()

    def disbursement(self, row: Row, values: dict[str, Any]) -> None:
        ctx = self.ctx
        key = values["disbursement_key"]
        first = self.disbursements.first_row(key)
        if first is not None:
            ctx.error(
                row, "disbursement_key", key,
                _("The disbursement key %(key)s appears twice in the file (first on row "
                  "%(row)d).") % {"key": key, "row": first},
            )  # fmt: skip
            return
        code = values["household_code"]
        household = self.household(row, code)
        programme = self.programme(values["programme_code"])
        if programme is None:
            ctx.error(
                row, "programme_code", values["programme_code"],
                _("No programme of your province has the code %(code)s.")
                % {"code": values["programme_code"]},
            )  # fmt: skip
            return
        checked = self.payment_checks(row, values, programme)
        member_key = values["member_key"] or ""
        if (
            member_key
            and key_hash(code, member_key) not in self.member_keys
            and (
                household is None
                or household.pk is None
                or not registry_row(Member, household.pk, member_key).exists()
            )
        ):
            ctx.error(
                    row, "member_key", member_key,
                    _("The household %(code)s has no member with the key %(key)s.")
                    % {"code": code, "key": member_key},
                )  # fmt: skip
            return
        if values["kind"] == EntryKind.REVERSAL and not values["reverses_key"]:
            ctx.error(
                row, "reverses_key", "",
                _("A reversal names the payment it reverses (its disbursement key)."),
            )  # fmt: skip
            return
        if values["kind"] == EntryKind.PAYMENT and values["reverses_key"]:
            ctx.error(
                row, "reverses_key", values["reverses_key"],
                _("Only a reversal names a payment it reverses."),
            )  # fmt: skip
            return
        if household is None or checked is None:
            return
        # Kept for every row until the checks across rows: the repeated strings shared, one
        # copy each (a province has hundreds of thousands of payments).
        entry = DisbursementEntry(
            row=row.number,
            file=sys.intern(row.file),
            household_code=household.code,
            kind=sys.intern(values["kind"]),
            programme_id=programme.pk,
            member_key=sys.intern(member_key),
            period=sys.intern(checked),
            reverses_key=values["reverses_key"] or "",
        )
        self.disbursements.add(entry, key)

    def payment_checks(self, row: Row, values: dict[str, Any], programme: Programme) -> str | None:
        """The checks of the support service on a row's programme, date, period, variant,
        amount and funding; returns the period key, or None after reporting."""
        ctx = self.ctx
        errors: dict[str, list[str]] = {}
        paid_on = values["paid_on"]
        reversal = values["kind"] == EntryKind.REVERSAL
        support.check_in_force(programme, paid_on, errors)
        support._check_date(paid_on, errors)
        period = support._period(programme, values["period"], paid_on, values["reference"], errors)
        support._check_variant(programme, values["variant"], errors)
        support._funding(programme, values["funding_source"], errors)
        quantity = values["quantity"]
        if quantity is not None and (quantity < 0 if not reversal else quantity > 0):
            errors.setdefault("quantity", []).append(
                _("A reversal's quantity is negative.")
                if reversal
                else _("The quantity is at least 1.")
            )
        if not reversal:
            support._amount(
                programme,
                paid_on=paid_on,
                variant=values["variant"],
                quantity=quantity or 1,
                entered=values["amount"],
                errors=errors,
            )
        if period is not None and values["year"] != period.year:
            errors.setdefault("year", []).append(
                _("The plan year of the period %(period)s is %(year)d.")
                % {"period": period.key, "year": period.year}
            )
        for field, messages in errors.items():
            column = _DISBURSEMENT_FIELDS.get(field, field)
            for message in messages:
                ctx.error(row, column, values.get(column, ""), message)
        return period.key if period is not None and not errors else None

    def check_reversals(self) -> None:
        ctx = self.ctx
        reversed_by: dict[str, str] = {}
        disbursements = self.disbursements
        for number in disbursements.reverses:  # the reversals, in the order of the file
            key, entry = disbursements.keys.keys[number], disbursements.entry(number)
            row = Row(entry.file, entry.row, {})
            target = disbursements.get(entry.reverses_key)
            if target is None:
                household = self.households.get(entry.household_code) or ctx.registered(
                    entry.household_code
                )
                in_registry = (
                    household is not None
                    and household.pk is not None
                    and registry_row(Disbursement, household.pk, entry.reverses_key)
                    .filter(kind=EntryKind.PAYMENT)
                    .exists()
                )
                if not in_registry:
                    ctx.error(
                        row, "reverses_key", entry.reverses_key,
                        _("No payment of this household has the key %(key)s.")
                        % {"key": entry.reverses_key},
                    )  # fmt: skip
                    continue
            elif (
                target.kind != EntryKind.PAYMENT
                or target.household_code != entry.household_code
                or (target.programme_id, target.member_key, target.period)
                != (entry.programme_id, entry.member_key, entry.period)
            ):
                ctx.error(
                    row, "reverses_key", entry.reverses_key,
                    _("A reversal undoes a payment of the same household, programme, member and "
                      "period."),
                )  # fmt: skip
                continue
            if entry.reverses_key in reversed_by:
                ctx.error(
                    row, "reverses_key", entry.reverses_key,
                    _("This payment is already reversed."),
                )  # fmt: skip
                continue
            reversed_by[entry.reverses_key] = key
        self.reversed_keys = set(reversed_by)

    def check_paid_once(self) -> None:
        """A programme pays a beneficiary once a period, reversed payments aside."""
        disbursements = self.disbursements
        keys, shared = disbursements.keys.keys, disbursements.shared
        reversed_keys = self.reversed_keys
        # hash(beneficiary) -> the number of its first payment; beneficiaries whose hash an
        # earlier one has -> theirs (compared, so that a shared hash is no double payment)
        seen, clashes = FirstRows(), {}
        columns = zip(disbursements.facts, disbursements.codes, disbursements.member_keys,
                      strict=True)  # fmt: skip
        for number, (facts, code, member_key) in enumerate(columns):
            file, kind, programme_id, period = shared[facts]
            if kind != EntryKind.PAYMENT or keys[number] in reversed_keys:
                continue
            beneficiary = (programme_id, code, member_key, period)
            first = seen.add(hash(beneficiary), number)
            if first is not None and self._beneficiary(first) != beneficiary:
                first = clashes.setdefault(beneficiary, number)
                first = None if first == number else first
            if first is not None:
                self.ctx.error(
                    Row(file, disbursements.rows[number], {}), "period", period,
                    support._double_payment_message(period)
                    + " "
                    + _("(key %(key)s)") % {"key": keys[first]},
                )  # fmt: skip

    def _beneficiary(self, number: int) -> tuple[int, str, str, str]:
        entry = self.disbursements.entry(number)
        return (entry.programme_id, entry.household_code, entry.member_key, entry.period)

    # --- resident totals ----------------------------------------------------------------------
    def resident_counts_table(self) -> None:
        ctx = self.ctx
        for row in read_table(ctx, self.source, "resident_counts", "validate:resident_counts"):
            self.rows["resident_counts"] += 1
            values = parse_row(ctx, "resident_counts", row)
            if values is None:
                continue
            unit = ctx.any_unit(values["scheme"], values["unit_code"])
            if unit is None:
                ctx.error(
                    row, "unit_code", values["unit_code"],
                    nothing_in_area_message(values["scheme"], values["unit_code"], _("unit")),
                )  # fmt: skip
                continue
            if not may_enter(ctx.actor, unit):
                ctx.error(
                    row, "unit_code", values["unit_code"],
                    _("Only the unit's own staff enter its figures."),
                )  # fmt: skip
            if not year_in_range(values["year"]):
                ctx.error(row, "year", values["year"], str(YEAR_RANGE_MESSAGE))
            for column in ("households", "persons"):
                value = values[column]
                if value is not None and not 0 <= value <= 2**31 - 1:
                    ctx.error(row, column, value, _("Enter a whole number from 0 to %(max)d.")
                              % {"max": 2**31 - 1})  # fmt: skip
            key = (unit.pk, values["year"])
            if key in self.resident_keys:
                ctx.error(
                    row, "unit_code", values["unit_code"],
                    _("This unit's total for %(year)d appears twice in the file (first on row "
                      "%(row)d).") % {"year": values["year"], "row": self.resident_keys[key]},
                )  # fmt: skip
            else:
                self.resident_keys[key] = row.number


def registry_row(model, household_id: int, key: str):
    """The registry's member or disbursement of a household that a file's key names."""
    pk = generated_pk(key)
    if pk is not None:
        return model.objects.filter(household_id=household_id, pk=pk, source_key="")
    return model.objects.filter(household_id=household_id, source_key=key)


def _code_elsewhere_message(code: str) -> str:
    return _(
        "The household code %(code)s is already used in the registry, outside your area: give "
        "this household another code."
    ) % {"code": code}


def _numbering_label(numbering: str) -> str:
    from households.models.imports import Numbering

    return str(Numbering(numbering).label)
