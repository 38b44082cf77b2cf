"""The /api/v1/ households, members and reviews endpoints: scoped, validated, never half-written."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from households.models import Household, Member, Review
from registry.scoping import forget_scope
from registry.services import api_token_create

from .factories import SURVEY_DATE, make_household, member, recognise, review

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/api/v1/households/"
MEMBERS = "/api/v1/members/"
REVIEWS = "/api/v1/reviews/"
CLASSIFY = "/api/v1/reviews/classify/"
CHECK_DUPLICATES = "/api/v1/households/check-duplicates/"
# Decree 07/2021/NĐ-CP: three indicators the officer cannot derive from member data.
THREE_DEPRIVATIONS = ["D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE", "D22_TELECOM_USE"]


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def other_family() -> list[dict]:
    """A household whose members share no name or ID number with `family()`."""
    return [
        member("Lê Văn Dũng", birth_year=1985, id_number="089085000456"),
        member("Phạm Thị Em", relationship="spouse", sex="female", birth_year=1987),
        member("Lê Thị Giang", relationship="child", sex="female", birth_year=2012),
    ]


def create_payload(commune, **extra) -> dict:
    return {"commune": commune.pk, "members": other_family(), "review": review(), **extra}


def small_households(actor, commune, count: int) -> None:
    for n in range(count):
        make_household(actor, commune, members=[member(f"Trần Văn {n}")])


def queries_for(client, user, url: str) -> int:
    forget_scope(user)  # every measurement starts from the same cold cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def household(officer, my_hoa_hung):
    """Nguyễn Văn An's household: 3 members, a 2026 review at 1,200,000 VND (near-poor)."""
    return make_household(officer, my_hoa_hung)


@pytest.fixture
def ids(household) -> dict:
    return {
        "household": household.pk,
        "member": household.members.get(relationship="head").pk,
        "review": household.reviews.get().pk,
    }


def current_rows(client, household) -> tuple[int, list[dict]]:
    """The version and the member rows (by id only) a client read, ready to send back."""
    data = client.get(f"{HOUSEHOLDS}{household.pk}/").json()
    return data["version"], [{"id": m["id"]} for m in data["members"]]


# --- every endpoint three ways ------------------------------------------------------------------

ENDPOINTS = [
    ("get", HOUSEHOLDS),
    ("post", HOUSEHOLDS),
    ("get", HOUSEHOLDS + "{household}/"),
    ("put", HOUSEHOLDS + "{household}/"),
    ("patch", HOUSEHOLDS + "{household}/"),
    ("get", HOUSEHOLDS + "{household}/history/"),
    ("post", CHECK_DUPLICATES),
    ("get", MEMBERS),
    ("get", MEMBERS + "{member}/"),
    ("get", REVIEWS),
    ("get", REVIEWS + "{review}/"),
    ("post", CLASSIFY),
]
OBJECT_ENDPOINTS = [(method, url) for method, url in ENDPOINTS if "{" in url]
LISTS = [HOUSEHOLDS, MEMBERS, REVIEWS]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_is_refused(method, url, ids):
    response = getattr(client_for(), method)(url.format(**ids), {}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(("method", "url"), OBJECT_ENDPOINTS)
def test_object_in_another_commune_is_404(method, url, ids, other_officer):
    response = getattr(client_for(other_officer), method)(url.format(**ids), {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("url", LISTS)
def test_list_of_another_commune_is_empty(url, household, other_officer):
    assert client_for(other_officer).get(url).json()["count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        HOUSEHOLDS + "{household}/",
        HOUSEHOLDS + "{household}/history/",
        MEMBERS + "{member}/",
        REVIEWS + "{review}/",
    ],
)
def test_object_in_own_commune_is_shown(url, ids, chair):
    assert client_for(chair).get(url.format(**ids)).status_code == 200


@pytest.mark.parametrize(("url", "count"), [(HOUSEHOLDS, 1), (MEMBERS, 3), (REVIEWS, 1)])
def test_list_of_own_commune(url, count, household, officer):
    assert client_for(officer).get(url).json()["count"] == count


def test_token_authentication(household, officer):
    _token, secret = api_token_create(actor=officer, name="Phần mềm xã", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get(HOUSEHOLDS).json()["results"][0]["code"] == household.code


def test_delete_is_not_allowed(household, officer):
    assert client_for(officer).delete(f"{HOUSEHOLDS}{household.pk}/").status_code == 405


# --- household detail -------------------------------------------------------------------------


def test_detail_nests_current_members_with_id_numbers(household, officer):
    data = client_for(officer).get(f"{HOUSEHOLDS}{household.pk}/").json()
    assert {m["full_name"]: m["id_number"] for m in data["members"]} == {
        "Nguyễn Văn An": "089080000123",
        "Trần Thị Bình": None,
        "Nguyễn Văn Cường": None,
    }


def test_detail_nests_the_review_with_its_explanation(officer, my_hoa_hung):
    household = make_household(
        officer, my_hoa_hung, review_data=review(deprivations=THREE_DEPRIVATIONS)
    )
    data = client_for(officer).get(f"{HOUSEHOLDS}{household.pk}/").json()["latest_review"]
    assert (data["computed_classification"], data["standard_code"]) == ("poor", "ND07-2021")
    assert set(data["deprived"]) == set(THREE_DEPRIVATIONS)
    assert "1.500.000" in data["explanation_vi"]
    assert "1,500,000" in data["explanation_en"]


def test_detail_nests_the_latest_review(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, review_data=review(list_year=2025))
    client = client_for(officer)
    url = f"{HOUSEHOLDS}{household.pk}/"
    client.patch(url, {"version": 1, "review": review(list_year=2026)}, format="json")
    assert client.get(url).json()["latest_review"]["list_year"] == 2026


# --- create -----------------------------------------------------------------------------------


def test_create_with_three_members_and_review(officer, my_hoa_hung):
    response = client_for(officer).post(HOUSEHOLDS, create_payload(my_hoa_hung), format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["head_name"] == "Lê Văn Dũng"
    assert data["version"] == 1
    assert len(data["members"]) == 3
    assert data["latest_review"]["computed_classification"] == "near_poor"
    assert data["latest_review"]["recognised_classification"] == "near_poor"
    assert (data["current_review"], data["status_in_force"]) == (None, None)  # not recognised


def test_create_in_a_village(officer, my_hoa_hung, village):
    payload = create_payload(my_hoa_hung, village=village.pk)
    data = client_for(officer).post(HOUSEHOLDS, payload, format="json").json()
    assert data["village_name"] == "Ấp Mỹ An"


def test_create_in_another_commune_is_400_naming_commune(other_officer, my_hoa_hung):
    response = client_for(other_officer).post(
        HOUSEHOLDS, create_payload(my_hoa_hung), format="json"
    )
    assert response.status_code == 400
    assert "commune" in response.json()
    assert not Household.objects.exists()


def test_create_by_someone_who_may_only_see_the_commune_is_403(chair, my_hoa_hung):
    response = client_for(chair).post(HOUSEHOLDS, create_payload(my_hoa_hung), format="json")
    assert response.status_code == 403
    assert not Household.objects.exists()


def _set(path: tuple, value):
    def change(payload):
        target = payload
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _update(path: tuple, **values):
    def change(payload):
        target = payload
        for key in path:
            target = target[key]
        target.update(values)

    return change


BAD_INPUT = {
    "impossible birth date": (
        _set(("members", 1, "birth_date"), "1987-02-30"),
        "members.1.birth_date",
    ),
    "impossible survey date": (_set(("review", "survey_date"), "2025-13-01"), "survey_date"),
    "ID number of wrong length": (
        _set(("members", 0, "id_number"), "08908500045"),
        "members.0.id_number",
    ),
    "ID number already used": (
        _update(("members", 0), id_number="089080000123", birth_year=1980),
        "members.0.id_number",
    ),
    "no head": (_set(("members", 0, "relationship"), "sibling"), "members"),
    "two heads": (_set(("members", 2, "relationship"), "head"), "members.2.relationship"),
    "unknown relationship": (
        _set(("members", 2, "relationship"), "cousin"),
        "members.2.relationship",
    ),
    "negative income": (_set(("review", "income_per_capita"), -1), "income_per_capita"),
    "indicator the standard lacks": (
        _set(("review", "deprivations"), ["D16_HEALTH"]),
        "deprivations",
    ),
    "year no standard covers": (_set(("review", "list_year"), 2010), "list_year"),
}


@pytest.mark.parametrize(("change", "field"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    change, field, household, officer, my_hoa_hung
):
    payload = create_payload(my_hoa_hung)
    change(payload)
    response = client_for(officer).post(HOUSEHOLDS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert (Household.objects.count(), Member.objects.count(), Review.objects.count()) == (1, 3, 1)


# --- update -----------------------------------------------------------------------------------


def test_update_with_version_returns_next_version(household, officer):
    client = client_for(officer)
    version, rows = current_rows(client, household)
    payload = {"version": version, "address": "Tổ 3", "members": rows}
    response = client.put(f"{HOUSEHOLDS}{household.pk}/", payload, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == version + 1
    assert response.json()["address"] == "Tổ 3"


def test_update_with_stale_version_is_409_and_keeps_the_first_edit(household, officer):
    first, second = client_for(officer), client_for(officer)
    version, rows = current_rows(first, household)
    url = f"{HOUSEHOLDS}{household.pk}/"
    first.put(url, {"version": version, "address": "Tổ 1", "members": rows}, format="json")
    response = second.put(
        url, {"version": version, "address": "Tổ 2", "members": rows}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == version + 1
    household.refresh_from_db()
    assert (household.address, household.version) == ("Tổ 1", version + 1)


def test_update_without_version_is_400_naming_version(household, officer):
    response = client_for(officer).patch(
        f"{HOUSEHOLDS}{household.pk}/", {"address": "Tổ 3"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_update_by_someone_who_may_only_see_it_is_403(household, chair):
    client = client_for(chair)
    version, rows = current_rows(client, household)
    payload = {"version": version, "address": "Tổ 9", "members": rows}
    assert client.put(f"{HOUSEHOLDS}{household.pk}/", payload, format="json").status_code == 403


def test_patch_leaving_out_members_keeps_them(household, officer):
    response = client_for(officer).patch(
        f"{HOUSEHOLDS}{household.pk}/", {"version": 1, "phone": "0909"}, format="json"
    )
    assert response.json()["phone"] == "0909"
    assert len(response.json()["members"]) == 3


def test_member_row_with_id_changes_only_what_it_sends(household, officer):
    client = client_for(officer)
    version, rows = current_rows(client, household)
    head = household.members.get(relationship="head")
    rows = [{**row, "full_name": "Nguyễn Văn Anh"} if row["id"] == head.pk else row for row in rows]
    client.patch(
        f"{HOUSEHOLDS}{household.pk}/", {"version": version, "members": rows}, format="json"
    )
    head.refresh_from_db()
    assert (head.full_name, head.id_number, head.birth_year) == (
        "Nguyễn Văn Anh",
        "089080000123",
        1980,
    )


def test_member_row_without_id_is_added(household, officer):
    client = client_for(officer)
    version, rows = current_rows(client, household)
    rows.append(member("Nguyễn Thị Hoa", relationship="child", sex="female", birth_year=2020))
    response = client.patch(
        f"{HOUSEHOLDS}{household.pk}/", {"version": version, "members": rows}, format="json"
    )
    assert "Nguyễn Thị Hoa" in [m["full_name"] for m in response.json()["members"]]


def test_new_member_row_without_name_is_400_naming_the_row(household, officer):
    client = client_for(officer)
    version, rows = current_rows(client, household)
    rows.append({"relationship": "child", "sex": "female", "birth_year": 2020})
    response = client.patch(
        f"{HOUSEHOLDS}{household.pk}/", {"version": version, "members": rows}, format="json"
    )
    assert "members.3.full_name" in response.json()


def test_current_member_not_sent_leaves_the_household(household, officer):
    client = client_for(officer)
    version, rows = current_rows(client, household)
    child = household.members.get(relationship="child")
    rows = [row for row in rows if row["id"] != child.pk]
    payload = {"version": version, "members": rows, "leave_reason": "Đi học xa"}
    client.patch(f"{HOUSEHOLDS}{household.pk}/", payload, format="json")
    child.refresh_from_db()
    assert child.left_on is not None
    assert child.leave_reason == "Đi học xa"


def test_update_with_a_review_reclassifies(household, officer):
    payload = {"version": 1, "review": review(deprivations=THREE_DEPRIVATIONS)}
    response = client_for(officer).patch(f"{HOUSEHOLDS}{household.pk}/", payload, format="json")
    assert response.json()["latest_review"]["computed_classification"] == "poor"


# --- search and filters -----------------------------------------------------------------------


def test_search_ignores_diacritics(household, officer, my_hoa_hung):
    make_household(officer, my_hoa_hung, members=other_family())
    data = client_for(officer).get(HOUSEHOLDS, {"q": "nguyen van an"}).json()
    assert [row["head_name"] for row in data["results"]] == ["Nguyễn Văn An"]


def test_filter_by_classification_and_year(household, officer, chair, my_hoa_hung):
    make_household(
        officer,
        my_hoa_hung,
        members=other_family(),
        review_data=review(list_year=2025, income_per_capita=3_000_000),
    )
    for year in (2025, 2026):
        recognise(officer, chair, list(Review.objects.filter(list_year=year)), number=f"{year}")
    data = client_for(officer).get(HOUSEHOLDS, {"classification": "near_poor", "year": 2026}).json()
    assert [row["code"] for row in data["results"]] == [household.code]


def test_invalid_filter_value_is_400_naming_the_filter(officer):
    response = client_for(officer).get(HOUSEHOLDS, {"classification": "rich"})
    assert response.status_code == 400
    assert "classification" in response.json()


def test_members_filtered_by_household(household, officer, my_hoa_hung):
    other = make_household(officer, my_hoa_hung, members=other_family())
    data = client_for(officer).get(MEMBERS, {"household": other.pk}).json()
    assert {row["household"] for row in data["results"]} == {other.pk}


def test_members_who_left_are_listed_apart(household, officer):
    client = client_for(officer)
    version, rows = current_rows(client, household)
    client.patch(
        f"{HOUSEHOLDS}{household.pk}/", {"version": version, "members": rows[:2]}, format="json"
    )
    data = client.get(MEMBERS, {"current": "false"}).json()
    assert [row["full_name"] for row in data["results"]] == ["Nguyễn Văn Cường"]


@pytest.mark.parametrize(
    "filters",
    [
        {"list_year": 2025},
        {"classification": "not_poor"},
        {"kind": "periodic", "list_year": 2025},
    ],
)
def test_reviews_filtered(filters, household, officer, my_hoa_hung):
    other = make_household(
        officer,
        my_hoa_hung,
        members=other_family(),
        review_data=review(list_year=2025, income_per_capita=3_000_000),
    )
    data = client_for(officer).get(REVIEWS, filters).json()
    assert [row["household"] for row in data["results"]] == [other.pk]


def test_reviews_filtered_by_household(household, officer, my_hoa_hung):
    make_household(officer, my_hoa_hung, members=other_family())
    data = client_for(officer).get(REVIEWS, {"household": household.pk}).json()
    assert [row["household_code"] for row in data["results"]] == [household.code]


# --- constant queries -------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_households(url, officer, my_hoa_hung):
    client = client_for(officer)
    small_households(officer, my_hoa_hung, 3)
    with_three = queries_for(client, officer, f"{url}?page_size=100")
    small_households(officer, my_hoa_hung, 17)
    assert queries_for(client, officer, f"{url}?page_size=100") == with_three


# --- history ----------------------------------------------------------------------------------


def test_history_shows_who_changed_what(household, officer):
    client = client_for(officer)
    client.patch(f"{HOUSEHOLDS}{household.pk}/", {"version": 1, "address": "Tổ 5"}, format="json")
    entries = client.get(f"{HOUSEHOLDS}{household.pk}/history/").json()
    change = next(e for e in entries if (e["kind"], e["action"]) == ("household", "changed"))
    assert change["who"] == "officer"
    assert {"field": "address", "old": "", "new": "Tổ 5"} in [
        {k: c[k] for k in ("field", "old", "new")} for c in change["changes"]
    ]


# --- duplicates -------------------------------------------------------------------------------


def test_check_duplicates_finds_the_same_id_number(household, officer, my_hoa_hung):
    payload = {
        "commune": my_hoa_hung.pk,
        "members": [{"full_name": "Ai Đó", "birth_year": 1980, "id_number": "089 080 000 123"}],
    }
    data = client_for(officer).post(CHECK_DUPLICATES, payload, format="json").json()
    assert [(d["row"], d["kind"], d["household_code"]) for d in data] == [
        (0, "id_number", household.code)
    ]


def test_check_duplicates_finds_the_same_name_and_birth_year(household, officer, my_hoa_hung):
    payload = {
        "commune": my_hoa_hung.pk,
        "members": [{"full_name": "tran thi binh", "birth_year": 1982}],
    }
    data = client_for(officer).post(CHECK_DUPLICATES, payload, format="json").json()
    assert [(d["kind"], d["full_name"]) for d in data] == [("name_birth_year", "Trần Thị Bình")]


def test_check_duplicates_skips_the_household_being_edited(household, officer, my_hoa_hung):
    payload = {
        "commune": my_hoa_hung.pk,
        "household": household.pk,
        "members": [{"full_name": "Trần Thị Bình", "birth_year": 1982}],
    }
    assert client_for(officer).post(CHECK_DUPLICATES, payload, format="json").json() == []


def test_check_duplicates_in_another_commune_is_400_naming_commune(other_officer, my_hoa_hung):
    payload = {"commune": my_hoa_hung.pk, "members": [{"full_name": "Trần Thị Bình"}]}
    response = client_for(other_officer).post(CHECK_DUPLICATES, payload, format="json")
    assert response.status_code == 400
    assert "commune" in response.json()


# --- classification preview -------------------------------------------------------------------


def classify_payload(**extra) -> dict:
    data = {
        "list_year": 2026,
        "area_type": "rural",
        "income_per_capita": 1_200_000,
        "deprivations": THREE_DEPRIVATIONS,
        "survey_date": SURVEY_DATE,
    }
    data.update(extra)
    return data


def test_classify_returns_classification_and_explanation(officer):
    data = client_for(officer).post(CLASSIFY, classify_payload(), format="json").json()
    assert (data["classification"], data["line"], data["standard_code"]) == (
        "poor",
        1_500_000,
        "ND07-2021",
    )
    assert "hộ nghèo" in data["explanation_vi"]
    assert "poor household" in data["explanation_en"]


def test_classify_takes_the_area_type_of_the_commune(officer, my_hoa_hung):
    payload = classify_payload(commune=my_hoa_hung.pk)
    del payload["area_type"]
    data = client_for(officer).post(CLASSIFY, payload, format="json").json()
    assert data["line_key"] == "rural_poverty_line"


def test_classify_reports_where_members_disagree_with_the_ticks(officer):
    uninsured = {"birth_year": 1980, "has_health_insurance": False, "employment": "self_employed"}
    data = (
        client_for(officer)
        .post(CLASSIFY, classify_payload(members=[uninsured]), format="json")
        .json()
    )
    assert data["derived"]["D22_HEALTH_INSURANCE"] is True
    assert {"indicator": "D22_HEALTH_INSURANCE", "derived": True, "ticked": False} in data[
        "disagreements"
    ]


def test_classify_in_another_commune_is_400_naming_commune(other_officer, my_hoa_hung):
    payload = classify_payload(commune=my_hoa_hung.pk)
    response = client_for(other_officer).post(CLASSIFY, payload, format="json")
    assert response.status_code == 400
    assert "commune" in response.json()


BAD_FACTS = {
    "year no standard covers": ({"list_year": 2010}, "list_year"),
    "indicator the standard lacks": ({"deprivations": ["D16_HEALTH"]}, "deprivations"),
    "negative income": ({"income_per_capita": -1}, "income_per_capita"),
    "income and score together": ({"b1_score": 120}, "b1_score"),
    "unknown area type": ({"area_type": "suburban"}, "area_type"),
    "member without birth year": (
        {"members": [{"has_health_insurance": True}]},
        "members.0.birth_year",
    ),
}


@pytest.mark.parametrize(("change", "field"), BAD_FACTS.values(), ids=BAD_FACTS.keys())
def test_classify_refuses_bad_facts_naming_the_field(change, field, officer):
    response = client_for(officer).post(CLASSIFY, classify_payload(**change), format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_classify_without_area_type_or_commune_is_400_naming_area_type(officer):
    payload = classify_payload()
    del payload["area_type"]
    response = client_for(officer).post(CLASSIFY, payload, format="json")
    assert response.status_code == 400
    assert "area_type" in response.json()


# --- schema -----------------------------------------------------------------------------------


def test_openapi_schema_is_valid_and_documents_the_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert {
        "/api/v1/households/",
        "/api/v1/households/{id}/",
        "/api/v1/households/{id}/history/",
        "/api/v1/households/check-duplicates/",
        "/api/v1/members/",
        "/api/v1/reviews/",
        "/api/v1/reviews/classify/",
    } <= set(schema["paths"])


def test_openapi_schema_generates_without_warnings():
    call_command(
        "spectacular", "--validate", "--fail-on-warn", stdout=StringIO(), stderr=StringIO()
    )
