"""Households, members and reviews (`household`), and the review campaign (`campaign`)."""

from households.campaign.models import (
    Campaign,
    CampaignExtension,
    Certificate,
    DistrictConsultation,
    ListClosure,
    MeetingVote,
    Objection,
    Posting,
    RecognitionDecision,
    ReviewRequest,
    ReviewStep,
    StatusChange,
    VillageMeeting,
)

from .household import Household, Member, Review

__all__ = [
    "Campaign",
    "CampaignExtension",
    "Certificate",
    "DistrictConsultation",
    "Household",
    "ListClosure",
    "MeetingVote",
    "Member",
    "Objection",
    "Posting",
    "RecognitionDecision",
    "Review",
    "ReviewRequest",
    "ReviewStep",
    "StatusChange",
    "VillageMeeting",
]
