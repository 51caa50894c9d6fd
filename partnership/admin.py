"""The Django admin for superusers: people, the board and alliances, and roles.

Officers work in the app's own pages, which go through the services. Here roles are
read-only (with their history) so that no admin edit skips the rules in partnership/services.py.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm

from kernel.admin import ReadOnly, SuperusersOnly
from kernel.admin_history import HistoryAdmin

from .models import Alliance, Partnership, RoleAssignment, User


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
