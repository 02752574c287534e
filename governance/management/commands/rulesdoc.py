"""`python manage.py rulesdoc [--check]`: write docs/rules.md, the rule catalogue as the code implements it."""

from __future__ import annotations

import difflib

from django.core.management.base import BaseCommand, CommandError

from governance.selectors import rules_catalogue as rulesdoc

# --check shows at most this many lines of the difference.
DIFF_LINES = 40


class Command(BaseCommand):
    help = "根据代码、预置会议类型和测试生成规则目录 docs/rules.md；--check 只检查该文件是否需要更新。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true",
            help="不写文件；docs/rules.md 与生成结果不一致时列出差异并以非零状态退出。",
        )

    def handle(self, *args, check=False, **options):
        root = rulesdoc.project_root()
        path = root / rulesdoc.OUTPUT
        generated = rulesdoc.generate(root)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            if current == generated:
                self.stdout.write(f"{rulesdoc.OUTPUT} 已是最新。")
                return
            diff = list(difflib.unified_diff(
                current.splitlines(), generated.splitlines(),
                fromfile=f"{rulesdoc.OUTPUT} (on disk)", tofile=f"{rulesdoc.OUTPUT} (generated)", lineterm="", n=1,
            ))
            shown = diff[:DIFF_LINES]
            if len(diff) > DIFF_LINES:
                shown.append(f"... ({len(diff) - DIFF_LINES} more lines)")
            self.stdout.write("\n".join(shown))
            raise CommandError(f"{rulesdoc.OUTPUT} is stale: run {rulesdoc.COMMAND}")
        if current == generated:
            self.stdout.write(f"{rulesdoc.OUTPUT} 已是最新，未改动。")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已写入 {rulesdoc.OUTPUT}（{len(generated.splitlines())} 行）。"))
