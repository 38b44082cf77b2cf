"""API views of the review campaign (Decision 24/2021/QĐ-TTg): scoped reads through the campaign
selectors or `visible_to`, every write through a service of `households.campaigns`.

A service's ValidationError becomes a 400 keyed by field ("votes.<review id>",
"reviews.<review id>"), its PermissionDenied a 403, through the one exception handler.
"""

from ._common import (
    FORBIDDEN,
    NOT_FOUND,
    WRITE_ERRORS,
    ServiceWriteMixin,
)
from .campaigns import (
    CampaignViewSet,
)
from .recognition import (
    CampaignReviewViewSet,
    CertificateViewSet,
    ChairQueueViewSet,
    DecisionViewSet,
)
from .requests import (
    RequestViewSet,
    StatusChangeViewSet,
)
from .steps import (
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
    "DecisionViewSet",
    "MeetingViewSet",
    "ObjectionViewSet",
    "PostingViewSet",
    "RequestViewSet",
    "ServiceWriteMixin",
    "StatusChangeViewSet",
]
