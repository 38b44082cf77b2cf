"""Invalid input is refused with a StandardError that names the field at fault."""

from __future__ import annotations

from typing import Any

import pytest

from policies.standards import (
    MAX_B1_SCORE,
    HouseholdFacts,
    MemberFacts,
    StandardError,
    get_standard,
)

ND07 = get_standard("ND07-2021")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        pytest.param(
            {"area_type": "rural", "income_per_capita": -1}, "income_per_capita", id="neg"
        ),
        pytest.param({"area_type": "rural"}, "income_per_capita", id="neither"),
        pytest.param(
            {"area_type": "rural", "income_per_capita": 1, "b1_score": 100}, "b1_score", id="both"
        ),
        pytest.param(
            {"area_type": "rural", "income_per_capita": 1.5}, "income_per_capita", id="float"
        ),
        pytest.param(
            {"area_type": "rural", "income_per_capita": True}, "income_per_capita", id="bool"
        ),
        pytest.param({"area_type": "rural", "b1_score": "120"}, "b1_score", id="score-str"),
        pytest.param({"area_type": "city", "income_per_capita": 1}, "area_type", id="area"),
        pytest.param(
            {"area_type": "rural", "income_per_capita": 1, "deprivations": "D22_NUTRITION"},
            "deprivations",
            id="deprivations-str",
        ),
        pytest.param(
            {"area_type": "rural", "income_per_capita": 1, "deprivations": {1, 2}},
            "deprivations",
            id="deprivations-int",
        ),
    ],
)
def test_household_facts_validation(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(StandardError) as error:
        HouseholdFacts(**kwargs)
    assert error.value.field == field


def test_unknown_indicator_code_is_refused_naming_it() -> None:
    facts = HouseholdFacts("rural", income_per_capita=1, deprivations={"D16_HEALTH_INSURANCE"})
    with pytest.raises(StandardError, match="D16_HEALTH_INSURANCE") as error:
        ND07.classify(facts)
    assert error.value.field == "deprivations"


@pytest.mark.parametrize("score", [-1, MAX_B1_SCORE + 1])
def test_b1_score_out_of_range_is_refused(score: int) -> None:
    with pytest.raises(StandardError) as error:
        ND07.classify(HouseholdFacts("rural", b1_score=score))
    assert error.value.field == "b1_score"


@pytest.mark.parametrize("score", [0, MAX_B1_SCORE])
def test_b1_score_at_range_ends_is_accepted(score: int) -> None:
    assert ND07.classify(HouseholdFacts("rural", b1_score=score)).b1_score == score


def test_scores_refused_where_the_cut_offs_are_unknown() -> None:
    with pytest.raises(StandardError, match="rural_b1_poverty_cutoff") as error:
        get_standard("ND351-2025").classify(HouseholdFacts("rural", b1_score=100))
    assert error.value.field == "b1_score"


def test_classify_refuses_other_objects() -> None:
    with pytest.raises(StandardError) as error:
        ND07.classify({"area_type": "rural", "income_per_capita": 1})  # type: ignore[arg-type]
    assert error.value.field == "facts"


def test_explanation_in_unknown_language_is_refused() -> None:
    verdict = ND07.classify(HouseholdFacts("rural", income_per_capita=1))
    with pytest.raises(StandardError) as error:
        verdict.explanation("fr")
    assert error.value.field == "lang"


def test_standard_error_is_a_value_error_and_reads_well() -> None:
    error = StandardError("cannot be negative", field="income_per_capita")
    assert isinstance(error, ValueError)
    assert str(error) == "income_per_capita: cannot be negative"
    assert error.message == "cannot be negative"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"age": -1}, "age"),
        ({"age": 151}, "age"),
        ({"age": 3.5}, "age"),
        ({"has_health_insurance": "yes"}, "has_health_insurance"),
        ({"in_school": 1}, "in_school"),
    ],
)
def test_member_facts_validation(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(StandardError) as error:
        MemberFacts(**kwargs)
    assert error.value.field == field
