"""API views of the review campaign (Decision 24/2021/QĐ-TTg): scoped reads through the campaign
selectors or `visible_to`, every write through a service of `households.campaign.services`.

A service's ValidationError becomes a 400 keyed by field ("votes.<review id>",
"reviews.<review id>"), its PermissionDenied a 403, through the one exception handler.
"""

from households.campaign.api.views._common import (
    FORBIDDEN,
    NOT_FOUND,
    WRITE_ERRORS,
    ServiceWriteMixin,
)
from households.campaign.api.views.campaigns import CampaignViewSet
from households.campaign.api.views.recognition import (
    CampaignReviewViewSet,
    CertificateViewSet,
    ChairQueueViewSet,
    DecisionViewSet,
)
from households.campaign.api.views.requests import (
    RequestViewSet,
    StatusChangeViewSet,
)
from households.campaign.api.views.steps import (
    ConsultationViewSet,
    MeetingViewSet,
    ObjectionViewSet,
    PostingViewSet,
)

__all__ = [
    "FORBIDDEN",
    "NOT_FOUND",
    "WRITE_ERRORS",
    "CampaignReviewViewSet",
    "CampaignViewSet",
    "CertificateViewSet",
    "ChairQueueViewSet",
    "ConsultationViewSet",
    "DecisionViewSet",
    "MeetingViewSet",
    "ObjectionViewSet",
    "PostingViewSet",
    "RequestViewSet",
    "ServiceWriteMixin",
    "StatusChangeViewSet",
]
