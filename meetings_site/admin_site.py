"""The Django admin site, entered only by the system administrator (三员分立) and a superuser.

Staff status alone is not enough: the role is asked (`governance.permissions.may_use_admin_site`),
so an account someone marked as staff by hand does not get in.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class GovernedAdminSite(admin.AdminSite):
    site_header = _("会议治理系统 · 系统管理")
    site_title = _("系统管理")
    index_title = _("组织、账号、会议类型、日历与定时任务")

    def has_permission(self, request) -> bool:
        from governance.permissions import may_use_admin_site

        return may_use_admin_site(request.user)


class GovernedAdminConfig(AdminConfig):
    default_site = "meetings_site.admin_site.GovernedAdminSite"
