"""The second pass of an import: the file, already checked, written in the caller's transaction.

Each table is read again and written a chunk of rows at a time: the rows the registry does not
have are inserted in bulk (COPY on PostgreSQL) with their "created" history records, the rows
that differ are updated with a "changed" record, and rows equal to the registry's are left
alone, so importing a file twice writes nothing the second time. Every history record points to
the import batch (`households.models.imports.writing_batch`).

An imported review is a recognised one: it is filed under a decision that stands for the
imported list (one per commune, list year and date, numbered `IMPORT/<year>/<date>`: a periodic
list holds from 1 January of its list year, a monthly review from its survey date), its moves
against the previous list are recorded as the recognition service records them, and the
households whose reviews or members changed have their status in force, its periods and
their entitlements brought up to date as after any recognition: `household_years_sync` for the
registry's households, the same derivation written in bulk (COPY) for the households the import
creates. Disbursements come last, checked for eligibility against that status with the support
rules. The rollups' summaries are brought up to date once, at the end, for every household the
file names (`reports.summaries.contributions` before and after, the difference applied).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from households.campaign.choices import TransitionKind
from households.campaign.selectors import POOR_AGAIN
from households.campaign.transitions import transition_kind
from households.choices import Classification, Relationship, ReviewKind, ReviewStatus
from households.evaluation import reasons_payload
from households.household_year import derive, household_years_sync
from households.models import (
    AuditEntry,
    Household,
    HouseholdYear,
    ImportBatch,
    Member,
    RecognitionDecision,
    Review,
    StatusChange,
    StatusPeriod,
)
from households.services import normalised_name, stored_birth_year
from households.validators import normalise_id_number
from policies.support import rules
from policies.support import status as support_status
from policies.support.choices import EntryKind
from policies.support.entitlements import entitlements_of_new
from policies.support.models import Allocation, Disbursement, Entitlement
from policies.support.services import disbursements as support
from registry.choices import Level
from registry.models import AdminUnit
from registry.scoping import province_path
from registry.text import search_key
from reports import summaries
from reports.models import ResidentCount
from reports.services import resident_count_set

from ..audit import audit_writes, created_entries, snapshot
from . import bulk
from . import format as fmt
from .context import (
    IMPORT_DECISION_PREFIX,
    PROGRESS_EVERY,
    Context,
    HouseholdRef,
    import_decision_number,
    review_on,
    row_key,
)
from .reader import Row, Source
from .validation import CHUNK, Validation, parse_row, read_table

# What `households.evaluation.member_facts` reads of a member to derive indicators.
FACT_FIELDS = ("birth_year", "birth_date", "has_health_insurance", "health_insurance_valid_to",
               "school_status", "school_level_matches_age", "qualification", "employment",
               "receives_social_allowance", "malnourished")  # fmt: skip
SYNC_BATCH = 500  # households whose status is derived together
FRESH_SYNC_BATCH = 2000  # the same, for households the import created
ANALYZE_AFTER = 10_000  # rows created before the planner's statistics are refreshed
TRANSITIONS = [kind.value for kind in TransitionKind if not kind.name.startswith("MOVED")]

HOUSEHOLD_FIELDS = ("commune_id", "village_id", "province_id", "unit_path", "address", "phone",
                    "area_type", "status", "head_name")  # fmt: skip
MEMBER_FIELDS = ("full_name", "relationship", "sex", "birth_year", "birth_date", "ethnicity",
                 "id_number", "has_health_insurance", "health_insurance_valid_to",
                 "school_status", "school_level_matches_age", "qualification", "employment",
                 "has_disability", "receives_social_allowance", "malnourished", "joined_on",
                 "left_on", "leave_reason")  # fmt: skip
REVIEW_FIELDS = ("status", "campaign_id", "survey_date", "standard_code", "area_type",
                 "income_per_capita", "b1_score", "deprivations", "housing_area_m2",
                 "computed_classification", "computed_line", "computed_reasons",
                 "recognised_classification", "override_reason", "decision_id")  # fmt: skip


def _counts() -> dict[str, int]:
    return {"created": 0, "updated": 0, "unchanged": 0}


def _differs(obj: Any, values: dict[str, Any]) -> bool:
    return any(getattr(obj, field) != value for field, value in values.items())


def imported_signed_on(kind: str, list_year: int, survey_date: dt.date | None) -> dt.date:
    """When an imported recognition takes effect: a periodic list from 1 January of its list
    year, a monthly review from its survey date."""
    if kind == ReviewKind.MONTHLY and survey_date is not None:
        return survey_date
    return dt.date(list_year, 1, 1)


def facts_on_days(
    wanted: set[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], rules.HouseholdFacts]:
    """`support.status.household_facts` of each (household, day) wanted, from two queries for
    all of them (a chunk of payments is checked on hundreds of days): the status periods over
    the span of the days, and the escapes from poverty and returns to it up to its end, applied
    day by day as `household_facts` applies them."""
    if not wanted:
        return {}
    ids = sorted({household_id for household_id, _day in wanted})
    start = min(day for _id, day in wanted)
    end = max(day for _id, day in wanted)
    periods = support_status.segments(ids, start, end)  # oldest first
    escaped: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    again: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for household_id, kind, day, pk in (
        StatusChange.objects.filter(
            household_id__in=ids,
            kind__in=[TransitionKind.ESCAPED_POVERTY, *POOR_AGAIN],
            effective_on__lte=end,
        )
        .order_by("household_id", "effective_on", "pk")
        .values_list("household_id", "kind", "effective_on", "pk")
    ):
        (escaped if kind == TransitionKind.ESCAPED_POVERTY else again)[household_id].append(
            (day, pk)
        )
    found: dict[tuple[int, dt.date], rules.HouseholdFacts] = {}
    for household_id, day in wanted:
        in_force = None
        for segment in periods.get(household_id, ()):
            if segment.covers(day):
                in_force = segment  # the latest start covering the day, as statuses_on
        escaped_on = None
        returns = [key for key in again.get(household_id, ()) if key[0] <= day]
        for key in escaped.get(household_id, ()):
            # Undone by a return to poverty after it (same day: recorded after it), by the day.
            if key[0] <= day and not any(back > key for back in returns):
                escaped_on = key[0]
        found[(household_id, day)] = rules.HouseholdFacts(
            classification=in_force.classification if in_force else None,
            escaped_on=escaped_on,
        )
    return found


def _without_prose(reasons: Any) -> Any:
    """A review's stored reasons less the prose, which an import does not store (the engine's
    bulk path gives none: `households.evaluation.review_explanations` renders it)."""
    if not isinstance(reasons, dict):
        return reasons
    return {k: v for k, v in reasons.items() if k not in ("explanation_vi", "explanation_en")}


def _move_key(change: StatusChange) -> tuple:
    """What a recorded move between lists says (its row's id aside)."""
    return (
        change.household_id, change.list_year, change.kind, change.previous_classification,
        change.classification, change.effective_on, change.decision_id,
    )  # fmt: skip


class Writer:
    """Write a validated file (`validation`) in the current transaction, as `batch`."""

    def __init__(
        self, ctx: Context, source: Source, validation: Validation, batch: ImportBatch
    ) -> None:
        self.ctx = ctx
        self.source = source
        self.validation = validation
        self.batch = batch
        self.actor = ctx.actor
        self.now = timezone.now()
        self.counts: dict[str, dict[str, int]] = defaultdict(_counts)
        self.pks: dict[str, int] = {}  # household code -> id
        self.created: set[int] = set()  # households this import created
        self.dirty: set[int] = set()  # households whose status must be derived again
        self.reviewed: set[int] = set()  # households whose recognised reviews changed
        self.decisions: dict[tuple, int] = {}
        self.provinces: dict[int, int] = {}
        self.allocations: dict[tuple, int] | None = None
        self.payments: dict[str, tuple[int, int, int]] = {}  # reversed key -> (id, qty, amount)

    def run(self) -> dict[str, dict[str, int]]:
        tables = self.source.tables
        # The rollups' summaries are brought up to date once, at the end, for every household
        # the file names: what the registry's households added before the import (locked, so
        # that no other transaction adds to the same cells meanwhile), against what all of them
        # add after it. A household the import creates added nothing before.
        registered = sorted(
            {ref.pk for ref in self.validation.households.values() if ref.pk is not None}
            | {ref.pk for ref in self.validation.registry_refs.values()}
        )
        for start in range(0, len(registered), summaries.REBUILD_BATCH):
            summaries.lock_households(registered[start : start + summaries.REBUILD_BATCH])
        before = summaries.contributions(registered)
        if "households" in tables:
            self.households_table()
        if "members" in tables:
            self.members_table()
        if "reviews" in tables:
            self.reviews_table()
        bulk.analyze(self.written_models(Household, Member, Review))
        self.transitions()
        self.statuses()
        bulk.analyze(self.written_models(HouseholdYear, StatusPeriod, StatusChange))
        if "disbursements" in tables:
            self.disbursements_table()
        if "resident_counts" in tables:
            self.resident_counts_table()
        if not self.ctx.error_count:
            touched = {*self.pks.values(), *registered}
            summaries.apply(before, summaries.contributions(touched))
            self.ctx.progress("summaries", len(touched), len(touched))
        return {table: dict(counts) for table, counts in self.counts.items()}

    def written_models(self, *models) -> list:
        """The models and their history models, when this import wrote many rows: a file of a
        few households leaves the planner's statistics alone (`bulk.analyze`)."""
        if sum(counts["created"] for counts in self.counts.values()) < ANALYZE_AFTER:
            return []
        history = [model.history.model for model in models if hasattr(model, "history")]
        return [*models, *history]

    def rows(self, table: str, *, only: set[tuple[str, int]] | None = None):
        """The table's rows with their values, a chunk at a time (`only`: just these rows, by
        file and number; the others are not even parsed)."""
        chunk: list[tuple[Row, dict[str, Any]]] = []
        for row, values in self.parsed(table):
            if only is not None and (row.file, row.number) not in only:
                continue
            chunk.append((row, values))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def parsed(self, table: str):
        """The table's rows with their values: as the checking pass kept them (`ctx.spool`),
        else read and parsed again."""
        spool = self.ctx.spool
        if spool is not None:
            done = 0
            for done, item in enumerate(spool.rows(table), 1):
                if done % PROGRESS_EVERY == 0:
                    self.ctx.progress(f"write:{table}", done)
                yield item
            self.ctx.progress(f"write:{table}", done)
            return
        for row in read_table(self.ctx, self.source, table, f"write:{table}"):
            values = parse_row(self.ctx, table, row)
            if values is not None:  # checked already: cannot fail unless the file changed
                yield row, values

    def household_pk(self, code: str) -> int:
        if code not in self.pks:
            ref = self.validation.households.get(code) or self.validation.registry_refs[code]
            self.pks[code] = ref.pk
        return self.pks[code]

    def province_id(self, commune_id: int) -> int:
        if commune_id not in self.provinces:
            commune = self.ctx.unit_by_id(commune_id)
            self.provinces[commune_id] = AdminUnit.objects.get(path=province_path(commune.path)).pk
        return self.provinces[commune_id]

    # --- households ---------------------------------------------------------------------------
    def households_table(self) -> None:
        counts = self.counts["households"]
        heads = self.validation.heads
        for chunk in self.rows("households"):
            codes = [values["household_code"] for _row, values in chunk]
            stored = {h.code: h for h in Household.objects.filter(code__in=codes)}
            created: list[dict[str, Any]] = []
            changed: list[Household] = []
            for _row, values in chunk:
                code = values["household_code"]
                ref: HouseholdRef = self.validation.households[code]
                village = (
                    self.ctx.unit(values["scheme"], Level.VILLAGE, values["village_code"])
                    if values["village_code"]
                    else None
                )
                household = stored.get(code)
                head = heads.get(code)
                fields = {
                    "commune_id": ref.commune_id,
                    "village_id": village.pk if village else None,
                    "province_id": self.province_id(ref.commune_id),
                    "unit_path": ref.unit_path,
                    "address": values["address"],
                    "phone": values["phone"],
                    "area_type": values["area_type"],
                    "status": values["status"],
                    "head_name": head[1] if head else (household.head_name if household else ""),
                }
                if household is None:
                    fields.update(
                        code=code,
                        created_by_id=self.actor.pk,
                        head_name_search=search_key(fields["head_name"]),
                    )
                    created.append(fields)
                    continue
                if _differs(household, fields):
                    if household.unit_path != fields["unit_path"]:
                        self.dirty.add(household.pk)
                    for field, value in fields.items():
                        setattr(household, field, value)
                    household.version += 1
                    household.updated_at = self.now
                    changed.append(household)
                else:
                    counts["unchanged"] += 1
                household.head_name_search = search_key(household.head_name)
            bulk.insert_rows(Household, created)
            bulk.history_rows(Household, created, history_type="+", user_id=self.actor.pk,
                              when=self.now)  # fmt: skip
            bulk.update(
                Household, changed,
                [f.removesuffix("_id") for f in HOUSEHOLD_FIELDS]
                + ["head_name_search", "version", "updated_at"],
            )  # fmt: skip
            bulk.history(Household, changed, history_type="~", user_id=self.actor.pk,
                         when=self.now)  # fmt: skip
            counts["created"] += len(created)
            counts["updated"] += len(changed)
            for row in created:
                self.created.add(row["id"])
                self.pks[row["code"]] = row["id"]
            for household in stored.values():
                self.pks[household.code] = household.pk

    # --- members ------------------------------------------------------------------------------
    def member_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        """A member row's fields as stored (normalised as `_clean_members` normalises them: the
        checking pass has run its checks)."""
        fields = {name: values[name] for name in MEMBER_FIELDS if name in values}
        fields.update(
            full_name=normalised_name(values["full_name"]),
            birth_year=stored_birth_year(values["birth_year"], values["birth_date"]),
            ethnicity=fmt.to_qd121(values["ethnicity"], self.ctx.numbering),
            id_number=normalise_id_number(values["id_number"]) or None,
        )
        return fields

    def members_table(self) -> None:
        """Members as they come, but for the current heads of households the registry had:
        those come last, once every member who stops being a head has, so that the one-head
        constraint holds while a head changes hands."""
        later: set[tuple[str, int]] = set()
        for chunk in self.rows("members"):
            now = []
            for row, values in chunk:
                code = values["household_code"]
                registered = code in self.validation.registry_refs or (
                    self.validation.households[code].pk is not None
                )
                if (
                    registered
                    and values["relationship"] == Relationship.HEAD
                    and (values["left_on"] is None)
                ):
                    later.add((row.file, row.number))
                else:
                    now.append((row, values))
            self.members_chunk(now)
        if later:
            for chunk in self.rows("members", only=later):
                self.members_chunk(chunk)
        self.registry_heads()

    def members_chunk(self, chunk: list[tuple[Row, dict[str, Any]]]) -> None:
        if not chunk:
            return
        counts = self.counts["members"]
        ids = {self.household_pk(values["household_code"]) for _r, values in chunk}
        stored = {  # the households this import created have none
            (m.household_id, row_key(m.source_key, m.pk)): m
            for m in Member.objects.filter(household_id__in=ids - self.created)
        }
        created: list[dict[str, Any]] = []
        changed: list[Member] = []
        for _row, values in chunk:
            household_id = self.household_pk(values["household_code"])
            fields = self.member_fields(values)
            member = stored.get((household_id, values["member_key"]))
            if member is None:
                fields.update(
                    household_id=household_id,
                    source_key=values["member_key"],
                    name_search=search_key(fields["full_name"]),
                )
                created.append(fields)
            elif _differs(member, fields):
                for field, value in fields.items():
                    setattr(member, field, value)
                member.name_search = search_key(member.full_name)
                changed.append(member)
            else:
                counts["unchanged"] += 1
                continue
            self.dirty.add(household_id)
        bulk.update(Member, changed, [*MEMBER_FIELDS, "name_search"])
        bulk.history(Member, changed, history_type="~", user_id=self.actor.pk, when=self.now)
        bulk.insert_rows(Member, created)
        bulk.history_rows(Member, created, history_type="+", user_id=self.actor.pk,
                          when=self.now)  # fmt: skip
        counts["created"] += len(created)
        counts["updated"] += len(changed)

    def registry_heads(self) -> None:
        """The head's name on registry households the file names only in its members table."""
        refs = self.validation.registry_refs
        heads = {code: head for code, head in self.validation.heads.items() if code in refs}
        if not heads:
            return
        stored = Household.objects.filter(pk__in=[refs[code].pk for code in heads])
        changed = []
        for household in stored:
            name = heads[household.code][1]
            if household.head_name != name:
                household.head_name, household.head_name_search = name, search_key(name)
                household.version += 1
                household.updated_at = self.now
                changed.append(household)
        bulk.update(Household, changed, ["head_name", "head_name_search", "version",
                                         "updated_at"])  # fmt: skip
        bulk.history(Household, changed, history_type="~", user_id=self.actor.pk, when=self.now)
        self.counts["households"]["updated"] += len(changed)

    # --- reviews ------------------------------------------------------------------------------
    def decision(self, commune: AdminUnit, list_year: int, signed_on: dt.date, campaign) -> int:
        """The decision an imported review of the commune is filed under (found or made)."""
        number = import_decision_number(list_year, signed_on)
        key = (commune.pk, number)
        if key not in self.decisions:
            found = RecognitionDecision.objects.filter(commune=commune, number=number).first()
            if found is None:
                found = RecognitionDecision.objects.create(
                    commune=commune,
                    unit_path=commune.path,
                    campaign=campaign,
                    list_year=list_year,
                    number=number,
                    signed_on=signed_on,
                    signed_by=self.actor,
                )
            self.decisions[key] = found.pk
        return self.decisions[key]

    def review_fields(
        self, values: dict[str, Any], ref: HouseholdRef, members: list[dict[str, Any]]
    ) -> dict[str, Any]:
        ctx = self.ctx
        commune = ctx.unit_by_id(ref.commune_id)
        list_year, kind, survey = values["list_year"], values["kind"], values["survey_date"]
        deprivations = sorted(set(values["deprivations"]))
        evaluation = ctx.evaluation(
            commune=commune,
            list_year=list_year,
            on=review_on(list_year, survey),
            area_type=values["area_type"],
            income_per_capita=values["income_per_capita"],
            b1_score=values["b1_score"],
            deprivations=deprivations,
            members=members,
            housing_area_m2=values["housing_area_m2"],
        )
        verdict = evaluation.verdict
        computed = verdict.classification.value
        recognised = values["recognised_classification"]
        reason = (values["override_reason"] or "").strip()
        if recognised != computed and not reason:
            with translation.override(settings.LANGUAGE_CODE):  # stored text: the registry's
                reason = _(
                    "Recognised as “%(recognised)s” in the imported list; the standard computes "
                    "“%(computed)s”."
                ) % {
                    "recognised": Classification(recognised).label,
                    "computed": Classification(computed).label,
                }
        campaign = ctx.campaign(commune, list_year) if kind == ReviewKind.PERIODIC else None
        return {
            "status": ReviewStatus.RECOGNISED,
            "campaign_id": campaign.pk if campaign else None,
            "survey_date": survey,
            "standard_code": verdict.standard_code,
            "area_type": values["area_type"],
            "income_per_capita": values["income_per_capita"],
            "b1_score": values["b1_score"],
            "deprivations": deprivations,
            "housing_area_m2": values["housing_area_m2"],
            "computed_classification": computed,
            "computed_line": verdict.line,
            "computed_reasons": reasons_payload(evaluation),
            "recognised_classification": recognised,
            "override_reason": reason,
            "decision_id": self.decision(
                commune, list_year, imported_signed_on(kind, list_year, survey), campaign
            ),
        }

    def reviews_table(self) -> None:
        counts = self.counts["reviews"]
        refs = {**self.validation.registry_refs, **self.validation.households}
        for chunk in self.rows("reviews"):
            ids = {self.household_pk(values["household_code"]) for _r, values in chunk}
            current: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for row in Member.objects.filter(household_id__in=ids, left_on__isnull=True).values(
                "household_id", *FACT_FIELDS
            ):
                current[row["household_id"]].append(row)
            stored = {}  # the households this import created have none
            for review in Review.objects.filter(household_id__in=ids - self.created):
                survey = review.survey_date if review.kind == ReviewKind.MONTHLY else None
                stored[(review.household_id, review.list_year, review.kind, survey)] = review
            created: list[dict[str, Any]] = []
            changed: list[Review] = []
            for _row, values in chunk:
                household_id = self.household_pk(values["household_code"])
                fields = self.review_fields(
                    values, refs[values["household_code"]], current[household_id]
                )
                kind = values["kind"]
                survey = values["survey_date"] if kind == ReviewKind.MONTHLY else None
                review = stored.get((household_id, values["list_year"], kind, survey))
                if review is None:
                    fields.update(
                        household_id=household_id,
                        list_year=values["list_year"],
                        kind=kind,
                        reviewer_id=self.actor.pk,  # who recorded it: the importer
                        recognised_by_id=self.actor.pk,
                    )
                    created.append(fields)
                else:
                    if review.decision_id is not None and review.status == ReviewStatus.RECOGNISED:
                        fields["decision_id"] = review.decision_id  # recognised already: kept
                    if _without_prose(review.computed_reasons) == fields["computed_reasons"]:
                        # Stored with its prose (a form, an earlier import): the same result.
                        fields["computed_reasons"] = review.computed_reasons
                    if not _differs(review, fields):
                        counts["unchanged"] += 1
                        continue
                    for field, value in fields.items():
                        setattr(review, field, value)
                    review.recognised_by = review.recognised_by or self.actor
                    review.updated_at = self.now
                    changed.append(review)
                self.dirty.add(household_id)
                self.reviewed.add(household_id)
            bulk.insert_rows(Review, created)
            bulk.history_rows(Review, created, history_type="+", user_id=self.actor.pk,
                              when=self.now)  # fmt: skip
            bulk.update(
                Review, changed,
                [f.removesuffix("_id") for f in REVIEW_FIELDS] + ["recognised_by", "updated_at"],
            )  # fmt: skip
            bulk.history(Review, changed, history_type="~", user_id=self.actor.pk, when=self.now)
            counts["created"] += len(created)
            counts["updated"] += len(changed)

    # --- moves between lists, status in force -------------------------------------------------
    def transitions(self) -> None:
        """Each imported recognition's move against the list before it (escaped poverty, newly
        poor, ...), recorded as `recognition_decide` records it; made again for the households
        whose reviews changed, so that importing again records nothing twice."""
        ids = sorted(self.reviewed)
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            recorded = list(
                StatusChange.objects.filter(
                    household_id__in=part,
                    kind__in=TRANSITIONS,
                    decision__number__startswith=IMPORT_DECISION_PREFIX,
                )
            )
            reviews = (
                Review.objects.filter(
                    household_id__in=part,
                    status=ReviewStatus.RECOGNISED,
                    decision__isnull=False,
                )
                .annotate(
                    signed_on=F("decision__signed_on"),
                    number=F("decision__number"),
                    path=F("household__unit_path"),
                )
                .order_by("household_id", "signed_on", "decision__created_at", "pk")
                .values("household_id", "list_year", "recognised_classification",
                        "decision_id", "signed_on", "number", "path")
            )  # fmt: skip
            escaped_app = set(
                StatusChange.objects.filter(
                    household_id__in=part, kind=TransitionKind.ESCAPED_POVERTY
                )
                .exclude(decision__number__startswith=IMPORT_DECISION_PREFIX)
                .values_list("household_id", "effective_on")
            )
            by_household: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for review in reviews:
                by_household[review["household_id"]].append(review)
            made = []
            for household_id, recognised in by_household.items():
                status: dict[int, str] = {}
                escaped = False
                for review in recognised:
                    year = review["list_year"]
                    was = status.get(year, status.get(year - 1))
                    escaped = escaped or any(
                        h == household_id and day < review["signed_on"] for h, day in escaped_app
                    )
                    kind = transition_kind(
                        was, review["recognised_classification"], escaped_before=escaped
                    )
                    if kind == TransitionKind.ESCAPED_POVERTY:
                        escaped = True
                    status[year] = review["recognised_classification"]
                    if kind and review["number"].startswith(IMPORT_DECISION_PREFIX):
                        made.append(
                            StatusChange(
                                household_id=household_id,
                                unit_path=review["path"],
                                list_year=year,
                                kind=kind,
                                previous_classification=was or "",
                                classification=review["recognised_classification"],
                                effective_on=review["signed_on"],
                                decision_id=review["decision_id"],
                            )
                        )
            # Only what differs is written (and audited): the same file again changes nothing.
            kept = {_move_key(change) for change in recorded}
            wanted = {_move_key(change) for change in made}
            stale = [change for change in recorded if _move_key(change) not in wanted]
            new = [change for change in made if _move_key(change) not in kept]
            if stale:
                audit_writes(actor=self.actor, deleted=stale)
                StatusChange.objects.filter(pk__in=[change.pk for change in stale]).delete()
            if new:
                StatusChange.objects.bulk_create(new, batch_size=2000)
                audit_writes(actor=self.actor, created=new)

    def statuses(self) -> None:
        """The status in force, its periods and entitlements of every household whose reviews,
        members or unit changed (the summaries follow at the end, `run`). The households the
        import created have no row yet: theirs are derived together (`derive`, the derivation
        of `household_years_sync`) and written with COPY, with their history; the registry's
        go through `household_years_sync` itself."""
        ids = sorted(self.dirty)
        done = 0
        fresh = [pk for pk in ids if pk in self.created]
        for start in range(0, len(fresh), FRESH_SYNC_BATCH):
            part = fresh[start : start + FRESH_SYNC_BATCH]
            self.fresh_statuses(part)
            done += len(part)
            self.ctx.progress("status", done, len(ids))
        known = [pk for pk in ids if pk not in self.created]
        for start in range(0, len(known), SYNC_BATCH):
            part = known[start : start + SYNC_BATCH]
            household_years_sync(part, actor=self.actor, summaries=False)
            done += len(part)
            self.ctx.progress("status", done, len(ids))

    def fresh_statuses(self, ids: list[int]) -> None:
        """`household_years_sync` of households that have no status row, period or entitlement
        yet: the same rows, written in bulk."""
        now = timezone.now()
        derived = derive(ids, now=now)
        years = [
            {"household_id": household_id, "list_year": list_year, "updated_at": now, **values}
            for (household_id, list_year), values in derived.years.items()
        ]
        bulk.insert_rows(HouseholdYear, years)
        bulk.history_rows(HouseholdYear, years, history_type="+", user_id=self.actor.pk,
                          when=now)  # fmt: skip
        periods = [
            {"household_id": household_id, "valid_from": valid_from, **values}
            for (household_id, valid_from), values in derived.periods.items()
        ]
        bulk.insert_rows(StatusPeriod, periods)
        # Periods keep no history: audited as household_years_sync audits them (the households
        # are new, so their periods are the rows just written).
        # Entitlements: as entitlements_sync creates and audits them for households with none.
        entitlements = entitlements_of_new(ids)
        bulk.insert_rows(Entitlement, entitlements)
        bulk.insert_rows(
            AuditEntry,
            created_entries(StatusPeriod, periods, actor=self.actor, at=now)
            + created_entries(Entitlement, entitlements, actor=self.actor, at=now),
        )

    # --- disbursements ------------------------------------------------------------------------
    def allocation(self, programme_id: int, year: int, commune_id: int) -> int | None:
        if self.allocations is None:  # every allocation, read once (one per commune and year)
            self.allocations = {
                (programme, plan_year, unit): pk
                for programme, plan_year, unit, pk in Allocation.objects.values_list(
                    "programme_id", "year", "unit_id", "pk"
                )
            }
        return self.allocations.get((programme_id, year, commune_id))

    def disbursements_table(self) -> None:
        """Payments first, then reversals (a reversal may come before its payment in the file)."""
        reversals: set[tuple[str, int]] = set()
        for chunk in self.rows("disbursements"):
            payments = []
            for row, values in chunk:
                if values["kind"] == EntryKind.REVERSAL:
                    reversals.add((row.file, row.number))
                else:
                    payments.append((row, values))
            if payments:
                self.disbursements_chunk(payments, reversals=False)
        if reversals:
            for chunk in self.rows("disbursements", only=reversals):
                self.disbursements_chunk(chunk, reversals=True)

    def disbursements_chunk(self, chunk: list, *, reversals: bool) -> None:
        ctx = self.ctx
        counts = self.counts["disbursements"]
        ids = {self.household_pk(values["household_code"]) for _r, values in chunk}
        households = {
            h["pk"]: h
            for h in Household.objects.filter(pk__in=ids).values(
                "pk", "commune_id", "unit_path", "created_at"
            )
        }
        members = {
            (m["household_id"], row_key(m["source_key"], m["pk"])): m
            for m in Member.objects.filter(household_id__in=ids).values(
                "pk", "household_id", "source_key", "birth_year", "birth_date", "school_status",
                "ethnicity", "joined_on", "left_on",
            )
        }  # fmt: skip
        stored = {
            (d.household_id, row_key(d.source_key, d.pk)): d
            for d in Disbursement.objects.filter(household_id__in=ids)
        }
        paid = defaultdict(list)  # (programme, household, member, period) -> standing payments
        for d in Disbursement.objects.filter(
            household_id__in=ids, kind=EntryKind.PAYMENT, is_reversed=False
        ).values("programme_id", "household_id", "member_id", "period", "source_key"):
            paid[(d["programme_id"], d["household_id"], d["member_id"], d["period"])].append(
                d["source_key"]
            )
        rows, prepared = [], []
        for row, values in chunk:
            household_id = self.household_pk(values["household_code"])
            household = households[household_id]
            member = (
                members.get((household_id, values["member_key"])) if values["member_key"] else None
            )
            entry = (row, values, household_id, household, member)
            if reversals:
                prepared.append(self.reversal(entry, stored))
            else:
                prepared.append(self.payment(entry, stored, paid))
        if reversals:
            self.reversals_write([p for p in prepared if p is not None])
            return
        checked = [p for p in prepared if p is not None]
        facts = facts_on_days(
            {(item["obj"].household_id, day) for item in checked for day in item["days"]}
        )
        for item in checked:
            obj, row, programme = item["obj"], item["row"], item["programme"]
            classification = ""
            refused = False
            for day in item["days"]:
                found = facts[(obj.household_id, day)]
                code = rules.refusal(programme.rule, found, day, item["person"])
                if code is not None:
                    field, message = support.refusal_message(code, day, programme)
                    column = "member_key" if field == "member" else "household_code"
                    ctx.error(row, column, item["values"][column], message)
                    refused = True
                    break
                classification = (
                    found.classification or rules.basis(programme.rule, found, day) or ""
                )
            if not refused:
                obj.classification = classification
                rows.append(obj)
        rows = [obj for obj in rows if obj.pk is None]
        if ctx.error_count or not rows:
            return
        bulk.insert(Disbursement, rows)  # the support summaries follow at the end (run)
        counts["created"] += len(rows)
        for obj in rows:
            if obj.source_key in self.validation.reversed_keys:
                self.payments[obj.source_key] = (obj.pk, obj.quantity, obj.amount)

    def payment(self, entry, stored, paid) -> dict[str, Any] | None:
        ctx = self.ctx
        row, values, household_id, household, member = entry
        programme = self.validation.programme(values["programme_code"])
        errors: dict[str, list[str]] = {}
        period = support._period(
            programme, values["period"], values["paid_on"], values["reference"], errors
        )
        amount = support._amount(
            programme,
            paid_on=values["paid_on"],
            variant=values["variant"],
            quantity=values["quantity"] or 1,
            entered=values["amount"],
            errors=errors,
        )
        source = support._funding(programme, values["funding_source"], errors)
        key = values["disbursement_key"]
        reversed_here = key in self.validation.reversed_keys
        fields = {
            "programme_id": programme.pk,
            "member_id": member["pk"] if member else None,
            "year": period.year,
            "kind": EntryKind.PAYMENT,
            "paid_on": values["paid_on"],
            "period": period.key,
            "variant": values["variant"],
            "quantity": values["quantity"] or 1,
            "amount": amount,
            "funding_source": source,
            "reference": values["reference"],
            "note": values["note"],
        }
        existing = stored.get((household_id, key))
        if existing is not None:
            return self.unchanged_or_refused(row, existing, fields)
        standing = paid.get((programme.pk, household_id, fields["member_id"], period.key), [])
        if standing and not reversed_here:
            ctx.error(row, "period", values["period"], support._double_payment_message(period.key))
            return None
        person = None
        if member is not None:
            person = support_status.person_facts(
                birth_year=member["birth_year"],
                birth_date=member["birth_date"],
                school_status=member["school_status"],
                ethnicity=member["ethnicity"],
                joined_on=support_status.joined_after_registration(
                    member["joined_on"], household["created_at"]
                ),
                left_on=member["left_on"],
            )
        obj = Disbursement(
            household_id=household_id,
            commune_id=household["commune_id"],
            unit_path=household["unit_path"],
            allocation_id=self.allocation(programme.pk, period.year, household["commune_id"]),
            is_reversed=reversed_here,
            recorded_by=self.actor,
            source_key=key,
            **fields,
        )
        return {
            "obj": obj,
            "row": row,
            "values": values,
            "programme": programme,
            "person": person,
            "days": support._check_days(values["paid_on"], period),
        }

    def unchanged_or_refused(self, row: Row, existing: Disbursement, fields: dict) -> None:
        """A disbursement recorded already: equal, it is left alone; a recorded payment never
        changes (it is reversed), so a different one is refused."""
        if _differs(existing, fields):
            self.ctx.error(
                row, "disbursement_key", row_key(existing.source_key, existing.pk),
                _("The registry holds this disbursement with other values: a recorded "
                  "disbursement does not change. Reverse it in the registry and give the new "
                  "payment a new key."),
            )  # fmt: skip
        else:
            self.counts["disbursements"]["unchanged"] += 1
        return None

    def reversal(self, entry, stored) -> dict[str, Any] | None:
        row, values, household_id, _household, member = entry
        key = values["disbursement_key"]
        target = values["reverses_key"]
        if target in self.payments:
            payment = Disbursement.objects.get(pk=self.payments[target][0])
        else:
            payment = stored.get((household_id, target))
            if payment is None:
                return None  # its payment was refused: said on that row
        programme = self.validation.programme(values["programme_code"])
        fields = {
            "programme_id": programme.pk,
            "member_id": member["pk"] if member else None,
            "kind": EntryKind.REVERSAL,
            "paid_on": max(values["paid_on"], payment.paid_on),
            "period": payment.period,
            "quantity": -payment.quantity,
            "amount": -payment.amount,
            "reference": values["reference"],
            "note": values["note"],
        }
        existing = stored.get((household_id, key))
        if existing is not None:
            return self.unchanged_or_refused(row, existing, fields)
        return {
            "payment": payment,
            "obj": Disbursement(
                household_id=household_id,
                commune_id=payment.commune_id,
                unit_path=payment.unit_path,
                year=payment.year,
                variant=payment.variant,
                funding_source=payment.funding_source,
                classification=payment.classification,
                allocation_id=payment.allocation_id,
                reverses=payment,
                recorded_by=self.actor,
                source_key=key,
                **fields,
            ),
        }

    def reversals_write(self, prepared: list[dict[str, Any]]) -> None:
        if self.ctx.error_count or not prepared:
            return
        rows = [item["obj"] for item in prepared]
        standing = [item["payment"] for item in prepared if not item["payment"].is_reversed]
        before = [(payment, snapshot(payment)) for payment in standing]
        for payment in standing:  # the support summaries follow at the end (run)
            payment.is_reversed = True
        bulk.update(Disbursement, standing, ["is_reversed"])
        audit_writes(actor=self.actor, changed=before)  # the payments marked reversed
        bulk.insert(Disbursement, rows)
        self.counts["disbursements"]["created"] += len(rows)

    # --- resident totals ----------------------------------------------------------------------
    def resident_counts_table(self) -> None:
        ctx = self.ctx
        counts = self.counts["resident_counts"]
        for chunk in self.rows("resident_counts"):
            for row, values in chunk:
                unit = ctx.any_unit(values["scheme"], values["unit_code"])
                stored = ResidentCount.objects.filter(unit=unit, year=values["year"]).first()
                if stored is not None and (stored.households, stored.persons, stored.source) == (
                    values["households"],
                    values["persons"],
                    values["source"],
                ):
                    counts["unchanged"] += 1
                    continue
                try:
                    resident_count_set(
                        actor=self.actor,
                        unit=unit,
                        year=values["year"],
                        households=values["households"],
                        persons=values["persons"],
                        source=values["source"],
                    )
                except (ValidationError, PermissionDenied, Http404) as error:
                    messages = (
                        error.messages if isinstance(error, ValidationError) else [str(error)]
                    )
                    for message in messages:
                        ctx.error(row, "unit_code", values["unit_code"], message)
                    continue
                counts["updated" if stored else "created"] += 1
