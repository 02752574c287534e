"""The demo bureau: a commerce bureau with its units, people and posts, loaded by `manage.py loaddemo`.

Loading is idempotent: rows are found by their codes and usernames, a field is written only when it
differs, and nothing is deleted, so running it again changes nothing. Passwords are set only when a
user is created; appointments are matched on their start date and never closed or reopened here,
so changes an admin makes afterwards are kept.

There is no everyday superuser (三员分立): the demo ships three administrator accounts, each holding
one role through the role service (the system, the security and the audit administrator), none of
them a superuser. A superuser `admin` left by an older demo is demoted and disabled.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models, transaction

from governance.models import AdminRole, AdminRoleAssignment, Appointment, Bureau, Person, Post, Unit, UnitKind
from governance.services.admin_roles import assign_role
from governance.services.passwords import require_change

User = get_user_model()

DEMO_PASSWORD = "demo-pass-2026"
DEMO_BUREAU = {"code": "demo", "name": "某市商务局", "short_name": "商务局"}
APPOINTED_ON = datetime.date(2024, 1, 1)
CHANGE_REASON = "载入演示数据"

# code, name, short name (used in minutes numbers), kind
UNITS: list[tuple[str, str, str, str]] = [
    ("office", "办公室", "办公室", UnitKind.GENERAL_OFFICE),
    ("supervision", "监察室", "监察室", UnitKind.SUPERVISION_OFFICE),
    ("foreign-trade", "外贸处", "外贸处", UnitKind.DIVISION),
    ("foreign-investment", "外资处", "外资处", UnitKind.DIVISION),
    ("market", "市场建设处", "市场处", UnitKind.DIVISION),
    ("info-center", "商务信息中心", "信息中心", UnitKind.AFFILIATED),
]

P = Post
# username, name, posts as (post, unit code or None for bureau-level posts)
PEOPLE: list[tuple[str, str, list[tuple[str, str | None]]]] = [
    # The party secretary is also the director: one person, two posts.
    ("wangjianguo", "王建国", [(P.PARTY_SECRETARY, None), (P.DIRECTOR, None)]),
    ("lizhiqiang", "李志强", [
        (P.DEPUTY_DIRECTOR, None), (P.PARTY_MEMBER, None),
        (P.LEADER_IN_CHARGE, "office"), (P.LEADER_IN_CHARGE, "foreign-trade"),
        (P.LEADER_IN_CHARGE, "foreign-investment"),
    ]),
    ("zhanghongmei", "张红梅", [
        (P.DEPUTY_DIRECTOR, None), (P.PARTY_MEMBER, None),
        (P.LEADER_IN_CHARGE, "market"), (P.LEADER_IN_CHARGE, "info-center"),
    ]),
    ("chenlixin", "陈立新", [
        (P.DISCIPLINE_SECRETARY, None), (P.PARTY_MEMBER, None), (P.LEADER_IN_CHARGE, "supervision"),
    ]),
    ("liuguohua", "刘国华", [(P.PARTY_MEMBER, None)]),
    # General Office: head, deputy head and two clerks.
    ("zhaomin", "赵敏", [(P.UNIT_HEAD, "office")]),
    ("sunli", "孙丽", [(P.UNIT_DEPUTY_HEAD, "office")]),
    ("zhouwei", "周伟", [(P.UNIT_STAFF, "office")]),
    ("wujing", "吴静", [(P.UNIT_STAFF, "office")]),
    # Supervision Office: head and a supervision officer.
    ("zhenggang", "郑刚", [(P.UNIT_HEAD, "supervision")]),
    ("fengxue", "冯雪", [(P.UNIT_STAFF, "supervision")]),
    ("heyong", "何勇", [(P.UNIT_HEAD, "foreign-trade")]),
    ("xuwen", "许文", [(P.UNIT_STAFF, "foreign-trade")]),
    ("majun", "马骏", [(P.UNIT_STAFF, "foreign-trade")]),
    ("zhuting", "朱婷", [(P.UNIT_STAFF, "foreign-trade")]),
    ("linfang", "林芳", [(P.UNIT_HEAD, "foreign-investment")]),
    ("gaofeng", "高峰", [(P.UNIT_DEPUTY_HEAD, "foreign-investment")]),
    ("luomin", "罗敏", [(P.UNIT_STAFF, "foreign-investment")]),
    ("xielei", "谢磊", [(P.UNIT_STAFF, "foreign-investment")]),
    ("huangtao", "黄涛", [(P.UNIT_HEAD, "market")]),
    ("guoliang", "郭亮", [(P.UNIT_STAFF, "market")]),
    ("tangying", "唐颖", [(P.UNIT_STAFF, "market")]),
    ("songjie", "宋杰", [(P.UNIT_HEAD, "info-center")]),
    ("caoyang", "曹阳", [(P.UNIT_STAFF, "info-center")]),
]
# username, name, role: one person, one role (三员分立); no posts, no Person in the bureau.
ADMINS: list[tuple[str, str, str]] = [
    ("sysadmin", "系统管理员", AdminRole.SYSTEM),
    ("secadmin", "安全管理员", AdminRole.SECURITY),
    ("auditadmin", "审计管理员", AdminRole.AUDIT),
]
# The city (issue 14, part 6): the demo bureau and a second, small bureau of the same city; the
# supervision officer 冯雪 also works in the second bureau's Supervision Office (two bureaus, one
# switcher), and the city's overseer sees every bureau's compliance side by side (a city oversight grant).
DEMO_CITY = {"code": "demo-city", "name": "某市"}
SECOND_BUREAU = {"code": "demo-it", "name": "某市工业和信息化局", "short_name": "工信局"}
SECOND_UNITS: list[tuple[str, str, str, str]] = [
    ("office", "办公室", "办公室", UnitKind.GENERAL_OFFICE),
    ("supervision", "监察室", "监察室", UnitKind.SUPERVISION_OFFICE),
    ("industry", "产业发展处", "产业处", UnitKind.DIVISION),
]
SECOND_PEOPLE: list[tuple[str, str, list[tuple[str, str | None]]]] = [
    ("qianjin", "钱进", [(P.PARTY_SECRETARY, None), (P.DIRECTOR, None)]),
    ("yuhai", "于海", [(P.UNIT_HEAD, "office")]),
    ("dengkai", "邓凯", [(P.UNIT_HEAD, "industry")]),
    ("fengxue", "冯雪", [(P.UNIT_STAFF, "supervision")]),  # also in the demo bureau's Supervision Office
]
# username, name: the city's overseer (市纪委监委), a person of the demo bureau with no post in it.
CITY_OVERSEER = ("handucha", "韩督查")
LEGACY_SUPERUSER = "admin"  # the superuser of older demos, with every right
WORKSPACES = {AdminRole.SYSTEM: "/admin/", AdminRole.SECURITY: "/security/", AdminRole.AUDIT: "/audit/"}


@dataclass
class DemoReport:
    bureau: Bureau | None = None
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _ensure(model: type[models.Model], lookup: dict, values: dict, report: DemoReport):
    """Find the row by `lookup`; create it, or write only the fields of `values` that differ."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj._change_reason = CHANGE_REASON
        obj.save()
        report.created.append(f"{model._meta.verbose_name}：{obj}")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj._change_reason = CHANGE_REASON
        obj.save(update_fields=changed)
        report.updated.append(f"{model._meta.verbose_name}：{obj}")
    return obj


def _ensure_account(username: str, report: DemoReport, **fields):
    """The account; the demo password is set only when the account is created."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@demo.invalid", **fields)
        user.set_password(DEMO_PASSWORD)
        user.save()
        require_change(user)  # the shared demo password is changed at the first login (身份鉴别)
        report.created.append(f"账号：{username}")
    return user


def _ensure_user(username: str, name: str, bureau: Bureau, report: DemoReport):
    """The account and its `Person`."""
    user = _ensure_account(username, report)
    _ensure(Person, {"user": user}, {"name": name, "bureau": bureau}, report)
    return user


def _ensure_administrators(report: DemoReport) -> None:
    """三员分立: the three administrator accounts, one role each; the old all-powerful `admin` demoted."""
    legacy = User.objects.filter(username=LEGACY_SUPERUSER).first()
    if legacy is not None and legacy.is_superuser:
        legacy.is_superuser = legacy.is_staff = legacy.is_active = False
        legacy.save(update_fields=["is_superuser", "is_staff", "is_active"])
        report.updated.append(f"账号：{LEGACY_SUPERUSER}（取消超级用户并停用）")
    for username, name, role in ADMINS:
        user = _ensure_account(username, report, first_name=name)
        held = AdminRoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True)
        if not held.exists():
            assign_role(actor=None, user=user, role=role, reason=CHANGE_REASON)
            report.updated.append(f"管理员角色：{username} · {AdminRole(role).label}")


@transaction.atomic
def load_demo() -> DemoReport:
    """Create or complete the demo bureau, its units, people and appointments (idempotent)."""
    report = DemoReport()
    bureau = _ensure(
        Bureau, {"code": DEMO_BUREAU["code"]}, {"name": DEMO_BUREAU["name"], "short_name": DEMO_BUREAU["short_name"]},
        report,
    )
    report.bureau = bureau
    units = {
        unit_code: _ensure(
            Unit, {"bureau": bureau, "code": unit_code},
            {"name": name, "short_name": short_name, "kind": kind, "order": order},
            report,
        )
        for order, (unit_code, name, short_name, kind) in enumerate(UNITS, start=1)
    }
    for username, name, posts in PEOPLE:
        user = _ensure_user(username, name, bureau, report)
        for post, unit_code in posts:
            lookup = {
                "bureau": bureau, "person": user, "post": post,
                "unit": units[unit_code] if unit_code else None, "start": APPOINTED_ON,
            }
            _ensure(Appointment, lookup, {}, report)
    _ensure_city(bureau, report)
    _ensure_administrators(report)
    return report


def _ensure_city(bureau: Bureau, report: DemoReport) -> None:
    """The city, its second bureau (with its people and presets), the person in both, the overseer."""
    from governance.models import City, CityOversight
    from governance.rules.presets import PRESETS
    from governance.services import load_presets

    city = _ensure(City, {"code": DEMO_CITY["code"]}, {"name": DEMO_CITY["name"]}, report)
    _ensure(Bureau, {"code": bureau.code}, {"city": city}, report)
    second = _ensure(Bureau, {"code": SECOND_BUREAU["code"]}, {
        # No meeting history in the demo: its cadence is reminded, not judged (cadence_since left empty),
        # so the sweep does not record a missed meeting for every period since the appointments.
        "name": SECOND_BUREAU["name"], "short_name": SECOND_BUREAU["short_name"], "city": city}, report)
    units = {code: _ensure(Unit, {"bureau": second, "code": code},
                           {"name": name, "short_name": short_name, "kind": kind, "order": order}, report)
             for order, (code, name, short_name, kind) in enumerate(SECOND_UNITS, start=1)}
    for username, name, posts in SECOND_PEOPLE:
        user = User.objects.filter(username=username).first() or _ensure_user(username, name, second, report)
        for post, unit_code in posts:
            _ensure(Appointment, {"bureau": second, "person": user, "post": post,
                                  "unit": units[unit_code] if unit_code else None, "start": APPOINTED_ON}, {}, report)
    if not second.meeting_types.exists():
        load_presets(bureau=second, presets=PRESETS)
        report.created.append(f"会议类型：{second.name}")
    overseer = _ensure_user(*CITY_OVERSEER, bureau, report)
    if not CityOversight.objects.filter(city=city, person=overseer, revoked_at__isnull=True).exists():
        grant = CityOversight(city=city, person=overseer, reason="市纪委监委：全市会议合规监督（演示数据）")
        grant._change_reason = CHANGE_REASON
        grant.save()
        report.created.append(f"市级合规监督授权：{overseer.username} · {city.name}")


def demo_logins(*, bureau: Bureau, on: datetime.date) -> list[tuple[str, str, str]]:
    """(username, name, posts held on `on`) for each demo account, leaders first."""
    usernames = ([username for username, _, _ in PEOPLE] + [u for u, _, _ in SECOND_PEOPLE if u not in {p[0] for p in PEOPLE}]
                 + [CITY_OVERSEER[0]] + [username for username, _, _ in ADMINS])
    users = {u.username: u for u in User.objects.filter(username__in=usernames).select_related("person")}
    # Per person: post -> the units it concerns, e.g. 分管领导（外贸处、外资处）.
    held: dict[int, dict[str, list[str]]] = {}
    post_order = list(Post.values)
    for appointment in sorted(
        Appointment.objects.on(on).filter(person__in=users.values()).select_related("unit", "bureau"),
        key=lambda a: (a.bureau_id != bureau.pk, post_order.index(a.post), a.unit.order if a.unit_id else 0),
    ):
        label = str(appointment.get_post_display())
        if appointment.bureau_id != bureau.pk:  # a post in another bureau of the city names it
            label = f"{appointment.bureau.short_name}{label}"
        units = held.setdefault(appointment.person_id, {}).setdefault(label, [])
        if appointment.unit_id:
            units.append(appointment.unit.short_name)
    roles = dict(AdminRoleAssignment.objects.filter(user__in=users.values(), revoked_at__isnull=True)
                 .values_list("user_id", "role"))
    rows = []
    for username in usernames:
        user = users.get(username)
        if user is None:
            continue
        posts = [f"{post}（{'、'.join(units)}）" if units else post for post, units in held.get(user.pk, {}).items()]
        role = roles.get(user.pk)
        if username == CITY_OVERSEER[0]:
            posts = ["市级合规监督（/city/）", *posts]
        if role:
            posts = [f"{AdminRole(role).label}（{WORKSPACES[role]}）", *posts]
        name = user.person.name if hasattr(user, "person") else user.first_name
        rows.append((username, name, "、".join(posts)))
    return rows


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A plain-text table whose columns line up in a terminal, Chinese included."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
