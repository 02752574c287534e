"""What every admin page shares (docs/architecture.md, admin/): history (simple-history), and the two
kinds of page the admin has.

- `ReasonedChangeAdmin`: what the system administrator keeps (the organisation, meeting types, the
  calendar). Every change, addition and deletion asks for a 变更原因, kept as the history row's reason.
- `RecordAdmin` (and `RecordMixin` for models without history): what the workflow owns (meetings,
  topics, votes, decisions, minutes, queries, transitions, notifications, alerts, grants). No one adds,
  changes, deletes or reverts them here, a superuser included: `has_*_permission` are answered here,
  not by `user.has_perm`. Reading them takes a model permission granted explicitly to the account (or
  its group) — never a superuser's implicit one — and no administrator role carries it: they are read
  on the product's own screens, through the gates, and in the audit trail.

Object permissions are not managed in the admin (no guardian pages): they are granted by the
services, and by the security administrator on the security screen.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from governance.permissions import holds_model_perm

REASON_FIELD = "change_reason"


def _reason_field() -> forms.CharField:
    return forms.CharField(label=_("变更原因"), max_length=100, required=True,
                           help_text=_("必填：记入变更历史，审计时可查。"))


class ReasonedChangeAdmin(SimpleHistoryAdmin):
    """A page the system administrator may change, each change with a reason (变更原因)."""

    list_per_page = 50
    delete_confirmation_template = "admin/reasoned_delete_confirmation.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if REASON_FIELD not in self.form.declared_fields:
            self.form = type(self.form.__name__, (self.form,), {REASON_FIELD: _reason_field()})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        named = [name for _title, options in fieldsets for name in _flatten(options.get("fields", ()))]
        if REASON_FIELD in named:
            fieldsets = [(title, {**options, "fields": [f for f in options["fields"] if f != REASON_FIELD]})
                         for title, options in fieldsets]
        return [*fieldsets, (_("变更原因"), {"fields": [REASON_FIELD]})]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, each deletion with its reason
        return actions

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data[REASON_FIELD]
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get(REASON_FIELD, "")
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and not request.POST.get(REASON_FIELD, "").strip():
            messages.error(request, gettext("请填写变更原因。"))
            return HttpResponseRedirect(request.get_full_path())
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        obj._change_reason = request.POST.get(REASON_FIELD, "").strip()[:100]
        super().delete_model(request, obj)


def _flatten(fields) -> list[str]:
    out = []
    for f in fields:
        out.extend(f if isinstance(f, (list, tuple)) else [f])
    return out


class RecordMixin:
    """A record the workflow owns: view-only for everyone, and viewable only by explicit grant."""

    list_per_page = 50

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        opts = self.opts
        return holds_model_perm(request.user, f"{opts.app_label}.{get_permission_codename('view', opts)}")

    def get_actions(self, request):
        return {}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's "revert" saves an old version on POST with only a view permission; here a
        POST is refused with a message, whoever sends it, and nothing is written."""
        if request.method == "POST":
            messages.error(request, gettext("此记录由业务流程维护，不能在管理后台恢复旧版本或修改。"))
            opts = self.opts
            target = (reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])
                      if self.has_view_permission(request) else reverse("admin:index"))
            return HttpResponseRedirect(target)
        return super().history_form_view(request, object_id, version_id, extra_context)


class RecordAdmin(RecordMixin, SimpleHistoryAdmin):
    """A workflow record with history: view-only, history readable, never reverted."""


class RecordModelAdmin(RecordMixin, admin.ModelAdmin):
    """A workflow record without history (transitions, notifications, alerts): view-only."""


class ReadOnlyInline:
    """An inline of a workflow record: shown, never added to, changed or deleted."""

    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
