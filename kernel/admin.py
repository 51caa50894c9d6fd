"""Admin plumbing every app's admin uses, and the read-only list of background jobs."""

from django.contrib import admin

from .models import Job


class SuperusersOnly:
    """Only superusers reach these pages, whatever permissions a staff account holds."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class ReadOnly(SuperusersOnly):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("pk", "kind", "state", "progress", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "state")
    list_select_related = ("created_by",)
