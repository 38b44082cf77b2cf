"""HTML pages of the review campaign (Decision 24/2021/QĐ-TTg): campaigns and their progress,
village meetings, public posting, objections, the chair's recognition, certificates and the
monthly requests.

Reads go through the campaign selectors or `visible_to(user)` (an object outside the user's area
answers 404); writes go through households.campaign.services, whose ValidationError is shown
beside the fields and whose PermissionDenied answers 403. These views only translate between the
two.
"""

from households.campaign.views.campaigns import (
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_list,
    campaign_list_households,
    campaign_reopen,
)
from households.campaign.views.recognition import (
    certificate_detail,
    decision_detail,
    recognition_queue,
    review_return,
)
from households.campaign.views.requests import (
    request_create,
    request_list,
)
from households.campaign.views.steps import (
    meeting_create,
    meeting_detail,
    objection_create,
    objection_list,
    objection_resolve,
    posting_create,
    posting_list,
)

__all__ = [
    "campaign_close",
    "campaign_create",
    "campaign_detail",
    "campaign_list",
    "campaign_list_households",
    "campaign_reopen",
    "certificate_detail",
    "decision_detail",
    "meeting_create",
    "meeting_detail",
    "objection_create",
    "objection_list",
    "objection_resolve",
    "posting_create",
    "posting_list",
    "recognition_queue",
    "request_create",
    "request_list",
    "review_return",
]
