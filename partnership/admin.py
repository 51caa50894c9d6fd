"""The Django admin for superusers: people, the board and alliances, roles and jobs.

Officers work in the app's own pages, which go through the services. Here roles and jobs are
read-only (with their history) so that no admin edit skips the rules in partnership/services.py.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm

from .admin_history import HistoryAdmin
from .models import Alliance, Job, Partnership, RoleAssignment, User


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


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ("role", "alliance", "cluster", "school", "starts_on", "ends_on", "granted_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(SuperusersOnly, DjangoUserAdmin):
    """People sign in with their email address; invite them from the People page."""

    ordering = ("last_name", "first_name", "email")
    list_display = ("email", "first_name", "last_name", "organisation", "is_active", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "first_name", "last_name", "organisation")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "job_title", "organisation")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_form = UserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = [RoleAssignmentInline]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # Deleting a person would delete their roles: close the account instead.
        return False


@admin.register(Partnership)
class PartnershipAdmin(SuperusersOnly, HistoryAdmin):
    list_display = ("name", "la_codes")

    def has_add_permission(self, request):
        # One partnership per installation.
        return request.user.is_superuser and not Partnership.objects.exists()

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Alliance)
class AllianceAdmin(ReadOnly, HistoryAdmin):
    """Alliances change through the Structure pages; here they can be read with history."""

    list_display = ("name", "partnership", "created_on", "closed_on")
    list_filter = ("closed_on",)
    search_fields = ("name",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnly, HistoryAdmin):
    """Roles are given and ended on the People pages, which check the rules."""

    list_display = ("user", "role", "scope", "starts_on", "ends_on", "granted_by")
    list_filter = ("role",)
    search_fields = ("user__email", "user__first_name", "user__last_name", "nominated_by")
    list_select_related = ("user", "alliance", "cluster", "school", "granted_by")
    date_hierarchy = "starts_on"


@admin.register(Job)
class JobAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("pk", "kind", "state", "progress", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "state")
    list_select_related = ("created_by",)
