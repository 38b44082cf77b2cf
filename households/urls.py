"""URLs of the household pages (mounted at /households/)."""

from django.urls import path

from . import campaign_views, views

app_name = "households"

urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="household-list"),
    path("new/", views.household_create, name="household-create"),
    path("classify/", views.classify_preview, name="classify-preview"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("<int:pk>/move-out/", views.household_move_out, name="household-move-out"),
    path("<int:pk>/explanation/", views.household_explanation, name="household-explanation"),
]

# The review campaign (Decision 24/2021/QĐ-TTg): households.campaign_views.
urlpatterns += [
    path("campaigns/", campaign_views.campaign_list, name="campaign-list"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    path(
        "campaigns/<int:pk>/list-households/",
        campaign_views.campaign_list_households,
        name="campaign-list-households",
    ),
    path("campaigns/<int:pk>/close/", campaign_views.campaign_close, name="campaign-close"),
    path("campaigns/<int:pk>/reopen/", campaign_views.campaign_reopen, name="campaign-reopen"),
    path("campaigns/<int:pk>/meeting/", campaign_views.meeting_create, name="meeting-create"),
    path(
        "campaigns/<int:pk>/meetings/<int:meeting_pk>/",
        campaign_views.meeting_detail,
        name="meeting-detail",
    ),
    path("campaigns/<int:pk>/posting/", campaign_views.posting_create, name="posting-create"),
    path("campaigns/<int:pk>/posting-list/", campaign_views.posting_list, name="posting-list"),
    path("objections/", campaign_views.objection_list, name="objection-list"),
    path("objections/new/", campaign_views.objection_create, name="objection-create"),
    path(
        "objections/<int:pk>/resolve/", campaign_views.objection_resolve, name="objection-resolve"
    ),
    path("recognition/", campaign_views.recognition_queue, name="recognition-queue"),
    path("recognition/<int:pk>/return/", campaign_views.review_return, name="review-return"),
    path("decisions/<int:pk>/", campaign_views.decision_detail, name="decision-detail"),
    path("certificates/<int:pk>/", campaign_views.certificate_detail, name="certificate-detail"),
    path("requests/", campaign_views.request_list, name="request-list"),
    path("requests/new/", campaign_views.request_create, name="request-create"),
]
