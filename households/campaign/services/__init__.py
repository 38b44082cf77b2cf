"""Services of the review campaign (Decision 24/2021/QĐ-TTg): open and extend, list, meet,
post, object, consult the district (three-level scheme), recognise, close and reopen, and the
monthly requests.

Each service checks the actor's role at the unit through the one scoping function, validates,
writes inside a transaction and moves reviews only through `apply_move`, which checks the move
against the state machine (households.campaign.workflow) and records the step.
"""

from households.campaign.services._common import (
    CERTIFIED,
    MONTHLY_CYCLE_DAY,
    MONTHLY_DECISION_DAYS,
    PERIODIC_CLOSES,
    PERIODIC_OPENS,
    apply_move,
    posting_days,
    posting_minimum,
    statutory_window,
    three_level,
)
from households.campaign.services.closing import (
    list_close,
    list_reopen,
)
from households.campaign.services.consultation import consultation_record
from households.campaign.services.moves import (
    household_move_in,
    household_move_out,
)
from households.campaign.services.opening import (
    campaign_extend,
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
    posting_minimum_message,
    posting_record,
    review_return,
)

__all__ = [
    "CERTIFIED",
    "MONTHLY_CYCLE_DAY",
    "MONTHLY_DECISION_DAYS",
    "PERIODIC_CLOSES",
    "PERIODIC_OPENS",
    "apply_move",
    "campaign_extend",
    "campaign_list_households",
    "campaign_open",
    "consultation_record",
    "household_move_in",
    "household_move_out",
    "list_close",
    "list_reopen",
    "meeting_record",
    "monthly_cycle",
    "objection_record",
    "objection_resolve",
    "posting_days",
    "posting_minimum",
    "posting_minimum_message",
    "posting_record",
    "recognition_decide",
    "request_record",
    "review_refuse",
    "review_return",
    "statutory_window",
    "three_level",
]
