"""The project's URLs plus views that fail, to see the error pages a real failure shows."""

from django.core.exceptions import BadRequest
from django.urls import path

from registry.urls import handler403
from registry.urls import urlpatterns as project_urlpatterns

__all__ = ["handler403", "urlpatterns"]


def server_error(request):
    raise RuntimeError("a bug")


def bad_request(request):
    raise BadRequest("unreadable")


urlpatterns = [
    path("test-500/", server_error),
    path("test-400/", bad_request),
    *project_urlpatterns,
]
