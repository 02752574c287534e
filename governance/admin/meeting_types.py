"""The admin for the meeting types, validated by the same rules as `loadpresets`, with their clauses."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from governance.admin.base import ReasonedChangeAdmin
from governance.models import (  # noqa: E402  # noqa: E402
    MeetingType,
    RuleSource,
    TopicCategory,
)
from governance.selectors.meeting_types import describe_meeting_type


class TopicCategoryInline(admin.TabularInline):
    model = TopicCategory
    extra = 0
    fields = ("order", "code", "name", "is_personnel", "is_confidential", "is_mandatory_for_unit", "section")


class RuleSourceInline(admin.StackedInline):
    model = RuleSource
    extra = 0
    fields = (("key", "rule_ids"), ("seed", "section"), "excerpt")


@admin.register(MeetingType)
class MeetingTypeAdmin(ReasonedChangeAdmin):
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
                                "called_by_decision", "may_call_by_decision")}),
        (_("法定人数与表决（分数，精确计算）"), {"fields": (
            ("quorum_num", "quorum_den", "quorum_inclusive"),
            ("special_quorum_num", "special_quorum_den", "special_quorum_inclusive"),
            ("vote_num", "vote_den", "vote_inclusive"), "vote_basis", "consult_after_deferral", "consult_units_on_important")}),
        (_("报请研究与通报"), {"fields": ("escalates_to", "decisions_reported_to")}),
        (_("议题"), {"fields": ("topic_proposer_posts", "topics_gathered_by_office", "agenda_approver_post",
                              "materials_required", "monthly_unit_reports", "mandatory_matters")}),
        (_("通知、请假与传达"), {"fields": ("notice_lead_workdays", "leave_approver", "unexcused_absence_allowed",
                                     "brief_absentees", "briefing_deadline_workdays")}),
        (_("纪要"), {"fields": ("minutes_deadline_workdays", "minutes_series", "minutes_recipient_posts",
                              "minutes_circulate_to_members", "minutes_filed_with_supervision", "archive_retention",
                              "minutes_access_by_grant")}),
        (_("督查落实"), {"fields": ("follow_up_tracked", "follow_up_leader_required", "progress_reports",
                                "pre_meeting_filings", "rectification", "talks_before_start", "outcome_report",
                                "cell_meeting_required")}),
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


@admin.register(TopicCategory)
class TopicCategoryAdmin(ReasonedChangeAdmin):
    list_display = ("name", "meeting_type", "order", "is_personnel", "is_confidential", "is_mandatory_for_unit", "section")
    list_filter = ("meeting_type__bureau", "meeting_type__code", "is_personnel", "is_mandatory_for_unit")
    search_fields = ("name", "code")
    list_select_related = ("meeting_type",)


@admin.register(RuleSource)
class RuleSourceAdmin(ReasonedChangeAdmin):
    list_display = ("meeting_type", "key", "rule_ids", "seed", "section")
    list_filter = ("meeting_type__bureau", "meeting_type__code", "seed", "key")
    search_fields = ("rule_ids", "excerpt", "section")
    list_select_related = ("meeting_type",)
