"""Rows written in bulk without model instances (`bulk.insert_rows`, `bulk.history_rows`): what
is read back is what was given, whatever the text holds, on PostgreSQL (COPY in CSV format) as
on SQLite (bulk_create); the fields left out take their defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from households.interchange import bulk
from households.models import AuditEntry, Household, Member

pytestmark = pytest.mark.django_db

AWKWARD = [
    "",  # an empty string, not NULL
    "Nguyễn Thị Ánh",
    'a "quoted" word, a comma; and a backslash \\ here',
    "tab\there, line\nbreak, carriage\rreturn",
    "\\N",  # COPY's text-format NULL, as text
    "'=SUM(A1)",
]


def _household(my_hoa_hung, code: str, address: str, officer) -> dict:
    return {
        "code": code,
        "commune_id": my_hoa_hung.pk,
        "province_id": my_hoa_hung.parent_id,
        "unit_path": my_hoa_hung.path,
        "address": address,
        "phone": "",
        "area_type": "rural",
        "head_name": address[:100],
        "head_name_search": "",
        "created_by_id": officer.pk,
    }


def test_text_is_read_back_as_written(my_hoa_hung, officer):
    rows = [_household(my_hoa_hung, f"B-{i}", text, officer) for i, text in enumerate(AWKWARD)]
    bulk.insert_rows(Household, rows)
    stored = {h.pk: h for h in Household.objects.all()}
    assert [stored[row["id"]].address for row in rows] == AWKWARD
    household = stored[rows[0]["id"]]
    assert household.version == Household._meta.get_field("version").get_default()
    assert household.created_at == rows[0]["created_at"]  # set on the row, for its history


def test_nulls_booleans_dates_and_json(my_hoa_hung, officer):
    (household,) = rows = [_household(my_hoa_hung, "B-1", "Ấp 1", officer)]
    bulk.insert_rows(Household, rows)
    members = [
        {"household_id": household["id"], "source_key": "1", "full_name": "Lê Văn A",
         "relationship": "head", "sex": "male", "birth_year": 1980,
         "birth_date": dt.date(1980, 2, 29), "ethnicity": "01", "id_number": None,
         "has_health_insurance": True, "health_insurance_valid_to": None,
         "has_disability": False, "name_search": "le van a"},
    ]  # fmt: skip
    bulk.insert_rows(Member, members)
    member = Member.objects.get()
    assert (member.birth_date, member.id_number, member.has_health_insurance) == (
        dt.date(1980, 2, 29), None, True,
    )  # fmt: skip
    assert member.has_disability is False
    changes = [{"field": "note", "old": None, "new": 'say "hi"\n\\ done'},
               {"field": "on", "old": None, "new": dt.date(2026, 1, 1)}]  # fmt: skip
    at = dt.datetime(2026, 12, 2, 14, 13, 45, 123456, tzinfo=dt.UTC)
    entries = [{"household_id": household["id"], "at": at, "actor_id": officer.pk,
                "model": "households.member", "object_id": member.pk, "action": "created",
                "changes": changes}]  # fmt: skip
    bulk.insert_rows(AuditEntry, entries)
    entry = AuditEntry.objects.get()
    assert entry.at == at
    assert entry.changes == [changes[0], {"field": "on", "old": None, "new": "2026-01-01"}]


def test_history_of_plain_rows_holds_their_values(my_hoa_hung, officer):
    rows = [_household(my_hoa_hung, f"B-{i}", text, officer) for i, text in enumerate(AWKWARD)]
    bulk.insert_rows(Household, rows)
    when = dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)
    assert bulk.history_rows(Household, rows, history_type="+", user_id=officer.pk, when=when) == 6
    records = {r.id: r for r in Household.history.all()}
    assert [records[row["id"]].address for row in rows] == AWKWARD
    record = records[rows[0]["id"]]
    assert (record.history_type, record.history_user_id, record.history_date) == (
        "+", officer.pk, when,
    )  # fmt: skip
    assert record.created_at == rows[0]["created_at"]
