"""The three administrators (三员分立) as data: what each role may do, and when a change of role or a
grant is refused. Plain values in, a reason out (None: allowed); `services.admin_roles` enforces them.

- The system administrator keeps accounts and the organisation: users, bureaus, units, people and
  their posts, meeting types, the calendar and the periodic tasks, in the Django admin.
- The security administrator assigns and revokes the three roles and grants what is read by grant
  (a confidential topic, R-CO-1; a meeting type's minutes book, R-CO-2), on the security screen.
- The audit administrator reads and exports the audit trail, nothing else.

None of the three reads a meeting, topic or minutes by virtue of the role: the roles carry no right
on them, an administrator's account holds no post and no grant, and a superuser is none of the three.
"""

from __future__ import annotations

from .wording import _

SYSTEM, SECURITY, AUDIT = "system", "security", "audit"
ROLES = (SYSTEM, SECURITY, AUDIT)


def _crud(app_label: str, *models: str) -> tuple[str, ...]:
    return tuple(f"{app_label}.{action}_{model}" for model in models for action in ("add", "change", "delete", "view"))


# The model permissions each role's group carries ("app_label.codename"). A permission whose app is
# not installed (the audit app, for one) is skipped and taken up when it is: the groups are brought
# up to date after every migrate and before every assignment.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    SYSTEM: (
        "auth.add_user", "auth.change_user", "auth.view_user",
        *_crud("governance", "bureau", "unit", "person", "appointment", "meetingtype", "topiccategory", "rulesource",
               "calendaryear", "calendarday"),
        *_crud("django_celery_beat", "periodictask", "intervalschedule", "crontabschedule", "solarschedule",
               "clockedschedule"),
        "axes.view_accessattempt", "axes.delete_accessattempt",  # unlocking a locked-out account
        "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",  # a lost phone: set up again at next login
    ),
    SECURITY: (),  # everything the security administrator does is on the security screen, by role
    AUDIT: ("audit.view_auditevent", "audit.export_auditevent"),
}

# Only the system administrator works in the Django admin (staff status follows the role).
STAFF_ROLES = frozenset({SYSTEM})


def separation_refusal() -> str:
    return _("同一人不得同时担任系统管理员、安全管理员和审计管理员中的两种角色（三员分立）。")


def role_change_refusal(*, actor_id: int | None, actor_role: str | None, target_id: int, reason: str) -> str | None:
    """Who may assign or revoke a role: the security administrator, with a reason, never for
    themselves. `actor_id` None is the operator's command line (the first security administrator)."""
    if not reason.strip():
        return _("请填写理由。")
    if actor_id is None:
        return None
    if actor_role != SECURITY:
        return _("只有安全管理员可以授予或撤销管理员角色。")
    if actor_id == target_id:
        return _("不得为自己授予或撤销管理员角色（三员分立）。")
    return None


def assignment_refusal(*, role: str, held_role: str | None, is_superuser: bool, is_active: bool, holds_posts: bool,
                       holds_content_rights: bool) -> str | None:
    """三员分立: one person, at most one of the three roles; an administrator's account is nobody's
    business account (no post, no right on a meeting, topic, minutes or action) and not a superuser."""
    if role not in ROLES:
        return _("没有这种管理员角色。")
    if not is_active:
        return _("账号已停用。")
    if held_role == role:
        return _("此人已担任该角色。")
    if held_role is not None:
        return separation_refusal()
    if is_superuser:
        return _("超级用户不能担任管理员角色：请先取消其超级用户身份（三员分立）。")
    if holds_posts:
        return _("此人担任职务：管理员账号不因职务参加会议或阅读会议内容，请为其另设管理员账号（三员分立）。")
    if holds_content_rights:
        return _("此人持有会议、议题、纪要或督办事项的权限：管理员账号不得阅读会议内容，请为其另设管理员账号（三员分立）。")
    return None


def grant_refusal(*, actor_id: int | None, actor_role: str | None, grantee_id: int, grantee_role: str | None,
                  grantee_active: bool, same_bureau: bool, reason: str) -> str | None:
    """R-CO-1, R-CO-2: the security administrator grants, with a reason, to an active person of the
    bureau; never to themselves or to any administrator."""
    if not reason.strip():
        return _("请填写理由。")
    if actor_role != SECURITY:
        return _("只有安全管理员可以授予或撤销查阅授权。")
    if actor_id == grantee_id:
        return _("不得为自己授权。")
    if grantee_role is not None:
        return _("管理员账号不得获得会议内容的查阅授权（三员分立）。")
    if not grantee_active:
        return _("账号已停用。")
    if not same_bureau:
        return _("被授权人不属于该会议所在的局。")
    return None
