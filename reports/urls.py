"""URLs of the dashboards and the figures units enter for them (mounted at /reports/)."""

from django.urls import path

from . import urls_yearly
from .views import dashboard, entry, home

app_name = "reports"

urlpatterns = [
    path("", home.dashboard_home, name="home"),
    path("units/<int:pk>/", dashboard.unit_dashboard, name="unit-dashboard"),
    path("units/<int:pk>/residents/", entry.resident_count, name="resident-count"),
    path("units/<int:pk>/targets/", entry.target_list, name="target-list"),
    path("targets/<int:pk>/", entry.target_edit, name="target-edit"),
]

# --- reports: yearly --- (the same namespace and mount point)
urlpatterns += urls_yearly.urlpatterns
