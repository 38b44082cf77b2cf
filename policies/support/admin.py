"""Admin views of support: read-only, so that every write goes through the services (and their
checks, history and actor); the pages and the API are where support is recorded."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Allocation,
    Disbursement,
    DisbursementBatch,
    Entitlement,
    PriorityList,
    Programme,
    ProgrammeParameter,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ParameterInline(admin.TabularInline):
    model = ProgrammeParameter
    extra = 0
    fields = ("key", "variant", "value", "unit", "valid_from", "valid_to", "confirmed", "source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name_vi", "benefit_kind", "beneficiary", "period_kind", "province")
    list_filter = ("benefit_kind", "beneficiary", "period_kind")
    search_fields = ("code", "name_vi", "name_en")
    inlines = [ParameterInline]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("programme", "year", "unit", "quantity", "amount", "changed_by", "changed_at")
    list_filter = ("year", "programme")
    list_select_related = ("programme", "unit", "changed_by")


@admin.register(PriorityList)
class PriorityListAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("programme", "year", "commune", "status", "meeting_on")
    list_select_related = ("programme", "commune")


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ("programme", "household", "member", "basis", "valid_from", "valid_to")
    list_select_related = ("programme", "household", "member")
    list_filter = ("programme", "basis")


@admin.register(DisbursementBatch)
class DisbursementBatchAdmin(ReadOnlyAdmin):
    list_display = ("programme", "commune", "period", "paid_count", "skipped_count", "created_at")
    list_select_related = ("programme", "commune")


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ("programme", "household", "member", "period", "kind", "quantity", "amount")
    list_filter = ("programme", "kind")
    list_select_related = ("programme", "household", "member")
    search_fields = ("household__code", "reference")
