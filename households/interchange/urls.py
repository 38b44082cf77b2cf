"""URLs of the import and export pages and of the jobs, mounted in the `households:` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_upload, name="import-upload"),
    path("export/job/", views.export_create, name="export-create"),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/report.csv", views.job_report, name="job-report"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
]
