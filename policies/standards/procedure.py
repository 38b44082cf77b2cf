"""Decision 24/2021/QĐ-TTg: the numbers of the review procedure, as data with their sources.

Not a poverty standard: these numbers say how long the steps of the review take, not who is
poor. They use the standards' ``Parameter`` record, so ``load_standards`` mirrors them into the
catalogue (an unconfirmed one is flagged in the admin) and a system administrator can correct
an unconfirmed one nationally with an override, as for a standard's number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .base import Indicator, Parameter, StandardError, _is_int

# The minimum length of the public posting, in calendar days counting the first and last day.
POSTING_MIN_DAYS = "posting_min_days"
# Sanity bound of this software, not a legal number: the whole periodic review lasts about
# 105 days (1 September - 14 December), so a longer posting minimum is a typing error.
MAX_POSTING_MIN_DAYS = 60


@dataclass(frozen=True, eq=False)
class Procedure:
    """The numbers of a review procedure, shaped like a standard for the catalogue."""

    code: str
    legal_basis: str
    instrument_vi: str
    instrument_en: str
    name_vi: str
    name_en: str
    parameters: tuple[Parameter, ...]
    indicators: tuple[Indicator, ...] = ()

    @property
    def legal_basis_vi(self) -> str:
        return f"{self.instrument_vi} {self.legal_basis}"

    @property
    def legal_basis_en(self) -> str:
        return f"{self.instrument_en} {self.legal_basis.replace('Đ', 'D')}"

    def parameter(self, key: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.key == key:
                return parameter
        raise StandardError(f"{self.code} has no parameter {key!r}", field="parameter")

    def check_overrides(self, overrides: Mapping[str, int]) -> None:
        """Refuse an override the procedure does not allow; the message names the key."""
        for key, value in overrides.items():
            parameter = self.parameter(key)
            if parameter.confirmed:
                raise StandardError(
                    f"{key} is a confirmed national rule and cannot be overridden",
                    field="overrides",
                )
            if not _is_int(value) or value <= 0:
                raise StandardError(
                    f"override of {key} must be a positive whole number, got {value!r}",
                    field="overrides",
                )
            if key == POSTING_MIN_DAYS and value > MAX_POSTING_MIN_DAYS:
                raise StandardError(
                    f"{key} must be at most {MAX_POSTING_MIN_DAYS} days, got {value}",
                    field="overrides",
                )


PROCEDURE = Procedure(
    code="QD24-2021",
    legal_basis="24/2021/QĐ-TTg",
    instrument_vi="Quyết định",
    instrument_en="Decision",
    name_vi="Quy trình rà soát hộ nghèo, hộ cận nghèo",
    name_en="Procedure for reviewing poor and near-poor households",
    parameters=(
        Parameter(
            key=POSTING_MIN_DAYS,
            # UNCONFIRMED placeholder: 7 calendar days never refuses a posting that the 7
            # working days of the 2016 procedure (domain.md [S51]) would accept.
            value=7,
            unit="days",
            source=(
                "Decision 24/2021/QĐ-TTg art. 4.4 (niêm yết, thông báo công khai): the posting "
                "period could not be read (domain-verified.md §4); 7 calendar days, first and "
                "last day counted, is a placeholder from the 2016 procedure's 7 working days"
            ),
            confirmed=False,
        ),
    ),
)
