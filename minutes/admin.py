"""The admin reads minutes, at most: every minutes record is the workflow's (R-MI-3), so nothing here
adds, changes, deletes or reverts one — a superuser included — and reading takes an explicit grant
(see `governance.admin.base.RecordMixin`). Corrections are new revisions, made on the minutes screens."""

from __future__ import annotations

from django.contrib import admin

from governance.admin.base import ReadOnlyInline, RecordAdmin, RecordModelAdmin

from .models import ArchiveExport, Minutes, MinutesCounter, Query, Recipient, Revision


class RevisionInline(ReadOnlyInline, admin.TabularInline):
    model = Revision
    fields = ("number", "status", "title", "drafted_by", "approved_by", "approved_at")
    readonly_fields = fields
    show_change_link = True


class RecipientInline(ReadOnlyInline, admin.TabularInline):
    model = Recipient
    fields = ("person", "reason", "sent_at", "read_at", "read_revision")
    readonly_fields = fields


@admin.register(Minutes)
class MinutesAdmin(RecordAdmin):
    list_display = ("meeting", "number", "status", "distributed_at", "filed_at", "reviewed_at", "archived_at")
    list_filter = ("status", "issuing_unit", "series", "year")
    search_fields = ("meeting__title",)
    list_select_related = ("meeting", "issuing_unit")
    inlines = [RevisionInline, RecipientInline]


@admin.register(Revision)
class RevisionAdmin(RecordAdmin):
    list_display = ("minutes", "number", "status", "title", "approved_at")
    list_filter = ("status",)
    search_fields = ("title",)
    list_select_related = ("minutes__meeting", "minutes__issuing_unit")


@admin.register(Recipient)
class RecipientAdmin(RecordAdmin):
    list_display = ("person", "minutes", "reason", "sent_at", "read_at")
    list_select_related = ("person", "minutes__meeting", "minutes__issuing_unit")


@admin.register(Query)
class QueryAdmin(RecordAdmin):
    list_display = ("minutes", "author", "is_answer", "created_at")
    list_select_related = ("minutes__meeting", "minutes__issuing_unit", "author")


@admin.register(MinutesCounter)
class MinutesCounterAdmin(RecordModelAdmin):
    list_display = ("unit", "series", "year", "last")  # numbers are taken only at approval, under a lock


@admin.register(ArchiveExport)
class ArchiveExportAdmin(RecordModelAdmin):
    list_display = ("year", "unit", "requested_by", "status", "done", "total", "requested_at")
    list_filter = ("status", "year")
    exclude = ("file",)  # the archive is downloaded by whoever asked for it, on the exports screen
