"""Services of the review campaign (Decision 24/2021/QĐ-TTg): open, list, meet, post, object,
recognise, close and reopen, and the monthly requests.

Each service checks the actor's role at the unit through the one scoping function, validates,
writes inside a transaction and records the step with who made it and when.
"""

from households.campaign.services._common import (
    CERTIFIED,
    MONTHLY_CYCLE_DAY,
    MONTHLY_DECISION_DAYS,
    PERIODIC_CLOSES,
    PERIODIC_OPENS,
)
from households.campaign.services.closing import (
    list_close,
    list_reopen,
)
from households.campaign.services.moves import (
    household_move_in,
    household_move_out,
)
from households.campaign.services.opening import (
    campaign_list_households,
    campaign_open,
)
from households.campaign.services.recognition import (
    recognition_decide,
    review_refuse,
)
from households.campaign.services.requests import (
    monthly_cycle,
    request_record,
)
from households.campaign.services.steps import (
    meeting_record,
    objection_record,
    objection_resolve,
    posting_record,
    review_return,
)

__all__ = [
    "CERTIFIED",
    "MONTHLY_CYCLE_DAY",
    "MONTHLY_DECISION_DAYS",
    "PERIODIC_CLOSES",
    "PERIODIC_OPENS",
    "campaign_list_households",
    "campaign_open",
    "household_move_in",
    "household_move_out",
    "list_close",
    "list_reopen",
    "meeting_record",
    "monthly_cycle",
    "objection_record",
    "objection_resolve",
    "posting_record",
    "recognition_decide",
    "request_record",
    "review_refuse",
    "review_return",
]
