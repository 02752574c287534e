"""The admin for what the deadline sweep records: alerts, breaches, deliveries. They are the audit of
R-CA-2: view-only records (see `base.RecordMixin`)."""

from __future__ import annotations

from django.contrib import admin

from governance.admin.base import RecordModelAdmin
from governance.models import (  # noqa: E402
    Alert,
    Breach,
    Delivery,
)


@admin.register(Alert)
class AlertAdmin(RecordModelAdmin):
    """Reminders and escalations as recorded by the sweep."""

    list_display = ("title", "kind", "recipient", "due", "created_at", "sent_at")
    list_filter = ("kind", "deadline", "bureau")
    search_fields = ("title", "subject", "recipient__username")
    list_select_related = ("recipient",)
    date_hierarchy = "due"


@admin.register(Breach)
class BreachAdmin(RecordModelAdmin):
    list_display = ("description", "kind", "unit", "meeting_type", "due", "detected_at")
    list_filter = ("kind", "bureau", "unit")
    search_fields = ("description", "subject")
    list_select_related = ("unit", "meeting_type")
    date_hierarchy = "due"


@admin.register(Delivery)
class DeliveryAdmin(RecordModelAdmin):
    list_display = ("notification", "channel", "sent_at", "delivered")
    list_filter = ("channel", "delivered")
    list_select_related = ("notification",)
