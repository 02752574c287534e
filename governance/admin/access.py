"""The admin for the administrator roles and the grants (三员分立; R-CO-1, R-CO-2): records, view-only.
They are assigned, granted and revoked on the security screen (/security/), with a reason each."""

from __future__ import annotations

from django.contrib import admin

from governance.admin.base import RecordAdmin
from governance.models import AdminRoleAssignment, CityOversight, MinutesBookGrant, TopicGrant


@admin.register(AdminRoleAssignment)
class AdminRoleAssignmentAdmin(RecordAdmin):
    list_display = ("user", "role", "granted_by", "at", "revoked_at")
    list_filter = ("role",)
    list_select_related = ("user", "granted_by")


@admin.register(TopicGrant)
class TopicGrantAdmin(RecordAdmin):
    list_display = ("person", "topic_id", "granted_by", "at", "revoked_at")
    list_select_related = ("person", "granted_by")
    exclude = ("topic",)  # the grant is listed to people who may not read the topic


@admin.register(MinutesBookGrant)
class MinutesBookGrantAdmin(RecordAdmin):
    list_display = ("person", "meeting_type", "granted_by", "at", "revoked_at")
    list_select_related = ("person", "meeting_type", "granted_by")


@admin.register(CityOversight)
class CityOversightAdmin(RecordAdmin):
    list_display = ("person", "city", "granted_by", "at", "revoked_at")
    list_filter = ("city",)
    list_select_related = ("person", "city", "granted_by")
