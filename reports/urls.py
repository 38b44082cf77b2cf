"""URLs of the report pages (mounted at /reports/)."""

from django.urls import path

from .views import dashboard, home

app_name = "reports"

urlpatterns = [
    path("", home.dashboard_home, name="home"),
    path("units/<int:pk>/", dashboard.unit_dashboard, name="unit-dashboard"),
]
