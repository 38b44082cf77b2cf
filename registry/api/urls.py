"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from households.api.views import HouseholdViewSet, MemberViewSet, ReviewViewSet

from .views import AdminUnitViewSet

router = DefaultRouter()
router.register("units", AdminUnitViewSet, basename="unit")
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("reviews", ReviewViewSet, basename="review")

urlpatterns = [path("", include(router.urls))]
