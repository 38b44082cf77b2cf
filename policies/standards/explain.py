"""Writing a verdict's explanation: the income (or score) against the lines that decided, the
deprivations by name, and the result, in Vietnamese and in English.

Amounts are written with dots in Vietnamese (1.500.000 đồng) and commas in English
(1,500,000 VND). A parameter that is still unconfirmed is marked "(chưa xác nhận)" /
"(unconfirmed)" where it is quoted; one replaced by an override "(đã điều chỉnh)" / "(adjusted)".
A result whose deprivation count relied on an indicator whose definition is not confirmed says
so in a closing note, like a result that relied on an unconfirmed parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .base import AreaType, Band, BandKind, Classification, Indicator

if TYPE_CHECKING:
    from .engine import Standard

_THRESHOLD_LABELS: dict[str, tuple[str, str]] = {
    "poverty_line": ("chuẩn nghèo", "poverty line"),
    "near_poverty_line": ("chuẩn cận nghèo", "near-poverty line"),
    "middle_income_upper": (
        "mức trần thu nhập hộ có mức sống trung bình",
        "middle-income upper bound",
    ),
    "b1_poverty_cutoff": (
        "ngưỡng điểm B1 tương ứng chuẩn nghèo",
        "B1 cut-off for the poverty line",
    ),
    "b1_near_poverty_cutoff": (
        "ngưỡng điểm B1 tương ứng chuẩn cận nghèo",
        "B1 cut-off for the near-poverty line",
    ),
}


def format_vnd(amount: int, lang: str) -> str:
    """Thousands separated by dots in Vietnamese (1.500.000), commas in English (1,500,000)."""
    text = f"{amount:,}"
    return text.replace(",", ".") if lang == "vi" else text


@dataclass(frozen=True, slots=True)
class ExplainContext:
    """What the classification found, as the explanation writers need it."""

    standard: Standard
    area: AreaType
    scored: bool
    value: int
    steps: tuple[tuple[str, int], ...]
    decided: Band | None
    deprived: tuple[Indicator, ...]
    cutoff: int
    b2_score: int
    missing_middle: bool
    classification: Classification
    unconfirmed: tuple[str, ...]
    overridden: tuple[str, ...]
    unconfirmed_indicators: tuple[Indicator, ...] = ()

    def suffix(self, key: str) -> str:
        return key.split("_", 1)[1]

    def compared(self) -> tuple[tuple[str, int] | None, tuple[str, int]]:
        """(threshold exceeded just below, last threshold compared)."""
        if self.decided is None:
            return None, self.steps[-1]
        previous = self.steps[-2] if len(self.steps) > 1 else None
        return previous, self.steps[-1]


def explain_vi(ctx: ExplainContext) -> str:
    area = ctx.standard.area_label_vi(ctx.area)
    unit = "điểm" if ctx.scored else "đồng"

    def threshold(key: str, amount: int) -> str:
        label = _THRESHOLD_LABELS[ctx.suffix(key)][0]
        mark = ""
        if key in ctx.unconfirmed:
            mark = " (chưa xác nhận)"
        elif key in ctx.overridden:
            mark = " (đã điều chỉnh)"
        return f"{label} khu vực {area} {format_vnd(amount, 'vi')} {unit}{mark}"

    if ctx.scored:
        subject = f"Điểm B1 {ctx.value} điểm"
    else:
        subject = f"Thu nhập bình quân {format_vnd(ctx.value, 'vi')} đồng/người/tháng"
    previous, last = ctx.compared()
    if ctx.decided is None:
        comparison = f"vượt {threshold(*last)}"
    elif previous is None:
        comparison = f"không vượt {threshold(*last)}"
    else:
        comparison = f"vượt {threshold(*previous)} và không vượt {threshold(*last)}"

    tested = ctx.decided is not None and ctx.decided.kind is BandKind.DEPRIVATION_TEST
    qualifier = ""
    if tested:
        qualifier = (
            f" (từ {ctx.cutoff} chỉ số trở lên)"
            if ctx.classification is Classification.POOR
            else f" (dưới {ctx.cutoff} chỉ số)"
        )
    names = "; ".join(i.name_vi for i in ctx.deprived)
    if ctx.deprived:
        deprivation = f"thiếu hụt {len(ctx.deprived)} chỉ số{qualifier}: {names}"
    else:
        deprivation = f"không thiếu hụt chỉ số nào{qualifier}"
    if ctx.scored:
        deprivation = f"điểm B2 {ctx.b2_score} điểm, {deprivation}"

    sentences = [f"{subject}, {comparison}; {deprivation}."]
    if ctx.decided is not None and ctx.decided.kind is BandKind.POOR_ON_INCOME:
        sentences.append("Hộ nghèo theo tiêu chí thu nhập, không xét số chỉ số thiếu hụt.")
    elif not tested and ctx.deprived:
        level = "mức điểm" if ctx.scored else "mức thu nhập"
        sentences.append(f"Số chỉ số thiếu hụt không ảnh hưởng kết quả ở {level} này.")
    if ctx.missing_middle:
        sentences.append("Chuẩn này chưa có mức sống trung bình (chưa xác nhận).")
    elif ctx.scored and ctx.decided is None and _has_middle_band(ctx.standard):
        sentences.append("Hộ có mức sống trung bình chỉ xác định được theo thu nhập thực tế.")
    sentences.append(
        f"Kết luận: {ctx.classification.label_vi} theo {ctx.standard.legal_basis_vi}, "
        f"khu vực {area}."
    )
    if ctx.unconfirmed:
        sentences.append(
            f"Lưu ý: kết quả dựa trên tham số chưa xác nhận: {', '.join(ctx.unconfirmed)}."
        )
    if ctx.unconfirmed_indicators:
        names = "; ".join(i.name_vi for i in ctx.unconfirmed_indicators)
        sentences.append(
            f"Lưu ý: kết quả dựa trên chỉ số có định nghĩa chưa được xác nhận: {names}."
        )
    return " ".join(sentences)


def explain_en(ctx: ExplainContext) -> str:
    area = ctx.area.value
    unit = "points" if ctx.scored else "VND"

    def threshold(key: str, amount: int) -> str:
        label = _THRESHOLD_LABELS[ctx.suffix(key)][1]
        mark = ""
        if key in ctx.unconfirmed:
            mark = " (unconfirmed)"
        elif key in ctx.overridden:
            mark = " (adjusted)"
        return f"the {area} {label} of {format_vnd(amount, 'en')} {unit}{mark}"

    if ctx.scored:
        subject = f"B1 score {ctx.value} points"
    else:
        subject = f"Income per person {format_vnd(ctx.value, 'en')} VND/month"
    previous, last = ctx.compared()
    if ctx.decided is None:
        comparison = f"above {threshold(*last)}"
    elif previous is None:
        comparison = f"not above {threshold(*last)}"
    else:
        comparison = f"above {threshold(*previous)} and not above {threshold(*last)}"

    tested = ctx.decided is not None and ctx.decided.kind is BandKind.DEPRIVATION_TEST
    qualifier = ""
    if tested:
        qualifier = (
            f" ({ctx.cutoff} or more)"
            if ctx.classification is Classification.POOR
            else f" (fewer than {ctx.cutoff})"
        )
    count = len(ctx.deprived)
    names = "; ".join(i.name_en for i in ctx.deprived)
    if ctx.deprived:
        plural = "indicator" if count == 1 else "indicators"
        deprivation = f"deprived in {count} {plural}{qualifier}: {names}"
    else:
        deprivation = f"no deprivations{qualifier}"
    if ctx.scored:
        deprivation = f"B2 score {ctx.b2_score} points, {deprivation}"

    sentences = [f"{subject}, {comparison}; {deprivation}."]
    if ctx.decided is not None and ctx.decided.kind is BandKind.POOR_ON_INCOME:
        sentences.append("Poor on income alone, whatever the number of deprivations.")
    elif not tested and ctx.deprived:
        level = "score" if ctx.scored else "income"
        sentences.append(f"The deprivations do not change the result at this {level}.")
    if ctx.missing_middle:
        sentences.append("No middle-income band is known for this standard (unconfirmed).")
    elif ctx.scored and ctx.decided is None and _has_middle_band(ctx.standard):
        sentences.append("Middle-income status can only be determined from measured income.")
    sentences.append(
        f"Result: {ctx.classification.label_en} under {ctx.standard.legal_basis_en}, {area} area."
    )
    if ctx.unconfirmed:
        sentences.append(
            f"Note: the result relies on unconfirmed parameters: {', '.join(ctx.unconfirmed)}."
        )
    if ctx.unconfirmed_indicators:
        names = "; ".join(i.name_en for i in ctx.unconfirmed_indicators)
        which = (
            "an indicator whose definition is"
            if len(ctx.unconfirmed_indicators) == 1
            else "indicators whose definitions are"
        )
        sentences.append(f"Note: the result relies on {which} not confirmed: {names}.")
    return " ".join(sentences)


def _has_middle_band(standard: Standard) -> bool:
    return any(band.kind is BandKind.MIDDLE_INCOME for band in standard.income_bands)
