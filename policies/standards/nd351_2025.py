"""Decree 351/2025/NĐ-CP (30 Dec 2025): the national multidimensional poverty standard applied
from the list of 2027 (period 2027-2030; open-ended here until a successor is issued).

Rule: at or below the income line a household is poor with 3 or more deprivations and
near-poor with fewer. The final decree has no income-only branch (the draft's 1.9/2.5 million
floors were dropped; domain-verified.md section 3). Urban areas are "đô thị".

Only secondary summaries of the decree were read. Not known, and so left as None until an
administrator supplies them as overrides: the middle-income band (a household above the line
is "not poor" until then) and the B1 score cut-offs of the 2027 scoring circular (scored input
is refused until then). The indicator list follows the MAE draft as adjusted by the National
Office for Poverty Reduction; all thresholds are draft-only, so all are flagged unconfirmed.
"""

from __future__ import annotations

from . import derive
from .base import Band, BandKind, Indicator, Parameter
from .engine import Standard

_ART = "Decree 351/2025/NĐ-CP (secondary summaries [N1][N2][N3])"
_DRAFT = "Decree 351/2025/NĐ-CP appendix not read; MAE draft thresholds [N5]"

PARAMETERS: tuple[Parameter, ...] = (
    # Decree 351/2025/NĐ-CP: income lines 2027-2030, VND per person per month.
    Parameter(
        "rural_poverty_line",
        2_200_000,
        f"{_ART}: rural income line",
        confirmed=True,
        is_line=True,
    ),
    Parameter(
        "urban_poverty_line",
        2_800_000,
        f"{_ART}: urban (đô thị) income line",
        confirmed=True,
        is_line=True,
    ),
    # Middle-income band 2027-2030: not found in any summary (domain-verified.md section 3).
    Parameter(
        "rural_middle_income_upper",
        None,
        "Decree 351/2025/NĐ-CP: middle-income band not found",
        confirmed=False,
        is_line=True,
    ),
    Parameter(
        "urban_middle_income_upper",
        None,
        "Decree 351/2025/NĐ-CP: middle-income band not found",
        confirmed=False,
        is_line=True,
    ),
    # Scoring circular for 2027-2030: not found; no B1 cut-offs are known.
    Parameter(
        "rural_b1_poverty_cutoff",
        None,
        "Scoring circular for 2027-2030 not found",
        confirmed=False,
        unit="points",
        is_line=True,
    ),
    Parameter(
        "urban_b1_poverty_cutoff",
        None,
        "Scoring circular for 2027-2030 not found",
        confirmed=False,
        unit="points",
        is_line=True,
    ),
    # Decree 351/2025/NĐ-CP: "thiếu hụt từ 3 chỉ số ... trở lên" / "dưới 3 chỉ số".
    Parameter(
        "deprivation_cutoff",
        3,
        f"{_ART}: 3 or more deprivations",
        confirmed=True,
        unit="count",
    ),
    # 10 points per indicator carried over from Circular 07/2021; the 2027 circular is unseen.
    Parameter(
        "b2_points_per_indicator",
        10,
        "Circular 07/2021/TT-BLĐTBXH carried over (2027 unseen)",
        confirmed=False,
        unit="points",
    ),
    # Employment: "working-age member" (draft [N5]); 15 assumed from Labour Code 2019, Art. 3.
    Parameter(
        "employment_min_age",
        15,
        f"{_DRAFT}: working-age member (15 assumed, Labour Code)",
        confirmed=False,
        unit="years",
    ),
    # Dependants: more than 50% of members; children under 16 and allowance recipients [N5].
    Parameter(
        "dependants_share_above_percent",
        50,
        f"{_DRAFT}: dependants over 50% of members",
        confirmed=False,
        unit="percent",
    ),
    Parameter(
        "dependant_child_age_below",
        16,
        f"{_DRAFT}: dependant = child under 16",
        confirmed=False,
        unit="years",
    ),
    # Nutrition: a child under 16 stunted or underweight [N5].
    Parameter(
        "nutrition_child_age_below",
        16,
        f"{_DRAFT}: child under 16 malnourished",
        confirmed=False,
        unit="years",
    ),
)

_EMPLOYMENT = ("employment", "Việc làm", "Employment")
_HEALTH = ("health", "Y tế", "Health")
_EDUCATION = ("education", "Giáo dục", "Education")
_HOUSING = ("housing", "Nhà ở", "Housing")
_INFORMATION = ("information", "Thông tin", "Information")
_WATER = (
    "water_sanitation_environment",
    "Nước sinh hoạt, vệ sinh và môi trường",
    "Domestic water, sanitation and environment",
)

# Indicator list of the MAE draft (6 dimensions, 12 indicators) as adjusted in the final
# decree per NOPR: information-means indicator removed, digital use and waste handling added.
# Only the two employment names are confirmed from the final text; the count is unconfirmed.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "D27_EMPLOYMENT",
        *_EMPLOYMENT,
        "Việc làm",
        "Employment",
        "A working-age member is unemployed (able and willing to work but cannot find work) or "
        "has a wage job without a labour contract (draft threshold).",
        derivable=True,
        theme="employment",
        confirmed=False,
        rule_text_vi="chỉ số việc làm",
    ),
    Indicator(
        "D27_DEPENDANTS",
        *_EMPLOYMENT,
        "Người phụ thuộc trong hộ gia đình",
        "Dependants in the household",
        "Dependants are more than 50% of members; dependants are children under 16 and elderly "
        "or disabled people on the monthly social allowance (draft threshold).",
        derivable=True,
        theme="dependants",
        confirmed=False,
        rule_text_vi="chỉ số người phụ thuộc trong hộ gia đình",
    ),
    Indicator(
        "D27_HEALTH_INSURANCE",
        *_HEALTH,
        "Bảo hiểm y tế",
        "Health insurance",
        "Threshold not found (draft text cut off).",
        derivable=False,
        theme="health_insurance",
        confirmed=False,
    ),
    Indicator(
        "D27_NUTRITION",
        *_HEALTH,
        "Dinh dưỡng",
        "Nutrition",
        "A child under 16 is stunted or underweight (draft threshold).",
        derivable=True,
        theme="nutrition",
        confirmed=False,
    ),
    Indicator(
        "D27_ADULT_EDUCATION",
        *_EDUCATION,
        "Trình độ giáo dục của người lớn",
        "Adult education level",
        "Threshold not found (draft name only).",
        derivable=False,
        theme="adult_education",
        confirmed=False,
    ),
    Indicator(
        "D27_CHILD_SCHOOL_ATTENDANCE",
        *_EDUCATION,
        "Tình trạng đi học của trẻ em",
        "School attendance of children",
        "Threshold not found (draft name only).",
        derivable=False,
        theme="child_school_attendance",
        confirmed=False,
    ),
    Indicator(
        "D27_HOUSING_AREA",
        *_HOUSING,
        "Diện tích nhà ở bình quân đầu người",
        "Housing area per person",
        "Threshold not found (draft name only).",
        derivable=False,
        theme="housing_area",
        confirmed=False,
    ),
    Indicator(
        "D27_HOUSING_QUALITY",
        *_HOUSING,
        "Chất lượng nhà ở",
        "Housing quality",
        "Threshold not found (draft name only).",
        derivable=False,
        theme="housing_quality",
        confirmed=False,
    ),
    Indicator(
        "D27_TELECOM_DIGITAL_USE",
        *_INFORMATION,
        "Sử dụng dịch vụ viễn thông",
        "Use of telecommunication and digital services",
        "Use of digital services and internet access; threshold not found.",
        derivable=False,
        theme="telecom_use",
        confirmed=False,
    ),
    Indicator(
        "D27_WATER_SOURCE",
        *_WATER,
        "Nguồn nước sinh hoạt",
        "Domestic water source",
        "Threshold not found (draft name only).",
        derivable=False,
        theme="water_source",
        confirmed=False,
    ),
    Indicator(
        "D27_HYGIENIC_TOILET",
        *_WATER,
        "Nhà tiêu hợp vệ sinh",
        "Hygienic toilet",
        "Threshold not found (draft name only).",
        derivable=False,
        theme="hygienic_latrine",
        confirmed=False,
    ),
    Indicator(
        "D27_WASTE_HANDLING",
        *_WATER,
        "Xử lý rác thải",
        "Household waste handling",
        "Capacity to handle domestic waste; threshold not found.",
        derivable=False,
        theme="waste_handling",
        confirmed=False,
    ),
)

STANDARD = Standard(
    code="ND351-2025",
    legal_basis="351/2025/NĐ-CP",
    instrument_vi="Nghị định",
    instrument_en="Decree",
    name_vi="Chuẩn nghèo đa chiều quốc gia giai đoạn 2027-2030",
    name_en="National multidimensional poverty standard 2027-2030",
    first_list_year=2027,  # Decree 351/2025/NĐ-CP applies from 2027 (NOPR [N4])
    last_list_year=None,
    indicator_prefix="D27_",
    indicators=INDICATORS,
    parameters=PARAMETERS,
    income_bands=(
        Band(BandKind.DEPRIVATION_TEST, "poverty_line"),
        Band(BandKind.MIDDLE_INCOME, "middle_income_upper"),
    ),
    score_bands=(Band(BandKind.DEPRIVATION_TEST, "b1_poverty_cutoff"),),
    rules={
        "D27_EMPLOYMENT": derive.employment("employment_min_age"),
        "D27_DEPENDANTS": derive.dependants(
            "dependant_child_age_below", "dependants_share_above_percent"
        ),
        "D27_NUTRITION": derive.nutrition("nutrition_child_age_below"),
    },
    urban_label_vi="đô thị",
)
