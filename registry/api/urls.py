"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import AdminUnitViewSet

router = DefaultRouter()
router.register("units", AdminUnitViewSet, basename="unit")

urlpatterns = [path("", include(router.urls))]
