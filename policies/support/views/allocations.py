"""Pages: allocations."""

urlpatterns: list = []
