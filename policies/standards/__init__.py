"""Vietnam's national multidimensional poverty standards as plain Python.

One module per standard (``qd59_2015``, ``nd07_2021``, ``nd351_2025``) holds its numbers and
indicator catalogue as data with the legal source of each; ``engine`` applies them. A review's
list year picks the standard (``standard_for_list_year``); ``Standard.classify`` turns a
household's facts into a ``Verdict`` that explains itself in Vietnamese and English.
No Django import anywhere in this package. See docs/standards.md.
"""

from .base import (
    AreaType,
    Classification,
    Disagreement,
    HouseholdFacts,
    Indicator,
    MemberFacts,
    Parameter,
    StandardError,
    Verdict,
)
from .bulk import BulkClassifier, BulkVerdict, explanations
from .compare import ClassificationFlow, Comparison, compare_standards, translate_deprivations
from .engine import MAX_B1_SCORE, Standard
from .explain import format_vnd
from .procedure import POSTING_MIN_DAYS, PROCEDURE, Procedure
from .registry import (
    all_standards,
    get_standard,
    list_year_for_review_date,
    standard_for_list_year,
)

__all__ = [
    "MAX_B1_SCORE",
    "POSTING_MIN_DAYS",
    "PROCEDURE",
    "AreaType",
    "BulkClassifier",
    "BulkVerdict",
    "Classification",
    "ClassificationFlow",
    "Comparison",
    "Disagreement",
    "HouseholdFacts",
    "Indicator",
    "MemberFacts",
    "Parameter",
    "Procedure",
    "Standard",
    "StandardError",
    "Verdict",
    "all_standards",
    "compare_standards",
    "explanations",
    "format_vnd",
    "get_standard",
    "list_year_for_review_date",
    "standard_for_list_year",
    "translate_deprivations",
]
