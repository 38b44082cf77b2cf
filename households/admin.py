"""Admin views of households for system administrators; officers use the registry pages.

Changes here bypass the services' rules, so the admin is read-only for registry data; its
value is search and the change history (django-simple-history).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Household, HouseholdYear, ImportBatch, Member, Review, StatusPeriod


class ReadOnly:
    """No adding, changing or deleting through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    pass


class MemberInline(admin.TabularInline):
    model = Member
    fields = ["full_name", "relationship", "sex", "birth_year", "ethnicity", "left_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["code", "head_name", "commune", "village", "area_type", "status", "version"]
    list_filter = ["status", "area_type"]
    search_fields = ["code", "head_name_search", "members__id_number"]
    list_select_related = ["commune", "village"]
    inlines = [MemberInline]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "household", "relationship", "birth_year", "left_on"]
    search_fields = ["name_search", "id_number", "household__code"]
    list_select_related = ["household"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "household",
        "list_year",
        "kind",
        "standard_code",
        "computed_classification",
        "recognised_classification",
    ]
    list_filter = ["list_year", "kind", "standard_code", "recognised_classification"]
    search_fields = ["household__code"]
    list_select_related = ["household"]


@admin.register(HouseholdYear)
class HouseholdYearAdmin(ReadOnlyAdmin):
    list_display = [
        "household",
        "list_year",
        "classification",
        "review_kind",
        "persons",
        "is_ethnic_minority",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["list_year", "classification", "review_kind", "is_ethnic_minority"]
    search_fields = ["household__code"]
    list_select_related = ["household"]


@admin.register(StatusPeriod)
class StatusPeriodAdmin(ReadOnly, admin.ModelAdmin):
    """Derived rows without a history of their own (the statuses' history is the record)."""

    list_display = [
        "household",
        "list_year",
        "classification",
        "review_kind",
        "valid_from",
        "valid_to",
        "end_reason",
    ]
    list_filter = ["list_year", "classification", "review_kind"]
    search_fields = ["household__code"]
    list_select_related = ["household"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnly, admin.ModelAdmin):
    """Who imported which file when, and what it changed (its rows' history points to it)."""

    list_display = ["file_name", "actor", "started_at", "finished_at", "numbering"]
    list_filter = ["numbering"]
    search_fields = ["file_name", "sha256", "actor__username"]
    list_select_related = ["actor"]
