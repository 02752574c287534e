"""`python manage.py adminrole`: the operator sets up the first administrators (三员分立) from the
command line, through the same service as the security screen (list, assign, revoke; a reason each)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from governance.models import AdminRole, AdminRoleAssignment
from governance.rules.refusals import TransitionRefused
from governance.services.admin_roles import assign_role, revoke_role


class Command(BaseCommand):
    help = "查看、授予或撤销系统管理员、安全管理员、审计管理员角色（三员分立）。日常授予和撤销由安全管理员在 /security/ 办理。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="列出现任管理员")
        assign = sub.add_parser("assign", help="授予角色")
        assign.add_argument("username")
        assign.add_argument("role", choices=AdminRole.values)
        assign.add_argument("--reason", required=True)
        revoke = sub.add_parser("revoke", help="撤销角色")
        revoke.add_argument("username")
        revoke.add_argument("--reason", required=True)

    def handle(self, *args, action, **options):
        if action == "list":
            for a in AdminRoleAssignment.objects.filter(revoked_at__isnull=True).select_related("user"):
                self.stdout.write(f"{a.user.get_username()}\t{a.get_role_display()}\t{a.at:%Y-%m-%d %H:%M}\t{a.reason}")
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有账号：{options['username']}")
        try:
            if action == "assign":
                done = assign_role(actor=None, user=user, role=options["role"], reason=options["reason"])
            else:
                current = AdminRoleAssignment.objects.filter(user=user, revoked_at__isnull=True).first()
                if current is None:
                    raise CommandError(f"{user.get_username()} 没有管理员角色。")
                done = revoke_role(actor=None, assignment=current, reason=options["reason"])
        except TransitionRefused as error:
            raise CommandError(str(error)) from error
        verb = "授予" if action == "assign" else "撤销"
        self.stdout.write(f"已{verb}：{user.get_username()} · {done.get_role_display()}")
