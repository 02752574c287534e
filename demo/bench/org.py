"""The city's organisation, in bulk: bureaus, each with its General Office, Supervision Office and
divisions; people (accounts and `Person`); dated appointments; the shipped meeting types per bureau.

Rows are valid as the models' `clean()` would have them: bureau posts carry no unit, unit posts carry
one of the same bureau, no appointment ends before it starts, administrators hold no post. Every
appointment in force starts before the five years of meetings and is open-ended, so the posts held
on a meeting's date are the posts held today; a share of the staff also held an earlier, closed post
in another unit (dated history that no meeting falls into).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from governance.models import Appointment, Bureau, MeetingType, Person, Post, Unit, UnitKind
from governance.rules.presets import PRESETS
from governance.services import load_presets

User = get_user_model()
BATCH = 2000
YEARS = 5
# The types a bureau holds in the benchmark. The all-staff meeting (AS: every post, called by decision)
# is left inactive; the municipal 处室工作会议 (UW) is the 处务会 (DA) under another name, as in the demo.
INACTIVE_TYPES = ("AS", "UW")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌波宁海峰鹏辉燕春林晨欣怡婷雪梅琳浩宇"


def start_of_record(today: datetime.date) -> datetime.date:
    """The first day of the five years of meetings."""
    return today.replace(year=today.year - YEARS) + datetime.timedelta(days=1)


@dataclass
class BureauOrg:
    bureau: Bureau
    office: Unit
    supervision: Unit
    divisions: list[Unit]
    secretary: int  # user ids
    deputies: list[int]
    discipline: int
    office_staff: list[int]
    supervision_staff: list[int]
    heads: dict[int, int]  # unit id -> head's user id
    staff: dict[int, list[int]] = field(default_factory=dict)  # unit id -> staff user ids
    types: dict[str, MeetingType] = field(default_factory=dict)
    people: list[int] = field(default_factory=list)  # every user id, in the order made: bureaus are alike
    units: list[Unit] = field(default_factory=list)


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)] + GIVEN[(n * 7 + 3) % len(GIVEN)]


def build_org(*, bureaus: int, units: int, people: int, today: datetime.date, say=print) -> list[BureauOrg]:
    """Create the bureaus with their units, people, appointments and meeting types."""
    per_bureau_units = max(4, units // bureaus)
    per_bureau_people = max(16, people // bureaus)
    since = start_of_record(today) - datetime.timedelta(days=30)
    first = Bureau.objects.count() + 1
    made = Bureau.objects.bulk_create([
        Bureau(code=f"bench{first + i:03d}", name=f"市第{first + i}局", short_name=f"{first + i}局",
               cadence_since=start_of_record(today)) for i in range(bureaus)])
    orgs = []
    user_no = User.objects.count()
    for b in made:
        kinds = [UnitKind.GENERAL_OFFICE, UnitKind.SUPERVISION_OFFICE] + [
            UnitKind.AFFILIATED if i % 6 == 5 else UnitKind.DIVISION for i in range(per_bureau_units - 2)]
        rows = []
        for order, kind in enumerate(kinds, start=1):
            if kind == UnitKind.GENERAL_OFFICE:
                code, name, short = "office", "办公室", "办公室"
            elif kind == UnitKind.SUPERVISION_OFFICE:
                code, name, short = "supervision", "监察室", "监察室"
            else:
                code, name = f"u{order:03d}", f"第{order - 2}{'中心' if kind == UnitKind.AFFILIATED else '处'}"
                short = name
            rows.append(Unit(bureau=b, code=code, name=name, short_name=short, kind=kind, order=order))
        made_units = Unit.objects.bulk_create(rows, batch_size=BATCH)
        office, supervision, divisions = made_units[0], made_units[1], made_units[2:]
        # Accounts: leaders, the two offices, then the divisions share what is left.
        count = per_bureau_people
        users = User.objects.bulk_create([
            User(username=f"{b.code}-{user_no + n:06d}", password="!", email=f"{b.code}-{user_no + n}@bench.invalid")
            for n in range(count)], batch_size=BATCH)
        Person.objects.bulk_create([Person(user=u, bureau=b, name=_name(user_no + n)) for n, u in enumerate(users)],
                                   batch_size=BATCH)
        user_no += count
        ids = [u.pk for u in users]
        secretary, deputies, discipline = ids[0], ids[1:4], ids[4]
        office_staff, supervision_staff = ids[5:9], ids[9:12]
        rest = ids[12:]
        apps: list[Appointment] = []

        def post(person, p, unit=None, start=since, end=None, apps=apps, b=b):
            apps.append(Appointment(bureau=b, person_id=person, post=p, unit=unit, start=start, end=end))

        post(secretary, Post.PARTY_SECRETARY)
        post(secretary, Post.PARTY_MEMBER)
        post(secretary, Post.DIRECTOR)
        for d in deputies:
            post(d, Post.DEPUTY_DIRECTOR)
            post(d, Post.PARTY_MEMBER)
        post(discipline, Post.DISCIPLINE_SECRETARY)
        post(discipline, Post.PARTY_MEMBER)
        post(discipline, Post.LEADER_IN_CHARGE, supervision)
        post(deputies[0], Post.LEADER_IN_CHARGE, office)
        for i, u in enumerate(divisions):
            post(deputies[i % len(deputies)], Post.LEADER_IN_CHARGE, u)
        post(office_staff[0], Post.UNIT_HEAD, office)
        for s in office_staff[1:]:
            post(s, Post.UNIT_STAFF, office)
        post(supervision_staff[0], Post.UNIT_HEAD, supervision)
        for s in supervision_staff[1:]:
            post(s, Post.UNIT_STAFF, supervision)
        heads = {office.pk: office_staff[0], supervision.pk: supervision_staff[0]}
        staff = {office.pk: office_staff[1:], supervision.pk: supervision_staff[1:]}
        per_unit = max(2, len(rest) // max(1, len(divisions)))
        for i, u in enumerate(divisions):
            members = rest[i * per_unit:(i + 1) * per_unit] or [rest[i % len(rest)]]
            heads[u.pk] = members[0]
            post(members[0], Post.UNIT_HEAD, u)
            staff[u.pk] = members[1:]
            for j, s in enumerate(members[1:]):
                post(s, Post.UNIT_DEPUTY_HEAD if j == 0 and len(members) > 4 else Post.UNIT_STAFF, u)
                if j % 7 == 3 and len(divisions) > 1:  # an earlier post in another unit, ended before
                    other = divisions[(i + 1) % len(divisions)]
                    post(s, Post.UNIT_STAFF, other, start=since - datetime.timedelta(days=1500),
                         end=since - datetime.timedelta(days=1))
        Appointment.objects.bulk_create(apps, batch_size=BATCH)
        load_presets(bureau=b, presets=PRESETS)
        MeetingType.objects.filter(bureau=b, code__in=INACTIVE_TYPES).update(active=False)
        types = {t.code: t for t in MeetingType.objects.filter(bureau=b, active=True).select_related("bureau")}
        orgs.append(BureauOrg(bureau=b, office=office, supervision=supervision, divisions=list(divisions),
                              secretary=secretary, deputies=deputies, discipline=discipline,
                              office_staff=office_staff, supervision_staff=supervision_staff, heads=heads,
                              staff=staff, types=types, people=ids, units=list(made_units)))
        say(f"  {b.name}：{len(made_units)} 个处室/单位，{count} 人，{len(apps)} 条任职")
    return orgs


def load_orgs() -> list[BureauOrg]:
    """The benchmark's bureaus as they stand in the database (to grow a dataset built earlier)."""
    today = timezone.localdate()
    orgs = []
    for b in Bureau.objects.filter(code__startswith="bench").order_by("pk"):
        units = list(Unit.objects.filter(bureau=b).order_by("order"))
        office = next(u for u in units if u.kind == UnitKind.GENERAL_OFFICE)
        supervision = next(u for u in units if u.kind == UnitKind.SUPERVISION_OFFICE)
        divisions = [u for u in units if u.pk not in (office.pk, supervision.pk)]
        posts = list(Appointment.objects.on(today).filter(bureau=b).values_list("person_id", "post", "unit_id"))
        def by(p, unit=None, posts=posts):
            return [pid for pid, post, uid in posts if post == p and (unit is None or uid == unit)]

        heads = {uid: pid for pid, post, uid in posts if post == Post.UNIT_HEAD}
        staff = {u.pk: [pid for pid, post, uid in posts if uid == u.pk and post in (Post.UNIT_STAFF,
                                                                                   Post.UNIT_DEPUTY_HEAD)]
                 for u in units}
        orgs.append(BureauOrg(
            bureau=b, office=office, supervision=supervision, divisions=divisions,
            secretary=by(Post.PARTY_SECRETARY)[0], deputies=sorted(by(Post.DEPUTY_DIRECTOR)),
            discipline=by(Post.DISCIPLINE_SECRETARY)[0],
            office_staff=sorted([heads[office.pk], *by(Post.UNIT_STAFF, office.pk)]),
            supervision_staff=sorted([heads[supervision.pk], *by(Post.UNIT_STAFF, supervision.pk)]),
            heads=heads, staff=staff,
            types={t.code: t for t in MeetingType.objects.filter(bureau=b, active=True).select_related("bureau")},
            people=list(Person.objects.filter(bureau=b).order_by("user_id").values_list("user_id", flat=True)),
            units=units))
    return orgs
