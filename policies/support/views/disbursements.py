"""Pages: disbursements."""

urlpatterns: list = []
