"""URLs of the household pages (mounted at /households/)."""

from django.urls import path

from households import views
from households.campaign import urls as campaign_urls

app_name = "households"

urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="household-list"),
    path("new/", views.household_create, name="household-create"),
    path("classify/", views.classify_preview, name="classify-preview"),
    path("export/", views.household_export, name="household-export"),
    path("interchange/template.xlsx", views.interchange_template, name="interchange-template"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("<int:pk>/move-out/", views.household_move_out, name="household-move-out"),
    path("<int:pk>/explanation/", views.household_explanation, name="household-explanation"),
]

# The review campaign (Decision 24/2021/QĐ-TTg) lives in households.campaign.
urlpatterns += campaign_urls.urlpatterns
