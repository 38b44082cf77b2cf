"""Routes of the yearly report, for the "reports" namespace (mounted at /reports/)."""

from django.urls import path

from .views import yearly

urlpatterns = [
    path("units/<int:pk>/yearly/", yearly.yearly_report, name="yearly"),
    path("units/<int:pk>/yearly/xlsx/", yearly.yearly_report_xlsx, name="yearly-xlsx"),
    path("units/<int:pk>/yearly/entries/", yearly.yearly_entries, name="yearly-entries"),
]
