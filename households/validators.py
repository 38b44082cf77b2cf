"""Validation of personal ID numbers (số định danh cá nhân, CCCD)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
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


# The people's identity card (chứng minh nhân dân, Decree 05/1999/NĐ-CP) that came before the
# 12-digit personal ID had a 9-digit number; people still hand it in.
OLD_ID_CARD_LENGTH = 9


def normalise_id_number(value: str | None) -> str:
    """Strip the spaces, dots and dashes that people type between groups of digits."""
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".-")


def _quoted(chars: list[str]) -> str:
    return ", ".join(f"“{ch}”" for ch in dict.fromkeys(chars))


def _shape_errors(value: str) -> list[ValidationError]:
    """What keeps `value` from being 12 plain digits, each problem said once."""
    errors = []
    foreign_digits = [ch for ch in value if ch.isdigit() and not ch.isascii()]
    if foreign_digits:
        errors.append(
            ValidationError(
                _(
                    "The ID number contains %(chars)s, which are not the digits 0 to 9: type "
                    "them again with the 0-9 keys."
                )
                % {"chars": _quoted(foreign_digits)},
                code="id_non_ascii_digit",
            )
        )
    others = [ch for ch in value if not ch.isdigit()]
    if others:
        errors.append(
            ValidationError(
                _("The ID number has only digits: remove %(chars)s.") % {"chars": _quoted(others)},
                code="id_not_digits",
            )
        )
    digits = sum(1 for ch in value if ch.isdigit())
    if digits == OLD_ID_CARD_LENGTH and not others:
        errors.append(
            ValidationError(
                _(
                    "These 9 digits are the number of an old identity card (CMND): enter the "
                    "12-digit personal ID number instead."
                ),
                code="id_old_card",
            )
        )
    elif digits != ID_LENGTH:
        errors.append(
            ValidationError(
                _("The ID number has 12 digits; you typed %(n)d.") % {"n": digits},
                code="id_length",
            )
        )
    return errors


def _structure_errors(
    value: str, *, birth_year: int | None, sex: str | None, today: dt.date
) -> list[ValidationError]:
    """What in 12 digits does not follow Decree 137/2015/NĐ-CP art. 7, or the member's data."""
    errors = []
    if int(value[:3]) not in LEGACY_PROVINCE_CODES:
        errors.append(
            ValidationError(
                _(
                    "The ID number starts with %(code)s, which is not a province code: its first "
                    "3 digits are the province where the birth was registered."
                )
                % {"code": value[:3]},
                code="id_province",
            )
        )
    digit = int(value[3])
    year = 1900 + 100 * (digit // 2) + int(value[4:6])
    if year > today.year:
        errors.append(
            ValidationError(
                _(
                    "The ID number is of someone born in %(year)d, a year still to come: check "
                    "its 4th to 6th digits (century and year of birth)."
                )
                % {"year": year},
                code="id_future_birth_year",
            )
        )
    elif birth_year is not None and year != birth_year:
        errors.append(
            ValidationError(
                _("The ID number is of someone born in %(year)d, not %(birth_year)d.")
                % {"year": year, "birth_year": birth_year},
                code="id_birth_year",
            )
        )
    if sex is not None:
        id_sex = "female" if digit % 2 else "male"
        if id_sex != sex:
            errors.append(
                ValidationError(
                    _("The ID number does not match the member's sex (its 4th digit)."),
                    code="id_sex",
                )
            )
    return errors


def validate_id_number(
    value: str,
    *,
    birth_year: int | None = None,
    sex: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Check a normalised ID number; every problem is reported at once, each with its own message:
    characters that are not digits 0-9, the length, then the structure (province code, century
    and year of birth, sex) and, when known, whether it matches the member's birth year and sex."""
    errors = _shape_errors(value)
    if not errors:
        errors = _structure_errors(
            value, birth_year=birth_year, sex=sex, today=today or timezone.localdate()
        )
    if errors:
        raise ValidationError(errors)
