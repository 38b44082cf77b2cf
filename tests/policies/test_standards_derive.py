"""Recomputing indicators from member and dwelling data, and comparing them with the ticks."""

from __future__ import annotations

from typing import Any

import pytest

from policies.standards import (
    Disagreement,
    MemberFacts,
    StandardError,
    get_standard,
)

QD59 = get_standard("QD59-2015")
ND07 = get_standard("ND07-2021")
ND351 = get_standard("ND351-2025")

ADULT = MemberFacts(
    age=40,
    has_health_insurance=True,
    in_school=False,
    completed_lower_secondary=True,
    completed_upper_secondary_or_vocational=True,
    receives_monthly_social_allowance=False,
    unemployed=False,
    wage_work_without_contract=False,
    malnourished=False,
)


def adult(**changes: Any) -> MemberFacts:
    """A 40-year-old who deprives the household of nothing, with ``changes`` applied."""
    values = {name: getattr(ADULT, name) for name in ADULT.__dataclass_fields__}
    values.update(changes)
    return MemberFacts(**values)


# (standard, indicator, members, expected); the household always includes a second adult so
# that single-member edge cases (dependants) do not interfere.
CASES = [
    # health insurance: aged 6 or over without a card
    (ND07, "D22_HEALTH_INSURANCE", [adult(age=6, has_health_insurance=False)], True),
    (ND07, "D22_HEALTH_INSURANCE", [adult(age=5, has_health_insurance=False)], False),
    (ND07, "D22_HEALTH_INSURANCE", [adult(age=6, has_health_insurance=True)], False),
    (QD59, "D16_HEALTH_INSURANCE", [adult(age=70, has_health_insurance=False)], True),
    (QD59, "D16_HEALTH_INSURANCE", [adult(age=2, has_health_insurance=False)], False),
    # child school attendance 2022-2025: aged 3 to under 16, in school at the right level
    (ND07, "D22_CHILD_SCHOOL_ATTENDANCE", [adult(age=3, in_school=False)], True),
    (ND07, "D22_CHILD_SCHOOL_ATTENDANCE", [adult(age=2, in_school=False)], False),
    (ND07, "D22_CHILD_SCHOOL_ATTENDANCE", [adult(age=15, in_school=False)], True),
    (ND07, "D22_CHILD_SCHOOL_ATTENDANCE", [adult(age=16, in_school=False)], False),
    (
        ND07,
        "D22_CHILD_SCHOOL_ATTENDANCE",
        [adult(age=10, in_school=True, school_level_matches_age=False)],
        True,
    ),
    (
        ND07,
        "D22_CHILD_SCHOOL_ATTENDANCE",
        [adult(age=10, in_school=True, school_level_matches_age=True)],
        False,
    ),
    # child school attendance 2016-2020: aged 5 to under 15, out of school
    (QD59, "D16_CHILD_SCHOOL_ATTENDANCE", [adult(age=4, in_school=False)], False),
    (QD59, "D16_CHILD_SCHOOL_ATTENDANCE", [adult(age=5, in_school=False)], True),
    (QD59, "D16_CHILD_SCHOOL_ATTENDANCE", [adult(age=14, in_school=False)], True),
    (QD59, "D16_CHILD_SCHOOL_ATTENDANCE", [adult(age=15, in_school=False)], False),
    # adult education 2022-2025: 16 to under 18 needs lower secondary, 18-30 upper/vocational
    (ND07, "D22_ADULT_EDUCATION", [adult(age=17, completed_lower_secondary=False)], True),
    (
        ND07,
        "D22_ADULT_EDUCATION",
        [adult(age=17, completed_lower_secondary=False, in_school=True)],
        False,
    ),
    (
        ND07,
        "D22_ADULT_EDUCATION",
        [adult(age=17, completed_upper_secondary_or_vocational=False)],
        False,
    ),
    (
        ND07,
        "D22_ADULT_EDUCATION",
        [adult(age=18, completed_upper_secondary_or_vocational=False)],
        True,
    ),
    (
        ND07,
        "D22_ADULT_EDUCATION",
        [adult(age=30, completed_upper_secondary_or_vocational=False)],
        True,
    ),
    (
        ND07,
        "D22_ADULT_EDUCATION",
        [adult(age=31, completed_upper_secondary_or_vocational=False)],
        False,
    ),
    # nutrition: a child under 16 malnourished
    (ND07, "D22_NUTRITION", [adult(age=15, malnourished=True)], True),
    (ND07, "D22_NUTRITION", [adult(age=16, malnourished=True)], False),
    (ND351, "D27_NUTRITION", [adult(age=3, malnourished=True)], True),
    # employment: working-age member unemployed or without a labour contract
    (ND07, "D22_EMPLOYMENT", [adult(age=30, unemployed=True)], True),
    (ND07, "D22_EMPLOYMENT", [adult(age=30, wage_work_without_contract=True)], True),
    (ND07, "D22_EMPLOYMENT", [adult(age=14, unemployed=True)], False),
    (ND351, "D27_EMPLOYMENT", [adult(age=50, wage_work_without_contract=True)], True),
    # dependants: more than half are children under 16 or on the social allowance
    (
        ND07,
        "D22_DEPENDANTS",
        [adult(age=5), adult(age=80, receives_monthly_social_allowance=True)],
        True,
    ),
    (ND07, "D22_DEPENDANTS", [adult(age=15)], False),  # 1 of 2 is not more than half
    (ND351, "D27_DEPENDANTS", [adult(age=1), adult(age=2)], True),
]


@pytest.mark.parametrize(
    ("standard", "code", "members", "expected"),
    [
        pytest.param(s, code, members, expected, id=f"{code}-{i}")
        for i, (s, code, members, expected) in enumerate(CASES)
    ],
)
def test_derive_indicator(
    standard: Any, code: str, members: list[MemberFacts], expected: bool
) -> None:
    derived = standard.derive_indicators([ADULT, *members])
    assert derived[code] is expected


@pytest.mark.parametrize(
    ("standard", "code", "area", "expected"),
    [
        (ND07, "D22_HOUSING_AREA", 23.9, True),  # 3 members need 24 m2
        (ND07, "D22_HOUSING_AREA", 24, False),
        (QD59, "D16_HOUSING_AREA", 0, True),
        (QD59, "D16_HOUSING_AREA", 30.5, False),
    ],
)
def test_derive_housing_area_per_person(
    standard: Any, code: str, area: float, expected: bool
) -> None:
    derived = standard.derive_indicators([ADULT, ADULT, ADULT], housing_area_m2=area)
    assert derived[code] is expected


@pytest.mark.parametrize(("structures", "expected"), [(0, False), (1, False), (2, True), (3, True)])
def test_derive_housing_quality(structures: int, expected: bool) -> None:
    derived = ND07.derive_indicators([ADULT], non_durable_main_structures=structures)
    assert derived["D22_HOUSING_QUALITY"] is expected


def test_unrecorded_data_leaves_indicator_out() -> None:
    derived = ND07.derive_indicators([MemberFacts(age=None, has_health_insurance=False)])
    assert set(derived) == set()


def test_known_deprivation_decides_despite_unknown_members() -> None:
    members = [MemberFacts(), MemberFacts(age=8, has_health_insurance=False)]
    assert ND07.derive_indicators(members) == {"D22_HEALTH_INSURANCE": True}


@pytest.mark.parametrize(
    ("standard", "derivable"),
    [
        (QD59, {"D16_HEALTH_INSURANCE", "D16_CHILD_SCHOOL_ATTENDANCE", "D16_HOUSING_AREA"}),
        (
            ND07,
            {
                "D22_EMPLOYMENT",
                "D22_DEPENDANTS",
                "D22_NUTRITION",
                "D22_HEALTH_INSURANCE",
                "D22_ADULT_EDUCATION",
                "D22_CHILD_SCHOOL_ATTENDANCE",
                "D22_HOUSING_QUALITY",
                "D22_HOUSING_AREA",
            },
        ),
        (ND351, {"D27_EMPLOYMENT", "D27_DEPENDANTS", "D27_NUTRITION"}),
    ],
    ids=["QD59", "ND07", "ND351"],
)
def test_fully_recorded_household_derives_exactly_the_derivable_indicators(
    standard: Any, derivable: set[str]
) -> None:
    derived = standard.derive_indicators([ADULT], housing_area_m2=50, non_durable_main_structures=0)
    assert (set(derived), {i.code for i in standard.indicators if i.derivable}) == (
        derivable,
        derivable,
    )


@pytest.mark.parametrize(
    ("members", "kwargs", "field"),
    [
        ([], {}, "members"),
        ([{"age": 3}], {}, "members"),
        ([ADULT], {"housing_area_m2": -1}, "housing_area_m2"),
        ([ADULT], {"housing_area_m2": float("nan")}, "housing_area_m2"),
        ([ADULT], {"non_durable_main_structures": 4}, "non_durable_main_structures"),
    ],
)
def test_derive_indicators_validation(
    members: list[Any], kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(StandardError) as error:
        ND07.derive_indicators(members, **kwargs)
    assert error.value.field == field


def test_compare_derived_reports_each_disagreement_in_catalogue_order() -> None:
    derived = {"D22_HOUSING_AREA": False, "D22_HEALTH_INSURANCE": True, "D22_NUTRITION": False}
    ticked = frozenset({"D22_HOUSING_AREA", "D22_WATER_SOURCE"})
    assert ND07.compare_derived(derived, ticked) == (
        Disagreement("D22_HEALTH_INSURANCE", True, False, "Bảo hiểm y tế", "Health insurance"),
        Disagreement(
            "D22_HOUSING_AREA",
            False,
            True,
            "Diện tích nhà ở bình quân đầu người",
            "Housing area per person",
        ),
    )


def test_compare_derived_agreeing_values_report_nothing() -> None:
    child = adult(age=8, has_health_insurance=False, in_school=True, school_level_matches_age=True)
    derived = ND07.derive_indicators([ADULT, child], housing_area_m2=100)
    assert ND07.compare_derived(derived, {"D22_HEALTH_INSURANCE"}) == ()


@pytest.mark.parametrize(
    ("derived", "ticked", "field"),
    [
        ({}, {"D16_HOUSING_AREA"}, "deprivations"),
        ({"D16_HOUSING_AREA": True}, set(), "derived"),
    ],
)
def test_compare_derived_refuses_foreign_codes(
    derived: dict[str, bool], ticked: set[str], field: str
) -> None:
    with pytest.raises(StandardError) as error:
        ND07.compare_derived(derived, ticked)
    assert error.value.field == field


def test_three_valued_and_or_over_every_combination():
    """Kleene's logic: False absorbs an and, True absorbs an or, else unknown wins."""
    from itertools import product

    from policies.standards.derive import tri_and, tri_or

    for size in range(4):
        for values in product((True, False, None), repeat=size):
            expect_and = (
                False if False in values else None if None in values else True
            )  # fmt: skip
            expect_or = True if True in values else None if None in values else False
            assert tri_and(*values) is expect_and, values
            assert tri_or(*values) is expect_or, values
