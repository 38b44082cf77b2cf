"""HTML pages for commune officers: the household list, page, form, live preview, explanation.

Every read goes through the scoped selectors (a household outside the user's area answers 404)
and every write through the services; these views only translate between forms and them.
"""

from .detail import (
    household_detail,
    household_move_out,
)
from .entry import (
    household_create,
    household_edit,
)
from .explanation import (
    household_explanation,
)
from .interchange import (
    household_export,
    interchange_template,
)
from .listing import (
    HouseholdListView,
)
from .preview import (
    classify_preview,
)

__all__ = [
    "HouseholdListView",
    "classify_preview",
    "household_create",
    "household_detail",
    "household_edit",
    "household_explanation",
    "household_export",
    "household_move_out",
    "interchange_template",
]
