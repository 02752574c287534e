"""The admin for meetings: records the workflow owns. Nothing here adds, changes, deletes or reverts
them (docs/architecture.md, Writes: state changes go through the workflow services only); see
`base.RecordMixin` for who may read them here."""

from __future__ import annotations

from django.contrib import admin

from governance.admin.base import ReadOnlyInline, RecordAdmin, RecordModelAdmin
from governance.models import (  # noqa: E402
    Briefing,
    CalendarFeed,
    LeaveRequest,
    Material,
    Meeting,
    Notification,
    Participant,
    Topic,
    Transition,
    Vote,
)


class ParticipantInline(ReadOnlyInline, admin.TabularInline):
    model = Participant
    fields = ("person", "role", "attendance", "signed_in_at", "notified_at")
    readonly_fields = fields


class TopicInline(ReadOnlyInline, admin.TabularInline):
    model = Topic
    fields = ("order", "title", "category", "status", "proposer")
    readonly_fields = fields
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(RecordAdmin):
    list_display = ("title", "meeting_type", "unit", "starts_at", "place", "status")
    list_filter = ("bureau", "meeting_type__code", "status")
    search_fields = ("title", "place")
    date_hierarchy = "starts_at"
    list_select_related = ("meeting_type", "unit")
    inlines = [ParticipantInline, TopicInline]


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ("title", "meeting", "category", "status", "proposer", "important")
    list_filter = ("status", "category__meeting_type__code", "important")
    search_fields = ("title",)
    list_select_related = ("meeting", "category", "proposer")


@admin.register(Material)
class MaterialAdmin(RecordAdmin):
    list_display = ("original_name", "topic", "content_type", "size", "uploaded_by", "uploaded_at")
    search_fields = ("original_name",)
    list_select_related = ("topic", "uploaded_by")
    exclude = ("file",)  # downloaded through the topic's gate, not from here


@admin.register(Vote)
class VoteAdmin(RecordAdmin):
    list_display = ("topic", "member", "choice", "recorded_by", "recorded_at")
    list_select_related = ("topic", "member", "recorded_by")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(RecordAdmin):
    list_display = ("participant", "reason", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("participant__person", "participant__meeting", "decided_by")


@admin.register(Briefing)
class BriefingAdmin(RecordAdmin):
    list_display = ("participant", "briefed_at", "method", "briefed_by")  # the deadline is derived, not stored
    list_select_related = ("participant__person", "participant__meeting", "briefed_by")


@admin.register(Transition)
class TransitionAdmin(RecordModelAdmin):
    list_display = ("at", "content_type", "object_id", "from_state", "to_state", "actor", "reason")
    list_filter = ("content_type", "to_state")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "at"


@admin.register(Notification)
class NotificationAdmin(RecordModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(RecordModelAdmin):
    list_display = ("person", "created_at")
    exclude = ("token",)  # the secret stays secret, even from admins; the owner can revoke and renew


@admin.register(Participant)
class ParticipantAdmin(RecordAdmin):
    list_display = ("person", "meeting", "role", "attendance", "signed_in_at")
    list_filter = ("role", "attendance")
    search_fields = ("person__username", "person__person__name", "meeting__title")
    list_select_related = ("person", "meeting")
