"""Admin views of the reports: read-only. Summaries are derived (rebuild them with
`manage.py rebuild_summaries`); entered figures go through the pages and their services, which
check who may enter them and keep the history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from policies.support.admin import ReadOnlyAdmin

from .models import (
    DeprivationSummary,
    PovertyTarget,
    ReportEntry,
    ResidentCount,
    StatusSummary,
    SupportSummary,
)


@admin.register(StatusSummary)
class StatusSummaryAdmin(ReadOnlyAdmin):
    list_display = ("commune", "year", "households", "poor_households", "near_poor_households")
    list_filter = ("year",)
    search_fields = ("unit_path", "commune__name")


@admin.register(DeprivationSummary)
class DeprivationSummaryAdmin(ReadOnlyAdmin):
    list_display = ("commune", "year", "indicator", "households")
    list_filter = ("year", "indicator")


@admin.register(SupportSummary)
class SupportSummaryAdmin(ReadOnlyAdmin):
    list_display = ("commune", "year", "programme", "variant", "households", "amount")
    list_filter = ("year", "programme")


class _EnteredAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    pass


@admin.register(ResidentCount)
class ResidentCountAdmin(_EnteredAdmin):
    list_display = ("unit", "year", "households", "source", "entered_by", "entered_at")
    list_filter = ("year",)


@admin.register(ReportEntry)
class ReportEntryAdmin(_EnteredAdmin):
    list_display = ("unit", "year", "row", "value", "entered_by", "entered_at")
    list_filter = ("year", "row")


@admin.register(PovertyTarget)
class PovertyTargetAdmin(_EnteredAdmin):
    list_display = ("unit", "measure", "kind", "value", "from_year", "to_year", "basis")
