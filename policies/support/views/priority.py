"""Pages: priority."""

urlpatterns: list = []
