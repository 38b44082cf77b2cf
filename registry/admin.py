"""Django admin for setting up units, users and their assignments."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AdminUnit, ApiToken, Assignment, UnitSuccession, User

admin.site.site_header = _("Ansinh administration")
admin.site.site_title = _("Ansinh administration")
admin.site.index_title = _("Users, units, standards and registry data")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [AssignmentInline]
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("phone",)}))


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "scheme", "division_type", "area_type", "valid_to"]
    list_filter = ["scheme", "level", "area_type", "division_type"]
    search_fields = ["name", "name_search", "code"]
    readonly_fields = ["path", "depth"]
    raw_id_fields = ["parent"]

    def has_delete_permission(self, request, obj=None):
        # Units are never deleted while anything refers to them (PROTECT); end them with valid_to.
        return False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["old_unit", "new_unit", "kind", "effective_date"]
    list_filter = ["kind"]
    raw_id_fields = ["old_unit", "new_unit"]
    search_fields = ["old_unit__name_search", "new_unit__name_search", "old_unit__code"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["unit", "user"]
    search_fields = ["user__username", "unit__name"]


# --- secure: API tokens ---
@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners on their tokens page; here an administrator only sees
    and revokes them (the token itself is never stored)."""

    list_display = ["name", "user", "token_key", "created", "expiry"]
    search_fields = ["name", "user__username", "token_key"]
    fields = readonly_fields = ["name", "user", "token_key", "created", "expiry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
