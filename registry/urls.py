"""Project URLs."""

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import health, views

# 400, 404 and 500 are Django's handlers rendering our templates (templates/400.html, ...).
handler403 = "registry.errors.permission_denied"

# The API documentation is vendored (drf-spectacular's templates, Swagger UI, ReDoc): its pages
# carry a <style> block and ReDoc injects <style> elements as it renders (styled-components), so
# these two views alone add 'unsafe-inline' to style-src; their scripts stay 'self' only.
# Everything else is style-src 'self' (CONTENT_SECURITY_POLICY, tests/access/test_csp.py).
docs_inline_styles = csp_update({"style-src": ["'unsafe-inline'"]})

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/villages/", views.village_add, name="village-add"),
    # --- secure: API tokens ---
    path("account/tokens/", views.token_list, name="token-list"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("households/", include("households.urls")),
    path("support/", include("policies.support.urls")),
    # --- reports: dashboards ---
    path("reports/", include("reports.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("registry.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path(
        "api/docs/",
        docs_inline_styles(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    # --- ops: health ---
    path("health/", health.health, name="health"),
    path(
        "api/redoc/",
        docs_inline_styles(SpectacularRedocView.as_view(url_name="schema")),
        name="api-redoc",
    ),
]
