"""Household services: every rule enforced once, nothing half-written, history kept."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households.models import Household, Member, Review
from households.services import (
    ConflictError,
    duplicates_find,
    household_create,
    household_update,
)

from .factories import family, make_household, member, review

pytestmark = pytest.mark.django_db


def errors_of(callable_, **kwargs) -> dict:
    with pytest.raises(ValidationError) as err:
        callable_(**kwargs)
    return err.value.message_dict


def rows(household):
    return [
        {
            **{f: getattr(m, f) for f in ("full_name", "relationship", "sex", "birth_year")},
            "id": m.pk,
        }
        for m in household.members.filter(left_on__isnull=True)
    ]


def nothing_written():
    return (
        not Household.objects.exists()
        and not Member.objects.exists()
        and not Review.objects.exists()
    )


# --- create -----------------------------------------------------------------------------------


def test_create_registers_household_members_and_review(officer, my_hoa_hung, village):
    household = make_household(officer, my_hoa_hung, village=village, address=" Tổ 3 ")
    assert household.code == "30313-000001"
    assert household.head_name == "Nguyễn Văn An"
    assert household.unit_path == village.path
    assert household.area_type == "rural"
    assert household.address == "Tổ 3"
    assert household.members.count() == 3
    assert household.province.code == "91"


def test_review_is_classified_by_the_standard_of_its_list_year(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    saved = household.reviews.get()
    assert saved.standard_code == "ND07-2021"
    assert saved.computed_classification == "near_poor"
    assert saved.recognised_classification == "near_poor"
    assert saved.computed_line == 1_500_000
    assert "1.500.000" in saved.computed_reasons["explanation_vi"]


def test_three_deprivations_under_the_line_make_a_poor_household(officer, my_hoa_hung):
    deprived = ["D22_HEALTH_INSURANCE", "D22_CHILD_SCHOOL_ATTENDANCE", "D22_EMPLOYMENT"]
    household = make_household(officer, my_hoa_hung, review_data=review(deprivations=deprived))
    assert household.reviews.get().computed_classification == "poor"


def test_urban_commune_uses_the_urban_line(other_officer, long_xuyen):
    household = make_household(
        other_officer, long_xuyen, review_data=review(income_per_capita=1_800_000)
    )
    saved = household.reviews.get()
    assert (saved.area_type, saved.computed_line, saved.computed_classification) == (
        "urban",
        2_000_000,
        "near_poor",
    )


def test_disagreement_between_members_and_ticks_is_recorded(officer, my_hoa_hung):
    members = family()
    members[1]["has_health_insurance"] = False
    household = make_household(officer, my_hoa_hung, members=members)
    disagreements = household.reviews.get().computed_reasons["disagreements"]
    assert {"indicator": "D22_HEALTH_INSURANCE", "derived": True, "ticked": False} in disagreements


def test_recognised_result_may_differ_only_with_a_reason(officer, my_hoa_hung):
    errors = errors_of(
        household_create,
        actor=officer,
        commune=my_hoa_hung,
        members=family(),
        review=review(recognised_classification="poor"),
    )
    assert "override_reason" in errors
    assert nothing_written()


def test_recognised_result_with_reason_is_kept(officer, my_hoa_hung):
    household = make_household(
        officer,
        my_hoa_hung,
        review_data=review(recognised_classification="poor", override_reason="Ốm nặng cả năm"),
    )
    saved = household.reviews.get()
    assert saved.is_overridden
    assert saved.override_reason == "Ốm nặng cả năm"


def test_officer_cannot_create_in_another_commune(officer, long_xuyen):
    with pytest.raises(PermissionDenied):
        make_household(officer, long_xuyen)
    assert nothing_written()


def test_chair_cannot_enter_households(chair, my_hoa_hung):
    with pytest.raises(PermissionDenied):
        make_household(chair, my_hoa_hung)


def test_village_must_belong_to_the_commune(admin_user_, long_xuyen, village):
    errors = errors_of(
        household_create, actor=admin_user_, commune=long_xuyen, village=village, members=family()
    )
    assert "village" in errors


def test_codes_are_sequential_within_a_commune(officer, my_hoa_hung):
    first = make_household(officer, my_hoa_hung)
    members = [member("Lê Thị Hoa", sex="female", birth_year=1990)]
    second = make_household(officer, my_hoa_hung, members=members)
    assert (first.code, second.code) == ("30313-000001", "30313-000002")


# --- bad input: refused with the field named, nothing written ------------------------------------


@pytest.mark.parametrize(
    ("members", "review_data", "field"),
    [
        (
            [member(birth_date=dt.date(2099, 1, 1), birth_year=2099)],
            review(),
            "members.0.birth_year",
        ),
        (
            [member(birth_date=dt.date(1980, 5, 1), birth_year=1981)],
            review(),
            "members.0.birth_year",
        ),
        ([member(id_number="08908000012")], review(), "members.0.id_number"),
        ([member(id_number="999080000123")], review(), "members.0.id_number"),
        ([member(id_number="089090000123")], review(), "members.0.id_number"),  # born 1990?
        ([member(id_number="089180000123")], review(), "members.0.id_number"),  # a woman's number
        ([member(relationship="spouse")], review(), "members"),
        ([member(), member("Lê Văn B")], review(), "members.1.relationship"),
        ([member(full_name="   ")], review(), "members.0.full_name"),
        ([], review(), "members"),
        ([member()], review(income_per_capita=-1), "income_per_capita"),
        ([member()], review(deprivations=["D16_HEALTH_INSURANCE"]), "deprivations"),
        ([member()], review(list_year=2015), "list_year"),
        ([member()], review(survey_date=dt.date(2099, 1, 1)), "survey_date"),
        ([member()], review(income_per_capita=None), "income_per_capita"),
        ([member()], review(b1_score=100), "b1_score"),
    ],
    ids=[
        "future-birth",
        "birth-year-vs-date",
        "id-too-short",
        "id-bad-province",
        "id-birth-year",
        "id-sex",
        "no-head",
        "two-heads",
        "blank-name",
        "no-members",
        "negative-income",
        "unknown-indicator",
        "year-without-standard",
        "future-survey",
        "no-income-no-score",
        "income-and-score",
    ],
)
def test_bad_input_is_refused_naming_the_field(officer, my_hoa_hung, members, review_data, field):
    errors = errors_of(
        household_create, actor=officer, commune=my_hoa_hung, members=members, review=review_data
    )
    assert field in errors
    assert nothing_written()


def test_id_number_already_registered_is_refused(officer, my_hoa_hung):
    make_household(officer, my_hoa_hung)
    errors = errors_of(
        household_create,
        actor=officer,
        commune=my_hoa_hung,
        members=[member("Người Khác", id_number="089080000123")],
    )
    assert "30313-000001" in errors["members.0.id_number"][0]
    assert Household.objects.count() == 1


def test_id_number_typed_with_spaces_is_normalised(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung, members=[member(id_number="089 080 000 123")])
    assert household.members.get().id_number == "089080000123"


def test_same_id_number_twice_in_one_form_is_refused(officer, my_hoa_hung):
    members = [
        member(id_number="089080000123"),
        member("B", relationship="child", id_number="089080000123"),
    ]
    errors = errors_of(household_create, actor=officer, commune=my_hoa_hung, members=members)
    assert "members.1.id_number" in errors


# --- update -----------------------------------------------------------------------------------


def test_update_changes_fields_and_bumps_the_version(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    updated = household_update(
        actor=officer,
        household=household,
        expected_version=1,
        address="Tổ 5",
        members=rows(household),
        review=review(income_per_capita=2_000_000),
    )
    assert updated.version == 2
    assert updated.address == "Tổ 5"
    assert updated.reviews.get().computed_classification == "middle_income"


def test_stale_version_is_a_conflict_and_nothing_changes(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    members = rows(household)
    household_update(
        actor=officer, household=household, expected_version=1, address="A", members=members
    )
    stale = Household.objects.get(pk=household.pk)
    with pytest.raises(ConflictError):
        household_update(
            actor=officer, household=stale, expected_version=1, address="B", members=members
        )
    assert Household.objects.get(pk=household.pk).address == "A"


def test_member_left_out_leaves_with_a_date_and_is_kept(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    members = rows(household)[:2]
    household_update(
        actor=officer,
        household=household,
        expected_version=1,
        members=members,
        leave_reason="Lấy chồng",
    )
    left = household.members.get(full_name="Nguyễn Văn Cường")
    assert left.left_on is not None
    assert left.leave_reason == "Lấy chồng"
    assert household.members.count() == 3


def test_head_can_change_hands(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    members = rows(household)
    members[0]["relationship"], members[1]["relationship"] = "spouse", "head"
    household_update(actor=officer, household=household, expected_version=1, members=members)
    household.refresh_from_db()
    assert household.head_name == "Trần Thị Bình"


def test_member_of_another_household_cannot_be_smuggled_in(officer, my_hoa_hung):
    first = make_household(officer, my_hoa_hung)
    second = make_household(officer, my_hoa_hung, members=[member("Lê Thị Hoa", sex="female")])
    stranger = first.members.first()
    members = [*rows(second), {"id": stranger.pk, **member("X", relationship="child")}]
    with pytest.raises(ValidationError):
        household_update(actor=officer, household=second, expected_version=1, members=members)
    assert stranger.household_id == first.pk


def test_refused_update_writes_nothing(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    members = rows(household)
    members[0]["birth_year"] = 2999
    with pytest.raises(ValidationError):
        household_update(
            actor=officer, household=household, expected_version=1, address="Z", members=members
        )
    household.refresh_from_db()
    assert (household.version, household.address) == (1, "")


def test_history_keeps_who_changed_what(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    household_update(
        actor=officer,
        household=household,
        expected_version=1,
        address="Tổ 9",
        members=rows(household),
    )
    latest, first = household.history.order_by("-history_date")[:2]
    assert latest.history_user == officer
    assert (first.address, latest.address) == ("", "Tổ 9")


def test_timeline_lists_changes_of_household_members_and_review(officer, my_hoa_hung):
    from households.selectors import household_timeline

    household = make_household(officer, my_hoa_hung)
    household_update(
        actor=officer,
        household=household,
        expected_version=1,
        address="Tổ 9",
        members=rows(household),
    )
    timeline = household_timeline(household)
    kinds = {entry["kind"] for entry in timeline}
    assert kinds == {"household", "member", "review", "review_step"}
    changed = [e for e in timeline if e["kind"] == "household" and e["changes"]]
    assert ("address", "", "Tổ 9") in [
        (c["field"], c["old"], c["new"]) for c in changed[0]["changes"]
    ]


# --- duplicates -------------------------------------------------------------------------------


def test_duplicate_by_name_and_birth_year_ignores_diacritics(officer, my_hoa_hung):
    existing = make_household(officer, my_hoa_hung)
    found = duplicates_find(
        user=officer,
        commune=my_hoa_hung,
        members=[{"full_name": "nguyen van an", "birth_year": 1980}],
    )
    assert [(d.kind, d.household_code) for d in found] == [("name_birth_year", existing.code)]


def test_same_name_other_birth_year_is_not_a_duplicate(officer, my_hoa_hung):
    make_household(officer, my_hoa_hung)
    assert (
        duplicates_find(
            user=officer,
            commune=my_hoa_hung,
            members=[{"full_name": "Nguyễn Văn An", "birth_year": 1981}],
        )
        == []
    )


def test_duplicate_id_number_is_found_anywhere(officer, other_officer, my_hoa_hung, long_xuyen):
    make_household(officer, my_hoa_hung)
    found = duplicates_find(
        user=other_officer,
        commune=long_xuyen,
        members=[{"full_name": "X", "id_number": "089080000123"}],
    )
    assert [(d.kind, d.elsewhere) for d in found] == [("id_number", True)]


def test_a_household_is_not_its_own_duplicate(officer, my_hoa_hung):
    household = make_household(officer, my_hoa_hung)
    found = duplicates_find(
        user=officer, commune=my_hoa_hung, members=rows(household), household=household
    )
    assert found == []


def test_engine_refusals_are_said_in_the_users_language(officer, my_hoa_hung):
    from django.utils import translation

    with translation.override("vi"):
        errors = errors_of(
            household_create,
            actor=officer,
            commune=my_hoa_hung,
            members=[member()],
            review=review(deprivations=["D16_HEALTH_INSURANCE"]),
        )
    assert errors["deprivations"] == [
        "Các chỉ số sau không thuộc chuẩn nghèo ND07-2021: D16_HEALTH_INSURANCE."
    ]
