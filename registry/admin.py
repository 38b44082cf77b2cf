"""Django admin for setting up units, users and their assignments."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AdminUnit, Assignment, UnitSuccession, User

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
