"""The admin for follow-up: actions, progress reports, preparations, quorum refusals; records the
workflow owns, view-only (see `base.RecordMixin`). An action is never deleted."""

from __future__ import annotations

from django.contrib import admin

from governance.admin.base import ReadOnlyInline, RecordAdmin, RecordModelAdmin
from governance.models import (  # noqa: E402
    AccountabilityCase,
    Action,
    Consultation,
    Preparation,
    ProgressReport,
    QuorumRefusal,
    RecordEntry,
    UnitOpinion,
)


class ProgressReportInline(ReadOnlyInline, admin.TabularInline):
    model = ProgressReport
    fields = ("author", "text", "created_at")
    readonly_fields = fields


@admin.register(Action)
class ActionAdmin(RecordAdmin):
    list_display = ("title", "kind", "owner_unit", "owner", "leader", "due", "status")
    list_filter = ("kind", "status", "owner_unit", "coordinator")
    search_fields = ("title", "problem")
    list_select_related = ("owner_unit", "owner", "leader")
    date_hierarchy = "due"
    inlines = [ProgressReportInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(RecordAdmin):
    list_display = ("action", "author", "created_at")
    list_select_related = ("action", "author")


@admin.register(Preparation)
class PreparationAdmin(RecordAdmin):
    list_display = ("meeting", "kind", "member", "other", "held_on", "created_at")
    list_filter = ("kind",)
    list_select_related = ("meeting", "member")


@admin.register(QuorumRefusal)
class QuorumRefusalAdmin(RecordModelAdmin):
    list_display = ("meeting", "topic", "members", "present", "required", "actor", "at")
    list_select_related = ("meeting", "topic", "actor")


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(RecordAdmin):
    """R-FU-8: view-only, and only for whoever is granted the model permission (no administrator role
    carries it: the cases are the Supervision Office's, on /accountability/)."""

    list_display = ("number", "responsible_unit", "responsible", "status", "measure", "opened_at")
    list_filter = ("status", "measure")
    list_select_related = ("responsible_unit", "responsible")


@admin.register(RecordEntry)
class RecordEntryAdmin(RecordAdmin):
    """R-MI-8: view-only; no administrator role carries its view permission (the record is read by
    the meeting's people and, for the party group, by grant: /meetings/<id>/record/)."""

    list_display = ("meeting", "topic", "speaker", "recorded_by", "recorded_at")
    list_select_related = ("meeting", "topic", "speaker", "recorded_by")


@admin.register(Consultation)
class ConsultationAdmin(RecordAdmin):
    list_display = ("topic", "member", "recorded_by", "recorded_at")
    list_select_related = ("topic", "member", "recorded_by")


@admin.register(UnitOpinion)
class UnitOpinionAdmin(RecordAdmin):
    list_display = ("topic", "unit", "recorded_by", "recorded_at")
    list_select_related = ("topic", "unit", "recorded_by")
