"""Table-driven tests of each standard's classification: every branch and every boundary,
rural and urban, measured income and survey scores, and the explanations."""

from __future__ import annotations

import pytest

from policies.standards import (
    AreaType,
    Classification,
    HouseholdFacts,
    Standard,
    get_standard,
)

POOR = Classification.POOR
NEAR = Classification.NEAR_POOR
MIDDLE = Classification.MIDDLE_INCOME
NOT = Classification.NOT_POOR
RURAL = AreaType.RURAL
URBAN = AreaType.URBAN

QD59 = get_standard("QD59-2015")
ND07 = get_standard("ND07-2021")
ND351 = get_standard("ND351-2025")


def first(standard: Standard, count: int) -> frozenset[str]:
    """The first ``count`` indicator codes of ``standard``."""
    return frozenset(i.code for i in standard.indicators[:count])


# (area, income, deprivations, expected, line applied)
QD59_INCOME = [
    (RURAL, 0, 0, POOR, 700_000),
    (RURAL, 700_000, 0, POOR, 700_000),  # income-only branch, exactly at the line
    (RURAL, 700_000, 10, POOR, 700_000),
    (RURAL, 700_001, 3, POOR, 1_000_000),
    (RURAL, 700_001, 2, NEAR, 1_000_000),
    (RURAL, 1_000_000, 3, POOR, 1_000_000),
    (RURAL, 1_000_000, 2, NEAR, 1_000_000),
    (RURAL, 1_000_000, 0, NEAR, 1_000_000),
    (RURAL, 1_000_001, 3, MIDDLE, 1_500_000),
    (RURAL, 1_500_000, 10, MIDDLE, 1_500_000),
    (RURAL, 1_500_001, 10, NOT, 1_500_000),
    (URBAN, 800_000, 0, POOR, 900_000),  # rural 800,000 would be near-poor
    (URBAN, 900_000, 0, POOR, 900_000),
    (URBAN, 900_001, 3, POOR, 1_300_000),
    (URBAN, 900_001, 2, NEAR, 1_300_000),
    (URBAN, 1_300_000, 3, POOR, 1_300_000),
    (URBAN, 1_300_000, 2, NEAR, 1_300_000),
    (URBAN, 1_300_001, 3, MIDDLE, 1_950_000),
    (URBAN, 1_950_000, 0, MIDDLE, 1_950_000),
    (URBAN, 1_950_001, 10, NOT, 1_950_000),
]

# (area, B1 score, deprivations, expected, cut-off applied)
QD59_SCORE = [
    (RURAL, 0, 0, POOR, 120),
    (RURAL, 120, 0, POOR, 120),
    (RURAL, 121, 3, POOR, 150),
    (RURAL, 121, 2, NEAR, 150),
    (RURAL, 150, 3, POOR, 150),
    (RURAL, 150, 2, NEAR, 150),
    (RURAL, 151, 10, NOT, 150),
    (URBAN, 130, 0, POOR, 140),  # rural 130 would need deprivations
    (URBAN, 140, 0, POOR, 140),
    (URBAN, 141, 3, POOR, 175),
    (URBAN, 141, 2, NEAR, 175),
    (URBAN, 175, 3, POOR, 175),
    (URBAN, 175, 2, NEAR, 175),
    (URBAN, 176, 10, NOT, 175),
]

ND07_INCOME = [
    (RURAL, 0, 0, NEAR, 1_500_000),  # no income-only branch from 2022
    (RURAL, 700_000, 2, NEAR, 1_500_000),
    (RURAL, 1_500_000, 3, POOR, 1_500_000),
    (RURAL, 1_500_000, 2, NEAR, 1_500_000),
    (RURAL, 1_500_001, 3, MIDDLE, 2_250_000),
    (RURAL, 2_250_000, 12, MIDDLE, 2_250_000),
    (RURAL, 2_250_001, 12, NOT, 2_250_000),
    (URBAN, 1_800_000, 3, POOR, 2_000_000),  # rural 1,800,000 would be middle-income
    (URBAN, 2_000_000, 3, POOR, 2_000_000),
    (URBAN, 2_000_000, 2, NEAR, 2_000_000),
    (URBAN, 2_000_001, 3, MIDDLE, 3_000_000),
    (URBAN, 3_000_000, 0, MIDDLE, 3_000_000),
    (URBAN, 3_000_001, 12, NOT, 3_000_000),
]

ND07_SCORE = [
    (RURAL, 0, 0, NEAR, 140),
    (RURAL, 140, 3, POOR, 140),
    (RURAL, 140, 2, NEAR, 140),
    (RURAL, 141, 3, NOT, 140),
    (URBAN, 150, 3, POOR, 175),
    (URBAN, 175, 3, POOR, 175),
    (URBAN, 175, 2, NEAR, 175),
    (URBAN, 176, 12, NOT, 175),
]

ND351_INCOME = [
    (RURAL, 1_900_000, 0, NEAR, 2_200_000),  # the draft's 1.9 million floor was dropped
    (RURAL, 2_200_000, 3, POOR, 2_200_000),
    (RURAL, 2_200_000, 2, NEAR, 2_200_000),
    (RURAL, 2_200_001, 3, NOT, 2_200_000),  # no middle-income band known
    (URBAN, 2_500_000, 3, POOR, 2_800_000),
    (URBAN, 2_800_000, 3, POOR, 2_800_000),
    (URBAN, 2_800_000, 2, NEAR, 2_800_000),
    (URBAN, 2_800_001, 12, NOT, 2_800_000),
]

INCOME_CASES = [
    pytest.param(s, area, income, n, expected, line, id=f"{s.code}-{area}-{income}-{n}dep")
    for s, table in ((QD59, QD59_INCOME), (ND07, ND07_INCOME), (ND351, ND351_INCOME))
    for area, income, n, expected, line in table
]
SCORE_CASES = [
    pytest.param(s, area, score, n, expected, line, id=f"{s.code}-{area}-B1={score}-{n}dep")
    for s, table in ((QD59, QD59_SCORE), (ND07, ND07_SCORE))
    for area, score, n, expected, line in table
]


@pytest.mark.parametrize(("standard", "area", "income", "count", "expected", "line"), INCOME_CASES)
def test_classify_by_income(
    standard: Standard,
    area: AreaType,
    income: int,
    count: int,
    expected: Classification,
    line: int,
) -> None:
    facts = HouseholdFacts(area, income_per_capita=income, deprivations=first(standard, count))
    verdict = standard.classify(facts)
    assert (verdict.classification, verdict.line) == (expected, line)


@pytest.mark.parametrize(("standard", "area", "score", "count", "expected", "line"), SCORE_CASES)
def test_classify_by_score(
    standard: Standard,
    area: AreaType,
    score: int,
    count: int,
    expected: Classification,
    line: int,
) -> None:
    facts = HouseholdFacts(area, b1_score=score, deprivations=first(standard, count))
    verdict = standard.classify(facts)
    assert (verdict.classification, verdict.line, verdict.b2_score) == (expected, line, 10 * count)


def test_verdict_records_inputs_and_deprivations_in_catalogue_order() -> None:
    ticked = frozenset({"D22_WATER_SOURCE", "D22_EMPLOYMENT", "D22_HEALTH_INSURANCE"})
    verdict = ND07.classify(
        HouseholdFacts("rural", income_per_capita=1_200_000, deprivations=ticked)
    )
    assert verdict.standard_code == "ND07-2021"
    assert verdict.area_type is AreaType.RURAL
    assert verdict.income_per_capita == 1_200_000
    assert verdict.b1_score is None
    assert verdict.scored is False
    assert verdict.deprived == ("D22_EMPLOYMENT", "D22_HEALTH_INSURANCE", "D22_WATER_SOURCE")
    assert verdict.deprivation_count == 3
    assert verdict.b2_score == 30
    assert verdict.line_key == "rural_poverty_line"
    assert verdict.unconfirmed == ()
    assert verdict.overridden == ()


def test_verdict_is_frozen() -> None:
    verdict = ND07.classify(HouseholdFacts("urban", income_per_capita=1))
    with pytest.raises(AttributeError):
        verdict.classification = Classification.NOT_POOR  # type: ignore[misc]


def test_area_type_accepts_its_string_value() -> None:
    facts = HouseholdFacts("urban", income_per_capita=1)
    assert facts.area_type is AreaType.URBAN


@pytest.mark.parametrize(
    ("standard", "facts", "unconfirmed"),
    [
        pytest.param(
            QD59, HouseholdFacts("rural", income_per_capita=800_000), (), id="qd59-income"
        ),
        pytest.param(
            QD59,
            HouseholdFacts("rural", b1_score=130),
            ("b2_points_per_indicator",),
            id="qd59-score-uses-inferred-points",
        ),
        pytest.param(ND07, HouseholdFacts("urban", b1_score=130), (), id="nd07-score"),
        pytest.param(
            ND351, HouseholdFacts("rural", income_per_capita=2_000_000), (), id="nd351-below-line"
        ),
        pytest.param(
            ND351,
            HouseholdFacts("urban", income_per_capita=2_900_000),
            ("urban_middle_income_upper",),
            id="nd351-above-line-band-unknown",
        ),
    ],
)
def test_verdict_lists_unconfirmed_parameters_it_relied_on(
    standard: Standard, facts: HouseholdFacts, unconfirmed: tuple[str, ...]
) -> None:
    assert standard.classify(facts).unconfirmed == unconfirmed


# --- explanations ----------------------------------------------------------------------------


def test_explanation_vi_names_income_line_area_and_each_deprivation() -> None:
    ticked = frozenset({"D22_EMPLOYMENT", "D22_HEALTH_INSURANCE", "D22_WATER_SOURCE"})
    verdict = ND07.classify(
        HouseholdFacts("rural", income_per_capita=1_200_000, deprivations=ticked)
    )
    assert verdict.explanation_vi == (
        "Thu nhập bình quân 1.200.000 đồng/người/tháng, không vượt chuẩn nghèo khu vực nông thôn "
        "1.500.000 đồng; thiếu hụt 3 chỉ số (từ 3 chỉ số trở lên): Việc làm; Bảo hiểm y tế; "
        "Nguồn nước sinh hoạt. Kết luận: hộ nghèo theo Nghị định 07/2021/NĐ-CP, khu vực nông thôn. "
        "Lưu ý: kết quả dựa trên chỉ số có định nghĩa chưa được xác nhận: Việc làm; Bảo hiểm y tế."
    )


def test_explanation_en_names_income_line_area_and_each_deprivation() -> None:
    ticked = frozenset({"D22_EMPLOYMENT", "D22_HEALTH_INSURANCE", "D22_WATER_SOURCE"})
    verdict = ND07.classify(
        HouseholdFacts("rural", income_per_capita=1_200_000, deprivations=ticked)
    )
    assert verdict.explanation_en == (
        "Income per person 1,200,000 VND/month, not above the rural poverty line of 1,500,000 VND; "
        "deprived in 3 indicators (3 or more): Employment; Health insurance; Domestic water "
        "source. Result: poor household under Decree 07/2021/ND-CP, rural area. Note: the result "
        "relies on indicators whose definitions are not confirmed: Employment; Health insurance."
    )


def test_explanation_of_income_only_poverty_says_deprivations_do_not_count() -> None:
    verdict = QD59.classify(
        HouseholdFacts("urban", income_per_capita=650_000, deprivations={"D16_HOUSING_AREA"})
    )
    assert verdict.explanation_vi == (
        "Thu nhập bình quân 650.000 đồng/người/tháng, không vượt chuẩn nghèo khu vực thành thị "
        "900.000 đồng; thiếu hụt 1 chỉ số: Diện tích nhà ở bình quân đầu người. Hộ nghèo theo "
        "tiêu chí thu nhập, không xét số chỉ số thiếu hụt. Kết luận: hộ nghèo theo Quyết định "
        "59/2015/QĐ-TTg, khu vực thành thị."
    )


def test_explanation_between_two_lines_names_both() -> None:
    verdict = QD59.classify(HouseholdFacts("rural", income_per_capita=850_000))
    assert verdict.explanation_en.startswith(
        "Income per person 850,000 VND/month, above the rural poverty line of 700,000 VND and "
        "not above the rural near-poverty line of 1,000,000 VND; no deprivations (fewer than 3)."
    )


def test_explanation_of_scores_names_cut_off_and_b2() -> None:
    ticked = first(ND07, 3)
    verdict = ND07.classify(HouseholdFacts("urban", b1_score=170, deprivations=ticked))
    assert verdict.explanation_vi.startswith(
        "Điểm B1 170 điểm, không vượt ngưỡng điểm B1 tương ứng chuẩn nghèo khu vực thành thị "
        "175 điểm; điểm B2 30 điểm, thiếu hụt 3 chỉ số (từ 3 chỉ số trở lên): "
    )


def test_explanation_above_score_cut_off_says_middle_income_needs_measured_income() -> None:
    verdict = ND07.classify(HouseholdFacts("rural", b1_score=200))
    assert "only be determined from measured income" in verdict.explanation_en


def test_explanation_of_nd351_uses_do_thi_for_urban() -> None:
    verdict = ND351.classify(HouseholdFacts("urban", income_per_capita=2_000_000))
    assert "chuẩn nghèo khu vực đô thị 2.800.000 đồng" in verdict.explanation_vi


def test_explanation_marks_unconfirmed_number_in_both_languages() -> None:
    verdict = ND351.classify(HouseholdFacts("rural", income_per_capita=2_500_000))
    assert "(chưa xác nhận)" in verdict.explanation_vi
    assert "(unconfirmed)" in verdict.explanation_en
    assert "rural_middle_income_upper" in verdict.explanation_en


CONFIRMED_ND07 = frozenset({"D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE", "D22_HOUSING_AREA"})


@pytest.mark.parametrize(
    ("standard", "facts", "unsure"),
    [
        # Poor on the deprivation count, two of the three definitions unconfirmed.
        (
            ND07,
            HouseholdFacts(
                "rural",
                income_per_capita=1_200_000,
                deprivations={"D22_EMPLOYMENT", "D22_HEALTH_INSURANCE", "D22_WATER_SOURCE"},
            ),
            ("D22_EMPLOYMENT", "D22_HEALTH_INSURANCE"),
        ),
        # Near-poor: the count (below 3) still decided, and it counted an unconfirmed one.
        (
            ND07,
            HouseholdFacts("urban", b1_score=170, deprivations={"D22_TELECOM_USE"}),
            ("D22_TELECOM_USE",),
        ),
        # Every counted definition is confirmed.
        (
            ND07,
            HouseholdFacts("rural", income_per_capita=1_200_000, deprivations=CONFIRMED_ND07),
            (),
        ),
        # Above the near-poverty line the deprivations do not count.
        (
            ND07,
            HouseholdFacts("rural", income_per_capita=3_000_000, deprivations={"D22_EMPLOYMENT"}),
            (),
        ),
        # Poor on income alone (2016-2021): the deprivations do not count.
        (
            QD59,
            HouseholdFacts("rural", income_per_capita=600_000, deprivations=first(QD59, 2)),
            (),
        ),
    ],
    ids=["poor", "near-poor", "all-confirmed", "income-above", "income-only"],
)
def test_verdict_lists_the_unconfirmed_indicators_its_count_relied_on(
    standard: Standard, facts: HouseholdFacts, unsure: tuple[str, ...]
) -> None:
    assert standard.classify(facts).unconfirmed_indicators == unsure


def test_explanation_says_an_unconfirmed_indicator_definition_is_not_confirmed() -> None:
    facts = HouseholdFacts("urban", b1_score=170, deprivations={"D22_TELECOM_USE"})
    verdict = ND07.classify(facts)
    assert verdict.explanation_vi.endswith(
        "Lưu ý: kết quả dựa trên chỉ số có định nghĩa chưa được xác nhận: "
        "Sử dụng dịch vụ viễn thông."
    )
    assert verdict.explanation_en.endswith(
        "Note: the result relies on an indicator whose definition is not confirmed: "
        "Use of telecommunication services."
    )


def test_explanation_of_confirmed_indicators_has_no_such_note() -> None:
    verdict = ND07.classify(
        HouseholdFacts("rural", income_per_capita=1_200_000, deprivations=CONFIRMED_ND07)
    )
    assert ("định nghĩa" in verdict.explanation_vi, "definition" in verdict.explanation_en) == (
        False,
        False,
    )


@pytest.mark.parametrize("standard", [QD59, ND07, ND351], ids=lambda s: s.code)
def test_explanation_names_every_deprived_indicator(standard: Standard) -> None:
    every = frozenset(i.code for i in standard.indicators)
    verdict = standard.classify(HouseholdFacts("rural", income_per_capita=1, deprivations=every))
    assert [i.name_vi in verdict.explanation_vi for i in standard.indicators] == [True] * len(every)
    assert [i.name_en in verdict.explanation_en for i in standard.indicators] == [True] * len(every)


@pytest.mark.parametrize(
    ("lang", "expected_start"),
    [("vi", "Thu nhập"), ("en", "Income"), ("en-US", "Income"), ("VI_vn", "Thu nhập")],
)
def test_explanation_by_language(lang: str, expected_start: str) -> None:
    verdict = ND07.classify(HouseholdFacts("rural", income_per_capita=1))
    assert verdict.explanation(lang).startswith(expected_start)
