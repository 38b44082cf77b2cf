"""What a valid file writes: the registry with its history pointing to the batch, the status in
force and the rollups; nothing the second time; what changed in an updated file; the same
registry from CSV and from XLSX; the two ethnicity numberings; names stored as text."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from households.campaign.choices import TransitionKind
from households.household_year import household_years_sync
from households.interchange.importing import import_file
from households.models import (
    AuditEntry,
    Household,
    HouseholdYear,
    ImportBatch,
    Member,
    Review,
    StatusChange,
    StatusPeriod,
)
from policies.support.models import Disbursement, Entitlement
from reports.models import StatusSummary, SupportSummary
from reports.summaries import summaries_rebuild

from .files import family, member, merged, review, write_xlsx, write_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(officer, tmp_path):
    def run(tables, actor=None, *, xlsx=False, name="lists", **options):
        path = (
            write_xlsx(tmp_path / f"{name}.xlsx", tables)
            if xlsx
            else write_zip(tmp_path / f"{name}.zip", tables)
        )
        with translation.override("en"):
            return import_file(actor=actor or officer, path=path, filename=path.name, **options)

    return run


def history_counts() -> tuple[int, ...]:
    return (
        Household.history.count(),
        Member.history.count(),
        Review.history.count(),
        HouseholdYear.history.count(),
    )


def payment(key="P1", **extra):
    row = {"disbursement_key": key, "household_code": "HH-1", "programme_code": "electricity",
           "year": 2026, "kind": "payment", "paid_on": "2026-02-10", "period": "2026-Q1",
           "funding_source": "central"}  # fmt: skip
    row.update(extra)
    return row


# --- what is written ----------------------------------------------------------------------------


def test_every_history_record_written_points_to_the_batch(run, officer):
    batch = run(family()).batch
    for model in (Household, Member, Review, HouseholdYear):
        records = model.history.all()
        assert records.exists()
        assert {(r.import_batch_id, r.history_user_id, r.history_type) for r in records} == {
            (batch.pk, officer.pk, "+")
        }


def test_records_written_by_the_services_point_to_no_batch(officer, my_hoa_hung):
    from ..factories import make_household

    household = make_household(officer, my_hoa_hung)
    assert household.history.get().import_batch is None


def test_an_imported_review_is_the_status_in_force_of_its_list_year(run):
    run(family())
    status = HouseholdYear.objects.get()
    review = Review.objects.get()
    assert (status.classification, status.review, status.persons, status.list_year) == (
        "poor", review, 2, 2026,
    )  # fmt: skip
    assert (status.valid_from, status.valid_to) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (review.status, review.decision.number) == ("recognised", "IMPORT/2026/20260101")
    assert StatusPeriod.objects.get().classification == "poor"


def test_a_monthly_review_takes_over_from_its_survey_date(run):
    tables = family()
    tables["reviews"].append(
        review(kind="monthly", survey_date="2026-06-27", income_per_capita=2_500_000,
               deprivations="", recognised_classification="not_poor")
    )  # fmt: skip
    assert run(tables).ok
    periods = list(StatusPeriod.objects.order_by("valid_from").values_list(
        "classification", "valid_from", "valid_to"))  # fmt: skip
    assert periods == [
        ("poor", dt.date(2026, 1, 1), dt.date(2026, 6, 26)),
        ("not_poor", dt.date(2026, 6, 27), dt.date(2026, 12, 31)),
    ]


def test_the_summaries_of_the_commune_are_refreshed(run, my_hoa_hung):
    run(merged(family("HH-1"), family("HH-2")))
    cell = StatusSummary.objects.get(commune=my_hoa_hung, year=2026)
    assert (cell.households, cell.poor_households, cell.poor_persons) == (2, 2, 4)
    assert summaries_rebuild() == 0  # the incremental cells are what a rebuild gives


def test_moves_between_imported_lists_are_recorded(run, my_hoa_hung):
    tables = family()
    tables["reviews"] = [
        review(list_year=2025, survey_date="2024-10-15"),
        review(income_per_capita=1_400_000, deprivations="",
               recognised_classification="near_poor"),
    ]  # fmt: skip
    assert run(tables).ok
    moves = StatusChange.objects.order_by("list_year")
    assert [m.kind for m in moves] == [TransitionKind.NEWLY_POOR, TransitionKind.POOR_TO_NEAR_POOR]
    move = moves.last()
    assert (move.kind, move.list_year, move.previous_classification) == (
        TransitionKind.POOR_TO_NEAR_POOR, 2026, "poor",
    )  # fmt: skip
    assert StatusSummary.objects.get(commune=my_hoa_hung, year=2026).poor_to_near_poor == 1


def _status_rows() -> dict[str, list[tuple]]:
    skip = {"id", "updated_at", "created_at"}

    def rows(model, order):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        return list(model.objects.order_by(*order).values_list(*names))

    return {
        "years": rows(HouseholdYear, ["household_id", "list_year"]),
        "periods": rows(StatusPeriod, ["household_id", "valid_from"]),
        "entitlements": rows(Entitlement, ["household_id", "programme_id", "valid_from", "pk"]),
    }


def _audited_derived_rows() -> list[tuple]:
    """The audit entries of status periods and entitlements, without their row ids."""
    return sorted(
        (entry.model, entry.action, json.dumps(entry.changes, sort_keys=True))
        for entry in AuditEntry.objects.filter(
            model__in=["households.statusperiod", "policies.entitlement"]
        )
    )


def test_the_bulk_status_of_new_households_is_what_the_sync_gives(run, programmes):
    """The status rows, periods and entitlements the import writes in bulk for the households
    it creates are those `household_years_sync` derives one batch at a time."""
    tables = merged(family("HH-1"), family("HH-2"), family("HH-3"))
    tables["reviews"] += [
        review("HH-1", kind="monthly", survey_date="2026-06-27", income_per_capita=2_500_000,
               deprivations="", recognised_classification="not_poor"),
        review("HH-2", list_year=2025, survey_date="2024-10-15"),
        review("HH-3", list_year=2025, survey_date="2024-10-15", income_per_capita=2_500_000,
               deprivations="", recognised_classification="not_poor"),
    ]  # fmt: skip
    assert run(tables).ok
    bulk = _status_rows()
    assert len(bulk["years"]) == 5 and len(bulk["periods"]) == 6 and bulk["entitlements"]
    audited = _audited_derived_rows()
    assert len(audited) == len(bulk["periods"]) + len(bulk["entitlements"])
    ids = list(Household.objects.values_list("pk", flat=True))
    assert household_years_sync(ids) == 0  # nothing to change
    assert summaries_rebuild() == 0
    HouseholdYear.objects.all().delete()  # (the summaries do not follow a queryset's delete)
    StatusPeriod.objects.all().delete()
    Entitlement.objects.all().delete()
    AuditEntry.objects.all().delete()
    for pk in ids:
        household_years_sync([pk])
    assert _status_rows() == bulk
    # Audited as the sync audits them: the same entries, field by field.
    assert _audited_derived_rows() == audited


def test_entitlements_follow_the_imported_status(run, programmes):
    run(family())
    assert Entitlement.objects.filter(programme=programmes["electricity"]).exists()


def test_disbursements_count_in_the_support_summaries(run, programmes, my_hoa_hung):
    run({**family(), "disbursements": [payment()]})
    cell = SupportSummary.objects.get(
        commune=my_hoa_hung, year=2026, programme=programmes["electricity"], variant=""
    )
    assert (cell.households, cell.payments, cell.amount) == (1, 1, 30 * 2_044 * 3)
    assert summaries_rebuild() == 0


# --- importing again ----------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(run, programmes):
    tables = {**family(), "disbursements": [payment()], "resident_counts": [
        {"scheme": "2025", "unit_code": "30313", "year": 2026, "households": 10, "source": "x"}
    ]}  # fmt: skip
    run(tables)
    before = history_counts()
    counts = (Disbursement.objects.count(), StatusChange.objects.count())
    again = run(tables)
    assert again.ok
    assert {t: c["created"] + c["updated"] for t, c in again.counts.items()} == {
        "households": 0, "members": 0, "reviews": 0, "disbursements": 0, "resident_counts": 0,
    }  # fmt: skip
    assert history_counts() == before
    assert (Disbursement.objects.count(), StatusChange.objects.count()) == counts
    assert ImportBatch.objects.count() == 2
    assert AuditEntry.objects.filter(import_batch=again.batch).count() == 0


def test_a_reversal_and_the_moves_an_import_records_are_audited(run, programmes):
    first = run({**family(), "disbursements": [payment()]})
    move = StatusChange.objects.get()
    assert AuditEntry.objects.filter(
        import_batch=first.batch, model="households.statuschange", object_id=move.pk,
        action="created",
    ).exists()  # fmt: skip
    reversal = payment("R1", kind="reversal", reverses_key="P1", paid_on="2026-03-01")
    second = run({**family(), "disbursements": [payment(), reversal]}, name="lists-v2")
    assert second.ok, second.errors
    paid = Disbursement.objects.get(source_key="P1")
    assert paid.is_reversed
    entry = AuditEntry.objects.get(
        import_batch=second.batch, model="policies.disbursement", object_id=paid.pk
    )
    assert entry.actor_id == first.batch.actor_id
    assert {c["field"] for c in entry.changes} == {"is_reversed"}


def test_an_updated_file_updates_what_changed_and_keeps_the_history(run):
    first = run(family()).batch
    tables = family()
    tables["households"][0]["address"] = "Ấp Mỹ Thuận"
    tables["members"][1]["full_name"] = "Trần Thị Bích"
    tables["reviews"][0].update(income_per_capita=1_400_000, deprivations="",
                                recognised_classification="near_poor")  # fmt: skip
    second = run(tables, name="lists-v2")
    assert second.counts["households"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert second.counts["members"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert second.counts["reviews"]["updated"] == 1
    household = Household.objects.get()
    assert (household.address, household.version) == ("Ấp Mỹ Thuận", 2)
    assert list(household.history.order_by("history_id").values_list(
        "address", "history_type", "import_batch")) == [
        ("Ấp Mỹ An", "+", first.pk), ("Ấp Mỹ Thuận", "~", second.batch.pk),
    ]  # fmt: skip
    assert HouseholdYear.objects.get().classification == "near_poor"
    assert HouseholdYear.history.filter(import_batch=second.batch).count() == 1


def test_a_new_head_takes_over_in_an_updated_file(run):
    run(family())
    tables = family()
    tables["members"][0]["relationship"] = "parent"
    tables["members"][1]["relationship"] = "head"
    assert run(tables).ok
    assert Household.objects.get().head_name == "Trần Thị Bình"


def test_members_of_a_registered_household_may_come_alone(run):
    run(family())
    result = run({"members": [member(key="3", full_name="Nguyễn Văn Út", relationship="child",
                                     birth_year=2015)]})  # fmt: skip
    assert result.ok, result.errors
    assert HouseholdYear.objects.get().persons == 3


# --- CSV and XLSX -------------------------------------------------------------------------------


def registry() -> dict:
    """The registry without ids and times: what two imports of the same content share."""
    return {
        "households": sorted(Household.objects.values_list(
            "code", "unit_path", "address", "area_type", "status", "head_name")),
        "members": sorted(Member.objects.values_list(
            "household__code", "source_key", "full_name", "relationship", "sex", "birth_year",
            "birth_date", "ethnicity", "id_number", "has_health_insurance", "left_on")),
        "reviews": sorted(Review.objects.values_list(
            "household__code", "list_year", "kind", "survey_date", "income_per_capita",
            "deprivations", "computed_classification", "recognised_classification",
            "standard_code")),
        "status": sorted(HouseholdYear.objects.values_list(
            "household__code", "list_year", "classification", "persons", "valid_from")),
        "summaries": sorted(StatusSummary.objects.values_list(
            "commune_id", "year", "households", "persons", "poor_households")),
    }  # fmt: skip


def imported(run, tables, **options) -> dict:
    """The registry an import gives, then undone (so the next import starts empty again)."""
    with transaction.atomic():
        assert run(tables, **options).ok
        found = registry()
        transaction.set_rollback(True)
    return found


def test_a_csv_and_an_xlsx_file_of_the_same_content_import_the_same_registry(run):
    tables = merged(family("HH-1"), family("HH-2", prefix="Lê "))
    tables["members"][0].update(birth_date="1980-03-04", id_number="089080000123")
    from_csv = imported(run, tables)
    from_xlsx = imported(run, tables, xlsx=True)
    assert from_csv["households"] and from_csv == from_xlsx


def test_real_date_cells_of_a_workbook_are_read(run, tmp_path, officer):
    path = write_xlsx(tmp_path / "lists.xlsx", family())
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook["members"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("birth_year") + 1
    sheet.cell(row=1, column=len(header) + 1, value="birth_date")
    sheet.cell(row=2, column=len(header) + 1, value=dt.datetime(1980, 3, 4))
    sheet.cell(row=2, column=column, value=1980)
    workbook.save(path)
    assert import_file(actor=officer, path=path, filename="lists.xlsx").ok
    assert Member.objects.get(relationship="head").birth_date == dt.date(1980, 3, 4)


# --- ethnicity numberings -----------------------------------------------------------------------


def test_a_census_numbered_file_is_stored_in_the_qd121_codes(run):
    tables = family()
    tables["members"][0].update(ethnicity="06", ethnicity_name="Hoa")  # census 06 = Hoa
    tables["members"][1].update(ethnicity="04", ethnicity_name="Mường")  # census 04 = Mường
    assert run(tables, numbering="census").ok
    assert sorted(Member.objects.values_list("ethnicity", flat=True)) == ["04", "06"]
    assert HouseholdYear.objects.get().is_ethnic_minority  # the head is Hoa


def test_a_census_file_read_as_qd121_is_refused_saying_so(run):
    tables = family()
    tables["members"][0].update(ethnicity="06", ethnicity_name="Hoa")
    result = run(tables)
    assert [(p.row, p.column) for p in result.errors] == [(2, "ethnicity_name")]
    assert "census" in result.errors[0].message
    assert [p.column for p in result.warnings] == ["ethnicity"]
    assert not Member.objects.exists()


def test_the_same_codes_give_different_groups_in_the_two_numberings(run):
    tables = family()
    tables["members"][0]["ethnicity"] = "04"
    with transaction.atomic():
        run(tables)
        as_qd121 = Member.objects.get(relationship="head").ethnicity
        transaction.set_rollback(True)
    run(tables, numbering="census")
    as_census = Member.objects.get(relationship="head").ethnicity
    assert (as_qd121, as_census) == ("04", "06")  # Hoa, then Mường


# --- text stays text ----------------------------------------------------------------------------


def test_html_in_names_is_stored_as_text_and_escaped_on_the_page(run, client, officer):
    tables = family(prefix="<script>alert(1)</script>")
    assert run(tables).ok
    household = Household.objects.get()
    assert household.head_name == "<script>alert(1)</script>Nguyễn Văn An"
    client.force_login(officer)
    page = client.get(reverse("households:household-detail", args=[household.pk]))
    assert page.status_code == 200
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content


# --- progress and the command -------------------------------------------------------------------


def test_progress_is_reported_through_the_phases(run):
    seen = []
    run(family(), on_progress=lambda phase, done, total: seen.append(phase))
    assert {"validate:households", "validate:members", "write:households", "status"} <= set(seen)


def test_the_command_imports_a_file(tmp_path, officer):
    path = write_zip(tmp_path / "lists.zip", family())
    out = io.StringIO()
    call_command("import_registry", str(path), "--user", "officer", stdout=out)
    assert "households: 1 created" in out.getvalue()
    assert Household.objects.count() == 1


def test_the_command_s_dry_run_writes_nothing(tmp_path, officer):
    path = write_zip(tmp_path / "lists.zip", family())
    call_command("import_registry", str(path), "--user", "officer", "--dry-run",
                 stdout=io.StringIO())  # fmt: skip
    assert not Household.objects.exists()


def test_the_command_refuses_a_bad_file_and_writes_the_report(tmp_path, officer):
    tables = family()
    tables["members"][0]["sex"] = "x"
    path = write_zip(tmp_path / "lists.zip", tables)
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError):
        call_command("import_registry", str(path), "--user", "officer", "--report", str(report),
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert "members.csv,2,sex" in report.read_bytes().decode("utf-8-sig")


def test_the_status_periods_of_new_households_are_audited(run):
    batch = run(family()).batch
    period = StatusPeriod.objects.get()
    entry = AuditEntry.objects.get(model="households.statusperiod", object_id=period.pk)
    assert (entry.action, entry.import_batch_id, entry.actor_id) == (
        "created", batch.pk, batch.actor_id,
    )  # fmt: skip


# --- the planner's statistics after a large import (PostgreSQL) ---------------------------------


@pytest.mark.parametrize(("threshold", "analysed"), [(1, True), (10_000, False)])
def test_a_large_import_refreshes_the_planners_statistics_in_its_transaction(
    run, monkeypatch, threshold, analysed
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from households.interchange import writing

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's")
    monkeypatch.setattr(writing, "ANALYZE_AFTER", threshold)
    with CaptureQueriesContext(connection) as queries:
        result = run(family())

    assert result.ok
    analyses = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    if analysed:
        assert len(analyses) == 2
        assert (
            '"households_review"' in analyses[0] and '"households_historicalmember"' in analyses[0]
        )
        assert '"households_statusperiod"' in analyses[1]
    else:
        assert analyses == []


def test_a_batch_names_its_file_and_local_start_time(officer):
    """The history lines of imported rows quote the batch: its time in local time (UTC+7)."""
    started = dt.datetime(2026, 12, 2, 14, 13, tzinfo=dt.UTC)
    batch = ImportBatch(actor=officer, file_name="lists.zip", started_at=started, sha256="0" * 64)
    assert str(batch) == "lists.zip · 02/12/2026 21:13"
