"""The Django admin for the organisation and the meeting types: history (simple-history) and object
permissions (guardian) on every model; meeting types validated by the same rules as `loadpresets`."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from . import admin_calendar  # noqa: F401  (registers the calendar models)
from .models import Appointment, Bureau, MeetingType, Person, RuleSource, TopicCategory, Unit
from .presentation import describe_meeting_type


class GovernanceAdmin(GuardedModelAdminMixin, SimpleHistoryAdmin):
    """History and object permissions for every governance model."""

    list_per_page = 50


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("code", "name", "short_name", "kind", "order", "active")
    show_change_link = True


@admin.register(Bureau)
class BureauAdmin(GovernanceAdmin):
    list_display = ("name", "code", "short_name", "cadence_since", "unit_count")
    search_fields = ("name", "code", "short_name")
    inlines = [UnitInline]

    @admin.display(description=_("处室/单位数"))
    def unit_count(self, obj):
        return obj.units.count()


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ("person", "post", "start", "end", "note")
    autocomplete_fields = ("person",)
    fk_name = "unit"


@admin.register(Unit)
class UnitAdmin(GovernanceAdmin):
    list_display = ("name", "short_name", "kind", "bureau", "order", "active")
    list_filter = ("bureau", "kind", "active")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("bureau",)
    inlines = [AppointmentInline]


@admin.register(Person)
class PersonAdmin(GovernanceAdmin):
    list_display = ("name", "user", "bureau", "current_posts")
    list_filter = ("bureau",)
    search_fields = ("name", "user__username", "phone")
    list_select_related = ("bureau", "user")
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__appointments__unit")

    @admin.display(description=_("现任职务"))
    def current_posts(self, obj):
        today = timezone.localdate()
        held = [a for a in obj.user.appointments.all() if a.start <= today and (a.end is None or a.end >= today)]
        return "、".join(str(a) for a in held) or "—"


@admin.register(Appointment)
class AppointmentAdmin(GovernanceAdmin):
    list_display = ("person_name", "post", "unit", "bureau", "start", "end")
    list_filter = ("bureau", "post", "unit__kind")
    search_fields = ("person__person__name", "person__username", "unit__name")
    list_select_related = ("person__person", "unit", "bureau")
    autocomplete_fields = ("person", "unit")
    date_hierarchy = "start"

    @admin.display(description=_("人员"), ordering="person__person__name")
    def person_name(self, obj):
        person = getattr(obj.person, "person", None)
        return person.name if person else obj.person.get_username()


class TopicCategoryInline(admin.TabularInline):
    model = TopicCategory
    extra = 0
    fields = ("order", "code", "name", "is_personnel", "is_confidential", "is_mandatory_for_unit", "section")


class RuleSourceInline(admin.StackedInline):
    model = RuleSource
    extra = 0
    fields = (("key", "rule_ids"), ("seed", "section"), "excerpt")


@admin.register(MeetingType)
class MeetingTypeAdmin(GovernanceAdmin):
    list_display = ("code", "name", "bureau", "scope", "chair_post", "cadence", "quorum_text", "vote_text",
                    "minutes_deadline_workdays", "clause_count", "active")
    list_display_links = ("code", "name")
    list_filter = ("bureau", "scope", "cadence", "active")
    search_fields = ("code", "name", "description")
    list_select_related = ("bureau",)
    readonly_fields = ("rules_with_clauses",)
    inlines = [TopicCategoryInline, RuleSourceInline]
    fieldsets = (
        (None, {"fields": ("bureau", "code", "name", "description", "order", "active", "rules_with_clauses")}),
        (_("召集、主持与参会"), {"fields": (
            "scope", "unit_kinds", "convener_post", "chair_post", "chair_delegable", "delegate_posts",
            "member_posts", "invitee_posts", "recorder_source")}),
        (_("召开周期"), {"fields": ("cadence", "cadence_min_count", "cadence_weekday", "ad_hoc_allowed",
                                "called_by_decision")}),
        (_("法定人数与表决（分数，精确计算）"), {"fields": (
            ("quorum_num", "quorum_den", "quorum_inclusive"),
            ("special_quorum_num", "special_quorum_den", "special_quorum_inclusive"),
            ("vote_num", "vote_den", "vote_inclusive"), "vote_basis")}),
        (_("议题"), {"fields": ("topic_proposer_posts", "topics_gathered_by_office", "agenda_approver_post",
                              "materials_required", "monthly_unit_reports")}),
        (_("通知、请假与传达"), {"fields": ("notice_lead_workdays", "leave_approver", "unexcused_absence_allowed",
                                     "brief_absentees", "briefing_deadline_workdays")}),
        (_("纪要"), {"fields": ("minutes_deadline_workdays", "minutes_recipient_posts",
                              "minutes_circulate_to_members", "minutes_filed_with_supervision",
                              "minutes_access_by_grant")}),
        (_("督查落实"), {"fields": ("follow_up_tracked", "progress_reports", "pre_meeting_filings", "rectification")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rule_sources")

    @admin.display(description=_("法定人数"))
    def quorum_text(self, obj):
        return obj.quorum.describe() if obj.quorum else "—"

    @admin.display(description=_("表决通过"))
    def vote_text(self, obj):
        return f"{obj.vote_threshold.describe()}（{obj.get_vote_basis_display()}）"

    @admin.display(description=_("规则出处"))
    def clause_count(self, obj):
        return len(obj.rule_sources.all())

    @admin.display(description=_("规则及出处"))
    def rules_with_clauses(self, obj):
        if not obj.pk:
            return "—"
        view = describe_meeting_type(obj)
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((line.label, line.text,
              format_html("{}<br><small>{}</small>", line.source.citation, line.source.excerpt) if line.source else "—")
             for line in view.lines),
        )
        return format_html('<table class="rules-table"><tbody>{}</tbody></table>', rows)


# --- meetings: the admin reads them; state changes go through the workflow services only -----------

from .models import (  # noqa: E402
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


@admin.register(TopicCategory)
class TopicCategoryAdmin(GovernanceAdmin):
    list_display = ("name", "meeting_type", "order", "is_personnel", "is_confidential", "is_mandatory_for_unit", "section")
    list_filter = ("meeting_type__bureau", "meeting_type__code", "is_personnel", "is_mandatory_for_unit")
    search_fields = ("name", "code")
    list_select_related = ("meeting_type",)


@admin.register(RuleSource)
class RuleSourceAdmin(GovernanceAdmin):
    list_display = ("meeting_type", "key", "rule_ids", "seed", "section")
    list_filter = ("meeting_type__bureau", "meeting_type__code", "seed", "key")
    search_fields = ("rule_ids", "excerpt", "section")
    list_select_related = ("meeting_type",)


@admin.register(Participant)
class ParticipantAdmin(GovernanceAdmin):
    list_display = ("person", "meeting", "role", "attendance", "signed_in_at")
    list_filter = ("role", "attendance")
    search_fields = ("person__username", "person__person__name", "meeting__title")
    list_select_related = ("person", "meeting")
    readonly_fields = ("meeting", "person", "role", "attendance", "signed_in_at", "signed_in_by", "notified_at")


from .models import Alert, Breach, Delivery  # noqa: E402


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Reminders and escalations as recorded by the sweep: read-only, they are the audit of R-CA-2."""

    list_display = ("title", "kind", "recipient", "due", "created_at", "sent_at")
    list_filter = ("kind", "deadline", "bureau")
    search_fields = ("title", "subject", "recipient__username")
    list_select_related = ("recipient",)
    date_hierarchy = "due"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = ("description", "kind", "unit", "meeting_type", "due", "detected_at")
    list_filter = ("kind", "bureau", "unit")
    search_fields = ("description", "subject")
    list_select_related = ("unit", "meeting_type")
    date_hierarchy = "due"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("notification", "channel", "sent_at", "delivered")
    list_filter = ("channel", "delivered")
    list_select_related = ("notification",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from .models import Action, Preparation, ProgressReport, QuorumRefusal  # noqa: E402


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
