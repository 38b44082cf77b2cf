"""The registry: which standard sets which list year, review dates to list years, and the
catalogue invariants every standard must keep (stable codes, cited numbers, no Django)."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest

import policies.standards
from policies.standards import (
    StandardError,
    all_standards,
    get_standard,
    list_year_for_review_date,
    standard_for_list_year,
)


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2016, "QD59-2015"),
        (2020, "QD59-2015"),
        (2021, "QD59-2015"),
        (2022, "ND07-2021"),
        (2025, "ND07-2021"),
        (2026, "ND07-2021"),
        (2027, "ND351-2025"),
        (2030, "ND351-2025"),
    ],
)
def test_standard_for_list_year(year: int, code: str) -> None:
    assert standard_for_list_year(year).code == code


@pytest.mark.parametrize("year", [2015, 1990, "2024", 2024.0, True])
def test_standard_for_list_year_refuses_year_without_standard(year: object) -> None:
    with pytest.raises(StandardError) as error:
        standard_for_list_year(year)  # type: ignore[arg-type]
    assert error.value.field == "list_year"


@pytest.mark.parametrize(
    ("review_date", "list_year"),
    [
        (datetime.date(2025, 1, 15), 2025),
        (datetime.date(2025, 8, 31), 2025),
        (datetime.date(2025, 9, 1), 2026),
        (datetime.date(2025, 12, 14), 2026),
        (datetime.date(2025, 12, 31), 2026),
        (datetime.date(2026, 10, 1), 2027),
        (datetime.datetime(2021, 9, 30, 8, 0), 2022),
    ],
)
def test_list_year_for_review_date(review_date: datetime.date, list_year: int) -> None:
    assert list_year_for_review_date(review_date) == list_year


def test_review_in_late_2026_uses_the_2027_standard() -> None:
    year = list_year_for_review_date(datetime.date(2026, 11, 1))
    assert standard_for_list_year(year).code == "ND351-2025"


def test_list_year_for_review_date_refuses_non_date() -> None:
    with pytest.raises(StandardError) as error:
        list_year_for_review_date("2025-09-01")  # type: ignore[arg-type]
    assert error.value.field == "review_date"


@pytest.mark.parametrize("code", ["QD59-2015", "ND07-2021", "ND351-2025"])
def test_get_standard_by_code(code: str) -> None:
    assert get_standard(code).code == code


def test_get_standard_refuses_unknown_code() -> None:
    with pytest.raises(StandardError) as error:
        get_standard("ND99-2040")
    assert error.value.field == "standard_code"


def test_all_standards_oldest_first_and_consecutive() -> None:
    spans = [(s.code, s.first_list_year, s.last_list_year) for s in all_standards()]
    assert spans == [
        ("QD59-2015", 2016, 2021),
        ("ND07-2021", 2022, 2026),
        ("ND351-2025", 2027, None),
    ]


@pytest.mark.parametrize(
    ("code", "legal_basis_vi", "legal_basis_en"),
    [
        ("QD59-2015", "Quyết định 59/2015/QĐ-TTg", "Decision 59/2015/QD-TTg"),
        ("ND07-2021", "Nghị định 07/2021/NĐ-CP", "Decree 07/2021/ND-CP"),
        ("ND351-2025", "Nghị định 351/2025/NĐ-CP", "Decree 351/2025/ND-CP"),
    ],
)
def test_legal_basis(code: str, legal_basis_vi: str, legal_basis_en: str) -> None:
    standard = get_standard(code)
    assert (standard.legal_basis_vi, standard.legal_basis_en) == (legal_basis_vi, legal_basis_en)


@pytest.mark.parametrize(
    ("code", "indicators", "dimensions", "income_only_branch"),
    [
        ("QD59-2015", 10, 5, True),
        ("ND07-2021", 12, 6, False),
        ("ND351-2025", 12, 6, False),
    ],
)
def test_catalogue_size(
    code: str, indicators: int, dimensions: int, income_only_branch: bool
) -> None:
    standard = get_standard(code)
    assert len(standard.indicators) == indicators
    assert len({i.dimension_code for i in standard.indicators}) == dimensions
    assert standard.has_income_only_branch is income_only_branch


def test_indicator_codes_are_never_reused_across_standards() -> None:
    codes = [i.code for s in all_standards() for i in s.indicators]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("code", "prefix"), [("QD59-2015", "D16_"), ("ND07-2021", "D22_"), ("ND351-2025", "D27_")]
)
def test_indicator_codes_carry_the_standard_prefix(code: str, prefix: str) -> None:
    standard = get_standard(code)
    assert [i.code for i in standard.indicators if not i.code.startswith(prefix)] == []


@pytest.mark.parametrize("standard", all_standards(), ids=lambda s: s.code)
def test_every_indicator_has_names_dimension_and_rule(
    standard: policies.standards.Standard,
) -> None:
    incomplete = [
        i.code
        for i in standard.indicators
        if not all((i.name_vi, i.name_en, i.dimension_vi, i.dimension_en, i.rule_text, i.theme))
    ]
    assert incomplete == []


@pytest.mark.parametrize("standard", all_standards(), ids=lambda s: s.code)
def test_every_parameter_cites_a_source(standard: policies.standards.Standard) -> None:
    uncited = [p.key for p in standard.parameters if len(p.source) < 10]
    assert uncited == []


@pytest.mark.parametrize("standard", all_standards(), ids=lambda s: s.code)
def test_parameters_without_value_are_unconfirmed(standard: policies.standards.Standard) -> None:
    assert [p.key for p in standard.parameters if p.value is None and p.confirmed] == []


@pytest.mark.parametrize(
    ("code", "key", "value"),
    [
        ("QD59-2015", "rural_poverty_line", 700_000),
        ("QD59-2015", "rural_near_poverty_line", 1_000_000),
        ("QD59-2015", "urban_poverty_line", 900_000),
        ("QD59-2015", "urban_near_poverty_line", 1_300_000),
        ("QD59-2015", "rural_middle_income_upper", 1_500_000),
        ("QD59-2015", "urban_middle_income_upper", 1_950_000),
        ("QD59-2015", "rural_b1_poverty_cutoff", 120),
        ("QD59-2015", "rural_b1_near_poverty_cutoff", 150),
        ("QD59-2015", "urban_b1_poverty_cutoff", 140),
        ("QD59-2015", "urban_b1_near_poverty_cutoff", 175),
        ("ND07-2021", "rural_poverty_line", 1_500_000),
        ("ND07-2021", "urban_poverty_line", 2_000_000),
        ("ND07-2021", "rural_middle_income_upper", 2_250_000),
        ("ND07-2021", "urban_middle_income_upper", 3_000_000),
        ("ND07-2021", "rural_b1_poverty_cutoff", 140),
        ("ND07-2021", "urban_b1_poverty_cutoff", 175),
        ("ND07-2021", "b2_points_per_indicator", 10),
        ("ND07-2021", "deprivation_cutoff", 3),
        ("ND351-2025", "rural_poverty_line", 2_200_000),
        ("ND351-2025", "urban_poverty_line", 2_800_000),
        ("ND351-2025", "rural_middle_income_upper", None),
        ("ND351-2025", "rural_b1_poverty_cutoff", None),
    ],
)
def test_parameter_values(code: str, key: str, value: int | None) -> None:
    assert get_standard(code).parameter(key).value == value


@pytest.mark.parametrize(
    ("code", "unconfirmed"),
    [
        (
            "QD59-2015",
            [
                "b2_points_per_indicator",
                "health_insurance_min_age",
                "child_school_age_from",
                "child_school_age_below",
                "housing_area_min_m2_per_person",
            ],
        ),
        (
            "ND07-2021",
            ["employment_min_age", "dependant_child_age_below", "health_insurance_min_age"],
        ),
        (
            "ND351-2025",
            [
                "rural_middle_income_upper",
                "urban_middle_income_upper",
                "rural_b1_poverty_cutoff",
                "urban_b1_poverty_cutoff",
                "b2_points_per_indicator",
                "employment_min_age",
                "dependants_share_above_percent",
                "dependant_child_age_below",
                "nutrition_child_age_below",
            ],
        ),
    ],
)
def test_unconfirmed_parameters(code: str, unconfirmed: list[str]) -> None:
    assert [p.key for p in get_standard(code).unconfirmed_parameters] == unconfirmed


def test_unknown_parameter_key_is_refused() -> None:
    with pytest.raises(StandardError) as error:
        get_standard("ND07-2021").parameter("rural_near_poverty_line")
    assert error.value.field == "parameter"


def test_package_imports_nothing_from_django() -> None:
    package = Path(policies.standards.__file__).parent
    imported: set[str] = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert "django" not in imported
    assert imported  # the walk found the imports at all
