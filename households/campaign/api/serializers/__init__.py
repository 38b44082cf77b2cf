"""API representations of the review campaign (Decision 24/2021/QĐ-TTg) and the input each step
takes.

Output serializers read rows the selectors fetched; input serializers only check types and
choices and resolve ids to rows the user may see, then hand plain values to the services in
`households.campaign.services`, which hold every rule of the law.
"""

from households.campaign.api.serializers._common import (
    PROVINCE_NOT_FOUND,
    REVIEW_NOT_FOUND,
    UNIT_NOT_FOUND,
    AreaUnitField,
    ReviewField,
)
from households.campaign.api.serializers.campaigns import (
    CampaignCreateSerializer,
    CampaignExtendSerializer,
    CampaignExtensionSerializer,
    CampaignProgressSerializer,
    CampaignSerializer,
    CloseSerializer,
    CommuneProgressSerializer,
    ListClosureSerializer,
    ListedSerializer,
    ListHouseholdsSerializer,
    ProgressQuerySerializer,
    ProgressTotalsSerializer,
    ReopenSerializer,
)
from households.campaign.api.serializers.recognition import (
    CertificateSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    QueueEntrySerializer,
    RefuseSerializer,
    ReturnSerializer,
    ReviewStepSerializer,
)
from households.campaign.api.serializers.requests import (
    RequestCreateSerializer,
    RequestSerializer,
    StatusChangeSerializer,
)
from households.campaign.api.serializers.steps import (
    ConsultationCreateSerializer,
    ConsultationSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    MeetingVoteSerializer,
    ObjectionCreateSerializer,
    ObjectionResolveSerializer,
    ObjectionSerializer,
    PostingCreateSerializer,
    PostingMinimumSerializer,
    PostingSerializer,
    PublicListEntrySerializer,
    PublicListQuerySerializer,
    VoteInputSerializer,
)

__all__ = [
    "PROVINCE_NOT_FOUND",
    "REVIEW_NOT_FOUND",
    "UNIT_NOT_FOUND",
    "AreaUnitField",
    "CampaignCreateSerializer",
    "CampaignExtendSerializer",
    "CampaignExtensionSerializer",
    "CampaignProgressSerializer",
    "CampaignSerializer",
    "CertificateSerializer",
    "CloseSerializer",
    "CommuneProgressSerializer",
    "ConsultationCreateSerializer",
    "ConsultationSerializer",
    "DecisionCreateSerializer",
    "DecisionSerializer",
    "ListClosureSerializer",
    "ListHouseholdsSerializer",
    "ListedSerializer",
    "MeetingCreateSerializer",
    "MeetingSerializer",
    "MeetingVoteSerializer",
    "ObjectionCreateSerializer",
    "ObjectionResolveSerializer",
    "ObjectionSerializer",
    "PostingCreateSerializer",
    "PostingMinimumSerializer",
    "PostingSerializer",
    "ProgressQuerySerializer",
    "ProgressTotalsSerializer",
    "PublicListEntrySerializer",
    "PublicListQuerySerializer",
    "QueueEntrySerializer",
    "RefuseSerializer",
    "ReopenSerializer",
    "RequestCreateSerializer",
    "RequestSerializer",
    "ReturnSerializer",
    "ReviewField",
    "ReviewStepSerializer",
    "StatusChangeSerializer",
    "VoteInputSerializer",
]
