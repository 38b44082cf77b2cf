"""Pages of support, one module per area; each module declares its `urlpatterns`."""
