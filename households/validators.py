"""Validation of personal ID numbers (số định danh cá nhân, CCCD)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Decree 137/2015/NĐ-CP art. 7 (as amended): the 12-digit personal ID number is
# 3 digits of the province of birth registration, 1 digit of century and sex, 2 digits of the
# year of birth, then 6 random digits. Century/sex digit: 0/1 = 20th century male/female,
# 2/3 = 21st century, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th.
ID_LENGTH = 12
# Province codes of birth registration are the 63 legacy province codes (001-096).
LEGACY_PROVINCE_CODES = frozenset(
    {
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35,
        36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70,
        72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    }
)  # fmt: skip


def normalise_id_number(value: str | None) -> str:
    """Strip spaces and dots that people type between groups of digits."""
    return "".join(ch for ch in (value or "") if ch not in " .-")


def validate_id_number(
    value: str, *, birth_year: int | None = None, sex: str | None = None
) -> None:
    """Check length, digits, province code and, when known, birth year and sex."""
    if len(value) != ID_LENGTH or not value.isdigit():
        raise ValidationError(
            _("The ID number must have exactly 12 digits (you typed %(n)d characters).")
            % {"n": len(value)},
            code="id_length",
        )
    if int(value[:3]) not in LEGACY_PROVINCE_CODES:
        raise ValidationError(
            _("The ID number starts with %(code)s, which is not a province code.")
            % {"code": value[:3]},
            code="id_province",
        )
    digit = int(value[3])
    if birth_year is not None:
        century = 1900 + 100 * (digit // 2)
        year = century + int(value[4:6])
        if year != birth_year:
            raise ValidationError(
                _("The ID number is of someone born in %(year)d, not %(birth_year)d.")
                % {"year": year, "birth_year": birth_year},
                code="id_birth_year",
            )
    if sex is not None:
        id_sex = "female" if digit % 2 else "male"
        if id_sex != sex:
            raise ValidationError(
                _("The ID number does not match the member's sex."), code="id_sex"
            )
