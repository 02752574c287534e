"""The audit trail in the Django admin: read-only, and only for those who hold the audit permission
explicitly (as on the audit screen: being a superuser is not enough)."""

from django.contrib import admin

from .models import AuditEvent
from .permissions import may_view


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "actor_username", "ip_address", "category", "action", "object_type",
                    "object_id", "outcome"]
    list_filter = ["category", "outcome"]
    search_fields = ["actor_username", "actor_name", "object_id"]
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_module_permission(self, request):
        return may_view(request.user)

    def has_view_permission(self, request, obj=None):
        return may_view(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
