"""Overrides: an administrator corrects an unconfirmed number, a province raises a line for
its local standard; lowering a national line or rewriting a confirmed rule is refused."""

from __future__ import annotations

from typing import Any

import pytest

from policies.standards import (
    Classification,
    HouseholdFacts,
    MemberFacts,
    StandardError,
    get_standard,
)

QD59 = get_standard("QD59-2015")
ND07 = get_standard("ND07-2021")
ND351 = get_standard("ND351-2025")


def test_supplying_unknown_middle_income_band_classifies_middle_income() -> None:
    facts = HouseholdFacts("rural", income_per_capita=3_000_000)
    verdict = ND351.classify(facts, overrides={"rural_middle_income_upper": 3_300_000})
    assert verdict.classification is Classification.MIDDLE_INCOME
    assert (verdict.line, verdict.unconfirmed) == (3_300_000, ())
    assert verdict.overridden == ("rural_middle_income_upper",)


def test_without_the_band_the_same_household_is_not_poor() -> None:
    verdict = ND351.classify(HouseholdFacts("rural", income_per_capita=3_000_000))
    assert verdict.classification is Classification.NOT_POOR


def test_supplying_unknown_score_cut_off_allows_scored_input() -> None:
    facts = HouseholdFacts("urban", b1_score=180, deprivations={"D27_NUTRITION"})
    verdict = ND351.classify(
        facts, overrides={"urban_b1_poverty_cutoff": 190, "b2_points_per_indicator": 10}
    )
    assert (verdict.classification, verdict.line) == (Classification.NEAR_POOR, 190)
    assert verdict.unconfirmed == ()


def test_unconfirmed_number_may_be_corrected_downwards() -> None:
    members = [MemberFacts(age=5, has_health_insurance=False)]
    derived = ND07.derive_indicators(members, overrides={"health_insurance_min_age": 5})
    assert derived["D22_HEALTH_INSURANCE"] is True


def test_corrected_number_is_no_longer_reported_unconfirmed() -> None:
    facts = HouseholdFacts("rural", b1_score=100)
    verdict = QD59.classify(facts, overrides={"b2_points_per_indicator": 10})
    assert (verdict.unconfirmed, verdict.overridden) == ((), ("b2_points_per_indicator",))


def test_local_standard_raising_the_line_makes_household_poor() -> None:
    facts = HouseholdFacts("rural", income_per_capita=1_700_000, deprivations=_three(ND07))
    national = ND07.classify(facts)
    local = ND07.classify(facts, overrides={"rural_poverty_line": 1_800_000})
    assert (national.classification, local.classification) == (
        Classification.MIDDLE_INCOME,
        Classification.POOR,
    )
    assert local.line == 1_800_000


def test_raised_line_is_marked_adjusted_in_explanations() -> None:
    facts = HouseholdFacts("rural", income_per_capita=1_700_000)
    verdict = ND07.classify(facts, overrides={"rural_poverty_line": 1_800_000})
    assert "1.800.000 đồng (đã điều chỉnh)" in verdict.explanation_vi
    assert "1,800,000 VND (adjusted)" in verdict.explanation_en


def test_override_equal_to_national_line_is_accepted() -> None:
    facts = HouseholdFacts("urban", income_per_capita=2_000_000)
    verdict = ND07.classify(facts, overrides={"urban_poverty_line": 2_000_000})
    assert verdict.classification is Classification.NEAR_POOR


@pytest.mark.parametrize(
    ("standard", "overrides", "message"),
    [
        pytest.param(
            ND07, {"rural_poverty_line": 1_400_000}, "only be raised", id="lower-income-line"
        ),
        pytest.param(
            QD59, {"urban_b1_poverty_cutoff": 130}, "only be raised", id="lower-score-cut-off"
        ),
        pytest.param(
            ND07, {"deprivation_cutoff": 2}, "confirmed national rule", id="confirmed-rule"
        ),
        pytest.param(ND07, {"nonexistent_line": 5}, "nonexistent_line", id="unknown-key"),
        pytest.param(ND07, {"rural_poverty_line": 0}, "positive", id="zero"),
        pytest.param(ND07, {"health_insurance_min_age": -6}, "positive", id="negative"),
        pytest.param(ND07, {"rural_poverty_line": 1.8e6}, "whole number", id="float"),
        pytest.param(ND07, {"employment_min_age": True}, "whole number", id="bool"),
        pytest.param(
            QD59,
            {"rural_poverty_line": 1_000_000},
            "rural_near_poverty_line",
            id="line-not-below-next",
        ),
        pytest.param(
            ND351,
            {"rural_middle_income_upper": 2_000_000},
            "rural_middle_income_upper",
            id="band-below-line",
        ),
        pytest.param(
            ND351, {"dependants_share_above_percent": 150}, "percentage", id="percent-over-100"
        ),
    ],
)
def test_invalid_override_is_refused(
    standard: Any, overrides: dict[str, Any], message: str
) -> None:
    facts = HouseholdFacts("rural", income_per_capita=1_000_000)
    with pytest.raises(StandardError, match=message) as error:
        standard.classify(facts, overrides=overrides)
    assert error.value.field == "overrides"


def test_overrides_must_be_a_mapping() -> None:
    facts = HouseholdFacts("rural", income_per_capita=1)
    with pytest.raises(StandardError) as error:
        ND07.classify(facts, overrides=[("rural_poverty_line", 2_000_000)])  # type: ignore[arg-type]
    assert error.value.field == "overrides"


def test_overrides_do_not_change_the_standard() -> None:
    facts = HouseholdFacts("rural", income_per_capita=1_700_000)
    ND07.classify(facts, overrides={"rural_poverty_line": 1_800_000})
    assert ND07.parameter("rural_poverty_line").value == 1_500_000


def _three(standard: Any) -> frozenset[str]:
    return frozenset(i.code for i in standard.indicators[:3])
