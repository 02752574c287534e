"""`python manage.py loadpresets`: load the eight shipped meeting types into every bureau (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance.models import Bureau
from governance.rules.presets import PRESETS
from governance.services import PresetError, load_presets


class Command(BaseCommand):
    help = "载入预置的会议类型及其规则（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--bureau", action="append", help="只载入到这个局（代码），可重复；默认所有局。")
        parser.add_argument("--file", help="从 JSON 文件载入，格式与 governance/presets.py 的 PRESETS 相同。")
        parser.add_argument("--update", action="store_true", help="用预置值覆盖已有的会议类型（默认保留管理员的修改）。")

    def handle(self, *args, bureau=None, file=None, update=False, **options):
        presets = PRESETS
        if file:
            try:
                presets = json.loads(Path(file).read_text(encoding="utf-8"))
            except FileNotFoundError as error:
                raise CommandError(f"找不到文件：{file}") from error
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise CommandError(f"文件不是有效的 UTF-8 JSON：{error}") from error
            if not isinstance(presets, list):
                raise CommandError("文件内容应为会议类型的列表（JSON 数组）。")
        bureaus = Bureau.objects.all()
        if bureau:
            bureaus = bureaus.filter(code__in=bureau)
            missing = set(bureau) - set(bureaus.values_list("code", flat=True))
            if missing:
                raise CommandError(f"没有这个局：{'、'.join(sorted(missing))}")
        if not bureaus.exists():
            raise CommandError("还没有任何局：请先在管理后台建立局及其处室（或运行 manage.py loaddemo）。")
        for target in bureaus:
            try:
                report = load_presets(bureau=target, presets=presets, update=update)
            except PresetError as error:
                lines = "\n".join(f"  - {p}" for p in error.problems)
                raise CommandError(f"{target}：预置数据有误，未作任何修改：\n{lines}") from error
            self.stdout.write(
                f"{target}：新建 {len(report.created)}（{' '.join(report.created) or '无'}），"
                f"更新 {len(report.updated)}（{' '.join(report.updated) or '无'}），"
                f"保留 {len(report.kept)}（{' '.join(report.kept) or '无'}）"
                + (f"，跳过 {' '.join(report.skipped)}（本局没有适用的处室/单位）" if report.skipped else "")
            )
