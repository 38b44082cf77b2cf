"""Decree 07/2021/NĐ-CP, Art. 3: the multidimensional poverty standard of 2022-2025, which
also set the list of 2026 (Decree 351/2025/NĐ-CP keeps it in force for 2026).

Rule variant "income and deprivation": at or below the income line a household is poor with
3 or more deprivations and near-poor with fewer; there is no income-only branch (Art. 3.2.a-b,
domain-verified.md section 2.1). Above the line and up to the upper bound it has a middle
living standard (Art. 3.2.c). Scores follow Circular 07/2021/TT-BLĐTBXH, Art. 1.1.

The appendix with the deprivation thresholds was not read; the thresholds below come from
secondary sources (domain-verified.md section 2.3) and those still marked UNCONFIRMED there
are flagged.
"""

from __future__ import annotations

from . import derive
from .base import Band, BandKind, Indicator, Parameter
from .engine import Standard

_ART_3 = "Decree 07/2021/NĐ-CP, Art. 3"
_SCORING = "Circular 07/2021/TT-BLĐTBXH, Art. 1.1"
_APPENDIX = "Decree 07/2021/NĐ-CP, Appendix (secondary sources, domain-verified.md 2.3)"

PARAMETERS: tuple[Parameter, ...] = (
    # Decree 07/2021/NĐ-CP, Art. 3.1.a: income criterion, VND per person per month.
    Parameter(
        "rural_poverty_line",
        1_500_000,
        f"{_ART_3}.1.a (rural income line)",
        confirmed=True,
        is_line=True,
    ),
    Parameter(
        "urban_poverty_line",
        2_000_000,
        f"{_ART_3}.1.a (urban income line)",
        confirmed=True,
        is_line=True,
    ),
    # Decree 07/2021/NĐ-CP, Art. 3.2.c: middle living standard above the line up to this bound.
    Parameter(
        "rural_middle_income_upper",
        2_250_000,
        f"{_ART_3}.2.c (rural middle-income band)",
        confirmed=True,
        is_line=True,
    ),
    Parameter(
        "urban_middle_income_upper",
        3_000_000,
        f"{_ART_3}.2.c (urban middle-income band)",
        confirmed=True,
        is_line=True,
    ),
    # Circular 07/2021/TT-BLĐTBXH, Art. 1.1: 140 points = 1,500,000 rural; 175 = 2,000,000 urban.
    Parameter(
        "rural_b1_poverty_cutoff",
        140,
        f"{_SCORING} (rural: 140 points = 1,500,000 VND)",
        confirmed=True,
        unit="points",
        is_line=True,
    ),
    Parameter(
        "urban_b1_poverty_cutoff",
        175,
        f"{_SCORING} (urban: 175 points = 2,000,000 VND)",
        confirmed=True,
        unit="points",
        is_line=True,
    ),
    # Decree 07/2021/NĐ-CP, Art. 3.2.a-b: "thiếu hụt từ 3 chỉ số ... trở lên" / "dưới 3".
    Parameter(
        "deprivation_cutoff",
        3,
        f"{_ART_3}.2.a-b (3 or more deprivations)",
        confirmed=True,
        unit="count",
    ),
    # Circular 07/2021/TT-BLĐTBXH, Art. 1.1: "10 điểm tương đương với 01 chỉ số".
    Parameter(
        "b2_points_per_indicator",
        10,
        f"{_SCORING} (10 points per indicator)",
        confirmed=True,
        unit="points",
    ),
    # Employment indicator: "working-age member"; the age is not in any source read. 15 is the
    # Labour Code 2019 minimum for an employee, assumed here: unconfirmed.
    Parameter(
        "employment_min_age",
        15,
        f"{_APPENDIX}: working-age member (15 assumed from Labour Code 2019, Art. 3)",
        confirmed=False,
        unit="years",
    ),
    # Dependants: "có hơn một nửa người trong hộ là người phụ thuộc" [S39]; who counts as a
    # dependant (children under 16, allowance recipients) is from the 2026-2030 draft [N5].
    Parameter(
        "dependants_share_above_percent",
        50,
        f"{_APPENDIX}: more than half are dependants",
        confirmed=True,
        unit="percent",
    ),
    Parameter(
        "dependant_child_age_below",
        16,
        f"{_APPENDIX}: dependant = child under 16 (draft [N5])",
        confirmed=False,
        unit="years",
    ),
    # Nutrition: a child under 16 is stunted or underweight [S39][N5][D10].
    Parameter(
        "nutrition_child_age_below",
        16,
        f"{_APPENDIX}: child under 16 malnourished",
        confirmed=True,
        unit="years",
    ),
    # Health insurance: sources conflict ("member aged 6+" vs "child over 6"): unconfirmed.
    Parameter(
        "health_insurance_min_age",
        6,
        f"{_APPENDIX}: member aged 6+ without health insurance",
        confirmed=False,
        unit="years",
    ),
    # Adult education: members aged 16-30; lower secondary expected under 18, upper secondary
    # or vocational training from 18 [S39].
    Parameter(
        "adult_education_age_from",
        16,
        f"{_APPENDIX}: adult education, from age 16",
        confirmed=True,
        unit="years",
    ),
    Parameter(
        "adult_education_upper_band_from",
        18,
        f"{_APPENDIX}: upper secondary expected from 18",
        confirmed=True,
        unit="years",
    ),
    Parameter(
        "adult_education_age_to",
        30,
        f"{_APPENDIX}: adult education, to age 30 inclusive",
        confirmed=True,
        unit="years",
    ),
    # Child school attendance: a child aged 3 to under 16 [S39].
    Parameter(
        "child_school_age_from",
        3,
        f"{_APPENDIX}: child aged 3 to under 16",
        confirmed=True,
        unit="years",
    ),
    Parameter(
        "child_school_age_below",
        16,
        f"{_APPENDIX}: child aged 3 to under 16",
        confirmed=True,
        unit="years",
    ),
    # Housing quality: at least 2 of the 3 main structures non-durable [S39].
    Parameter(
        "housing_quality_min_non_durable_structures",
        2,
        f"{_APPENDIX}: 2 of walls, columns, roof non-durable",
        confirmed=True,
        unit="count",
    ),
    # Housing area: "nhỏ hơn 8m2" per person [S39].
    Parameter(
        "housing_area_min_m2_per_person",
        8,
        f"{_APPENDIX}: under 8 m2 per person",
        confirmed=True,
        unit="m2",
    ),
)

_EMPLOYMENT = ("employment", "Việc làm", "Employment")
_HEALTH = ("health", "Y tế", "Health")
_EDUCATION = ("education", "Giáo dục", "Education")
_HOUSING = ("housing", "Nhà ở", "Housing")
_WATER = ("water_sanitation", "Nước sinh hoạt và vệ sinh", "Domestic water and sanitation")
_INFORMATION = ("information", "Thông tin", "Information")

# Decree 07/2021/NĐ-CP, Art. 3.1.b: the 12 indicators in the order of the decree.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "D22_EMPLOYMENT",
        *_EMPLOYMENT,
        "Việc làm",
        "Employment",
        "At least one working-age member is unemployed (able and willing to work but cannot "
        "find work) or works for wages without a labour contract (2026-2030 draft wording; "
        "2022-2025 wording unconfirmed).",
        derivable=True,
        theme="employment",
        confirmed=False,
        rule_text_vi="Không tìm được việc làm thường xuyên, đều đặn, tương đối ổn định",
    ),
    Indicator(
        "D22_DEPENDANTS",
        *_EMPLOYMENT,
        "Người phụ thuộc trong hộ gia đình",
        "Dependants in the household",
        "Dependants are more than half of the members; dependants are children under 16 and "
        "elderly or disabled people on the monthly social allowance (definition unconfirmed).",
        derivable=True,
        theme="dependants",
        confirmed=False,
        rule_text_vi="Có hơn một nửa người trong hộ là người phụ thuộc",
    ),
    Indicator(
        "D22_NUTRITION",
        *_HEALTH,
        "Dinh dưỡng",
        "Nutrition",
        "At least one child under 16 is stunted or underweight.",
        derivable=True,
        theme="nutrition",
        confirmed=True,
        rule_text_vi="Có một trẻ em dưới 16 tuổi bị suy dinh dưỡng",
    ),
    Indicator(
        "D22_HEALTH_INSURANCE",
        *_HEALTH,
        "Bảo hiểm y tế",
        "Health insurance",
        "At least one member aged 6 or over has no health insurance (sources conflict: "
        "unconfirmed).",
        derivable=True,
        theme="health_insurance",
        confirmed=False,
    ),
    Indicator(
        "D22_ADULT_EDUCATION",
        *_EDUCATION,
        "Trình độ giáo dục của người lớn",
        "Adult education level",
        "A member aged 16-30 is not in training and lacks the qualification for their age: "
        "16 to under 18 in school or finished lower secondary; 18-30 in school or finished upper "
        "secondary or vocational training (employer-certified on-the-job training counts).",
        derivable=True,
        theme="adult_education",
        confirmed=True,
        rule_text_vi=(
            "Có một người 16 đến 30 tuổi không tham gia các khóa đào tạo hoặc không có bằng cấp, "
            "chứng chỉ giáo dục đào tạo so với độ tuổi tương ứng"
        ),
    ),
    Indicator(
        "D22_CHILD_SCHOOL_ATTENDANCE",
        *_EDUCATION,
        "Tình trạng đi học của trẻ em",
        "School attendance of children",
        "A child aged 3 to under 16 is not at the school level that matches their age.",
        derivable=True,
        theme="child_school_attendance",
        confirmed=True,
        rule_text_vi=(
            "Có một trẻ em từ 3 tuổi đến dưới 16 tuổi không được học đúng bậc, cấp học phù hợp "
            "với độ tuổi"
        ),
    ),
    Indicator(
        "D22_HOUSING_QUALITY",
        *_HOUSING,
        "Chất lượng nhà ở",
        "Housing quality",
        "The dwelling is non-durable: at least 2 of the 3 main structures (walls, columns, "
        "roof) are of non-durable materials.",
        derivable=True,
        theme="housing_quality",
        confirmed=True,
        rule_text_vi=(
            "Sống trong ngôi nhà/căn hộ thuộc loại không bền chắc (trong ba kết cấu chính là "
            "tường, cột, mái thì có ít nhất hai kết cấu được làm bằng vật liệu không bền chắc)"
        ),
    ),
    Indicator(
        "D22_HOUSING_AREA",
        *_HOUSING,
        "Diện tích nhà ở bình quân đầu người",
        "Housing area per person",
        "Less than 8 m2 of housing per person.",
        derivable=True,
        theme="housing_area",
        confirmed=True,
        rule_text_vi="Diện tích nhà ở bình quân đầu người của hộ nhỏ hơn 8m2",
    ),
    Indicator(
        "D22_WATER_SOURCE",
        *_WATER,
        "Nguồn nước sinh hoạt",
        "Domestic water source",
        "No clean domestic water: piped water, drilled well, protected dug well, protected "
        "spring, rainwater or bottled water.",
        derivable=False,
        theme="water_source",
        confirmed=True,
        rule_text_vi=(
            "Không tiếp cận được nguồn nước sạch trong sinh hoạt (gồm: nước máy, giếng khoan, "
            "giếng đào được bảo vệ, nước khe/mó được bảo vệ và nước mưa, nước đóng chai bình)"
        ),
    ),
    Indicator(
        "D22_HYGIENIC_LATRINE",
        *_WATER,
        "Nhà tiêu hợp vệ sinh",
        "Hygienic latrine",
        "The household does not use a hygienic latrine (septic, semi-septic, pour-flush, ...).",
        derivable=False,
        theme="hygienic_latrine",
        confirmed=True,
        rule_text_vi="Không sử dụng hố xí/nhà tiêu hợp vệ sinh",
    ),
    Indicator(
        "D22_TELECOM_USE",
        *_INFORMATION,
        "Sử dụng dịch vụ viễn thông",
        "Use of telecommunication services",
        "No member uses internet services (unconfirmed).",
        derivable=False,
        theme="telecom_use",
        confirmed=False,
    ),
    Indicator(
        "D22_INFORMATION_MEANS",
        *_INFORMATION,
        "Phương tiện phục vụ tiếp cận thông tin",
        "Means of access to information",
        "The household owns none of the listed information devices (unconfirmed).",
        derivable=False,
        theme="information_means",
        confirmed=False,
    ),
)

STANDARD = Standard(
    code="ND07-2021",
    legal_basis="07/2021/NĐ-CP",
    instrument_vi="Nghị định",
    instrument_en="Decree",
    name_vi="Chuẩn nghèo đa chiều giai đoạn 2022-2025",
    name_en="Multidimensional poverty standard 2022-2025",
    first_list_year=2022,
    last_list_year=2026,  # Decree 351/2025/NĐ-CP keeps Art. 3 in force for 2026
    indicator_prefix="D22_",
    indicators=INDICATORS,
    parameters=PARAMETERS,
    income_bands=(
        Band(BandKind.DEPRIVATION_TEST, "poverty_line"),
        Band(BandKind.MIDDLE_INCOME, "middle_income_upper"),
    ),
    score_bands=(Band(BandKind.DEPRIVATION_TEST, "b1_poverty_cutoff"),),
    rules={
        "D22_EMPLOYMENT": derive.employment("employment_min_age"),
        "D22_DEPENDANTS": derive.dependants(
            "dependant_child_age_below", "dependants_share_above_percent"
        ),
        "D22_NUTRITION": derive.nutrition("nutrition_child_age_below"),
        "D22_HEALTH_INSURANCE": derive.health_insurance("health_insurance_min_age"),
        "D22_ADULT_EDUCATION": derive.adult_education(
            "adult_education_age_from", "adult_education_upper_band_from", "adult_education_age_to"
        ),
        "D22_CHILD_SCHOOL_ATTENDANCE": derive.child_school_attendance(
            "child_school_age_from", "child_school_age_below", check_level=True
        ),
        "D22_HOUSING_QUALITY": derive.housing_quality("housing_quality_min_non_durable_structures"),
        "D22_HOUSING_AREA": derive.housing_area("housing_area_min_m2_per_person"),
    },
)
