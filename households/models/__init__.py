"""Households, members and reviews (`household`), the status in force per list year and its
periods within the year (`status`), the bulk imports (`imports`), and the review campaign
(`campaign`)."""

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

from .audit import AuditAction, AuditEntry
from .household import Household, Member, Review
from .imports import ImportBatch
from .status import HouseholdYear, StatusPeriod

__all__ = [
    "AuditAction",
    "AuditEntry",
    "Campaign",
    "CampaignExtension",
    "Certificate",
    "DistrictConsultation",
    "Household",
    "HouseholdYear",
    "ImportBatch",
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
    "StatusPeriod",
    "VillageMeeting",
]

# --- interchange: jobs ---
from .jobs import Job

__all__ += ["Job"]

# --- writes: household codes and submissions taking effect once ---
from .writes import HouseholdCodeCounter, Submission  # noqa: E402

__all__ += ["HouseholdCodeCounter", "Submission"]
