"""compare_standards: the same households under an old and a new standard, with deprivations
translated by indicator theme, counted per classification and as a transition matrix."""

from __future__ import annotations

import pytest

from policies.standards import (
    Classification,
    ClassificationFlow,
    HouseholdFacts,
    StandardError,
    compare_standards,
    get_standard,
    translate_deprivations,
)

POOR = Classification.POOR
NEAR = Classification.NEAR_POOR
MIDDLE = Classification.MIDDLE_INCOME
NOT = Classification.NOT_POOR

QD59 = get_standard("QD59-2015")
ND07 = get_standard("ND07-2021")
ND351 = get_standard("ND351-2025")

THREE_2016 = frozenset({"D16_HEALTH_INSURANCE", "D16_HOUSING_AREA", "D16_WATER_SOURCE"})

HOUSEHOLDS_2016 = [
    # poor on income alone in 2016; no deprivations, so near-poor in 2022
    HouseholdFacts("rural", income_per_capita=650_000),
    # 3 deprivations that all carry across: poor under both
    HouseholdFacts("rural", income_per_capita=800_000, deprivations=THREE_2016),
    # middle-income in 2016, below the 2022 line: near-poor
    HouseholdFacts("rural", income_per_capita=1_200_000),
    # middle-income in 2016, below the 2022 line with 3 deprivations: poor
    HouseholdFacts("rural", income_per_capita=1_400_000, deprivations=THREE_2016),
    # above the 2016 band, inside the 2022 band
    HouseholdFacts("urban", income_per_capita=2_500_000),
    HouseholdFacts("urban", income_per_capita=5_000_000),
    # access to health services has no 2022 counterpart: 3 deprivations become 2
    HouseholdFacts(
        "rural",
        income_per_capita=800_000,
        deprivations={"D16_HEALTH_SERVICE_ACCESS", "D16_HEALTH_INSURANCE", "D16_WATER_SOURCE"},
    ),
]


def test_transition_matrix() -> None:
    comparison = compare_standards(HOUSEHOLDS_2016, QD59, ND07)
    nonzero = {cell: n for cell, n in comparison.matrix.items() if n}
    assert nonzero == {
        (POOR, NEAR): 2,
        (POOR, POOR): 1,
        (MIDDLE, NEAR): 1,
        (MIDDLE, POOR): 1,
        (NOT, MIDDLE): 1,
        (NOT, NOT): 1,
    }


def test_matrix_has_every_cell_and_sums_to_total() -> None:
    comparison = compare_standards(HOUSEHOLDS_2016, QD59, ND07)
    assert (len(comparison.matrix), sum(comparison.matrix.values()), comparison.total) == (16, 7, 7)


@pytest.mark.parametrize(
    "flow",
    [
        ClassificationFlow(POOR, old_count=3, new_count=2, stay=1, move_in=1, move_out=2),
        ClassificationFlow(NEAR, old_count=0, new_count=3, stay=0, move_in=3, move_out=0),
        ClassificationFlow(MIDDLE, old_count=2, new_count=1, stay=0, move_in=1, move_out=2),
        ClassificationFlow(NOT, old_count=2, new_count=1, stay=1, move_in=0, move_out=1),
    ],
    ids=lambda flow: flow.classification.value,
)
def test_flow_per_classification(flow: ClassificationFlow) -> None:
    comparison = compare_standards(HOUSEHOLDS_2016, QD59, ND07)
    assert comparison.flow(flow.classification) == flow


def test_flows_are_listed_poor_first() -> None:
    comparison = compare_standards(HOUSEHOLDS_2016, QD59, ND07)
    assert [f.classification for f in comparison.flows] == [POOR, NEAR, MIDDLE, NOT]


def test_dropped_indicators_are_counted() -> None:
    comparison = compare_standards(HOUSEHOLDS_2016, QD59, ND07)
    assert dict(comparison.dropped) == {"D16_HEALTH_SERVICE_ACCESS": 1}


def test_comparison_names_both_standards() -> None:
    comparison = compare_standards([], ND07, ND351)
    assert (comparison.old_code, comparison.new_code, comparison.total) == (
        "ND07-2021",
        "ND351-2025",
        0,
    )


def test_nd07_to_nd351_raised_line_makes_middle_income_poor() -> None:
    facts = HouseholdFacts(
        "rural",
        income_per_capita=2_000_000,
        deprivations={"D22_EMPLOYMENT", "D22_NUTRITION", "D22_TELECOM_USE"},
    )
    comparison = compare_standards([facts], ND07, ND351)
    assert comparison.matrix[(MIDDLE, POOR)] == 1


def test_information_means_is_dropped_from_2027() -> None:
    facts = HouseholdFacts(
        "rural",
        income_per_capita=1_000_000,
        deprivations={"D22_EMPLOYMENT", "D22_NUTRITION", "D22_INFORMATION_MEANS"},
    )
    comparison = compare_standards([facts], ND07, ND351)
    assert (comparison.matrix[(POOR, NEAR)], dict(comparison.dropped)) == (
        1,
        {"D22_INFORMATION_MEANS": 1},
    )


def test_household_surveyed_under_both_is_compared_without_translation() -> None:
    old_facts = HouseholdFacts("urban", income_per_capita=2_500_000)
    new_facts = HouseholdFacts(
        "urban",
        income_per_capita=2_600_000,
        deprivations={"D27_WASTE_HANDLING", "D27_EMPLOYMENT", "D27_HOUSING_AREA"},
    )
    comparison = compare_standards([(old_facts, new_facts)], ND07, ND351)
    assert comparison.matrix[(MIDDLE, POOR)] == 1


def test_overrides_apply_to_each_side() -> None:
    facts = HouseholdFacts("rural", income_per_capita=2_500_000)
    comparison = compare_standards(
        [facts], ND07, ND351, new_overrides={"rural_middle_income_upper": 3_000_000}
    )
    assert comparison.matrix[(NOT, MIDDLE)] == 1


@pytest.mark.parametrize(
    ("codes", "old", "new", "expected"),
    [
        (
            {"D16_HEALTH_INSURANCE", "D16_TELECOM_USE", "D16_INFORMATION_ASSETS"},
            QD59,
            ND07,
            {"D22_HEALTH_INSURANCE", "D22_TELECOM_USE", "D22_INFORMATION_MEANS"},
        ),
        ({"D16_HEALTH_SERVICE_ACCESS"}, QD59, ND07, set()),
        (
            {"D22_TELECOM_USE", "D22_HYGIENIC_LATRINE", "D22_INFORMATION_MEANS"},
            ND07,
            ND351,
            {"D27_TELECOM_DIGITAL_USE", "D27_HYGIENIC_TOILET"},
        ),
        ({"D22_EMPLOYMENT", "D22_DEPENDANTS"}, ND07, QD59, set()),
    ],
)
def test_translate_deprivations(
    codes: set[str], old: object, new: object, expected: set[str]
) -> None:
    assert translate_deprivations(codes, old, new) == expected  # type: ignore[arg-type]


def test_compare_refuses_codes_of_another_standard() -> None:
    facts = HouseholdFacts("rural", income_per_capita=1, deprivations={"D22_NUTRITION"})
    with pytest.raises(StandardError) as error:
        compare_standards([facts], QD59, ND07)
    assert error.value.field == "deprivations"
