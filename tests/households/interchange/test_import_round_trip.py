"""Export → import into an empty registry reproduces the registry and its rollups; and a file
exported from the registry, imported back into it, changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from households.interchange.export import export_rows, write_csv_zip, write_xlsx
from households.interchange.importing import import_file
from households.models import Household, HouseholdYear, Member, Review
from policies.support.models import Allocation, Disbursement
from policies.support.services.disbursements import disbursement_record, disbursement_reverse
from reports.models import ResidentCount
from reports.services import resident_count_set
from reports.summaries import stored_cells, summaries_rebuild

from ..factories import family, make_household, member, recognise, review

pytestmark = pytest.mark.django_db


def build(officer, chair, commune, programmes) -> None:
    """A small registry made through the services: a poor household (three members, an ID
    number, a village) and a near-poor one recognised for 2026, a never-recognised one, an
    electricity payment reversed and paid again, a health-insurance card per member, and the
    commune's resident total."""
    poor = make_household(
        officer, commune, members=family(), address="Ấp Mỹ An",
        review_data=review(income_per_capita=1_000_000,
                           deprivations=["D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE",
                                         "D22_TELECOM_USE", "D22_NUTRITION"]),
    )  # fmt: skip
    near = make_household(
        officer, commune,
        members=[member("Lê Thị Hoa", sex="female", birth_year=1975, ethnicity="05"),
                 member("Lê Văn Nam", relationship="child", birth_year=2010,
                        school_status="in_school", qualification="primary",
                        employment="student")],
        review_data=review(income_per_capita=1_400_000),
    )  # fmt: skip
    recognise(officer, chair, [poor.reviews.get(), near.reviews.get()])
    make_household(officer, commune, members=[member("Đỗ Văn Ba", birth_year=1950)],
                   review_data={})  # fmt: skip
    electricity = programmes["electricity"]
    Allocation.objects.create(
        programme=electricity, year=2026, unit=commune, unit_path=commune.path,
        amount=10_000_000, quantity=50, reason="Kế hoạch 2026", changed_by=officer,
    )  # fmt: skip
    paid = disbursement_record(
        actor=officer, programme=electricity, household=poor, paid_on=dt.date(2026, 2, 10)
    )
    disbursement_reverse(actor=officer, disbursement=paid, reason="Chi nhầm")
    disbursement_record(
        actor=officer, programme=electricity, household=poor, paid_on=dt.date(2026, 2, 12)
    )
    resident_count_set(actor=officer, unit=commune, year=2026, households=3200, persons=12_000,
                       source="Công an xã")  # fmt: skip


def registry() -> dict:
    """The registry by its natural keys (codes, names, years), without ids, times or keys."""
    return {
        "households": sorted(Household.objects.values_list(
            "code", "unit_path", "address", "phone", "area_type", "status", "head_name")),
        "members": sorted(Member.objects.values_list(
            "household__code", "full_name", "relationship", "sex", "birth_year", "birth_date",
            "ethnicity", "id_number", "has_health_insurance", "school_status", "qualification",
            "employment", "joined_on", "left_on")),
        "reviews": sorted(Review.objects.filter(status="recognised").values_list(
            "household__code", "list_year", "kind", "survey_date", "area_type",
            "income_per_capita", "b1_score", "deprivations", "standard_code",
            "computed_classification", "recognised_classification", "override_reason")),
        "status": sorted(HouseholdYear.objects.values_list(
            "household__code", "list_year", "classification", "persons", "is_ethnic_minority",
            "valid_from", "valid_to")),
        "disbursements": sorted(Disbursement.objects.values_list(
            "household__code", "programme__code", "kind", "paid_on", "period", "year",
            "quantity", "amount", "funding_source", "classification", "is_reversed")),
        "resident_counts": sorted(ResidentCount.objects.values_list(
            "unit_path", "year", "households", "persons", "source")),
    }  # fmt: skip


def rollups() -> dict:
    return {(model.__name__, key): counts for (model, key), counts in stored_cells().items()}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_registry_reproduces_it_and_its_rollups(
    officer, chair, my_hoa_hung, programmes, tmp_path, kind
):
    path = Path(tmp_path / f"export.{'zip' if kind == 'csv' else 'xlsx'}")
    with transaction.atomic():
        build(officer, chair, my_hoa_hung, programmes)
        with path.open("wb") as out:
            (write_csv_zip if kind == "csv" else write_xlsx)(export_rows(officer), out)
        before, cells = registry(), rollups()
        transaction.set_rollback(True)  # the registry is empty again
    assert not Household.objects.exists()

    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename=path.name)
    assert result.ok, result.errors
    assert registry() == before
    assert rollups() == cells
    assert summaries_rebuild() == 0


def test_a_file_exported_from_the_registry_imported_back_changes_nothing(
    officer, chair, my_hoa_hung, programmes, tmp_path
):
    build(officer, chair, my_hoa_hung, programmes)
    path = tmp_path / "export.zip"
    with path.open("wb") as out:
        write_csv_zip(export_rows(officer), out)
    before = registry()
    history = (Household.history.count(), Member.history.count(), Review.history.count())
    with translation.override("en"):
        result = import_file(actor=officer, path=path, filename=path.name)
    assert result.ok, result.errors
    assert {t: c["created"] + c["updated"] for t, c in result.counts.items()} == dict.fromkeys(
        result.counts, 0
    )
    assert registry() == before
    assert (Household.history.count(), Member.history.count(), Review.history.count()) == history
