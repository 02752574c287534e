"""The sign-in records (身份鉴别): password state, password history (dates only, never the hash) and
login sessions, read-only. A reset is made on the account's page (its password form), which forces
the owner to change the password at the next login."""

from __future__ import annotations

from django.contrib import admin

from governance.models import PasswordHistory, PasswordState, UserSession


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PasswordState)
class PasswordStateAdmin(ReadOnly):
    list_display = ("user", "must_change", "changed_at")
    search_fields = ("user__username",)


@admin.register(PasswordHistory)
class PasswordHistoryAdmin(ReadOnly):
    list_display = ("user", "created_at")
    fields = ("user", "created_at")
    search_fields = ("user__username",)


@admin.register(UserSession)
class UserSessionAdmin(ReadOnly):
    list_display = ("user", "created_at", "ip", "user_agent")
    fields = ("user", "created_at", "ip", "user_agent")
    search_fields = ("user__username",)
