"""The rule catalogue as the product implements it: `docs/rules.md`, generated from the code and presets.

`python manage.py rulesdoc` writes it and `--check` fails when the committed file is stale; a test does
the same, so the catalogue cannot drift from the code. For every rule ID it lists

- its title (`TITLES`, the one hand-written part, from governance/rules/catalogue.py),
- the meeting types whose presets cite it, with the values of the fields the cited rule governs and the
  clause cited (`RULE_KEY_FIELDS` says which `MeetingType` fields each kind of rule source governs),
- the functions, classes and methods that name it in their docstring or leading comments,
- the tests that name it in their name (`test_r_qu_2_...`) or docstring.

Nothing here knows where a rule is enforced or tested, nor where the presets live: the project's apps
(the apps directly under the project root) and `tests/` are read as source text and walked as syntax
trees, and the presets are taken from whichever module of an app defines `PRESETS`. Moving a module
only changes the generated paths. Generation needs no database, and its output is deterministic:
everything is sorted, nothing depends on the clock or on the active language.
"""

from __future__ import annotations

import ast
import importlib
import io
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import translation

from governance.rules.catalogue import GROUPS, TITLES

OUTPUT = Path("docs") / "rules.md"
COMMAND = "python manage.py rulesdoc"
LANGUAGE = "zh-hans"


# Which MeetingType fields each kind of rule source (RuleKey) governs: a preset's source for `key`
# cites the clause those fields' values come from. A test checks that every key and every rule field
# of MeetingType is mapped, so a new one cannot be left out silently.
RULE_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "convener": ("convener_post", "chair_post", "chair_delegable", "delegate_posts"),
    "members": ("member_posts", "invitee_posts", "cell_meeting_required"),
    "recorder": ("recorder_source",),
    "cadence": ("scope", "unit_kinds", "cadence", "cadence_min_count", "cadence_weekday", "ad_hoc_allowed",
                "called_by_decision"),
    "quorum": ("quorum_num", "quorum_den", "quorum_inclusive"),
    "special_quorum": ("special_quorum_num", "special_quorum_den", "special_quorum_inclusive"),
    "vote": ("vote_num", "vote_den", "vote_inclusive", "vote_basis"),
    "topics": ("topic_proposer_posts", "topics_gathered_by_office", "agenda_approver_post", "monthly_unit_reports",
               "consult_units_on_important"),
    "materials": ("materials_required",),
    "notice": ("notice_lead_workdays",),
    "leave": ("leave_approver", "unexcused_absence_allowed"),
    "briefing": ("brief_absentees", "briefing_deadline_workdays"),
    "minutes": ("minutes_deadline_workdays", "minutes_series", "minutes_recipient_posts", "minutes_circulate_to_members",
                "minutes_filed_with_supervision", "archive_retention"),
    "confidentiality": ("minutes_access_by_grant",),
    "follow_up": ("follow_up_tracked", "follow_up_leader_required", "progress_reports", "pre_meeting_filings",
                  "rectification", "talks_before_start", "outcome_report"),
    "mandatory": ("mandatory_matters",),
    "calls": ("may_call_by_decision",),
    "escalation": ("escalates_to", "decisions_reported_to"),
    "carry_over": ("consult_after_deferral",),
    "attendance": (),
    "minutes_format": (),
    "minutes_revision": (),
    "receipt": (),
    "archive": (),
    "review": (),
    "deadlines": (),
}
# The same for the flags of a type's topic categories (shown as the categories that have them).
RULE_KEY_CATEGORY_FLAGS: dict[str, tuple[str, ...]] = {
    "topics": ("is_unit_report",),
    "confidentiality": ("is_personnel", "is_confidential"),
    "follow_up": ("is_progress_report",),
    "mandatory": ("is_mandatory_for_unit",),
}
# MeetingType fields that name or place a type rather than state one of its rules.
NON_RULE_FIELDS = frozenset({"id", "bureau", "code", "name", "description", "active", "order"})

# "R-QU-2", and ranges as the code writes them: "R-QU-1..4" is R-QU-1, R-QU-2, R-QU-3, R-QU-4.
_ID = re.compile(r"\bR-([A-Z]{2})-(\d+)(?:\.\.(\d+))?")
# In a test's name: test_r_qu_2_..., test_r_vo_3_r_ag_7_...
_NAME_ID = re.compile(r"(?:^|_)r_(" + "|".join(GROUPS).lower() + r")_(\d+)(?=_|$)", re.IGNORECASE)


def rule_ids_in(text: str) -> set[str]:
    """Every rule ID that `text` names, ranges expanded."""
    found: set[str] = set()
    for match in _ID.finditer(text):
        group, first, last = match.group(1), int(match.group(2)), match.group(3)
        for number in range(first, (int(last) if last and int(last) >= first else first) + 1):
            found.add(f"R-{group}-{number}")
    return found


def rule_ids_in_name(name: str) -> set[str]:
    return {f"R-{g.upper()}-{int(n)}" for g, n in _NAME_ID.findall(name)}


def sort_key(rule_id: str) -> tuple[int, str, int]:
    _, group, number = rule_id.split("-")
    return (GROUPS.index(group) if group in GROUPS else len(GROUPS), group, int(number))


@dataclass(frozen=True)
class Application:
    """A meeting type whose preset cites the rule: the fields it governs and the clause."""

    code: str
    name: str
    key: str
    key_label: str
    values: tuple[str, ...]
    citation: str
    excerpt: str


@dataclass
class Rule:
    rule_id: str
    title: str | None
    applications: list[Application] = field(default_factory=list)
    enforced_by: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)


@dataclass
class Catalogue:
    rules: list[Rule]

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.rule_id == rule_id), None)


# --- reading the source ------------------------------------------------------------------------------

def project_root() -> Path:
    return Path(settings.BASE_DIR)


def source_dirs(root: Path) -> list[Path]:
    """The project's own apps: those that live directly under the project root."""
    return sorted(Path(c.path) for c in apps.get_app_configs() if Path(c.path).resolve().parent == root.resolve())


def _files(directory: Path, suffix: str | None = None) -> Iterator[Path]:
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if suffix is None or path.suffix == suffix:
            yield path


def _this_file() -> Path:
    return Path(__file__).resolve()


def _is_migration(path: Path) -> bool:
    return "migrations" in path.parts


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def _comment_lines(source: str) -> dict[int, str]:
    """Line number -> text of the lines that hold nothing but a comment."""
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and not token.line[: token.start[1]].strip():
            comments[token.start[0]] = token.string
    return comments


def _leading_comments(node: ast.AST, comments: dict[int, str]) -> list[str]:
    """The comments right above a definition (and its decorators), and those opening its body."""
    out: list[str] = []
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    line = first - 1
    while line in comments:
        out.append(comments[line])
        line -= 1
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        start, body = body[0].end_lineno + 1, body[1:]
    else:
        start = node.lineno + 1
    end = body[0].lineno if body else node.end_lineno + 1
    out.extend(comments[n] for n in range(start, end) if n in comments)
    return out


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _definitions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    """(qualname, node) of every function, class and method, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, _DEFINITIONS):
            qualname = f"{prefix}{node.name}"
            yield qualname, node
            inner = f"{qualname}.<locals>." if not isinstance(node, ast.ClassDef) else f"{qualname}."
            yield from _definitions(node, inner)
        elif not isinstance(node, ast.expr):
            yield from _definitions(node, prefix)  # definitions under if/try/with blocks


def module_name(path: Path, root: Path) -> str:
    parts = list(path.resolve().relative_to(root.resolve()).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _parse(path: Path) -> tuple[ast.Module, dict[int, str]] | None:
    source = _read_text(path)
    if source is None:
        return None
    return ast.parse(source, filename=str(path)), _comment_lines(source)


def enforcing_functions(root: Path) -> dict[str, set[str]]:
    """Rule ID -> `module:qualname` of the code that names it in a docstring or leading comment."""
    found: dict[str, set[str]] = {}
    for directory in source_dirs(root):
        for path in _files(directory, ".py"):
            if _is_migration(path) or path.resolve() == _this_file():
                continue
            parsed = _parse(path)
            if parsed is None:
                continue
            tree, comments = parsed
            module = module_name(path, root)
            for qualname, node in _definitions(tree):
                text = "\n".join([ast.get_docstring(node, clean=False) or "", *_leading_comments(node, comments)])
                for rule_id in rule_ids_in(text):
                    found.setdefault(rule_id, set()).add(f"{module}:{qualname}")
    return found


def _test_functions(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test"):
                    yield f"{node.name}::{item.name}", item


def naming_tests(root: Path) -> dict[str, set[str]]:
    """Rule ID -> `tests/path.py::test_name` of the tests that name it (in their name or docstring)."""
    found: dict[str, set[str]] = {}
    tests = root / "tests"
    if not tests.is_dir():
        return found
    for path in _files(tests, ".py"):
        if not path.name.startswith("test_"):
            continue
        parsed = _parse(path)
        if parsed is None:
            continue
        tree, _comments = parsed
        where = path.resolve().relative_to(root.resolve()).as_posix()
        for name, node in _test_functions(tree):
            ids = rule_ids_in_name(node.name) | rule_ids_in(ast.get_docstring(node, clean=False) or "")
            for rule_id in ids:
                found.setdefault(rule_id, set()).add(f"{where}::{name}")
    return found


def mentioned_ids(root: Path) -> set[str]:
    """Every rule ID named anywhere in the apps (migrations and templates included) or the tests."""
    found: set[str] = set()
    for directory in [*source_dirs(root), root / "tests"]:
        if not directory.is_dir():
            continue
        for path in _files(directory):
            if path.resolve() == _this_file():
                continue
            text = _read_text(path)
            if text is not None:
                found |= rule_ids_in(text)
    for path in _files(root / "tests", ".py") if (root / "tests").is_dir() else []:
        parsed = _parse(path)
        if parsed is not None:
            found |= {i for name, _ in _test_functions(parsed[0]) for i in rule_ids_in_name(name)}
    return found


# --- the presets ---------------------------------------------------------------------------------------

def presets_module(root: Path) -> str:
    """The module of an app that defines `PRESETS` at its top level (found, not assumed)."""
    candidates = []
    for directory in source_dirs(root):
        for path in _files(directory, ".py"):
            if _is_migration(path) or path.resolve() == _this_file():
                continue
            parsed = _parse(path)
            if parsed is None:
                continue
            for node in parsed[0].body:
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, ast.AnnAssign) else []
                if any(isinstance(t, ast.Name) and t.id == "PRESETS" for t in targets):
                    candidates.append(module_name(path, root))
    if len(candidates) != 1:
        raise LookupError(f"expected one module defining PRESETS, found {sorted(candidates) or 'none'}")
    return candidates[0]


def load_presets_data(root: Path) -> list[dict]:
    return importlib.import_module(presets_module(root)).PRESETS


def _labels(model_field) -> dict:
    choices = getattr(model_field, "list_choices", None) or model_field.flatchoices
    return {value: str(label) for value, label in choices}


def _show(model_field, value) -> str:
    if value is None or value == []:
        return "不设"
    if isinstance(value, bool):
        return "是" if value else "否"
    labels = _labels(model_field)
    if isinstance(value, list):
        return "、".join(f"{labels.get(v, v)} `{v}`" for v in value)
    if value in labels and str(labels[value]) != str(value):
        return f"{labels[value]} `{value}`"
    return f"`{value}`"


def _preset_value(meeting_type_model, preset: dict, name: str):
    if name in preset:
        return preset[name]
    return meeting_type_model._meta.get_field(name).get_default()


def describe_fields(meeting_type_model, preset: dict, names: Iterable[str]) -> list[str]:
    """`name`（verbose name）= value for each field; a num/den/inclusive triple as one fraction."""
    names = list(names)
    shown: list[str] = []
    done: set[str] = set()
    for name in names:
        if name in done:
            continue
        prefix = name.removesuffix("_num")
        triple = (f"{prefix}_num", f"{prefix}_den", f"{prefix}_inclusive")
        if name.endswith("_num") and all(n in names for n in triple):
            done.update(triple)
            num, den, inclusive = (_preset_value(meeting_type_model, preset, n) for n in triple)
            label = str(meeting_type_model._meta.get_field(triple[0]).verbose_name).removesuffix("分子")
            if num is None or den is None:
                value = "不设"
            elif inclusive:
                value = f"≥ {num}/{den}（含本数，“以上”）"
            else:
                value = f"> {num}/{den}（不含本数，“超过”）"
            shown.append(f"`{prefix}`（{label}）= {value}")
            continue
        done.add(name)
        model_field = meeting_type_model._meta.get_field(name)
        value = _show(model_field, _preset_value(meeting_type_model, preset, name))
        shown.append(f"`{name}`（{model_field.verbose_name}）= {value}")
    return shown


def describe_categories(category_model, preset: dict, flags: Iterable[str]) -> list[str]:
    shown = []
    for flag in flags:
        codes = [c["code"] for c in preset.get("categories", []) if c.get(flag)]
        if codes:
            label = category_model._meta.get_field(flag).verbose_name
            shown.append(f"议题类别 `{flag}`（{label}）：" + "、".join(f"`{c}`" for c in codes))
    return shown


def applications(presets: list[dict]) -> dict[str, list[Application]]:
    """Rule ID -> the meeting types whose preset cites it, with the governed values and the clause."""
    meeting_type = apps.get_model("governance", "MeetingType")
    rule_source = apps.get_model("governance", "RuleSource")
    category = apps.get_model("governance", "TopicCategory")
    key_labels = _labels(rule_source._meta.get_field("key"))
    seed_labels = _labels(rule_source._meta.get_field("seed"))
    found: dict[str, list[Application]] = {}
    for preset in presets:
        for key, (rule_ids, seed, section, excerpt) in sorted((preset.get("sources") or {}).items()):
            values = (*describe_fields(meeting_type, preset, RULE_KEY_FIELDS.get(key, ())),
                      *describe_categories(category, preset, RULE_KEY_CATEGORY_FLAGS.get(key, ())))
            application = Application(
                code=preset["code"], name=preset.get("name", ""), key=key, key_label=key_labels.get(key, key),
                values=values, citation=f"{seed_labels.get(seed, seed)}{section}", excerpt=excerpt,
            )
            for rule_id in rule_ids_in(rule_ids):
                found.setdefault(rule_id, []).append(application)
    return found


# --- the catalogue -------------------------------------------------------------------------------------

def build_catalogue(root: Path | None = None) -> Catalogue:
    root = root or project_root()
    with translation.override(LANGUAGE):
        presets = load_presets_data(root)
        applied = applications(presets)
        enforced = enforcing_functions(root)
        tested = naming_tests(root)
        ids = set(TITLES) | mentioned_ids(root) | set(applied) | set(enforced) | set(tested)
        order = {p["code"]: n for n, p in enumerate(sorted(presets, key=lambda p: (p.get("order", 0), p["code"])))}
        rules = [
            Rule(
                rule_id=rule_id,
                title=TITLES.get(rule_id),
                applications=sorted(applied.get(rule_id, []), key=lambda a: (order[a.code], a.key)),
                enforced_by=sorted(enforced.get(rule_id, set())),
                tests=sorted(tested.get(rule_id, set())),
            )
            for rule_id in sorted(ids, key=sort_key)
        ]
    return Catalogue(rules=rules)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(catalogue: Catalogue) -> str:
    lines = [
        f"<!-- Generated by `{COMMAND}` from the code, the presets and the tests. Do not edit by hand. -->",
        "",
        "# 规则目录（按产品实现生成）",
        "",
        f"本文件由 `{COMMAND}` 根据代码、预置会议类型和测试生成，**请勿手工修改**；"
        f"代码变动后重新运行该命令，`{COMMAND} --check` 和测试会发现未更新的本文件。",
        "",
        "- **适用会议类型**：预置会议类型（`PRESETS`）中引用该规则的出处，列出相关字段的预置值和所引条款；"
        "管理员可在后台修改这些值，此处为出厂默认。",
        "- **执行代码**：文档字符串或紧邻的注释中写明该规则编号的函数、类和方法（`模块:限定名`）。",
        "- **测试**：名称（如 `test_r_qu_2_…`）或文档字符串中写明该规则编号的测试。",
        "",
        "## 总览",
        "",
        "| 编号 | 规则 | 会议类型 | 执行代码 | 测试 |",
        "|---|---|---|---|---|",
    ]
    for rule in catalogue.rules:
        codes = list(dict.fromkeys(a.code for a in rule.applications))
        lines.append(
            f"| [{rule.rule_id}](#{rule.rule_id.lower()}) | {_cell(rule.title or '（规则目录中没有此编号）')} "
            f"| {'、'.join(codes) or '—'} | {len(rule.enforced_by)} | {len(rule.tests)} |"
        )
    for rule in catalogue.rules:
        lines += ["", f"## {rule.rule_id}", "", rule.title or "**（规则目录中没有此编号，请核对。）**", ""]
        lines += ["### 适用会议类型", ""]
        if rule.applications:
            lines += ["| 会议类型 | 出处规则项 | 预置值 | 条款 | 原文 |", "|---|---|---|---|---|"]
            for a in rule.applications:
                values = "<br>".join(_cell(v) for v in a.values) or "—"
                lines.append(f"| {a.code} {_cell(a.name)} | `{a.key}`（{a.key_label}） | {values} "
                             f"| {_cell(a.citation)} | {_cell(a.excerpt)} |")
        else:
            lines.append("预置会议类型的规则出处中未引用此编号。")
        lines += ["", "### 执行代码", ""]
        lines += [f"- `{f}`" for f in rule.enforced_by] or ["（无）"]
        lines += ["", "### 测试", ""]
        lines += [f"- `{t}`" for t in rule.tests] or ["（无）"]
    return "\n".join(lines) + "\n"


def generate(root: Path | None = None) -> str:
    return render(build_catalogue(root))
