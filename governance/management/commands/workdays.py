"""`manage.py workdays add|sync|status`: working-day arithmetic and the official calendar (R-MI-4)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.rules.workdays import WorkdayOverflow
from governance.selectors import workdays as workcal
from governance.services import workdays as workday_loader


def _year_ranges(years: list[int]) -> str:
    """2004–2026, 2028 for [2004, ..., 2026, 2028]: gaps in the loaded years must stand out."""
    parts: list[str] = []
    start = prev = None
    for year in sorted(years):
        if prev is not None and year == prev + 1:
            prev = year
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = year
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}–{prev}")
    return "、".join(parts)


class Command(BaseCommand):
    help = _("工作日计算与法定节假日安排：add 日期 N（N 个工作日后的日期）、sync（载入 chinesecalendar 数据）、status（已载入的年份）。")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,sync,status}")
        add = actions.add_parser("add", help=_("计算某日期之后（N 为负数时为之前）第 N 个工作日。"))
        # Taken as text and parsed here, so that bad input gets a Chinese message rather than argparse's.
        add.add_argument("date", help=_("起始日期，格式 YYYY-MM-DD，如 2026-09-30。"))
        add.add_argument("n", help=_("工作日数，整数，可为负数。"))
        sync = actions.add_parser("sync", help=_("从 chinesecalendar 载入放假安排（不覆盖管理员录入的数据）。"))
        sync.add_argument("years", nargs="*", help=_("只载入这些年份；不填则载入全部。"))
        actions.add_parser("status", help=_("列出已载入放假安排的年份，并检查今年和明年。"))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self._add(options["date"], options["n"])
        elif action == "sync":
            self._sync(options["years"])
        else:
            self._status()

    def _add(self, raw_date: str, raw_n: str) -> None:
        try:
            start = datetime.date.fromisoformat(raw_date.strip())
        except ValueError:
            raise CommandError(_("“%(value)s”不是有效日期，请按 YYYY-MM-DD 填写，如 2026-09-30。") % {"value": raw_date}) from None
        try:
            n = int(raw_n.strip())
        except ValueError:
            raise CommandError(_("“%(value)s”不是整数，工作日数请填写整数，如 3 或 -3。") % {"value": raw_n}) from None
        try:
            result = workcal.add_workdays(start, n)
        except WorkdayOverflow:
            raise CommandError(_("从 %(date)s 起计 %(n)s 个工作日超出了可表示的日期范围。") % {"date": start, "n": n}) from None
        sign = "+" if n >= 0 else "-"
        self.stdout.write(_("%(start)s %(sign)s %(n)s 个工作日 = %(date)s")
                          % {"start": start, "sign": sign, "n": abs(n), "date": result.date})
        if result.fallback_years:
            years = "、".join(str(y) for y in result.fallback_years)
            self.stderr.write(self.style.ERROR(
                _("警告：计算经过 %(years)s 年，该年放假安排尚未载入，已按周一至周五计算，结果可能不准确！"
                  "请在管理后台录入该年的节假日与调休后重新计算。") % {"years": years}))

    def _sync(self, raw_years: list[str]) -> None:
        years: list[int] | None = None
        if raw_years:
            try:
                years = [int(y) for y in raw_years]
            except ValueError:
                raise CommandError(_("年份须为整数，如 2026。")) from None
        counts = workday_loader.sync_from_chinesecalendar(years)
        self.stdout.write(_(
            "已同步 %(years)s：新增 %(created)s 天，更新 %(updated)s 天，未变 %(unchanged)s 天，"
            "删除 %(removed)s 天，保留管理员录入 %(kept_admin)s 天；新增年份 %(years_created)s 个。"
        ) % {**counts, "years": _year_ranges(counts["years"]) or _("（无）")})
        if counts["admin_years"]:
            self.stdout.write(_("由管理员维护、未改动的年份：%(years)s。") % {"years": _year_ranges(counts["admin_years"])})
        if counts["unsupported_years"]:
            supported = workcal.chinesecalendar_years()
            self.stderr.write(self.style.WARNING(
                _("chinesecalendar 没有 %(years)s 年的数据（仅有 %(first)s–%(last)s 年），请在管理后台录入。")
                % {"years": _year_ranges(counts["unsupported_years"]), "first": supported[0], "last": supported[-1]}))

    def _status(self) -> None:
        loaded = workcal.known_years()
        supported = workcal.chinesecalendar_years()
        self.stdout.write(_("已载入放假安排的年份：%(years)s") % {"years": _year_ranges(loaded) or _("（无）")})
        self.stdout.write(_("chinesecalendar 收录的年份：%(first)s–%(last)s") % {"first": supported[0], "last": supported[-1]})
        this_year = timezone.localdate().year
        missing = workcal.uncovered_years([this_year, this_year + 1])
        for label, year in ((_("今年"), this_year), (_("明年"), this_year + 1)):
            if year in missing:
                self.stderr.write(self.style.WARNING(
                    _("%(label)s（%(year)s）的放假安排尚未载入：该年的期限按周一至周五计算。国务院办公厅公布后请在管理后台录入。")
                    % {"label": label, "year": year}))
            else:
                self.stdout.write(_("%(label)s（%(year)s）的放假安排已载入。") % {"label": label, "year": year})
