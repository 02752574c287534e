"""`python manage.py sweep`: run the deadline sweep once (for cron-based deployments) and say what it did."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from governance.services.sweep import sweep


class Command(BaseCommand):
    help = "检查各项期限：到期前提醒，逾期后督办并记录违规（R-CA-1、R-CA-2）。可重复执行，不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天检查（YYYY-MM-DD），默认今天；用于补查。")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from error
        report = sweep(today=today)
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(f"{report.today}：检查 {report.due_items} 项期限，新登记 {report.recorded} 条提醒/督办，"
                          f"发送 {report.sent} 条，新记违规 {report.breaches} 条。")
