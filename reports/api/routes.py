"""Registers the KPI viewsets on the /api/v1/ router."""

from .views import KpiViewSet, OpenKpiViewSet


def register(router) -> None:
    # /api/v1/kpis/units/{unit_id}/, .../children/, .../series/
    router.register("kpis/units", KpiViewSet, basename="kpi-unit")
    # /api/v1/open/kpis/units/{unit_id}/, .../children/ (off unless OPEN_DATA_ENABLED)
    router.register("open/kpis/units", OpenKpiViewSet, basename="open-kpi-unit")
