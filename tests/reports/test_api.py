"""The KPI API: figures from the summaries, parameters through the one filterset (a 400 naming
the field), 404 outside the caller's area, ETag and Last-Modified with a 304 on a repeat.

Summary rows are written directly, a handful per test: the summaries' own tests keep them equal
to the records, and these are about the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.test import APIClient

from registry.choices import Level, Scheme
from registry.models import AdminUnit
from reports.models import STATUS_COUNTERS, ResidentCount, StatusSummary

from ..conftest import unit

pytestmark = pytest.mark.django_db

A = "/api/v1/kpis/units"
COMPUTED = timezone.make_aware(dt.datetime(2026, 3, 1, 8, 30))


def cells(commune, year: int, **counts) -> StatusSummary:
    row = dict.fromkeys(STATUS_COUNTERS, 0) | counts
    return StatusSummary.objects.create(
        commune=commune, unit_path=commune.path, year=year, updated_at=COMPUTED, **row
    )


@pytest.fixture
def figures(my_hoa_hung, long_xuyen):
    cells(my_hoa_hung, 2025, households=38, persons=120, poor_households=4, poor_persons=13)
    cells(my_hoa_hung, 2026, households=40, persons=125, poor_households=3, poor_persons=10,
          near_poor_households=5, near_poor_persons=16, escaped_poverty=1)  # fmt: skip
    cells(long_xuyen, 2026, households=60, persons=180, poor_households=9, poor_persons=30)


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- the figures ----------------------------------------------------------------------------


def test_a_unit_and_year_with_rates_as_strings_and_the_time_computed(
    figures, province_staff, an_giang
):
    body = api(province_staff).get(f"{A}/{an_giang.pk}/?year=2026").json()
    assert body["unit"]["id"] == an_giang.pk
    assert body["year"] == 2026
    assert body["computed_at"] == "2026-03-01T08:30:00+07:00"
    assert body["counts"]["households"] == 100
    assert body["counts"]["poor_households"] == 12
    assert body["denominator"] == {"value": 100, "source": "registry"}
    assert body["rates"]["poor_rate"] == "12.00"
    assert body["rates"]["multidimensional_rate"] == "17.00"
    assert body["rates"]["minority_poor_rate"] is None  # no ethnic-minority households
    assert body["previous"]["counts"]["poor_households"] == 4
    assert body["previous"]["rates"]["poor_rate"] == "10.53"  # 400 / 38


def test_the_year_defaults_to_the_current_list_year(figures, province_staff, an_giang):
    body = api(province_staff).get(f"{A}/{an_giang.pk}/").json()
    assert body["year"] == timezone.localdate().year


def test_an_entered_resident_total_is_the_denominator_and_says_so(
    figures, province_staff, my_hoa_hung
):
    ResidentCount.objects.create(
        unit=my_hoa_hung, unit_path=my_hoa_hung.path, year=2026, households=60,
        source="Niên giám thống kê", entered_by=province_staff,
    )  # fmt: skip
    body = api(province_staff).get(f"{A}/{my_hoa_hung.pk}/?year=2026").json()
    assert body["denominator"] == {"value": 60, "source": "entered"}
    assert body["rates"]["poor_rate"] == "5.00"  # 300 / 60


def test_the_children_of_a_province_add_up_to_it(figures, province_staff, an_giang):
    province = api(province_staff).get(f"{A}/{an_giang.pk}/?year=2026").json()
    table = api(province_staff).get(f"{A}/{an_giang.pk}/children/?year=2026").json()
    assert table["count"] == len(table["results"]) == an_giang.children.count()
    assert {row["unit"]["level"] for row in table["results"]} == {"commune"}
    for name in ("households", "persons", "poor_households", "near_poor_households"):
        assert sum(row["counts"][name] for row in table["results"]) == province["counts"][name]


def test_a_level_below_the_children_lists_the_communes_of_an_old_province(admin_user_, kien_an):
    cells(kien_an, 2024, households=30, poor_households=6)
    old_province = kien_an.parent.parent
    body = api(admin_user_).get(f"{A}/{old_province.pk}/children/?year=2024&level=commune").json()
    rows = {row["unit"]["id"]: row for row in body["results"]}
    assert (
        body["count"]
        == AdminUnit.objects.filter(path__startswith=old_province.path, level=Level.COMMUNE).count()
    )
    assert rows[kien_an.pk]["counts"]["poor_households"] == 6


def test_the_old_units_a_new_province_took_over_with_their_own_figures(
    province_staff, an_giang, kien_an
):
    cells(kien_an, 2024, households=30, poor_households=6)
    old = kien_an.parent.parent  # the three-level An Giang
    body = api(province_staff).get(f"{A}/{an_giang.pk}/children/?year=2024&scheme=2004").json()
    rows = {row["unit"]["id"]: row for row in body["results"]}
    assert body["scheme"] == Scheme.LEGACY
    assert {row["unit"]["level"] for row in body["results"]} == {"province"}
    assert rows[old.pk]["counts"]["poor_households"] == 6


def test_a_series_year_by_year(figures, officer, my_hoa_hung):
    body = api(officer).get(f"{A}/{my_hoa_hung.pk}/series/").json()
    assert [row["year"] for row in body["results"]] == [2025, 2026]
    assert [row["counts"]["poor_households"] for row in body["results"]] == [4, 3]
    only = api(officer).get(f"{A}/{my_hoa_hung.pk}/series/?from_year=2026&to_year=2026").json()
    assert [row["year"] for row in only["results"]] == [2026]


def test_as_of_a_day_is_passed_on(figures, officer, my_hoa_hung):
    body = api(officer).get(f"{A}/{my_hoa_hung.pk}/?as_of=2026-06-30").json()
    assert (body["year"], body["as_of"]) == (2026, "2026-06-30")


# --- bad input: a 400 naming the field ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=1999", "year", "Enter a year from 2000 to 2100."),
        ("year=abc", "year", "Enter a whole number."),
        ("as_of=2026-13-01", "as_of", "Enter a valid date."),
        ("as_of=1800-01-01", "as_of", "Enter a year from 2000 to 2100."),
        ("year=2025&as_of=2026-01-01", "as_of", "Choose a day of the year asked for."),
        ("programme=no-such", "programme", None),
        ("level=village", "level", None),
        ("level=province", "level", "Choose a level below the unit's."),
        ("from_year=2026&to_year=2025", "to_year", "The last year cannot come before the first."),
    ],
)
def test_bad_input_answers_400_naming_the_field(
    figures, province_staff, an_giang, query, field, message
):
    path = "series/" if "from_year" in query else "children/"
    response = api(province_staff).get(
        f"{A}/{an_giang.pk}/{path}?{query}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    if message:
        assert response.json()[field] == [message]


def test_old_units_are_not_listed_under_new_ones_the_other_way(district_staff, cho_moi):
    response = api(district_staff).get(
        f"{A}/{cho_moi.pk}/children/?scheme=2025", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["scheme"]


# --- scope: another area answers as a missing unit -------------------------------------------


def test_another_commune_answers_404_as_a_missing_one_without_its_name(
    figures, officer, long_xuyen
):
    other = api(officer).get(f"{A}/{long_xuyen.pk}/?year=2026")
    missing = api(officer).get(f"{A}/2000000000/?year=2026")
    too_big = api(officer).get(f"{A}/{10**30}/")
    assert other.status_code == missing.status_code == too_big.status_code == 404
    assert other.content == missing.content
    assert long_xuyen.name.encode() not in other.content


def test_a_table_shows_only_the_units_the_user_may_see(figures, district_staff, cho_moi):
    old_province = cho_moi.parent
    assert api(district_staff).get(f"{A}/{old_province.pk}/children/").status_code == 404
    body = api(district_staff).get(f"{A}/{cho_moi.pk}/children/?year=2026").json()
    assert {row["unit"]["level"] for row in body["results"]} == {"commune"}
    assert all(row["unit"]["id"] != unit(Scheme.CURRENT, Level.COMMUNE, "30313").pk
               for row in body["results"])  # fmt: skip


def test_anonymous_callers_are_refused(figures, an_giang):
    assert api().get(f"{A}/{an_giang.pk}/").status_code in (401, 403)


# --- caching ----------------------------------------------------------------------------------


def test_a_repeat_with_the_etag_answers_304_until_a_figure_changes(figures, officer, my_hoa_hung):
    url = f"{A}/{my_hoa_hung.pk}/?year=2026"
    first = api(officer).get(url)
    assert first["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first["Vary"] and "Authorization" in first["Vary"]
    assert first["Last-Modified"] == http_date(COMPUTED.timestamp())
    repeat = api(officer).get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (repeat.status_code, repeat.content) == (304, b"")
    assert repeat["ETag"] == first["ETag"]
    StatusSummary.objects.filter(commune=my_hoa_hung, year=2026).update(
        poor_households=4, updated_at=COMPUTED + dt.timedelta(hours=1)
    )
    changed = api(officer).get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_if_modified_since_answers_304_when_nothing_changed_after(figures, officer, my_hoa_hung):
    url = f"{A}/{my_hoa_hung.pk}/?year=2026"
    since = http_date(COMPUTED.timestamp())
    assert api(officer).get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    earlier = http_date(COMPUTED.timestamp() - 60)
    assert api(officer).get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_an_entered_denominator_is_a_change_too(figures, officer, province_staff, my_hoa_hung):
    url = f"{A}/{my_hoa_hung.pk}/?year=2026"
    first = api(officer).get(url)
    ResidentCount.objects.create(
        unit=my_hoa_hung, unit_path=my_hoa_hung.path, year=2026, households=60,
        source="Niên giám thống kê", entered_by=province_staff,
    )  # fmt: skip
    since = first["Last-Modified"]
    assert api(officer).get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert api(officer).get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 200
