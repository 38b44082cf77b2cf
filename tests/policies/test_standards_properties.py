"""Properties every standard must keep, checked with hypothesis: more income never makes a
household poorer, one more deprivation never makes it less poor (poor > near-poor >
middle-income > not poor), and the verdict always quotes the line it applied."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policies.standards import (
    AreaType,
    HouseholdFacts,
    Standard,
    all_standards,
    compare_standards,
    format_vnd,
    get_standard,
)

standards = st.sampled_from(all_standards())
scored_standards = st.sampled_from([get_standard("QD59-2015"), get_standard("ND07-2021")])
areas = st.sampled_from(list(AreaType))
incomes = st.integers(min_value=0, max_value=6_000_000)
scores = st.integers(min_value=0, max_value=400)


def deprivations(standard: Standard) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from([i.code for i in standard.indicators]))


@given(standard=standards, area=areas, low=incomes, extra=incomes, data=st.data())
def test_more_income_never_makes_a_household_poorer(
    standard: Standard, area: AreaType, low: int, extra: int, data: st.DataObject
) -> None:
    ticked = data.draw(deprivations(standard))
    poorer = standard.classify(HouseholdFacts(area, income_per_capita=low, deprivations=ticked))
    richer = standard.classify(
        HouseholdFacts(area, income_per_capita=low + extra, deprivations=ticked)
    )
    assert richer.classification.severity <= poorer.classification.severity


@given(standard=scored_standards, area=areas, low=scores, extra=scores, data=st.data())
def test_higher_b1_score_never_makes_a_household_poorer(
    standard: Standard, area: AreaType, low: int, extra: int, data: st.DataObject
) -> None:
    ticked = data.draw(deprivations(standard))
    poorer = standard.classify(HouseholdFacts(area, b1_score=low, deprivations=ticked))
    richer = standard.classify(HouseholdFacts(area, b1_score=low + extra, deprivations=ticked))
    assert richer.classification.severity <= poorer.classification.severity


@given(standard=standards, area=areas, income=incomes, data=st.data())
def test_one_more_deprivation_never_makes_a_household_less_poor(
    standard: Standard, area: AreaType, income: int, data: st.DataObject
) -> None:
    ticked = data.draw(deprivations(standard))
    extra = data.draw(st.sampled_from([i.code for i in standard.indicators]))
    before = standard.classify(HouseholdFacts(area, income_per_capita=income, deprivations=ticked))
    after = standard.classify(
        HouseholdFacts(area, income_per_capita=income, deprivations=ticked | {extra})
    )
    assert after.classification.severity >= before.classification.severity


@given(standard=standards, area=areas, income=incomes, data=st.data())
def test_verdict_quotes_its_line_and_counts_its_deprivations(
    standard: Standard, area: AreaType, income: int, data: st.DataObject
) -> None:
    ticked = data.draw(deprivations(standard))
    verdict = standard.classify(HouseholdFacts(area, income_per_capita=income, deprivations=ticked))
    assert format_vnd(verdict.line, "vi") + " đồng" in verdict.explanation_vi
    assert format_vnd(verdict.line, "en") + " VND" in verdict.explanation_en
    assert (verdict.deprivation_count, verdict.b2_score) == (len(ticked), 10 * len(ticked))


@given(st.lists(st.tuples(areas, incomes, st.integers(min_value=0, max_value=10)), max_size=30))
def test_comparison_moves_in_equal_moves_out(rows: list[tuple[AreaType, int, int]]) -> None:
    old, new = get_standard("QD59-2015"), get_standard("ND07-2021")
    codes = [i.code for i in old.indicators]
    households = [
        HouseholdFacts(area, income_per_capita=income, deprivations=frozenset(codes[:n]))
        for area, income, n in rows
    ]
    comparison = compare_standards(households, old, new)
    assert sum(f.move_in for f in comparison.flows) == sum(f.move_out for f in comparison.flows)
    assert sum(f.old_count for f in comparison.flows) == len(households)
    assert sum(f.new_count for f in comparison.flows) == len(households)
