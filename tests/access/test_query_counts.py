"""Absolute query counts of the list, detail and queue pages and endpoints (exact, as Zulip pins
them: a pin that only says "does not grow" hides the first N+1).

Measured on the access world (world.py), where every list has several rows of the user's
commune (and as many of another commune that must cost nothing): six households of two members,
four reviews posted, two recognised (each with its status row of the 2026 list), three meetings,
two postings, two objections, three requests, three campaigns (the next list's, and the 2025 one
of the three-level province the commune's predecessor belonged to), one extension. Each request
is made once to warm Django's per-process caches, then counted from a cold scope (its three
queries for a 2025-scheme user are part of every count).

No count may grow with the rows: each was checked by tripling the households, reviews, meetings,
postings, objections, decisions and extensions of both communes and giving the households asked
about more members and status rows of four list years; every count stayed the same.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from registry.scoping import forget_scope

from .world import Side, World

pytestmark = pytest.mark.django_db

H = "/households"
A = "/api/v1"

# name: (user, URL of the inside side, queries)
PAGES: dict[str, tuple[str, Callable[[Side], str], int]] = {
    # The households' status rows (HouseholdYear) are prefetched: one query.
    # The communes the user may enter a household in (the "new household" link): one query.
    "household-list": ("officer", lambda s: f"{H}/", 13),
    # The household's status periods (with their decisions), the support it received and its
    # entitlements (policies/support): one query each.
    # The timeline reads ten sources (see "household history" below).
    "household-detail": ("officer", lambda s: f"{H}/{s.surveyed.household_id}/", 26),
    # A recognised household: its status row comes with its decision; the timeline names the
    # decision its review changed to (one query for each kind of related row that changed).
    "household-detail (recognised)": ("officer", lambda s: f"{H}/{s.recognised.pk}/", 31),
    "household-explanation": (
        "officer",
        lambda s: f"{H}/{s.surveyed.household_id}/explanation/",
        10,
    ),
    "household-explanation (recognised)": (
        "officer",
        lambda s: f"{H}/{s.recognised.pk}/explanation/",
        10,
    ),
    "campaign-list": ("officer", lambda s: f"{H}/campaigns/", 6),
    # The campaign's extensions, with who made them: one query.
    "campaign-detail (commune)": ("officer", lambda s: f"{H}/campaigns/{s.campaign.pk}/", 15),
    "campaign-detail (province)": ("province", lambda s: f"{H}/campaigns/{s.campaign.pk}/", 13),
    "recognition-queue": ("chair", lambda s: f"{H}/recognition/", 9),
    "objection-list": ("officer", lambda s: f"{H}/objections/", 7),
    "request-list": ("officer", lambda s: f"{H}/requests/", 9),
    "posting-list": (
        "officer",
        lambda s: f"{H}/campaigns/{s.campaign.pk}/posting-list/?commune={s.commune.pk}",
        10,
    ),
    # --- support: disbursements (policies/support) ---
    # The page's rows with their programme, household and member joined (count and page: 2); the
    # filter form's programmes and communes (2).
    "disbursement-list": ("officer", lambda s: "/support/disbursements/", 9),
    "disbursement-batch-list": ("officer", lambda s: "/support/batches/", 7),
    "disbursement-batch-detail": ("officer", lambda s: f"/support/batches/{s.batch.pk}/", 6),
    # --- support: allocations (the plan: the units below, the allocations, the deliveries by
    # commune and the distinct beneficiaries, whatever the number of communes) ---
    "support-home": ("officer", lambda s: "/support/", 8),
    "support-plan (province)": (
        "province",
        lambda s: f"/support/plan/?unit={s.province.pk}&year=2026&programme={s.plan.programme_id}",
        15,
    ),
    "support-plan (summary)": (
        "province",
        lambda s: f"/support/plan/?unit={s.province.pk}&year=2026",
        13,
    ),
    "allocation-detail": ("province", lambda s: f"/support/allocations/{s.plan.pk}/", 8),
}

# name: (user, URL of the inside side, queries, rows of a list or None for a detail)
ENDPOINTS: dict[str, tuple[str, Callable[[Side], str], int, int | None]] = {
    "households": ("officer", lambda s: f"{A}/households/", 8, 6),
    "household": ("officer", lambda s: f"{A}/households/{s.surveyed.household_id}/", 8, None),
    "household (recognised)": ("officer", lambda s: f"{A}/households/{s.recognised.pk}/", 8, None),
    "reviews": ("officer", lambda s: f"{A}/reviews/", 5, 9),
    "review": ("officer", lambda s: f"{A}/reviews/{s.monthly.pk}/", 4, None),
    "members": ("officer", lambda s: f"{A}/members/", 5, 12),
    "member": ("officer", lambda s: f"{A}/members/{s.member.pk}/", 4, None),
    "campaigns": ("officer", lambda s: f"{A}/campaigns/", 5, 3),
    "campaign": ("officer", lambda s: f"{A}/campaigns/{s.campaign.pk}/", 4, None),
    "meetings": ("officer", lambda s: f"{A}/meetings/", 6, 3),
    "meeting": ("officer", lambda s: f"{A}/meetings/{s.meeting.pk}/", 5, None),
    "postings": ("officer", lambda s: f"{A}/postings/", 6, 2),
    "posting": ("officer", lambda s: f"{A}/postings/{s.posting.pk}/", 5, None),
    "objections": ("officer", lambda s: f"{A}/objections/", 5, 2),
    "objection": ("officer", lambda s: f"{A}/objections/{s.objection.pk}/", 4, None),
    "requests": ("officer", lambda s: f"{A}/requests/", 5, 3),
    "request": ("officer", lambda s: f"{A}/requests/{s.request.pk}/", 4, None),
    "status-changes": ("officer", lambda s: f"{A}/status-changes/", 5, 2),
    # The timeline (households.selectors.household_timeline): ten sources, one query each (the
    # histories of the household, its members, reviews, status rows, requests, objections and
    # priority places; the review steps; the disbursements; the audit trail), then one query
    # per kind of related row named in a change.
    "household history": (
        "officer",
        lambda s: f"{A}/households/{s.surveyed.household_id}/history/",
        21,
        None,
    ),
    "household history (recognised)": (
        "officer",
        lambda s: f"{A}/households/{s.recognised.pk}/history/",
        26,
        None,
    ),
    "recognition queue": ("chair", lambda s: f"{A}/recognition/queue/", 5, 3),
    # --- support: disbursements (policies/support) ---
    # The head's card and the batch's three other members' cards.
    "disbursements": ("officer", lambda s: f"{A}/disbursements/", 5, 4),
    "disbursement": ("officer", lambda s: f"{A}/disbursements/{s.disbursement.pk}/", 4, None),
    "disbursement-batches": ("officer", lambda s: f"{A}/disbursement-batches/", 5, 1),
    "disbursement-batch": (
        "officer",
        lambda s: f"{A}/disbursement-batches/{s.batch.pk}/",
        4,
        None,
    ),
    # --- support: allocations (the province also sees, read-only, the 2025 plan of the
    # three-level An Giang its communes took over) ---
    "programmes": ("officer", lambda s: f"{A}/programmes/", 6, 16),
    "allocations": ("province", lambda s: f"{A}/allocations/", 5, 7),
    "allocation": ("officer", lambda s: f"{A}/allocations/{s.allocation.pk}/", 4, None),
}


def _warm(world: World, http, user: str, url: str):
    assert http.get(url).status_code == 200
    forget_scope(world.users[user])


@pytest.mark.parametrize("name", PAGES)
def test_page_queries(world, name, django_assert_num_queries):
    user, url, queries = PAGES[name]
    url = url(world.sides["inside"])
    http = Client()
    http.force_login(world.users[user])
    _warm(world, http, user, url)
    with django_assert_num_queries(queries):
        assert http.get(url).status_code == 200


@pytest.mark.parametrize("name", ENDPOINTS)
def test_endpoint_queries(world, name, django_assert_num_queries):
    user, url, queries, rows = ENDPOINTS[name]
    url = url(world.sides["inside"])
    http = APIClient()
    http.force_authenticate(world.users[user])
    _warm(world, http, user, url)
    with django_assert_num_queries(queries):
        response = http.get(url)
    assert response.status_code == 200
    assert (response.json()["count"] if rows is not None else None) == rows


# --- support: priority lists ---------------------------------------------------------------------
PRIORITY_PAGES: dict[str, tuple[str, Callable[[Side], str], int]] = {
    # The programmes of the filter: one query.
    # The communes the user may open a list in: one query.
    "priority-list-list": ("officer", lambda s: "/support/priority-lists/", 9),
    "priority-list-detail": (
        "officer",
        lambda s: f"/support/priority-lists/{s.priority_list.pk}/",
        8,
    ),
}
PRIORITY_ENDPOINTS: dict[str, tuple[str, Callable[[Side], str], int, int | None]] = {
    "priority-lists": ("officer", lambda s: f"{A}/priority-lists/", 5, 2),
    # The entries with whether each is served (one query), their status in force (one query).
    "priority-list": ("officer", lambda s: f"{A}/priority-lists/{s.priority_list.pk}/", 6, None),
    "priority-entry": (
        "officer",
        lambda s: f"{A}/priority-entries/{s.priority_entry.pk}/",
        5,
        None,
    ),
}
PAGES.update(PRIORITY_PAGES)
ENDPOINTS.update(PRIORITY_ENDPOINTS)
# --- support: entitlements ----------------------------------------------------------------------
S = "/support"
PAGES.update(
    {
        # The filter's programmes and communes: one query each; the rows and their count: two.
        "entitlement-list": ("officer", lambda s: f"{S}/entitlements/", 9),
        # What starts, what ends, what falls due unpaid (with its payments): one query each.
        "entitlement-due": ("officer", lambda s: f"{S}/entitlements/due/?month=2026-01", 8),
    }
)
ENDPOINTS.update(
    {
        # The health-insurance cards of the two recognised households' four members.
        "entitlements": ("officer", lambda s: f"{A}/entitlements/", 5, 4),
        "entitlement": ("officer", lambda s: f"{A}/entitlements/{s.entitlement.pk}/", 4, None),
    }
)
# --- reports: yearly ---
# The unit (1); the Kpis of the unit and year (reports.selectors.unit_kpis: successions, status,
# deprivation and support cells, allocations, programmes, resident totals, targets: 8); the
# entered rows summed by row over the unit and the units under it, and the unit's own entries
# with who entered them (2). The same for a commune and a province, and for the XLSX; a province
# of 2025 also counts the communes of the old provinces it took over (1: it reads whole old
# provinces and districts by their path prefix, reports.selectors._successions).
Y = "/reports/units"
PAGES.update(
    {
        "yearly (commune)": ("officer", lambda s: f"{Y}/{s.commune.pk}/yearly/?year=2026", 16),
        "yearly (province)": ("province", lambda s: f"{Y}/{s.province.pk}/yearly/?year=2026", 17),
        "yearly-xlsx": ("province", lambda s: f"{Y}/{s.province.pk}/yearly/xlsx/?year=2026", 17),
        # The unit, the entered rows (2) and their latest changes with who made them (1).
        "yearly-entries": (
            "officer",
            lambda s: f"{Y}/{s.commune.pk}/yearly/entries/?year=2026",
            9,
        ),
    }
)
# --- reports: api ---
# The scope (3) and the unit (1); the selectors: the successions, the status, deprivation and
# support cells, the allocations (with their programmes), the programmes delivered without one,
# the entered totals and the targets (8); when the figures last changed comes from those rows
# (no query). A table adds its units (1), one query for all 102 communes of the province
# (tables and series are not paginated: every unit listed, at a fixed cost). A series: the years
# with data, their cells, their entered totals.
ENDPOINTS.update(
    {
        "kpis (commune)": (
            "officer",
            lambda s: f"{A}/kpis/units/{s.commune.pk}/?year=2026",
            12,
            None,
        ),
        "kpis (province's communes)": (
            "province",
            lambda s: f"{A}/kpis/units/{s.province.pk}/children/?year=2026",
            14,
            102,
        ),
        "kpis (series)": ("officer", lambda s: f"{A}/kpis/units/{s.commune.pk}/series/", 8, 1),
    }
)


# --- reports: dashboards ------------------------------------------------------------------------
# The page's own: the unit, its visible ancestors (below a province) and the programmes of the
# filter (one each); the rest is the selectors': the successions (once per page: the unit's area
# is read once), unit_kpis and children_kpis (status, deprivation and support cells, allocations
# with their programmes, entered totals, targets: 7 each, or 2 as of a day) and kpi_series
# (years, cells, entered totals: 3). A commune's successions take no query of children; a
# province's one more (the communes of the old provinces it took over counted).
PAGES.update(
    {
        "unit-dashboard (commune)": ("officer", lambda s: f"/reports/units/{s.commune.pk}/", 19),
        "unit-dashboard (province)": ("province", lambda s: f"/reports/units/{s.province.pk}/", 27),
        "unit-dashboard (province, as of)": (
            "province",
            lambda s: f"/reports/units/{s.province.pk}/?as_of=2026-03-01",
            17,
        ),
        # The unit, its entered totals with who entered them, their history (one query each).
        "resident-count": ("officer", lambda s: f"/reports/units/{s.commune.pk}/residents/", 9),
        # The unit, its targets with who set them, their history (one query each).
        "target-list": ("province", lambda s: f"/reports/units/{s.province.pk}/targets/", 8),
    }
)

# --- interchange: jobs ---
# The session, the user and the scope (5), then the user's jobs with their units (1) and whether
# the user may import (1); a job with its unit (1). The progress is a file, not a query.
PAGES.update(
    {
        "job-list": ("officer", lambda s: f"{H}/jobs/", 7),
        "job-detail (import)": ("officer", lambda s: f"{H}/jobs/{s.job.pk}/", 6),
        "job-detail (export)": ("officer", lambda s: f"{H}/jobs/{s.export_job.pk}/", 6),
        "job-status": ("officer", lambda s: f"{H}/jobs/{s.job.pk}/status/", 6),
    }
)
