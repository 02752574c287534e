"""The admin for accounts, the system administrator's (三员分立).

Roles, groups, staff and superuser status and model permissions are not edited here: the security
administrator assigns and revokes the three roles on the security screen, and the role service sets
the account's group and staff status. The accounts of the three administrators and of superusers are
read-only here, so that no administrator takes over another's account (passwords of those accounts:
`manage.py changepassword`, by the operator).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from governance.models import AdminRole, AdminRoleAssignment

User = get_user_model()

if admin.site.is_registered(User):
    admin.site.unregister(User)
if admin.site.is_registered(Group):
    admin.site.unregister(Group)  # the roles' groups are kept by the role service, not by hand


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "name", "email", "is_active", "admin_role", "last_login")
    list_filter = ("is_active",)
    search_fields = ("username", "person__name", "first_name", "last_name", "email")
    list_select_related = ("person",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
        (_("状态与角色"), {"fields": ("is_active", "admin_role", "is_staff", "is_superuser", "groups")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("admin_role", "is_staff", "is_superuser", "groups", "last_login", "date_joined")
    filter_horizontal = ()

    def get_queryset(self, request):
        role = AdminRoleAssignment.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True).values("role")[:1]
        return super().get_queryset(request).annotate(_admin_role=Subquery(role))

    @admin.display(description=_("姓名"), ordering="person__name")
    def name(self, obj) -> str:
        person = getattr(obj, "person", None)
        return person.name if person else obj.get_full_name()

    @admin.display(description=_("管理员角色"))
    def admin_role(self, obj) -> str:
        role = getattr(obj, "_admin_role", None)
        if role is None and obj.pk and not hasattr(obj, "_admin_role"):
            role = AdminRoleAssignment.objects.filter(user=obj, revoked_at__isnull=True).values_list(
                "role", flat=True).first()
        return str(AdminRole(role).label) if role else "—"

    def _protected(self, obj) -> bool:
        return obj.is_superuser or AdminRoleAssignment.objects.filter(user=obj, revoked_at__isnull=True).exists()

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and self._protected(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and self._protected(obj):
            return False
        return super().has_delete_permission(request, obj)
