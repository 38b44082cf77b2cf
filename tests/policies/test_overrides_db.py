"""Overrides stored in the database: who may set them, what the engine refuses, which apply to
which household and when, and the impact of a change of standard."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from households.models import Review
from households.services import household_update
from policies.models import ParameterOverride
from policies.selectors import overrides_by_day, overrides_for, standard_impact
from policies.services import parameter_override_end, parameter_override_set
from policies.standards import Classification, HouseholdFacts
from registry.choices import Level, Role, Scheme
from registry.models import AdminUnit
from registry.scoping import province_path
from tests.households.factories import make_household, member, recognise, review

pytestmark = pytest.mark.django_db

ND07 = "ND07-2021"  # the standard of the 2026 list, surveyed on 15/10/2025 in the factories
SINCE = dt.date(2025, 1, 1)
SURVEY = dt.date(2025, 10, 15)


@pytest.fixture
def ha_noi() -> AdminUnit:
    return AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.PROVINCE, code="01")


@pytest.fixture
def soc_son(ha_noi) -> AdminUnit:
    """A rural commune of another province (Hà Nội)."""
    return AdminUnit.objects.get(scheme=Scheme.CURRENT, level=Level.COMMUNE, code="00376")


@pytest.fixture
def soc_son_officer(make_user, soc_son):
    return make_user(Role.COMMUNE_OFFICER, soc_son, username="soc-son-officer")


def set_override(actor, **kwargs) -> ParameterOverride:
    data = {"standard_code": ND07, "reason": "Test", "valid_from": SINCE}
    data.update(kwargs)
    return parameter_override_set(actor=actor, **data)


def raise_an_giang_line(province_staff, an_giang, value=1_800_000) -> ParameterOverride:
    return set_override(
        province_staff,
        key="rural_poverty_line",
        value=value,
        unit=an_giang,
        reason="Local standard of An Giang",
        source="15/2025/QĐ-UBND",
    )


def household_with_income(officer, commune, income: int, name: str = "Lê Văn Bình"):
    household = make_household(
        officer,
        commune,
        members=[member(name)],
        review_data=review(income_per_capita=income),
    )
    return Review.objects.get(household=household)


def refusal(callable_, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        callable_(**kwargs)
    return error.value.message_dict


# --- the overrides reach the classification ---------------------------------------------------


def test_raised_provincial_line_makes_household_of_that_province_near_poor(
    province_staff, an_giang, officer, my_hoa_hung
) -> None:
    raise_an_giang_line(province_staff, an_giang)
    reviewed = household_with_income(officer, my_hoa_hung, 1_600_000)
    assert reviewed.computed_classification == Classification.NEAR_POOR
    assert reviewed.computed_line == 1_800_000


def test_without_the_local_standard_the_same_household_is_middle_income(
    officer, my_hoa_hung
) -> None:
    reviewed = household_with_income(officer, my_hoa_hung, 1_600_000)
    assert reviewed.computed_classification == Classification.MIDDLE_INCOME


def test_raised_provincial_line_is_explained_as_adjusted(
    province_staff, an_giang, officer, my_hoa_hung
) -> None:
    raise_an_giang_line(province_staff, an_giang)
    reasons = household_with_income(officer, my_hoa_hung, 1_600_000).computed_reasons
    assert reasons["overridden"] == ["rural_poverty_line"]
    assert "1.800.000 đồng (đã điều chỉnh)" in reasons["explanation_vi"]
    assert "1,800,000 VND (adjusted)" in reasons["explanation_en"]


def test_provincial_line_leaves_other_provinces_alone(
    province_staff, an_giang, soc_son_officer, soc_son
) -> None:
    raise_an_giang_line(province_staff, an_giang)
    reviewed = household_with_income(soc_son_officer, soc_son, 1_600_000)
    assert reviewed.computed_classification == Classification.MIDDLE_INCOME
    assert reviewed.computed_reasons["overridden"] == []


def test_updated_review_is_reclassified_under_the_local_standard(
    province_staff, an_giang, officer, my_hoa_hung
) -> None:
    reviewed = household_with_income(officer, my_hoa_hung, 1_600_000)
    raise_an_giang_line(province_staff, an_giang)
    household = reviewed.household
    household_update(
        actor=officer,
        household=household,
        expected_version=household.version,
        members=[
            {
                "id": m.pk,
                **{f: getattr(m, f) for f in ("full_name", "relationship", "sex", "birth_year")},
            }
            for m in household.members.all()
        ],
        review=review(income_per_capita=1_600_000),
    )
    reviewed.refresh_from_db()
    assert reviewed.computed_classification == Classification.NEAR_POOR


def test_national_correction_of_unconfirmed_number_changes_derived_indicator(
    admin_user_, officer, my_hoa_hung
) -> None:
    set_override(admin_user_, key="health_insurance_min_age", value=5, reason="Appendix read")
    uninsured_child = member(
        "Lê Thị Cúc",
        relationship="child",
        sex="female",
        birth_year=2020,
        has_health_insurance=False,
        qualification="none",
        employment="not_working",
    )
    household = make_household(
        officer, my_hoa_hung, members=[member("Lê Văn Dũng"), uninsured_child]
    )
    reasons = Review.objects.get(household=household).computed_reasons
    assert reasons["derived"]["D22_HEALTH_INSURANCE"] is True
    assert "health_insurance_min_age" in reasons["overridden"]


def test_without_the_correction_a_five_year_old_is_not_counted(officer, my_hoa_hung) -> None:
    uninsured_child = member(
        "Lê Thị Cúc",
        relationship="child",
        sex="female",
        birth_year=2020,
        has_health_insurance=False,
        qualification="none",
        employment="not_working",
    )
    household = make_household(
        officer, my_hoa_hung, members=[member("Lê Văn Dũng"), uninsured_child]
    )
    reasons = Review.objects.get(household=household).computed_reasons
    assert reasons["derived"]["D22_HEALTH_INSURANCE"] is False


def test_ended_override_stops_applying(province_staff, an_giang, officer, my_hoa_hung) -> None:
    override = raise_an_giang_line(province_staff, an_giang)
    parameter_override_end(actor=province_staff, override=override, on=dt.date(2025, 10, 1))
    reviewed = household_with_income(officer, my_hoa_hung, 1_600_000)
    assert reviewed.computed_classification == Classification.MIDDLE_INCOME


def test_override_applies_only_from_its_start(province_staff, an_giang, officer, my_hoa_hung):
    set_override(
        province_staff,
        key="rural_poverty_line",
        value=1_800_000,
        unit=an_giang,
        valid_from=SURVEY + dt.timedelta(days=1),
    )
    reviewed = household_with_income(officer, my_hoa_hung, 1_600_000)
    assert reviewed.computed_classification == Classification.MIDDLE_INCOME


# --- selector ---------------------------------------------------------------------------------


def test_local_standard_goes_on_top_of_national_corrections(
    admin_user_, province_staff, an_giang, my_hoa_hung, django_assert_num_queries
) -> None:
    set_override(admin_user_, key="employment_min_age", value=16)
    raise_an_giang_line(province_staff, an_giang)
    with django_assert_num_queries(1):
        found = overrides_for(standard_code=ND07, unit=my_hoa_hung, on=SURVEY)
    assert found == {"employment_min_age": 16, "rural_poverty_line": 1_800_000}


def test_overrides_by_day_gives_overrides_for_on_every_day(
    admin_user_, province_staff, an_giang, my_hoa_hung, soc_son, django_assert_num_queries
) -> None:
    """From one query, on any day: the corrections and local standard in force that day."""
    set_override(admin_user_, key="employment_min_age", value=16)
    ended = raise_an_giang_line(province_staff, an_giang)
    parameter_override_end(actor=province_staff, override=ended, on=dt.date(2025, 6, 1))
    set_override(
        province_staff,
        key="rural_poverty_line",
        value=1_900_000,
        unit=an_giang,
        valid_from=dt.date(2025, 9, 1),
    )
    days = [SINCE - dt.timedelta(days=1), SINCE, dt.date(2025, 5, 31), dt.date(2025, 6, 1)]
    days += [dt.date(2025, 8, 31), dt.date(2025, 9, 1), SURVEY]
    for unit in (my_hoa_hung, soc_son, None):
        with django_assert_num_queries(1):
            in_force = overrides_by_day(standard_code=ND07, unit=unit)
        with django_assert_num_queries(0):
            found = [in_force(day) for day in days]
        assert found == [overrides_for(standard_code=ND07, unit=unit, on=day) for day in days]
    assert overrides_by_day(standard_code=ND07, unit=my_hoa_hung)(SURVEY) == {
        "employment_min_age": 16,
        "rural_poverty_line": 1_900_000,
    }


def test_without_a_unit_only_national_corrections_apply(
    admin_user_, province_staff, an_giang
) -> None:
    set_override(admin_user_, key="employment_min_age", value=16)
    raise_an_giang_line(province_staff, an_giang)
    assert overrides_for(standard_code=ND07, unit=None, on=SURVEY) == {"employment_min_age": 16}


def test_overrides_of_another_standard_do_not_apply(province_staff, an_giang, my_hoa_hung):
    raise_an_giang_line(province_staff, an_giang)
    assert overrides_for(standard_code="ND351-2025", unit=my_hoa_hung, on=SURVEY) == {}


def test_province_path_is_the_first_two_segments() -> None:
    assert province_path("2025/91/30313/30313-001/") == "2025/91/"


# --- who may set what -------------------------------------------------------------------------


def test_commune_officer_cannot_set_a_local_standard(officer, an_giang) -> None:
    with pytest.raises(PermissionDenied):
        raise_an_giang_line(officer, an_giang)


def test_commune_officer_cannot_set_a_national_correction(officer) -> None:
    with pytest.raises(PermissionDenied):
        set_override(officer, key="health_insurance_min_age", value=5)


def test_province_staff_cannot_set_a_national_correction(province_staff) -> None:
    with pytest.raises(PermissionDenied):
        set_override(province_staff, key="health_insurance_min_age", value=5)


def test_province_staff_cannot_set_another_provinces_standard(province_staff, ha_noi) -> None:
    with pytest.raises(PermissionDenied):
        set_override(province_staff, key="rural_poverty_line", value=1_800_000, unit=ha_noi)


def test_system_administrator_may_set_a_provincial_standard(admin_user_, an_giang) -> None:
    override = raise_an_giang_line(admin_user_, an_giang)
    assert (override.unit, override.created_by) == (an_giang, admin_user_)


def test_province_staff_cannot_end_a_national_correction(admin_user_, province_staff) -> None:
    correction = set_override(admin_user_, key="health_insurance_min_age", value=5)
    with pytest.raises(PermissionDenied):
        parameter_override_end(actor=province_staff, override=correction)


# --- what the standard refuses ----------------------------------------------------------------


def test_lowering_a_line_is_refused_naming_the_key(province_staff, an_giang) -> None:
    errors = refusal(
        set_override,
        actor=province_staff,
        key="rural_poverty_line",
        value=1_400_000,
        unit=an_giang,
    )
    assert "rural_poverty_line" in errors["value"][0]
    assert not ParameterOverride.objects.exists()


def test_confirmed_rule_cannot_be_corrected(admin_user_) -> None:
    errors = refusal(set_override, actor=admin_user_, key="deprivation_cutoff", value=2)
    assert "deprivation_cutoff" in errors["value"][0]


def test_raised_line_must_stay_below_the_middle_income_bound(province_staff, an_giang) -> None:
    errors = refusal(
        set_override,
        actor=province_staff,
        key="rural_poverty_line",
        value=2_300_000,
        unit=an_giang,
    )
    assert "rural_middle_income_upper" in errors["value"][0]


def test_province_may_only_set_lines(province_staff, an_giang) -> None:
    errors = refusal(
        set_override, actor=province_staff, key="health_insurance_min_age", value=5, unit=an_giang
    )
    assert "health_insurance_min_age" in errors["key"][0]


def test_local_standard_is_set_for_a_province(admin_user_, my_hoa_hung) -> None:
    errors = refusal(
        set_override, actor=admin_user_, key="rural_poverty_line", value=1_800_000, unit=my_hoa_hung
    )
    assert "unit" in errors


def test_unknown_key_is_refused(admin_user_) -> None:
    errors = refusal(set_override, actor=admin_user_, key="no_such_number", value=5)
    assert "no_such_number" in errors["key"][0]


def test_reason_is_required(admin_user_) -> None:
    errors = refusal(
        set_override, actor=admin_user_, key="health_insurance_min_age", value=5, reason=" "
    )
    assert "reason" in errors


def test_local_line_cannot_be_below_the_corrected_national_line(
    admin_user_, province_staff, an_giang
) -> None:
    set_override(
        admin_user_, standard_code="ND351-2025", key="rural_middle_income_upper", value=3_300_000
    )
    errors = refusal(
        set_override,
        actor=province_staff,
        standard_code="ND351-2025",
        key="rural_middle_income_upper",
        value=3_000_000,
        unit=an_giang,
    )
    assert "rural_middle_income_upper" in errors["value"][0]


# --- replacing and ending ---------------------------------------------------------------------


def test_new_value_ends_the_override_in_force(province_staff, an_giang) -> None:
    first = raise_an_giang_line(province_staff, an_giang)
    set_override(
        province_staff,
        key="rural_poverty_line",
        value=2_000_000,
        unit=an_giang,
        valid_from=dt.date(2025, 6, 1),
    )
    first.refresh_from_db()
    assert first.valid_to == dt.date(2025, 6, 1)
    open_values = list(ParameterOverride.objects.open().values_list("value", flat=True))
    assert open_values == [2_000_000]


def test_new_override_cannot_start_before_the_one_in_force(province_staff, an_giang) -> None:
    set_override(
        province_staff,
        key="rural_poverty_line",
        value=1_800_000,
        unit=an_giang,
        valid_from=dt.date(2025, 6, 1),
    )
    errors = refusal(
        set_override,
        actor=province_staff,
        key="rural_poverty_line",
        value=1_900_000,
        unit=an_giang,
        valid_from=dt.date(2025, 5, 1),
    )
    assert "valid_from" in errors


def test_override_history_records_who_ended_it(province_staff, an_giang) -> None:
    override = raise_an_giang_line(province_staff, an_giang)
    parameter_override_end(actor=province_staff, override=override, on=dt.date(2025, 10, 1))
    latest = override.history.first()
    assert (latest.valid_to, latest.history_user) == (dt.date(2025, 10, 1), province_staff)
    assert override.history.count() == 2


def test_ended_override_cannot_end_again(province_staff, an_giang) -> None:
    override = raise_an_giang_line(province_staff, an_giang)
    parameter_override_end(actor=province_staff, override=override, on=dt.date(2025, 10, 1))
    errors = refusal(parameter_override_end, actor=province_staff, override=override)
    assert "valid_to" in errors


def test_override_cannot_end_before_it_starts(province_staff, an_giang) -> None:
    override = raise_an_giang_line(province_staff, an_giang)
    errors = refusal(
        parameter_override_end, actor=province_staff, override=override, on=dt.date(2024, 1, 1)
    )
    assert "valid_to" in errors


# --- admin ------------------------------------------------------------------------------------


def test_admin_adds_an_override_through_the_service(admin_client, an_giang) -> None:
    response = admin_client.post(
        "/admin/policies/parameteroverride/add/",
        {
            "standard_code": ND07,
            "key": "rural_poverty_line",
            "value": "1800000",
            "unit": an_giang.pk,
            "reason": "Local standard",
            "source": "15/2025/QĐ-UBND",
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    override = ParameterOverride.objects.get()
    assert (override.value, override.created_by.username) == (1_800_000, "admin")


def test_admin_form_shows_the_engines_refusal(admin_client, an_giang) -> None:
    response = admin_client.post(
        "/admin/policies/parameteroverride/add/",
        {
            "standard_code": ND07,
            "key": "rural_poverty_line",
            "value": "1400000",
            "unit": an_giang.pk,
            "reason": "Local standard",
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "rural_poverty_line" in str(response.context["adminform"].form.errors["value"])
    assert not ParameterOverride.objects.exists()


def test_admin_ends_an_override(admin_client, admin_user_, an_giang) -> None:
    override = raise_an_giang_line(admin_user_, an_giang)
    response = admin_client.post(
        f"/admin/policies/parameteroverride/{override.pk}/change/", {"valid_to": "2025-10-01"}
    )
    assert response.status_code == 302
    override.refresh_from_db()
    assert override.valid_to == dt.date(2025, 10, 1)


def test_admin_cannot_delete_an_override(admin_client, admin_user_, an_giang) -> None:
    override = raise_an_giang_line(admin_user_, an_giang)
    url = f"/admin/policies/parameteroverride/{override.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert ParameterOverride.objects.filter(pk=override.pk).exists()


# --- impact of a change of standard -----------------------------------------------------------

SAMPLE = [
    HouseholdFacts("rural", income_per_capita=1_200_000),  # near-poor under both
    HouseholdFacts("rural", income_per_capita=1_600_000),  # middle-income -> near-poor
    HouseholdFacts("rural", income_per_capita=3_000_000),  # not poor under both
]


def test_standard_impact_counts_moves() -> None:
    comparison = standard_impact(households=SAMPLE, old_code=ND07, new_code="ND351-2025")
    near_poor = comparison.flow(Classification.NEAR_POOR)
    middle = comparison.flow(Classification.MIDDLE_INCOME)
    assert (near_poor.old_count, near_poor.new_count, near_poor.move_in) == (1, 2, 1)
    assert (middle.old_count, middle.new_count, middle.move_out) == (1, 0, 1)


def test_standard_impact_uses_the_units_local_standard(
    province_staff, an_giang, my_hoa_hung
) -> None:
    raise_an_giang_line(province_staff, an_giang)
    comparison = standard_impact(
        households=SAMPLE, old_code=ND07, new_code="ND351-2025", unit=my_hoa_hung, on=SURVEY
    )
    near_poor = comparison.flow(Classification.NEAR_POOR)
    assert (near_poor.old_count, near_poor.new_count, near_poor.move_in) == (2, 2, 0)


def test_standard_impact_command_prints_counts_per_classification(
    officer, chair, my_hoa_hung
) -> None:
    reviews = [
        household_with_income(officer, my_hoa_hung, income, name=name)
        for income, name in (
            (1_200_000, "Lê Văn An"),
            (1_600_000, "Lê Văn Bình"),
            (3_000_000, "Lê Văn Cơ"),
        )
    ]
    recognise(officer, chair, reviews)
    out = io.StringIO()
    call_command(
        "standard_impact", "--province", "91", "--year", "2026", "--new", "ND351-2025", stdout=out
    )
    rows = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines()[2:]}
    assert rows["near_poor"] == ["1", "2", "1", "0"]
    assert rows["middle_income"] == ["1", "0", "0", "1"]
    assert rows["not_poor"] == ["1", "1", "0", "0"]
    assert "3 households" in out.getvalue()


def test_national_correction_cannot_put_a_local_line_below_it(
    admin_user_, province_staff, an_giang
) -> None:
    set_override(
        province_staff,
        standard_code="ND351-2025",
        key="rural_middle_income_upper",
        value=3_000_000,
        unit=an_giang,
    )
    errors = refusal(
        set_override,
        actor=admin_user_,
        standard_code="ND351-2025",
        key="rural_middle_income_upper",
        value=3_300_000,
    )
    assert an_giang.name in errors["value"][0]


def test_admin_override_pages_render(admin_client, admin_user_, an_giang) -> None:
    override = raise_an_giang_line(admin_user_, an_giang)
    base = "/admin/policies/parameteroverride/"
    pages = [base, f"{base}add/", f"{base}{override.pk}/change/", f"{base}{override.pk}/history/"]
    assert [admin_client.get(url).status_code for url in pages] == [200, 200, 200, 200]


def test_admin_form_refuses_to_end_an_override_before_it_starts(
    admin_client, admin_user_, an_giang
) -> None:
    override = raise_an_giang_line(admin_user_, an_giang)
    response = admin_client.post(
        f"/admin/policies/parameteroverride/{override.pk}/change/", {"valid_to": "2024-01-01"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["valid_to"]
    override.refresh_from_db()
    assert override.valid_to is None
