"""The open data: off unless switched on, then readable without logging in, with every count
under 5 suppressed and enough others that none can be worked out from the published ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from reports.models import STATUS_COUNTERS, StatusSummary

pytestmark = pytest.mark.django_db

OPEN = "/api/v1/open/kpis/units"
COMPUTED = timezone.make_aware(dt.datetime(2026, 3, 1, 8, 30))
on = override_settings(OPEN_DATA_ENABLED=True)


def cells(commune, year: int, **counts) -> None:
    row = dict.fromkeys(STATUS_COUNTERS, 0) | counts
    StatusSummary.objects.create(
        commune=commune, unit_path=commune.path, year=year, updated_at=COMPUTED, **row
    )


@pytest.fixture
def figures(my_hoa_hung, long_xuyen):
    cells(my_hoa_hung, 2025, households=38, persons=120, poor_households=4, poor_persons=13)
    cells(my_hoa_hung, 2026, households=40, persons=125, poor_households=3, poor_persons=10,
          near_poor_households=5, near_poor_persons=16, escaped_poverty=1)  # fmt: skip
    cells(long_xuyen, 2026, households=60, persons=180, poor_households=9, poor_persons=30)


def get(url: str, **headers):
    return APIClient().get(url, **headers)


def test_off_by_default_every_open_route_answers_404(figures, an_giang):
    assert get(f"{OPEN}/{an_giang.pk}/").status_code == 404
    assert get(f"{OPEN}/{an_giang.pk}/children/").status_code == 404


@on
def test_a_small_count_is_suppressed_and_the_next_smallest_child_with_it(
    figures, an_giang, my_hoa_hung, long_xuyen
):
    province = get(f"{OPEN}/{an_giang.pk}/?year=2026")
    assert province.status_code == 200
    assert province["Cache-Control"] == "public, max-age=300"
    body = province.json()
    assert body["counts"]["poor_households"] == 12
    assert body["rates"]["poor_rate"] == "12.00"
    assert "previous" not in body
    table = get(f"{OPEN}/{an_giang.pk}/children/?year=2026").json()
    rows = {row["unit"]["id"]: row for row in table["results"]}
    mine, other = rows[my_hoa_hung.pk], rows[long_xuyen.pk]
    # 3 is under 5; 12 - 3 would give Long Xuyên's 9 away, so it goes too, persons with them.
    assert mine["counts"]["poor_households"] is None
    assert mine["counts"]["poor_persons"] is None
    assert other["counts"]["poor_households"] is None
    assert mine["rates"]["poor_rate"] is None
    assert mine["rates"]["multidimensional_rate"] is None  # poor + near-poor: poor is hidden
    assert mine["counts"]["near_poor_households"] == 5
    assert mine["rates"]["near_poor_rate"] == "12.50"
    assert mine["counts"]["households"] == 40
    assert mine["denominator"] == {"value": 40, "source": "registry"}


@on
def test_no_relation_of_the_published_table_has_exactly_one_suppressed_count(figures, an_giang):
    parent = get(f"{OPEN}/{an_giang.pk}/?year=2026").json()
    children = get(f"{OPEN}/{an_giang.pk}/children/?year=2026").json()["results"]
    for name in STATUS_COUNTERS:
        cells_ = [parent["counts"][name], *(row["counts"][name] for row in children)]
        assert sum(value is None for value in cells_) != 1, name


@on
def test_a_commune_reads_the_same_alone_as_in_its_province(figures, an_giang, my_hoa_hung):
    alone = get(f"{OPEN}/{my_hoa_hung.pk}/?year=2026").json()
    table = get(f"{OPEN}/{an_giang.pk}/children/?year=2026").json()["results"]
    listed = next(row for row in table if row["unit"]["id"] == my_hoa_hung.pk)
    assert alone == listed


@on
def test_a_repeat_with_the_etag_answers_304(figures, my_hoa_hung):
    first = get(f"{OPEN}/{my_hoa_hung.pk}/?year=2026")
    repeat = get(f"{OPEN}/{my_hoa_hung.pk}/?year=2026", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (repeat.status_code, repeat.content) == (304, b"")
    assert repeat["Cache-Control"] == "public, max-age=300"


@on
def test_only_provinces_and_communes_of_2025_are_published(figures, kien_an, village):
    assert get(f"{OPEN}/{kien_an.pk}/").status_code == 404
    assert get(f"{OPEN}/{kien_an.parent.pk}/").status_code == 404
    assert get(f"{OPEN}/{village.pk}/").status_code == 404
    assert get(f"{OPEN}/2000000000/").status_code == 404


@on
def test_a_commune_has_no_children(figures, my_hoa_hung):
    body = get(f"{OPEN}/{my_hoa_hung.pk}/children/").json()
    assert (body["count"], body["results"]) == (0, [])


@on
def test_no_day_but_the_year_end(figures, my_hoa_hung):
    response = get(f"{OPEN}/{my_hoa_hung.pk}/?as_of=2026-06-30", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"as_of": ["The open data publishes year-end figures only."]}


@on
def test_the_province_table_costs_the_same_queries_whatever_its_communes(
    figures, an_giang, django_assert_num_queries
):
    # The unit, the communes, the successions (and the old communes counted); the status,
    # deprivation and support cells, the allocations, the entered totals (with when they were
    # entered), the targets.
    url = f"{OPEN}/{an_giang.pk}/children/?year=2026"
    with django_assert_num_queries(10):
        assert get(url).status_code == 200
    for commune in an_giang.children.order_by("pk")[5:8]:
        cells(commune, 2026, households=20, poor_households=2)
    with django_assert_num_queries(10):
        assert get(url).status_code == 200
