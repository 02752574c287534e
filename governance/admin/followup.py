"""The admin for follow-up: actions, progress reports, preparations, quorum refusals."""

from __future__ import annotations

from django.contrib import admin

from governance.admin.base import GovernanceAdmin
from governance.models import (  # noqa: E402  # noqa: E402
    Action,
    Preparation,
    ProgressReport,
    QuorumRefusal,
)


class ProgressReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    fields = ("author", "text", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(GovernanceAdmin):
    list_display = ("title", "kind", "owner_unit", "owner", "leader", "due", "status")
    list_filter = ("kind", "status", "owner_unit", "coordinator")
    search_fields = ("title", "problem")
    list_select_related = ("owner_unit", "owner", "leader")
    date_hierarchy = "due"
    readonly_fields = ("meeting", "topic", "status", "created_by", "done_at", "verified_by", "coordinator")
    inlines = [ProgressReportInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(GovernanceAdmin):
    list_display = ("action", "author", "created_at")
    list_select_related = ("action", "author")
    readonly_fields = ("action", "author")


@admin.register(Preparation)
class PreparationAdmin(GovernanceAdmin):
    list_display = ("meeting", "kind", "member", "other", "held_on", "created_at")
    list_filter = ("kind",)
    list_select_related = ("meeting", "member")
    readonly_fields = ("meeting", "member", "kind")


@admin.register(QuorumRefusal)
class QuorumRefusalAdmin(admin.ModelAdmin):
    list_display = ("meeting", "topic", "members", "present", "required", "actor", "at")
    list_select_related = ("meeting", "topic", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
