"""The admin reads minutes; approved revisions are locked here as everywhere (R-MI-3)."""

from __future__ import annotations

from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .models import ArchiveExport, Minutes, MinutesCounter, Query, Recipient, Revision, RevisionStatus


class MinutesAdminBase(GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_per_page = 50


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = ("number", "status", "title", "drafted_by", "approved_by", "approved_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    fields = ("person", "reason", "sent_at", "read_at", "read_revision")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(MinutesAdminBase):
    list_display = ("meeting", "number", "status", "due", "distributed_at", "filed_at", "reviewed_at", "archived_at")
    list_filter = ("status", "issuing_unit", "year")
    search_fields = ("meeting__title",)
    list_select_related = ("meeting", "issuing_unit")
    readonly_fields = ("meeting", "issuing_unit", "status", "year", "sequence", "due", "due_fallback", "distributed_at",
                       "filed_at", "received_by", "received_at", "reviewed_by", "reviewed_at", "archived_at")
    inlines = [RevisionInline, RecipientInline]


@admin.register(Revision)
class RevisionAdmin(MinutesAdminBase):
    list_display = ("minutes", "number", "status", "title", "approved_at")
    list_filter = ("status",)
    search_fields = ("title",)
    list_select_related = ("minutes__meeting", "minutes__issuing_unit")
    readonly_fields = ("minutes", "number", "status", "drafted_by", "submitted_at", "approved_by", "approved_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == RevisionStatus.APPROVED:
            return [f.name for f in Revision._meta.concrete_fields]
        return super().get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # Approved revisions are view-only: the admin shows them and refuses a save with 403.
        if obj is not None and obj.status == RevisionStatus.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == RevisionStatus.APPROVED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Recipient)
class RecipientAdmin(MinutesAdminBase):
    list_display = ("person", "minutes", "reason", "sent_at", "read_at")
    list_select_related = ("person", "minutes__meeting", "minutes__issuing_unit")
    readonly_fields = ("minutes", "person", "reason", "sent_at", "read_at", "read_revision")


@admin.register(Query)
class QueryAdmin(MinutesAdminBase):
    list_display = ("minutes", "author", "is_answer", "created_at")
    list_select_related = ("minutes__meeting", "minutes__issuing_unit", "author")
    readonly_fields = ("minutes", "author", "is_answer")


@admin.register(MinutesCounter)
class MinutesCounterAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "last")
    readonly_fields = ("unit", "year", "last")  # numbers are taken only at approval, under a lock

    def has_add_permission(self, request):
        return False


@admin.register(ArchiveExport)
class ArchiveExportAdmin(admin.ModelAdmin):
    list_display = ("year", "unit", "requested_by", "status", "done", "total", "requested_at")
    list_filter = ("status", "year")
    readonly_fields = ("bureau", "unit", "year", "requested_by", "status", "done", "total", "file", "error", "finished_at")
