"""`python manage.py loaddemo`: the demo bureau, its people and posts, the presets, last month's meetings
and the periodic tasks."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.bureau import DEMO_PASSWORD, demo_logins, format_table, load_demo
from demo.history import load_demo_history
from governance.tasks import ensure_periodic_tasks


class Command(BaseCommand):
    help = "载入演示用的局（某市商务局）、处室、人员和任职，以及预置会议类型、上月的演示会议和定时任务（可重复执行）。"

    def handle(self, *args, **options):
        report = load_demo()
        verb = f"新建 {len(report.created)} 项，更新 {len(report.updated)} 项" if report.created or report.updated else "无变化"
        self.stdout.write(f"演示数据（{report.bureau}）：{verb}")
        # Presets are per bureau, so they load after the bureau and its units exist.
        call_command("loadpresets", stdout=self.stdout, stderr=self.stderr)
        # Last month's meetings: 外贸处's minutes overdue, 市场建设处's meeting missed (for the sweep).
        history = load_demo_history(report.bureau)
        if history:
            self.stdout.write(f"演示会议记录：新建 {len(history)} 次会议")
        ensure_periodic_tasks()

        rows = demo_logins(bureau=report.bureau, on=timezone.localdate())
        self.stdout.write("")
        self.stdout.write(f"演示账号（初始密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(format_table(("用户名", "姓名", "职务"), rows))
        self.stdout.write("")
