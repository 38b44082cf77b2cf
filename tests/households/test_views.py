"""The household pages: list, page, form, live classification, explanation; scope and roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households import services
from households.models import Household, Member, Review
from registry.choices import Role

from .factories import recognise

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# 12-digit personal ID numbers: An Giang (089), male born in the 1900s (0), year, 6 digits.
ID_1970 = "089070123456"


@pytest.fixture
def client(client):
    """English, so that assertions read the msgids whatever the translations say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def member(name: str, relationship: str = "child", birth_year: int = 2000, **extra) -> dict:
    return {
        "full_name": name,
        "relationship": relationship,
        "sex": "male",
        "birth_year": birth_year,
        "ethnicity": "01",
        **extra,
    }


def make_household(
    actor,
    commune,
    *,
    village=None,
    head="Nguyễn Văn An",
    income=1_200_000,
    list_year=2026,
    deprivations=(),
    members=(),
) -> Household:
    return services.household_create(
        actor=actor,
        commune=commune,
        village=village,
        address="Tổ 1",
        members=[member(head, "head", 1970), *members],
        review={
            "list_year": list_year,
            "survey_date": TODAY,
            "income_per_capita": income,
            "deprivations": list(deprivations),
        },
    )


@pytest.fixture
def household(officer, my_hoa_hung, village) -> Household:
    return make_household(
        officer,
        my_hoa_hung,
        village=village,
        deprivations=["D22_EMPLOYMENT", "D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE"],
    )


def form_data(
    *, members: list[dict], review: dict | None = None, initial_forms: int = 0, **household
) -> dict:
    """The POST of the household form, as the browser sends it."""
    data = {
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(initial_forms),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "address": "Tổ 3, ấp Mỹ An",
        "phone": "0909 123 456",
        **household,
    }
    for row, values in enumerate(members):
        for key, value in values.items():
            data[f"members-{row}-{key}"] = value
    for key, value in (review or {}).items():
        data[f"review-{key}"] = value
    return data


THREE_MEMBERS = [
    member("Nguyễn Văn An", "head", 1970, id_number=ID_1970, has_health_insurance="on"),
    member("Lê Thị Bích", "spouse", 1972, sex="female"),
    member("Nguyễn Văn Cường", "child", 2012, school_status="in_school"),
]


def review_data(**overrides) -> dict:
    data = {
        "list_year": "2026",
        "kind": "periodic",
        "survey_date": TODAY.isoformat(),
        "income_per_capita": "1.200.000",
        "deprivations": ["D22_EMPLOYMENT", "D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE"],
    }
    data.update(overrides)
    return data


# --- three ways: anonymous, out of scope, in scope --------------------------------------------

HOUSEHOLD_PAGES = ["household-detail", "household-edit", "household-explanation"]


@pytest.mark.parametrize("name", HOUSEHOLD_PAGES)
def test_household_pages_redirect_anonymous_to_login(client, household, name):
    response = client.get(reverse(f"households:{name}", args=[household.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", HOUSEHOLD_PAGES)
def test_household_pages_of_another_commune_are_404(client, household, other_officer, name):
    client.force_login(other_officer)
    assert client.get(reverse(f"households:{name}", args=[household.pk])).status_code == 404


@pytest.mark.parametrize("name", HOUSEHOLD_PAGES)
def test_household_pages_in_scope_are_200(client, household, officer, name):
    client.force_login(officer)
    assert client.get(reverse(f"households:{name}", args=[household.pk])).status_code == 200


@pytest.mark.parametrize("name", ["household-list", "household-create"])
def test_list_and_new_redirect_anonymous_to_login(client, name):
    response = client.get(reverse(f"households:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_list_in_scope_shows_the_household(client, household, officer):
    client.force_login(officer)
    response = client.get(reverse("households:household-list"))
    assert response.status_code == 200
    assert household.code in response.content.decode()


def test_list_out_of_scope_leaves_the_household_out(client, household, other_officer):
    client.force_login(other_officer)
    response = client.get(reverse("households:household-list"))
    assert response.status_code == 200
    assert household.code not in response.content.decode()


def test_preview_redirects_anonymous_to_login(client):
    response = client.post(reverse("households:classify-preview"), {})
    assert response.status_code == 302


def test_preview_of_a_household_of_another_commune_is_404(client, household, other_officer):
    client.force_login(other_officer)
    url = reverse("households:classify-preview") + f"?household={household.pk}"
    response = client.post(url, form_data(members=THREE_MEMBERS, review=review_data()))
    assert response.status_code == 404


def test_new_household_form_in_scope_is_200(client, officer):
    client.force_login(officer)
    response = client.get(reverse("households:household-create"))
    assert response.status_code == 200
    assert 'id="member-template"' in response.content.decode()


# --- list: search, filters, sorting, paging, queries -----------------------------------------


def test_search_without_diacritics_finds_the_head(client, officer, my_hoa_hung):
    an = make_household(officer, my_hoa_hung, head="Nguyễn Văn An")
    binh = make_household(officer, my_hoa_hung, head="Trần Thị Bình")
    client.force_login(officer)
    html = client.get(reverse("households:household-list"), {"q": "nguyen van an"}).content
    assert an.code in html.decode()
    assert binh.code not in html.decode()


def test_search_by_id_number_finds_the_household(client, officer, my_hoa_hung):
    found = make_household(
        officer, my_hoa_hung, members=[member("Lê Văn Tư", id_number=ID_1970, birth_year=1970)]
    )
    other = make_household(officer, my_hoa_hung, head="Trần Thị Bình")
    client.force_login(officer)
    html = client.get(reverse("households:household-list"), {"q": "089 070 123"}).content.decode()
    assert found.code in html
    assert other.code not in html


def test_village_filter_offers_only_villages_of_the_users_area(
    client, officer, village, long_xuyen, admin_user_
):
    from registry.services import village_create

    foreign = village_create(
        actor=admin_user_, commune=long_xuyen, name="Khóm Đông Thịnh", division_type="khóm"
    )
    client.force_login(officer)
    form = client.get(reverse("households:household-list")).context["filter"].form
    offered = list(form.fields["village"].queryset)
    assert offered == [village]
    assert foreign not in offered


def test_village_filter_narrows_the_list(client, officer, my_hoa_hung, village):
    inside = make_household(officer, my_hoa_hung, village=village, head="Phạm Văn Một")
    outside = make_household(officer, my_hoa_hung, head="Phạm Văn Hai")
    client.force_login(officer)
    html = client.get(reverse("households:household-list"), {"village": village.pk}).content
    assert inside.code in html.decode()
    assert outside.code not in html.decode()


def test_classification_filter_keeps_poor_households(client, officer, chair, my_hoa_hung):
    deprived = ["D22_EMPLOYMENT", "D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE"]
    poor = make_household(officer, my_hoa_hung, head="Hộ Nghèo", deprivations=deprived)
    near_poor = make_household(officer, my_hoa_hung, head="Hộ Cận Nghèo")
    recognise(officer, chair, list(Review.objects.all()), on=TODAY)
    client.force_login(officer)
    params = {"classification": "poor", "year": "2026"}
    html = client.get(reverse("households:household-list"), params).content.decode()
    assert poor.code in html
    assert near_poor.code not in html
    assert "badge-poor" in html


def test_list_sorts_by_head_descending(client, officer, my_hoa_hung):
    make_household(officer, my_hoa_hung, head="An Văn Đầu")
    make_household(officer, my_hoa_hung, head="Yến Thị Cuối")
    client.force_login(officer)
    response = client.get(reverse("households:household-list"), {"ordering": "-head"})
    heads = [h.head_name for h in response.context["households"]]
    assert heads == ["Yến Thị Cuối", "An Văn Đầu"]


def test_list_pages_by_25(client, officer, my_hoa_hung):
    for n in range(26):
        make_household(officer, my_hoa_hung, head=f"Chủ Hộ {n}")
    client.force_login(officer)
    first = client.get(reverse("households:household-list"))
    second = client.get(reverse("households:household-list"), {"page": 2})
    assert len(first.context["households"]) == 25
    assert len(second.context["households"]) == 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_rows(
    client, officer, my_hoa_hung, village, django_assert_max_num_queries
):
    extra = [member("Con Một"), member("Con Hai")]
    for n in range(3):
        make_household(officer, my_hoa_hung, village=village, head=f"Hộ {n}", members=extra)
    client.force_login(officer)
    url = reverse("households:household-list")
    with_three = _queries(client, url)
    for n in range(3, 30):
        make_household(officer, my_hoa_hung, village=village, head=f"Hộ {n}", members=extra)
    with django_assert_max_num_queries(with_three):
        response = client.get(url)
    assert len(response.context["households"]) == 25


def test_detail_queries_do_not_grow_with_members_and_changes(
    client, officer, my_hoa_hung, village, django_assert_max_num_queries
):
    small = make_household(officer, my_hoa_hung, village=village, head="Hộ Nhỏ")
    many = [member(f"Thành Viên {n}", birth_year=1990 + n) for n in range(8)]
    large = make_household(officer, my_hoa_hung, village=village, head="Hộ Lớn", members=many)
    for phone in ("0901", "0902", "0903"):
        large = services.household_update(
            actor=officer,
            household=large,
            expected_version=large.version,
            village=village,
            phone=phone,
            members=[
                {
                    "id": m.pk,
                    **{
                        f: getattr(m, f) for f in ("full_name", "relationship", "sex", "birth_year")
                    },
                }
                for m in large.members.filter(left_on__isnull=True)
            ],
        )
    client.force_login(officer)
    with_small = _queries(client, reverse("households:household-detail", args=[small.pk]))
    with django_assert_max_num_queries(with_small):
        client.get(reverse("households:household-detail", args=[large.pk]))


# --- household page ---------------------------------------------------------------------------


def test_detail_shows_explanation_indicators_and_override(client, officer, my_hoa_hung):
    household = services.household_create(
        actor=officer,
        commune=my_hoa_hung,
        members=[member("Võ Văn Tám", "head", 1950)],  # no insurance recorded: derived deprived
        review={
            "list_year": 2026,
            "survey_date": TODAY,
            "income_per_capita": 1_000_000,
            "deprivations": ["D22_WATER_SOURCE"],
            "recognised_classification": "poor",
            "override_reason": "Ốm nặng, mất khả năng lao động",
        },
    )
    client.force_login(officer)
    html = client.get(reverse("households:household-detail", args=[household.pk])).content
    html = html.decode()
    review = household.reviews.get()
    assert review.computed_reasons["explanation_en"] in html
    assert "Domestic water source" in html
    assert "According to member data: deprived of Health insurance but not ticked" in html
    assert "Ốm nặng, mất khả năng lao động" in html


def test_detail_shows_members_who_left_with_dates(client, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Con Trai Cả")])
    members = list(household.members.order_by("id"))
    services.household_update(
        actor=officer,
        household=household,
        expected_version=household.version,
        village=household.village,
        members=[
            {
                "id": members[0].pk,
                "full_name": members[0].full_name,
                "relationship": "head",
                "sex": "male",
                "birth_year": 1970,
            }
        ],
    )
    client.force_login(officer)
    html = client.get(reverse("households:household-detail", args=[household.pk])).content
    assert "Left the household" in html.decode()
    assert f"Con Trai Cả · Child · {TODAY:%d/%m/%Y}" in html.decode()


def test_detail_timeline_shows_old_and_new_values(client, officer, household):
    head = household.members.get()
    services.household_update(
        actor=officer,
        household=household,
        expected_version=household.version,
        village=household.village,
        phone="0911 222 333",
        members=[
            {
                "id": head.pk,
                "full_name": head.full_name,
                "relationship": "head",
                "sex": "male",
                "birth_year": 1970,
            }
        ],
    )
    client.force_login(officer)
    html = client.get(reverse("households:household-detail", args=[household.pk])).content
    assert "0911 222 333" in html.decode()
    assert "Phone" in html.decode()


def test_detail_offers_edit_to_the_officer(client, officer, household):
    client.force_login(officer)
    html = client.get(reverse("households:household-detail", args=[household.pk])).content
    assert reverse("households:household-edit", args=[household.pk]) in html.decode()


# --- read-only roles --------------------------------------------------------------------------


@pytest.mark.parametrize("role_user", ["chair", "province_staff"])
def test_read_only_roles_see_the_household_without_edit(client, household, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    html = client.get(reverse("households:household-detail", args=[household.pk])).content
    assert household.code in html.decode()
    assert reverse("households:household-edit", args=[household.pk]) not in html.decode()


@pytest.mark.parametrize("role_user", ["chair", "province_staff"])
def test_read_only_roles_cannot_open_the_edit_form(client, household, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(reverse("households:household-edit", args=[household.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("role_user", ["chair", "province_staff", "district_staff"])
def test_read_only_roles_cannot_create(client, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse("households:household-create")).status_code == 403


def test_chair_cannot_post_an_edit(client, household, chair):
    client.force_login(chair)
    data = form_data(members=THREE_MEMBERS, version=str(household.version))
    response = client.post(reverse("households:household-edit", args=[household.pk]), data)
    assert response.status_code == 403
    assert Household.objects.get(pk=household.pk).version == household.version


def test_district_staff_sees_a_household_of_their_district_read_only(
    client, admin_user_, kien_an, district_staff
):
    household = make_household(admin_user_, kien_an, head="Đặng Văn Huyện")
    client.force_login(district_staff)
    detail = client.get(reverse("households:household-detail", args=[household.pk]))
    edit = client.get(reverse("households:household-edit", args=[household.pk]))
    assert detail.status_code == 200
    assert edit.status_code == 403


def test_district_staff_of_the_old_scheme_gets_404_for_a_new_scheme_household(
    client, household, district_staff
):
    client.force_login(district_staff)
    response = client.get(reverse("households:household-detail", args=[household.pk]))
    assert response.status_code == 404


def test_preview_refuses_users_who_edit_nothing(client, chair):
    client.force_login(chair)
    response = client.post(reverse("households:classify-preview"), form_data(members=THREE_MEMBERS))
    assert response.status_code == 403


# --- create -----------------------------------------------------------------------------------


def test_create_with_three_members_and_a_review(client, officer, village):
    client.force_login(officer)
    data = form_data(members=THREE_MEMBERS, review=review_data(), village=str(village.pk))
    response = client.post(reverse("households:household-create"), data)
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:household-detail", args=[household.pk])
    assert household.head_name == "Nguyễn Văn An"
    assert household.village == village
    assert household.members.count() == 3
    review = household.reviews.get()
    assert review.income_per_capita == 1_200_000
    assert review.computed_classification == "poor"
    assert review.recognised_classification == "poor"


def test_create_under_the_default_list_year_uses_its_standard(client, officer):
    client.force_login(officer)
    review = review_data(
        list_year="2027", income_per_capita="2.000.000", deprivations=["D27_EMPLOYMENT"]
    )
    client.post(
        reverse("households:household-create"), form_data(members=THREE_MEMBERS, review=review)
    )
    saved = Review.objects.get()
    assert (saved.standard_code, saved.computed_classification) == ("ND351-2025", "near_poor")


def test_new_form_defaults_to_the_list_year_of_today(client, officer):
    client.force_login(officer)
    form = client.get(reverse("households:household-create")).context["review_form"]
    from policies.standards import list_year_for_review_date

    assert form["list_year"].value() == list_year_for_review_date(TODAY)
    assert form["survey_date"].value() == TODAY


@pytest.mark.parametrize("typed", ["1.200.000", "1,200,000", "1200000", "1 200 000 đ"])
def test_income_is_accepted_with_or_without_separators(client, officer, typed):
    client.force_login(officer)
    data = form_data(members=THREE_MEMBERS, review=review_data(income_per_capita=typed))
    client.post(reverse("households:household-create"), data)
    assert Review.objects.get().income_per_capita == 1_200_000


def test_create_with_the_b1_score_instead_of_income(client, officer):
    client.force_login(officer)
    review = review_data(income_per_capita="", b1_score="130")
    client.post(
        reverse("households:household-create"), form_data(members=THREE_MEMBERS, review=review)
    )
    assert Review.objects.get().b1_score == 130


def test_create_without_review_keeps_the_household_alone(client, officer):
    client.force_login(officer)
    empty = {"list_year": "2026", "survey_date": TODAY.isoformat(), "income_per_capita": ""}
    client.post(
        reverse("households:household-create"), form_data(members=THREE_MEMBERS, review=empty)
    )
    assert Household.objects.count() == 1
    assert Review.objects.count() == 0


def test_blank_added_rows_are_ignored(client, officer):
    client.force_login(officer)
    data = form_data(members=[*THREE_MEMBERS, {"full_name": ""}], review=review_data())
    client.post(reverse("households:household-create"), data)
    assert Member.objects.count() == 3


def test_rows_removed_before_saving_are_not_created(client, officer):
    client.force_login(officer)
    removed = member("Gõ Nhầm", DELETE="on")
    data = form_data(members=[*THREE_MEMBERS, removed], review=review_data())
    client.post(reverse("households:household-create"), data)
    assert not Member.objects.filter(full_name="Gõ Nhầm").exists()


BAD_INPUT = [
    pytest.param(
        [member("Nguyễn Văn An", "head", 1970, birth_date="31/02/2020")],
        review_data(),
        ("members", 0, "birth_date"),
        "Enter a real date",
        id="impossible-date",
    ),
    pytest.param(
        [member("Nguyễn Văn An", "head", 1970, id_number="0890701234")],
        review_data(),
        ("members", 0, "id_number"),
        "The ID number has 12 digits; you typed 10.",
        id="id-number-length",
    ),
    pytest.param(
        [member("Nguyễn Văn An", "head", 1970), member("Lê Văn Bảy", "head", 1971)],
        review_data(),
        ("members", 1, "relationship"),
        "only one head",
        id="two-heads",
    ),
    pytest.param(
        [member("Nguyễn Văn An", "spouse", 1970)],
        review_data(),
        ("members", None, None),
        "Mark one member as head",
        id="no-head",
    ),
    pytest.param(
        THREE_MEMBERS,
        review_data(income_per_capita="-100000"),
        ("review", None, "income_per_capita"),
        "Income cannot be negative",
        id="negative-income",
    ),
    pytest.param(
        THREE_MEMBERS,
        review_data(income_per_capita="", b1_score=""),
        ("review", None, "income_per_capita"),
        "income per person per month, or the B1 score",
        id="no-income-nor-score",
    ),
]


@pytest.mark.parametrize(("members", "review", "where", "message"), BAD_INPUT)
def test_bad_input_shows_the_message_beside_the_field_and_saves_nothing(
    client, officer, members, review, where, message
):
    client.force_login(officer)
    response = client.post(
        reverse("households:household-create"), form_data(members=members, review=review)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    part, row, field = where
    if part == "members" and field:
        errors = response.context["formset"].forms[row].errors[field]
    elif part == "members":
        errors = response.context["formset"].non_form_errors()
    else:
        errors = response.context["review_form"].errors[field]
    assert any(message in str(e) for e in errors)
    assert Household.objects.count() == 0
    assert Member.objects.count() == 0


def test_bad_input_keeps_what_the_officer_typed(client, officer):
    client.force_login(officer)
    data = form_data(members=[member("Nguyễn Văn An", "spouse", 1970)], review=review_data())
    html = client.post(reverse("households:household-create"), data).content.decode()
    assert 'value="Nguyễn Văn An"' in html
    assert 'value="1.200.000"' in html


def test_officer_cannot_create_in_another_commune(client, officer, long_xuyen):
    client.force_login(officer)
    data = form_data(members=THREE_MEMBERS, review=review_data(), commune=str(long_xuyen.pk))
    response = client.post(reverse("households:household-create"), data)
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert Household.objects.count() == 0


def test_officer_of_two_communes_picks_the_commune(client, make_user, my_hoa_hung, long_xuyen):
    user = make_user(Role.COMMUNE_OFFICER, my_hoa_hung, username="two-communes")
    from registry.services import assignment_create

    assignment_create(user=user, role=Role.COMMUNE_OFFICER, unit=long_xuyen)
    client.force_login(user)
    page = client.get(reverse("households:household-create")).content.decode()
    assert '<select name="commune"' in page
    data = form_data(members=THREE_MEMBERS, review=review_data(), commune=str(long_xuyen.pk))
    client.post(reverse("households:household-create"), data)
    saved = Household.objects.get()
    assert (saved.commune, saved.area_type) == (long_xuyen, "urban")


# --- duplicates -------------------------------------------------------------------------------


def test_possible_duplicate_is_flagged_before_saving(client, officer, my_hoa_hung):
    existing = make_household(officer, my_hoa_hung, head="Lê Văn Cường")
    client.force_login(officer)
    data = form_data(members=[member("Le Van Cuong", "head", 1970)], review=review_data())
    response = client.post(reverse("households:household-create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert existing.code in html
    assert "I checked: this is not a duplicate" in html
    assert Household.objects.count() == 1


def test_possible_duplicate_is_saved_once_the_officer_confirms(client, officer, my_hoa_hung):
    make_household(officer, my_hoa_hung, head="Lê Văn Cường")
    client.force_login(officer)
    data = form_data(
        members=[member("Le Van Cuong", "head", 1970)],
        review=review_data(),
        confirm_not_duplicate="on",
    )
    response = client.post(reverse("households:household-create"), data)
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_id_number_taken_elsewhere_is_a_hard_error(client, officer, my_hoa_hung):
    make_household(
        officer, my_hoa_hung, members=[member("Lê Văn Tư", birth_year=1970, id_number=ID_1970)]
    )
    client.force_login(officer)
    data = form_data(members=THREE_MEMBERS, review=review_data(), confirm_not_duplicate="on")
    response = client.post(reverse("households:household-create"), data)
    errors = response.context["formset"].forms[0].errors["id_number"]
    assert "already registered" in errors[0]
    assert Household.objects.count() == 1


# --- edit -------------------------------------------------------------------------------------


def _edit_data(household: Household, **changes) -> dict:
    rows = [
        {
            "id": str(m.pk),
            "full_name": m.full_name,
            "relationship": m.relationship,
            "sex": m.sex,
            "birth_year": str(m.birth_year),
            "ethnicity": m.ethnicity,
        }
        for m in household.members.filter(left_on__isnull=True).order_by("id")
    ]
    data = form_data(
        members=rows,
        initial_forms=len(rows),
        version=str(household.version),
        village=str(household.village_id or ""),
    )
    data.update(changes)
    return data


def test_edit_form_shows_the_saved_values(client, officer, household):
    client.force_login(officer)
    response = client.get(reverse("households:household-edit", args=[household.pk]))
    html = response.content.decode()
    assert 'value="Nguyễn Văn An"' in html
    assert 'value="1.200.000"' in html
    assert f'name="version" value="{household.version}"' in html


def test_edit_saves_and_bumps_the_version(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household-edit", args=[household.pk])
    response = client.post(url, _edit_data(household, phone="0977 000 111"))
    household.refresh_from_db()
    assert response.status_code == 302
    assert (household.phone, household.version) == ("0977 000 111", 2)


def test_second_edit_from_the_same_version_gets_a_conflict(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household-edit", args=[household.pk])
    first = client.post(url, _edit_data(household, phone="0901 111 111"))
    second = client.post(url, _edit_data(household, phone="0902 222 222"))
    household.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 409
    assert "Someone else saved this household" in second.content.decode()
    assert 'value="0902 222 222"' in second.content.decode()
    assert household.phone == "0901 111 111"


def test_member_removed_on_edit_leaves_with_the_reason(client, officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member("Con Gái Út", "child")])
    client.force_login(officer)
    data = _edit_data(household)
    data["members-1-DELETE"] = "on"
    data["members-1-leave_reason"] = "Lấy chồng, chuyển đi"
    response = client.post(reverse("households:household-edit", args=[household.pk]), data)
    daughter = Member.objects.get(full_name="Con Gái Út")
    assert response.status_code == 302
    assert (daughter.left_on, daughter.leave_reason) == (TODAY, "Lấy chồng, chuyển đi")


def test_edit_adds_a_member(client, officer, household):
    client.force_login(officer)
    data = _edit_data(household)
    data.update({f"members-1-{k}": v for k, v in member("Bé Mới", birth_year=2025).items()})
    data["members-TOTAL_FORMS"] = "2"
    client.post(reverse("households:household-edit", args=[household.pk]), data)
    assert household.members.filter(left_on__isnull=True).count() == 2


def test_edit_changes_the_review(client, officer, household):
    client.force_login(officer)
    data = _edit_data(household)
    data.update({f"review-{k}": v for k, v in review_data(income_per_capita="3.500.000").items()})
    client.post(reverse("households:household-edit", args=[household.pk]), data)
    review = household.reviews.get()
    assert (review.income_per_capita, review.computed_classification) == (3_500_000, "not_poor")


# --- live classification ----------------------------------------------------------------------


def test_preview_returns_the_classification(client, officer):
    client.force_login(officer)
    data = form_data(members=THREE_MEMBERS, review=review_data())
    response = client.post(reverse("households:classify-preview"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-classification="poor"' in html
    assert "1,500,000" in html  # the rural line of Decree 07/2021
    assert Household.objects.count() == 0


def test_preview_flags_a_derived_indicator_not_ticked(client, officer):
    client.force_login(officer)
    uninsured = [member("Trương Văn Mười", "head", 1960)]
    data = form_data(members=uninsured, review=review_data(deprivations=[]))
    html = client.post(reverse("households:classify-preview"), data).content.decode()
    assert "According to member data: deprived of Health insurance but not ticked" in html
    assert '"D22_HEALTH_INSURANCE": true' in html


@pytest.mark.parametrize(
    ("income", "message"),
    [("abc", "Enter a whole number of đồng"), ("-5", "Income cannot be negative")],
)
def test_preview_shows_field_messages_for_bad_input(client, officer, income, message):
    client.force_login(officer)
    data = form_data(members=THREE_MEMBERS, review=review_data(income_per_capita=income))
    response = client.post(reverse("households:classify-preview"), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_preview_survives_half_typed_members(client, officer):
    client.force_login(officer)
    rows = [member("Nguyễn Văn An", "head", ""), {"full_name": "X", "birth_date": "31/02/2020"}]
    response = client.post(
        reverse("households:classify-preview"), form_data(members=rows, review=review_data())
    )
    assert response.status_code == 200
    assert 'data-classification="poor"' in response.content.decode()


def test_preview_sends_the_indicators_of_another_standard(client, officer):
    client.force_login(officer)
    data = form_data(
        members=THREE_MEMBERS, review=review_data(list_year="2027"), rendered_standard="ND07-2021"
    )
    html = client.post(reverse("households:classify-preview"), data).content.decode()
    assert 'hx-swap-oob="true"' in html
    assert 'value="D27_EMPLOYMENT"' in html


def test_preview_for_a_household_uses_its_commune(client, officer, household):
    client.force_login(officer)
    url = reverse("households:classify-preview") + f"?household={household.pk}"
    response = client.post(url, form_data(members=THREE_MEMBERS, review=review_data()))
    assert 'data-classification="poor"' in response.content.decode()


# --- explanation ------------------------------------------------------------------------------


def test_explanation_names_the_standard_line_and_indicators(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household-explanation", args=[household.pk])
    html = client.get(url, {"year": "2026"}).content.decode()
    assert "07/2021/NĐ-CP" in html
    assert "1.500.000" in html
    assert "Nguồn nước sinh hoạt" in html
    assert household.head_name in html
    assert "Thu nhập bình quân 1.200.000" in html


def test_explanation_of_a_year_without_review_is_404(client, officer, household):
    client.force_login(officer)
    url = reverse("households:household-explanation", args=[household.pk])
    assert client.get(url, {"year": "2019"}).status_code == 404


def test_survey_date_is_a_real_date(client, officer):
    client.force_login(officer)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("households:household-create"),
        form_data(members=THREE_MEMBERS, review=review_data(survey_date=future)),
    )
    assert "cannot be in the future" in str(response.context["review_form"].errors)
    assert Household.objects.count() == 0


def test_id_number_of_the_wrong_length_is_shown_with_other_field_errors(client, officer):
    """The ID number's shape is checked in the form, so it shows beside the field at once,
    together with the other mistakes, not only after those are corrected."""
    client.force_login(officer)
    data = form_data(members=[member("Nguyễn Văn Em", "head", 1980, sex="", id_number="12345")])
    response = client.post("/households/new/", data)
    member_form = response.context["formset"].forms[0]
    assert "id_number" in member_form.errors
    assert "sex" in member_form.errors
    assert not Household.objects.exists()


def test_empty_choice_reads_in_vietnamese(client, officer):
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    assert "- Chọn -" in client.get("/households/new/").content.decode()


def test_an_officer_of_a_commune_abolished_in_2025_is_offered_no_new_household(
    client, make_user, kien_an
):
    client.force_login(make_user("commune_officer", kien_an))
    body = client.get("/households/").content.decode()
    assert 'href="/households/new/"' not in body


def test_an_officer_of_a_current_commune_is_offered_a_new_household(client, officer):
    client.force_login(officer)
    body = client.get("/households/").content.decode()
    assert 'href="/households/new/"' in body
