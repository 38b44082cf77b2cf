"""Decision 59/2015/QĐ-TTg: the multidimensional poverty standard of 2016-2020, which also set
the list of 2021 (Decree 07/2021/NĐ-CP, Art. 2).

Rule variant "income floor or deprivation": an income at or below the poverty line makes a
household poor whatever its deprivations; between the poverty and near-poverty lines it is
poor with 3 or more deprivations and near-poor with fewer (Art. 2, as summarised in
domain-verified.md section 1.1).

The per-indicator deprivation thresholds were not found in any source read
(domain-verified.md section 1.2): every indicator rule and every derivation age below is
flagged unconfirmed and must be checked against the annex before it is relied on.
"""

from __future__ import annotations

from . import derive
from .base import Band, BandKind, Indicator, Parameter
from .engine import Standard

_ART_1_1 = "Decision 59/2015/QĐ-TTg, Art. 1.1"
_SCORING = "Circular 17/2016/TT-BLĐTBXH as amended by Circular 14/2018/TT-BLĐTBXH, Art. 1.5"
_ANNEX = "Decision 59/2015/QĐ-TTg annex / Decision 1614/QĐ-TTg scheme (text not found)"

PARAMETERS: tuple[Parameter, ...] = (
    # Decision 59/2015/QĐ-TTg, Art. 1.1: poverty lines, VND per person per month.
    Parameter(
        "rural_poverty_line",
        700_000,
        f"{_ART_1_1} (rural poverty line)",
        confirmed=True,
        is_line=True,
    ),
    Parameter(
        "urban_poverty_line",
        900_000,
        f"{_ART_1_1} (urban poverty line)",
        confirmed=True,
        is_line=True,
    ),
    # Decision 59/2015/QĐ-TTg, Art. 1.1: near-poverty lines.
    Parameter(
        "rural_near_poverty_line",
        1_000_000,
        f"{_ART_1_1} (rural near-poverty line)",
        confirmed=True,
        is_line=True,
    ),
    Parameter(
        "urban_near_poverty_line",
        1_300_000,
        f"{_ART_1_1} (urban near-poverty line)",
        confirmed=True,
        is_line=True,
    ),
    # Decision 59/2015/QĐ-TTg, Art. 2: middle-income band above the near-poverty line
    # (VNA/VietNamNet 2015, domain-verified.md section 1.1 [V7]).
    Parameter(
        "rural_middle_income_upper",
        1_500_000,
        "Decision 59/2015/QĐ-TTg, Art. 2 (middle-income band, rural; VNA 2015 [V7])",
        confirmed=True,
        is_line=True,
    ),
    Parameter(
        "urban_middle_income_upper",
        1_950_000,
        "Decision 59/2015/QĐ-TTg, Art. 2 (middle-income band, urban; VNA 2015 [V7])",
        confirmed=True,
        is_line=True,
    ),
    # Circular 17/2016 as amended by Circular 14/2018, Art. 1.5: B1 cut-offs (points).
    Parameter(
        "rural_b1_poverty_cutoff",
        120,
        f"{_SCORING} (rural poor: B1 <= 120)",
        confirmed=True,
        unit="points",
        is_line=True,
    ),
    Parameter(
        "rural_b1_near_poverty_cutoff",
        150,
        f"{_SCORING} (rural: 120 < B1 <= 150)",
        confirmed=True,
        unit="points",
        is_line=True,
    ),
    Parameter(
        "urban_b1_poverty_cutoff",
        140,
        f"{_SCORING} (urban poor: B1 <= 140)",
        confirmed=True,
        unit="points",
        is_line=True,
    ),
    Parameter(
        "urban_b1_near_poverty_cutoff",
        175,
        f"{_SCORING} (urban: 140 < B1 <= 175)",
        confirmed=True,
        unit="points",
        is_line=True,
    ),
    # Decision 59/2015/QĐ-TTg, Art. 2: "thiếu hụt từ 3 chỉ số ... trở lên".
    Parameter(
        "deprivation_cutoff",
        3,
        "Decision 59/2015/QĐ-TTg, Art. 2 (3 or more deprivations)",
        confirmed=True,
        unit="count",
    ),
    # Circular 14/2018, Art. 1.5 states the test as B2 >= 30; 10 points per indicator is
    # inferred from it (domain.md section 1.1), not read: unconfirmed.
    Parameter(
        "b2_points_per_indicator",
        10,
        f"{_SCORING} (B2 >= 30; 10 points per indicator inferred, not read)",
        confirmed=False,
        unit="points",
    ),
    # Deprivation thresholds: unverified memory only (domain-verified.md section 1.2).
    Parameter(
        "health_insurance_min_age",
        6,
        f"{_ANNEX}: member aged 6+ without health insurance",
        confirmed=False,
        unit="years",
    ),
    Parameter(
        "child_school_age_from",
        5,
        f"{_ANNEX}: child aged 5 to under 15 out of school",
        confirmed=False,
        unit="years",
    ),
    Parameter(
        "child_school_age_below",
        15,
        f"{_ANNEX}: child aged 5 to under 15 out of school",
        confirmed=False,
        unit="years",
    ),
    Parameter(
        "housing_area_min_m2_per_person",
        8,
        f"{_ANNEX}: under 8 m2 of housing per person",
        confirmed=False,
        unit="m2",
    ),
)

_HEALTH = ("health", "Y tế", "Health")
_EDUCATION = ("education", "Giáo dục", "Education")
_HOUSING = ("housing", "Nhà ở", "Housing")
_WATER = ("water_sanitation", "Nước sạch và vệ sinh", "Clean water and sanitation")
_INFORMATION = ("information", "Thông tin", "Information")

# Decision 59/2015/QĐ-TTg, Art. 1.2.b: the 10 indicators in the order of the decision.
# Names are near-verbatim (domain-verified.md section 1.1); thresholds are unconfirmed.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "D16_HEALTH_SERVICE_ACCESS",
        *_HEALTH,
        "Tiếp cận các dịch vụ y tế",
        "Access to health services",
        "A member who was ill did not get medical care (unconfirmed paraphrase).",
        derivable=False,
        theme="health_service_access",
        confirmed=False,
    ),
    Indicator(
        "D16_HEALTH_INSURANCE",
        *_HEALTH,
        "Bảo hiểm y tế",
        "Health insurance",
        "A member aged 6 or over has no health insurance (unconfirmed paraphrase).",
        derivable=True,
        theme="health_insurance",
        confirmed=False,
    ),
    Indicator(
        "D16_ADULT_EDUCATION",
        *_EDUCATION,
        "Trình độ giáo dục của người lớn",
        "Adult education level",
        "A member born in 1986 or later has not finished lower secondary school and is not in "
        "school (unconfirmed paraphrase).",
        derivable=False,
        theme="adult_education",
        confirmed=False,
    ),
    Indicator(
        "D16_CHILD_SCHOOL_ATTENDANCE",
        *_EDUCATION,
        "Tình trạng đi học của trẻ em",
        "School attendance of children",
        "A child aged 5 to under 15 is out of school (unconfirmed paraphrase).",
        derivable=True,
        theme="child_school_attendance",
        confirmed=False,
    ),
    Indicator(
        "D16_HOUSING_QUALITY",
        *_HOUSING,
        "Chất lượng nhà ở",
        "Housing quality",
        "The dwelling is non-durable (unconfirmed paraphrase).",
        derivable=False,
        theme="housing_quality",
        confirmed=False,
    ),
    Indicator(
        "D16_HOUSING_AREA",
        *_HOUSING,
        "Diện tích nhà ở bình quân đầu người",
        "Housing area per person",
        "Less than 8 m2 of housing per person (unconfirmed paraphrase).",
        derivable=True,
        theme="housing_area",
        confirmed=False,
    ),
    Indicator(
        "D16_WATER_SOURCE",
        *_WATER,
        "Nguồn nước sinh hoạt",
        "Domestic water source",
        "No hygienic water source (unconfirmed paraphrase).",
        derivable=False,
        theme="water_source",
        confirmed=False,
    ),
    Indicator(
        "D16_HYGIENIC_LATRINE",
        *_WATER,
        "Hố xí/nhà tiêu hợp vệ sinh",
        "Hygienic latrine",
        "No hygienic latrine (unconfirmed paraphrase).",
        derivable=False,
        theme="hygienic_latrine",
        confirmed=False,
    ),
    Indicator(
        "D16_TELECOM_USE",
        *_INFORMATION,
        "Sử dụng dịch vụ viễn thông",
        "Use of telecommunication services",
        "No member has a phone subscription or internet (unconfirmed paraphrase).",
        derivable=False,
        theme="telecom_use",
        confirmed=False,
    ),
    Indicator(
        "D16_INFORMATION_ASSETS",
        *_INFORMATION,
        "Tài sản phục vụ tiếp cận thông tin",
        "Assets for access to information",
        "No TV, radio or computer, and out of reach of the commune or village loudspeakers "
        "(unconfirmed paraphrase).",
        derivable=False,
        theme="information_means",
        confirmed=False,
    ),
)

STANDARD = Standard(
    code="QD59-2015",
    legal_basis="59/2015/QĐ-TTg",
    instrument_vi="Quyết định",
    instrument_en="Decision",
    name_vi="Chuẩn nghèo tiếp cận đa chiều giai đoạn 2016-2020",
    name_en="Multidimensional poverty standard 2016-2020",
    first_list_year=2016,
    last_list_year=2021,  # Decree 07/2021/NĐ-CP, Art. 2: still applied for 2021
    indicator_prefix="D16_",
    indicators=INDICATORS,
    parameters=PARAMETERS,
    income_bands=(
        Band(BandKind.POOR_ON_INCOME, "poverty_line"),
        Band(BandKind.DEPRIVATION_TEST, "near_poverty_line"),
        Band(BandKind.MIDDLE_INCOME, "middle_income_upper"),
    ),
    score_bands=(
        Band(BandKind.POOR_ON_INCOME, "b1_poverty_cutoff"),
        Band(BandKind.DEPRIVATION_TEST, "b1_near_poverty_cutoff"),
    ),
    rules={
        "D16_HEALTH_INSURANCE": derive.health_insurance("health_insurance_min_age"),
        "D16_CHILD_SCHOOL_ATTENDANCE": derive.child_school_attendance(
            "child_school_age_from", "child_school_age_below", check_level=False
        ),
        "D16_HOUSING_AREA": derive.housing_area("housing_area_min_m2_per_person"),
    },
)
