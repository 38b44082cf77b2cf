"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from households.api.views import HouseholdViewSet, MemberViewSet, ReviewViewSet
from households.campaign.api.views import (
    CampaignReviewViewSet,
    CampaignViewSet,
    CertificateViewSet,
    ChairQueueViewSet,
    ConsultationViewSet,
    DecisionViewSet,
    MeetingViewSet,
    ObjectionViewSet,
    PostingViewSet,
    RequestViewSet,
    StatusChangeViewSet,
)
from policies.support.api.routes import register as register_support
from reports.api.routes import register as register_reports

from .views import AdminUnitViewSet, api_not_found

# Route names live in the "api" namespace ("api:unit-detail"), apart from the pages' names
# ("unit-detail" is the page /units/N/).
app_name = "api"

router = DefaultRouter()
router.register("units", AdminUnitViewSet, basename="unit")
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("reviews", ReviewViewSet, basename="review")
# The review campaign (Decision 24/2021/QĐ-TTg).
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("postings", PostingViewSet, basename="posting")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("recognition/queue", ChairQueueViewSet, basename="chair-queue")
router.register("recognition/decisions", DecisionViewSet, basename="decision")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("campaign-reviews", CampaignReviewViewSet, basename="campaign-review")
router.register("requests", RequestViewSet, basename="review-request")
router.register("status-changes", StatusChangeViewSet, basename="status-change")

# Support: programmes, allocations, priority lists, entitlements, disbursements.
register_support(router)

# --- reports: api ---
# KPIs per unit and year, their series, and the open data (reports/api).
register_reports(router)

urlpatterns = [
    path("", include(router.urls)),
    # --- hostile: a path that names no endpoint answers 404 in JSON, not the HTML page ---
    re_path(r"^", api_not_found, name="not-found"),
]
