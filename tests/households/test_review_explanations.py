"""A review's explanation (Vietnamese and English) may be absent from its stored reasons (the bulk
import classifies through the engine's fast path, which writes no prose): it is then rendered
from the review's stored facts when the review is shown, the same prose the normal save stores,
on the household page, the printable explanation and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from households.campaign import services as campaigns
from households.evaluation import review_explanations
from households.interchange.importing import import_file
from households.models import Review
from policies.models import ParameterOverride
from policies.selectors import overrides_for
from policies.services import parameter_override_end, parameter_override_set
from policies.standards import Classification, get_standard
from policies.standards.bulk import explanations

from .factories import SURVEY_DATE, make_household, member, review
from .interchange.files import family, write_zip

pytestmark = pytest.mark.django_db

ND07 = "ND07-2021"  # the standard of the 2026 list the factories survey for
PROSE = ("explanation_vi", "explanation_en")


def saved(officer, commune, **facts) -> Review:
    household = make_household(officer, commune, members=[member()], review_data=review(**facts))
    return Review.objects.select_related("household__commune").get(household=household)


def without_prose(review_: Review) -> Review:
    """The review as the bulk import stores it: every reason but the prose."""
    reasons = {k: v for k, v in review_.computed_reasons.items() if k not in PROSE}
    Review.objects.filter(pk=review_.pk).update(computed_reasons=reasons)
    return Review.objects.select_related("household__commune").get(pk=review_.pk)


def stored(review_: Review) -> tuple[str, str]:
    return review_.computed_reasons["explanation_vi"], review_.computed_reasons["explanation_en"]


def raise_an_giang_line(province_staff, an_giang):
    """The local standard of An Giang: its rural poverty line raised to 1,800,000 VND."""
    return parameter_override_set(
        actor=province_staff,
        standard_code=ND07,
        key="rural_poverty_line",
        value=1_800_000,
        unit=an_giang,
        valid_from=dt.date(2025, 1, 1),
        reason="Local standard of An Giang",
        source="15/2025/QĐ-UBND",
    )


def page(officer, household_id: int, language: str) -> str:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(officer)
    response = client.get(reverse("households:household-detail", args=[household_id]))
    assert response.status_code == 200
    return response.content.decode()


def api(officer, url: str) -> dict:
    client = APIClient()
    client.force_authenticate(officer)
    response = client.get(url)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def poor(officer, my_hoa_hung) -> Review:
    """A review saved by the normal service: poor, three deprivations, income quoted."""
    return saved(
        officer,
        my_hoa_hung,
        income_per_capita=1_234_567,
        deprivations=["D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE", "D22_TELECOM_USE"],
    )


@pytest.fixture
def local(officer, province_staff, an_giang, my_hoa_hung) -> Review:
    """A review of an An Giang commune classified under the province's raised line."""
    raise_an_giang_line(province_staff, an_giang)
    return saved(officer, my_hoa_hung, income_per_capita=1_600_000)


# --- the function -------------------------------------------------------------------------------


def test_a_review_saved_by_the_service_stores_its_prose(poor) -> None:
    vi, en = stored(poor)
    assert "1.234.567" in vi and "1,234,567" in en
    assert review_explanations(poor) == (vi, en)


def test_the_stored_prose_is_read_without_a_query(poor, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        review_explanations(poor)


def test_without_stored_prose_the_same_prose_is_rendered_from_the_facts(poor) -> None:
    assert review_explanations(without_prose(poor)) == stored(poor)


def test_the_prose_is_rendered_under_the_local_standard_of_the_commune(local) -> None:
    assert local.computed_classification == Classification.NEAR_POOR
    vi, en = stored(local)
    assert "1.800.000 đồng (đã điều chỉnh)" in vi and "1,800,000 VND (adjusted)" in en
    assert review_explanations(without_prose(local)) == (vi, en)


def test_the_prose_is_rendered_with_the_overrides_in_force_on_the_review_day(
    officer, province_staff, an_giang, my_hoa_hung
) -> None:
    """An override that starts after the survey did not apply to it and is not quoted."""
    parameter_override_set(
        actor=province_staff,
        standard_code=ND07,
        key="rural_poverty_line",
        value=1_800_000,
        unit=an_giang,
        valid_from=SURVEY_DATE + dt.timedelta(days=1),
        reason="Local standard of An Giang",
        source="15/2025/QĐ-UBND",
    )
    reviewed = saved(officer, my_hoa_hung, income_per_capita=1_600_000)
    assert reviewed.computed_classification == Classification.MIDDLE_INCOME
    assert review_explanations(without_prose(reviewed)) == stored(reviewed)


def test_the_overrides_are_read_once_per_standard_and_province_with_a_cache(
    local, officer, my_hoa_hung, django_assert_num_queries
) -> None:
    others = [saved(officer, my_hoa_hung, income_per_capita=v) for v in (900_000, 2_500_000)]
    reviews = [local, *others]
    bare = [without_prose(r) for r in reviews]
    cache: dict = {}
    with django_assert_num_queries(1):
        shown = [review_explanations(r, cache=cache) for r in bare]
    assert shown == [stored(r) for r in reviews]


def test_a_review_without_a_result_has_no_prose(officer, my_hoa_hung) -> None:
    household = make_household(officer, my_hoa_hung, members=[member()], review_data={})
    ask_monthly(officer, household)
    listed = household.reviews.get(computed_classification="")
    assert listed.computed_line is None
    assert review_explanations(listed) == ("", "")


def test_a_review_of_an_unknown_standard_has_no_prose(poor) -> None:
    Review.objects.filter(pk=poor.pk).update(standard_code="NO-SUCH")
    assert review_explanations(without_prose(poor)) == ("", "")


def test_facts_that_no_longer_give_the_stored_result_show_no_prose(local, province_staff) -> None:
    """The local standard ended, back to before the survey: the facts now give another line
    than the stored one, and prose quoting it would contradict the result shown."""
    line = ParameterOverride.objects.get(key="rural_poverty_line")
    parameter_override_end(actor=province_staff, override=line, on=dt.date(2025, 2, 1))
    assert review_explanations(without_prose(local)) == ("", "")
    assert review_explanations(local) == stored(local)  # the stored prose is the record


def ask_monthly(officer, household) -> None:
    campaigns.request_record(
        actor=officer,
        household=household,
        kind="enter",
        channel="in_person",
        form_number="01",
        requested_on=timezone.localdate(),
        monthly=True,
    )


# --- where it is shown ----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["poor", "local"])
@pytest.mark.parametrize(("language", "index"), [("vi", 0), ("en", 1)])
def test_the_household_page_shows_the_rendered_prose(
    request, officer, fixture, language, index
) -> None:
    reviewed = request.getfixturevalue(fixture)
    expected = stored(reviewed)[index]
    assert expected in page(officer, reviewed.household_id, language)
    without_prose(reviewed)
    assert expected in page(officer, reviewed.household_id, language)


def test_the_printable_explanation_shows_the_rendered_prose(officer, local) -> None:
    url = reverse("households:household-explanation", args=[local.household_id])
    client = APIClient()
    client.force_login(officer)
    without_prose(local)
    html = client.get(f"{url}?review={local.pk}").content.decode()
    assert stored(local)[0] in html


@pytest.mark.parametrize("fixture", ["poor", "local"])
def test_the_api_gives_the_rendered_prose(request, officer, fixture) -> None:
    reviewed = request.getfixturevalue(fixture)
    expected = stored(reviewed)
    without_prose(reviewed)
    one = api(officer, f"/api/v1/reviews/{reviewed.pk}/")
    listed = api(officer, "/api/v1/reviews/")["results"]
    nested = api(officer, f"/api/v1/households/{reviewed.household_id}/")["latest_review"]
    for data in (one, next(r for r in listed if r["id"] == reviewed.pk), nested):
        assert (data["explanation_vi"], data["explanation_en"]) == expected


def test_the_api_gives_no_prose_for_a_review_without_a_result(officer, my_hoa_hung) -> None:
    household = make_household(officer, my_hoa_hung, members=[member()], review_data={})
    ask_monthly(officer, household)
    listed = household.reviews.get(computed_classification="")
    data = api(officer, f"/api/v1/reviews/{listed.pk}/")
    assert (data["explanation_vi"], data["explanation_en"]) == ("", "")


def test_the_review_list_reads_the_overrides_once_for_all_its_reviews(officer, my_hoa_hung) -> None:
    """With the prose stored the list costs what it did; without, one query more, whatever the
    number of reviews (one per standard and province shown)."""
    reviews = [saved(officer, my_hoa_hung, income_per_capita=800_000 + i) for i in range(4)]
    client = APIClient()
    client.force_authenticate(officer)
    client.get("/api/v1/reviews/")  # warm the caches (scope, ...)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/reviews/").status_code == 200
        return len(queries)

    with_prose = count()
    for r in reviews[:2]:
        without_prose(r)
    two = count()
    for r in reviews[2:]:
        without_prose(r)
    assert (two, count()) == (with_prose + 1, with_prose + 1)


# --- a review the import wrote --------------------------------------------------------------------


def test_an_imported_review_stored_without_prose_shows_the_engines_prose(
    officer, province_staff, an_giang, my_hoa_hung, tmp_path
) -> None:
    """The import classifies through the bulk path and stores no prose; what is shown is what
    the normal engine path writes for the review's facts, under the commune's local standard."""
    raise_an_giang_line(province_staff, an_giang)
    path = write_zip(tmp_path / "lists.zip", family())
    with translation.override("en"):
        import_file(actor=officer, path=path, filename=path.name)
    imported = Review.objects.get()
    assert not set(PROSE) & set(imported.computed_reasons)
    expected = explanations(
        get_standard(imported.standard_code),
        area_type=imported.area_type,
        income_per_capita=imported.income_per_capita,
        b1_score=imported.b1_score,
        deprivations=imported.deprivations,
        overrides=overrides_for(
            standard_code=imported.standard_code, unit=my_hoa_hung, on=SURVEY_DATE
        ),
    )
    assert "1.800.000 đồng (đã điều chỉnh)" in expected[0]
    data = api(officer, f"/api/v1/reviews/{imported.pk}/")
    assert (data["explanation_vi"], data["explanation_en"]) == expected
    assert expected[0] in page(officer, imported.household_id, "vi")
    assert expected[1] in page(officer, imported.household_id, "en")
