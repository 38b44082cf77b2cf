"""URLs of the support pages, in the "support" namespace (mounted at /support/)."""

from .views import allocations, disbursements, entitlements, priority

app_name = "support"

urlpatterns = [
    *allocations.urlpatterns,
    *disbursements.urlpatterns,
    *priority.urlpatterns,
    *entitlements.urlpatterns,
]
