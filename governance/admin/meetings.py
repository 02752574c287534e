"""The admin for meetings: it reads them; state changes go through the workflow services only."""

from __future__ import annotations

from django.contrib import admin

from governance.admin.base import GovernanceAdmin
from governance.models import (  # noqa: E402  # noqa: E402
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


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("person", "role", "attendance", "signed_in_at", "notified_at")
    readonly_fields = ("attendance", "signed_in_at", "notified_at")
    autocomplete_fields = ("person",)


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ("order", "title", "category", "status", "proposer")
    readonly_fields = ("title", "category", "status", "proposer")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(GovernanceAdmin):
    list_display = ("title", "meeting_type", "unit", "starts_at", "place", "status", "notice_late")
    list_filter = ("bureau", "meeting_type__code", "status", "notice_late")
    search_fields = ("title", "place")
    date_hierarchy = "starts_at"
    list_select_related = ("meeting_type", "unit")
    readonly_fields = ("status", "notice_sent_at", "notice_late", "agenda_approved_at", "held_at", "created_at",
                       "bureau", "meeting_type", "unit", "scheduled_by")
    autocomplete_fields = ("convener", "chair", "recorder", "approver")
    raw_id_fields = ("called_by",)
    inlines = [ParticipantInline, TopicInline]


@admin.register(Topic)
class TopicAdmin(GovernanceAdmin):
    list_display = ("title", "meeting", "category", "status", "proposer", "important")
    list_filter = ("status", "category__meeting_type__code", "important")
    search_fields = ("title",)
    list_select_related = ("meeting", "category", "proposer")
    readonly_fields = ("meeting", "status", "votes_for", "votes_against", "votes_abstain", "decided_at",
                       "carried_from", "proposer", "created_at")


@admin.register(Material)
class MaterialAdmin(GovernanceAdmin):
    list_display = ("original_name", "topic", "content_type", "size", "uploaded_by", "uploaded_at")
    search_fields = ("original_name",)
    list_select_related = ("topic", "uploaded_by")
    readonly_fields = ("topic", "file", "original_name", "content_type", "size", "sha256", "uploaded_by")


@admin.register(Vote)
class VoteAdmin(GovernanceAdmin):
    list_display = ("topic", "member", "choice", "recorded_by", "recorded_at")
    list_select_related = ("topic", "member", "recorded_by")
    readonly_fields = ("topic", "member", "choice", "recorded_by")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(GovernanceAdmin):
    list_display = ("participant", "reason", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("participant__person", "participant__meeting", "decided_by")
    readonly_fields = ("participant", "status", "decided_by", "decided_at")


@admin.register(Briefing)
class BriefingAdmin(GovernanceAdmin):
    list_display = ("participant", "due", "briefed_at", "method", "briefed_by")
    list_select_related = ("participant__person", "participant__meeting", "briefed_by")
    readonly_fields = ("participant", "due", "briefed_at", "briefed_by")


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "from_state", "to_state", "actor", "reason")
    list_filter = ("content_type", "to_state")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)
    readonly_fields = ("recipient", "kind", "meeting", "created_at", "read_at")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("person", "created_at")
    exclude = ("token",)  # the secret stays secret, even from admins; the owner can revoke and renew
    readonly_fields = ("person", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(Participant)
class ParticipantAdmin(GovernanceAdmin):
    list_display = ("person", "meeting", "role", "attendance", "signed_in_at")
    list_filter = ("role", "attendance")
    search_fields = ("person__username", "person__person__name", "meeting__title")
    list_select_related = ("person", "meeting")
    readonly_fields = ("meeting", "person", "role", "attendance", "signed_in_at", "signed_in_by", "notified_at")
