"""URLs of the review campaign pages, in the households namespace (mounted at /households/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path(
        "campaigns/<int:pk>/list-households/",
        views.campaign_list_households,
        name="campaign-list-households",
    ),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign-close"),
    path("campaigns/<int:pk>/extend/", views.campaign_extend, name="campaign-extend"),
    path(
        "campaigns/<int:pk>/consultation/",
        views.consultation_create,
        name="consultation-create",
    ),
    path("campaigns/<int:pk>/reopen/", views.campaign_reopen, name="campaign-reopen"),
    path("campaigns/<int:pk>/meeting/", views.meeting_create, name="meeting-create"),
    path(
        "campaigns/<int:pk>/meetings/<int:meeting_pk>/",
        views.meeting_detail,
        name="meeting-detail",
    ),
    path("campaigns/<int:pk>/posting/", views.posting_create, name="posting-create"),
    path("campaigns/<int:pk>/posting-list/", views.posting_list, name="posting-list"),
    path("objections/", views.objection_list, name="objection-list"),
    path("objections/new/", views.objection_create, name="objection-create"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection-resolve"),
    path("recognition/", views.recognition_queue, name="recognition-queue"),
    path("recognition/<int:pk>/return/", views.review_return, name="review-return"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate-detail"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
]
