"""The admin for what the deadline sweep records: alerts, breaches, deliveries (read-only)."""

from __future__ import annotations

from django.contrib import admin

from governance.models import (  # noqa: E402  # noqa: E402
    Alert,
    Breach,
    Delivery,
)


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
