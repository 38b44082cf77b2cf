"""The fast path for bulk work (``Standard.bulk``): exactly the verdict of ``classify`` less its
prose, for every standard, near every line, with and without overrides, and the same refusal
for every input ``classify`` refuses."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.standards import (
    MAX_B1_SCORE,
    AreaType,
    BulkVerdict,
    Classification,
    HouseholdFacts,
    Standard,
    StandardError,
    all_standards,
    explanations,
    get_standard,
)

QD59 = get_standard("QD59-2015")
ND07 = get_standard("ND07-2021")
ND351 = get_standard("ND351-2025")

# Override sets each standard accepts: none; lines raised (a local standard); unconfirmed or
# unknown numbers supplied (ND351's middle-income band and B1 cut-offs).
OVERRIDES: dict[str, tuple[Mapping[str, int] | None, ...]] = {
    "QD59-2015": (
        None,
        {"rural_near_poverty_line": 1_100_000, "urban_poverty_line": 1_000_000},
        {"b2_points_per_indicator": 15},
    ),
    "ND07-2021": (None, {"rural_poverty_line": 1_800_000, "urban_middle_income_upper": 3_500_000}),
    "ND351-2025": (
        None,
        {
            "rural_middle_income_upper": 3_300_000,
            "urban_middle_income_upper": 4_000_000,
            "rural_b1_poverty_cutoff": 160,
            "urban_b1_poverty_cutoff": 190,
        },
    ),
}
# One classifier per standard and override set, shared by all examples, so that most verdicts
# come from its tables (filled by earlier examples with other values of the same interval).
CLASSIFIERS = {
    (standard.code, index): standard.bulk(overrides)
    for standard in all_standards()
    for index, overrides in enumerate(OVERRIDES[standard.code])
}


def _lines(standard: Standard, overrides: Mapping[str, int] | None) -> list[int]:
    """Every line and cut-off of the standard with these overrides, read from the standard."""
    values = standard._resolve(overrides).values
    return [
        value
        for area in AreaType
        for band in standard.income_bands + standard.score_bands
        if (value := values[band.key(area)]) is not None
    ]


def _outcome(func):
    """The verdict, or the refusal as (field, message)."""
    try:
        return func()
    except StandardError as error:
        return (error.field, error.message)


def _normal(standard, overrides, area, income, b1, ticked):
    facts = HouseholdFacts(area, income_per_capita=income, b1_score=b1, deprivations=ticked)
    return BulkVerdict.of(standard.classify(facts, overrides=overrides))


@st.composite
def cases(draw):
    standard = draw(st.sampled_from(all_standards()))
    index = draw(st.integers(0, len(OVERRIDES[standard.code]) - 1))
    overrides = OVERRIDES[standard.code][index]
    line = draw(st.sampled_from(_lines(standard, overrides)))
    value = max(0, line + draw(st.integers(-3, 3) | st.integers(-line, 2 * line)))
    scored = draw(st.booleans())
    codes = [indicator.code for indicator in standard.indicators]
    ticked = draw(st.frozensets(st.sampled_from(codes), max_size=7))
    area = draw(st.sampled_from([*AreaType, "rural", "urban"]))
    return standard, index, overrides, area, scored, value, ticked


@settings(max_examples=300, deadline=None)
@given(case=cases(), as_list=st.booleans())
def test_bulk_verdict_equals_the_normal_verdict_near_every_line(case, as_list: bool) -> None:
    standard, index, overrides, area, scored, value, ticked = case
    income, b1 = (None, value) if scored else (value, None)
    given_ticked = sorted(ticked) if as_list else ticked
    fast = _outcome(
        lambda: CLASSIFIERS[(standard.code, index)].classify(area, income, b1, given_ticked)
    )
    normal = _outcome(lambda: _normal(standard, overrides, area, income, b1, ticked))
    assert fast == normal


@settings(max_examples=100, deadline=None)
@given(
    standard=st.sampled_from(all_standards()),
    area=st.sampled_from(list(AreaType)),
    data=st.data(),
)
def test_every_value_between_two_lines_gets_the_verdict_of_the_first(
    standard: Standard, area: AreaType, data: st.DataObject
) -> None:
    bulk = standard.bulk()
    lines = [0, *sorted(_lines(standard, None)), 10_000_000]
    low, high = data.draw(st.sampled_from(list(itertools.pairwise(lines))))
    first, second = (data.draw(st.integers(low + 1, high)) for _ in range(2))
    codes = [indicator.code for indicator in standard.indicators]
    ticked = data.draw(st.frozensets(st.sampled_from(codes)))
    bulk.classify(area, first, None, ticked)  # fills the table for this interval
    assert bulk.classify(area, second, None, ticked) == _normal(
        standard, None, area, second, None, ticked
    )


def test_bulk_verdict_is_shared_not_rebuilt() -> None:
    bulk = ND07.bulk()
    first = bulk.classify("rural", 1_000_000, None, ["D22_EMPLOYMENT"])
    assert bulk.classify("rural", 1_200_000, None, frozenset({"D22_EMPLOYMENT"})) is first


def test_bulk_verdict_of_a_poor_household() -> None:
    verdict = ND07.bulk().classify(
        "urban", 1_900_000, None, ["D22_WATER_SOURCE", "D22_EMPLOYMENT", "D22_NUTRITION"]
    )
    assert verdict == BulkVerdict(
        classification=Classification.POOR,
        standard_code="ND07-2021",
        line=2_000_000,
        line_key="urban_poverty_line",
        deprived=("D22_EMPLOYMENT", "D22_NUTRITION", "D22_WATER_SOURCE"),
        deprivation_count=3,
        b2_score=30,
        unconfirmed=(),
        unconfirmed_indicators=("D22_EMPLOYMENT",),
        overridden=(),
    )


def test_reasons_have_the_keys_of_the_stored_reasons() -> None:
    verdict = QD59.bulk({"b2_points_per_indicator": 15}).classify(
        "rural", None, 130, ["D16_HEALTH_INSURANCE"]
    )
    assert verdict.reasons() == {
        "standard_code": "QD59-2015",
        "line": 150,
        "line_key": "rural_b1_near_poverty_cutoff",
        "deprived": ["D16_HEALTH_INSURANCE"],
        "deprivation_count": 1,
        "b2_score": 15,
        "unconfirmed": [],
        "unconfirmed_indicators": ["D16_HEALTH_INSURANCE"],
        "overridden": ["b2_points_per_indicator"],
    }


def test_reasons_are_a_new_dict_each_time() -> None:
    verdict = ND07.bulk().classify("rural", 0, None, ["D22_EMPLOYMENT"])
    verdict.reasons()["deprived"].append("changed")
    assert verdict.reasons()["deprived"] == ["D22_EMPLOYMENT"]


def test_explanations_render_the_prose_of_the_normal_path() -> None:
    facts = HouseholdFacts("rural", income_per_capita=1_234_000, deprivations={"D22_NUTRITION"})
    verdict = ND07.classify(facts)
    assert explanations(
        ND07, area_type="rural", income_per_capita=1_234_000, deprivations=["D22_NUTRITION"]
    ) == (verdict.explanation_vi, verdict.explanation_en)


# Inputs classify() refuses, each tried after a valid household (area, income, B1 score,
# indicators) of the same interval has filled the table, so a cached verdict cannot mask it.
INCOME_SEEN = ("rural", 10, None, ["D22_EMPLOYMENT"])
SCORE_SEEN = ("rural", None, 10, ["D22_EMPLOYMENT"])
REFUSED = [
    pytest.param(ND07, INCOME_SEEN, ("rural", -1, None, ["D22_EMPLOYMENT"]), id="negative income"),
    pytest.param(ND07, INCOME_SEEN, ("rural", True, None, ["D22_EMPLOYMENT"]), id="bool income"),
    pytest.param(ND07, INCOME_SEEN, ("rural", 1.5, None, ["D22_EMPLOYMENT"]), id="float income"),
    pytest.param(ND07, INCOME_SEEN, ("rural", None, None, ["D22_EMPLOYMENT"]), id="neither"),
    pytest.param(ND07, SCORE_SEEN, ("rural", 10, 10, ["D22_EMPLOYMENT"]), id="both inputs"),
    pytest.param(ND07, SCORE_SEEN, ("rural", None, -1, ["D22_EMPLOYMENT"]), id="negative score"),
    pytest.param(
        ND07, SCORE_SEEN, ("rural", None, MAX_B1_SCORE + 1, ["D22_EMPLOYMENT"]), id="score high"
    ),
    pytest.param(ND07, INCOME_SEEN, ("suburban", 10, None, ["D22_EMPLOYMENT"]), id="unknown area"),
    pytest.param(ND07, INCOME_SEEN, (["rural"], 10, None, ["D22_EMPLOYMENT"]), id="list area"),
    pytest.param(ND07, INCOME_SEEN, ("rural", 10, None, ["D16_HOUSING_AREA"]), id="other code"),
    pytest.param(ND07, INCOME_SEEN, ("rural", 10, None, "D22_EMPLOYMENT"), id="one string"),
    pytest.param(ND07, INCOME_SEEN, ("rural", 10, None, [["D22_EMPLOYMENT"]]), id="list code"),
    pytest.param(ND07, INCOME_SEEN, ("rural", 10, None, 7), id="not a collection"),
    pytest.param(ND351, INCOME_SEEN, ("urban", None, 10, ["D27_NUTRITION"]), id="no cut-off"),
]


@pytest.mark.parametrize(("standard", "seen", "refused"), REFUSED)
def test_bulk_path_refuses_what_classify_refuses(standard, seen, refused) -> None:
    bulk = standard.bulk()
    area, income, b1, _ticked = seen
    bulk.classify(area, income, b1, [f"{standard.indicator_prefix}EMPLOYMENT"])
    with pytest.raises(StandardError) as fast:
        bulk.classify(*refused)
    with pytest.raises(StandardError) as normal:
        _normal(standard, None, *refused)
    assert (fast.value.field, fast.value.message) == (normal.value.field, normal.value.message)


def test_invalid_overrides_are_refused_when_compiling() -> None:
    with pytest.raises(StandardError, match="may only be raised"):
        ND07.bulk({"rural_poverty_line": 1_000_000})


def test_later_changes_to_the_overrides_given_do_not_reach_the_classifier() -> None:
    overrides = {"rural_poverty_line": 1_800_000}
    bulk = ND07.bulk(overrides)
    overrides["rural_poverty_line"] = 2_000_000
    verdict = bulk.classify("rural", 1_900_000, None, ())
    assert verdict.classification is Classification.MIDDLE_INCOME
