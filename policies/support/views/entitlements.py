"""Pages: entitlements."""

urlpatterns: list = []
