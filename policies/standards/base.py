"""Value types shared by every poverty standard: the facts a review collects, the catalogue
records a standard is made of (indicators, parameters, income bands), and the verdict it
returns.

Pure Python on purpose: no Django import, so the rules can be tested as tables and reused by
imports, services and reports alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class StandardError(ValueError):
    """Invalid input to a standard; ``field`` names the offending input for forms and APIs."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class AreaType(StrEnum):
    """Area type of the commune the household lives in; every line is set per area type."""

    RURAL = "rural"  # nông thôn
    URBAN = "urban"  # thành thị (đô thị from Decree 351/2025)


class Classification(StrEnum):
    """What a standard says a household is."""

    POOR = "poor"  # hộ nghèo
    NEAR_POOR = "near_poor"  # hộ cận nghèo
    MIDDLE_INCOME = "middle_income"  # hộ có mức sống trung bình
    NOT_POOR = "not_poor"  # hộ không thuộc các diện trên

    @property
    def severity(self) -> int:
        """Order used to compare verdicts: poor (3) > near-poor > middle-income > not poor (0)."""
        return _SEVERITY[self]

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]

    @property
    def label_en(self) -> str:
        return _LABELS_EN[self]


_SEVERITY = {
    Classification.POOR: 3,
    Classification.NEAR_POOR: 2,
    Classification.MIDDLE_INCOME: 1,
    Classification.NOT_POOR: 0,
}
_LABELS_VI = {
    Classification.POOR: "hộ nghèo",
    Classification.NEAR_POOR: "hộ cận nghèo",
    Classification.MIDDLE_INCOME: "hộ có mức sống trung bình",
    Classification.NOT_POOR: "hộ không nghèo",
}
_LABELS_EN = {
    Classification.POOR: "poor household",
    Classification.NEAR_POOR: "near-poor household",
    Classification.MIDDLE_INCOME: "middle-income household",
    Classification.NOT_POOR: "not poor",
}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_optional_bool(value: object) -> bool:
    return value is None or isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """What a review found about one household, in one of two forms.

    Either ``income_per_capita`` (measured, integer VND per person per month) or ``b1_score``
    (the income proxy from the scoring form, Phiếu B1), never both. ``deprivations`` holds
    the codes of the indicators the officer ticked, in the codes of the standard applied.
    """

    area_type: AreaType
    income_per_capita: int | None = None
    b1_score: int | None = None
    deprivations: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            area = AreaType(self.area_type)
        except ValueError:
            raise StandardError(
                f"unknown area type {self.area_type!r}; use 'rural' or 'urban'",
                field="area_type",
            ) from None
        object.__setattr__(self, "area_type", area)
        if self.income_per_capita is None and self.b1_score is None:
            raise StandardError(
                "give the income per person per month or the B1 score", field="income_per_capita"
            )
        if self.income_per_capita is not None and self.b1_score is not None:
            raise StandardError(
                "give the income per person per month or the B1 score, not both",
                field="b1_score",
            )
        if self.income_per_capita is not None:
            if not _is_int(self.income_per_capita):
                raise StandardError(
                    "income per person per month must be a whole number of VND",
                    field="income_per_capita",
                )
            if self.income_per_capita < 0:
                raise StandardError(
                    "income per person per month cannot be negative", field="income_per_capita"
                )
        if self.b1_score is not None and not _is_int(self.b1_score):
            raise StandardError("the B1 score must be a whole number", field="b1_score")
        if isinstance(self.deprivations, str):
            raise StandardError(
                "deprivations must be a collection of indicator codes, not one string",
                field="deprivations",
            )
        try:
            codes = frozenset(self.deprivations)
        except TypeError:
            raise StandardError(
                "deprivations must be a collection of indicator codes", field="deprivations"
            ) from None
        if not all(isinstance(code, str) for code in codes):
            raise StandardError("indicator codes must be strings", field="deprivations")
        object.__setattr__(self, "deprivations", codes)


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """One member's facts that some indicators can be recomputed from (None = not recorded).

    ``age`` is in whole years on the review date. ``in_school`` means currently in school or in
    training. ``completed_upper_secondary_or_vocational`` also covers elementary, intermediate
    or college vocational training and employer-certified on-the-job training.
    ``receives_monthly_social_allowance`` marks elderly or disabled people on the monthly social
    allowance (a dependant). ``unemployed`` means able and willing to work but without work.
    ``malnourished`` means stunted or underweight.
    """

    age: int | None = None
    has_health_insurance: bool | None = None
    in_school: bool | None = None
    school_level_matches_age: bool | None = None
    completed_lower_secondary: bool | None = None
    completed_upper_secondary_or_vocational: bool | None = None
    receives_monthly_social_allowance: bool | None = None
    unemployed: bool | None = None
    wage_work_without_contract: bool | None = None
    malnourished: bool | None = None

    def __post_init__(self) -> None:
        if self.age is not None and (not _is_int(self.age) or not 0 <= self.age <= 150):
            raise StandardError("age must be a whole number of years from 0 to 150", field="age")
        for name in (
            "has_health_insurance",
            "in_school",
            "school_level_matches_age",
            "completed_lower_secondary",
            "completed_upper_secondary_or_vocational",
            "receives_monthly_social_allowance",
            "unemployed",
            "wage_work_without_contract",
            "malnourished",
        ):
            if not _is_optional_bool(getattr(self, name)):
                raise StandardError(f"{name} must be True, False or None", field=name)


@dataclass(frozen=True, slots=True)
class Parameter:
    """One number of a standard, with the law it comes from.

    ``confirmed`` is False for numbers the research still marks UNCONFIRMED; ``value`` is None
    where the number is not known at all and must be supplied as an override before use.
    ``is_line`` marks income lines and their score equivalents: a confirmed line may only be
    raised by an override (a provincial standard above the national one).
    """

    key: str
    value: int | None
    source: str
    confirmed: bool
    unit: str = "VND"
    is_line: bool = False


@dataclass(frozen=True, slots=True)
class Indicator:
    """One deprivation indicator (chỉ số đo lường mức độ thiếu hụt) of one standard.

    ``theme`` is shared by the indicators of different standards that measure the same thing;
    it is how deprivations translate from one standard to another. ``confirmed`` is False when
    the deprivation threshold in ``rule_text`` is not yet checked against the legal text.
    """

    code: str
    dimension_code: str
    dimension_vi: str
    dimension_en: str
    name_vi: str
    name_en: str
    rule_text: str
    derivable: bool
    theme: str
    confirmed: bool
    rule_text_vi: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """A standard's classification of one household, with everything needed to explain it.

    ``line`` is the threshold that decided (VND, or B1 points when ``b1_score`` was given) and
    ``line_key`` the parameter it came from. ``unconfirmed`` lists the unconfirmed parameters
    the decision relied on; ``overridden`` the parameters that an override replaced;
    ``unconfirmed_indicators`` the deprived indicators the deprivation count relied on whose
    definition is not confirmed against the legal text.
    """

    classification: Classification
    standard_code: str
    area_type: AreaType
    line: int
    line_key: str
    income_per_capita: int | None
    b1_score: int | None
    deprived: tuple[str, ...]
    deprivation_count: int
    b2_score: int
    unconfirmed: tuple[str, ...]
    overridden: tuple[str, ...]
    explanation_vi: str
    explanation_en: str
    unconfirmed_indicators: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        """True when the verdict came from the B1/B2 scores rather than a measured income."""
        return self.b1_score is not None

    def explanation(self, lang: str = "vi") -> str:
        """The explanation in ``lang`` ("vi" or "en"; a region suffix such as "en-us" is fine)."""
        base = lang.lower().replace("_", "-").split("-")[0]
        if base == "vi":
            return self.explanation_vi
        if base == "en":
            return self.explanation_en
        raise StandardError(f"no explanation in language {lang!r}; use 'vi' or 'en'", field="lang")


@dataclass(frozen=True, slots=True)
class Disagreement:
    """An indicator where the value recomputed from member data differs from the officer's tick."""

    indicator_code: str
    derived: bool
    ticked: bool
    name_vi: str
    name_en: str


class BandKind(StrEnum):
    """What an income (or score) at or below a band's threshold means."""

    POOR_ON_INCOME = "poor_on_income"  # poor whatever the deprivations (2016-2021 only)
    DEPRIVATION_TEST = "deprivation_test"  # poor with >= cutoff deprivations, else near-poor
    MIDDLE_INCOME = "middle_income"  # hộ có mức sống trung bình


@dataclass(frozen=True, slots=True)
class Band:
    """One threshold of the banded test; the parameter key is ``f"{area}_{suffix}"``."""

    kind: BandKind
    suffix: str

    def key(self, area: AreaType) -> str:
        return f"{area.value}_{self.suffix}"


# How each kind of threshold is named in explanations (Vietnamese, English).
