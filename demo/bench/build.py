"""The city dataset: `build(...)` creates the organisation (demo.bench.org) and then meetings across
five years, each slot's meetings copied from prototypes the services made (demo.bench.proto, clone).

A dataset grows: `build` called again on the same database adds meetings to the bureaus it finds.
On SQLite everything is one transaction; on PostgreSQL one per slot, so a long build shows progress.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from unittest import mock

from django.db import connection, transaction
from django.utils import timezone

from governance.models import Bureau, Cadence, Meeting, Scope, Unit

from .clone import Counters, clone, own_timestamps
from .org import build_org, load_orgs, start_of_record
from .proto import APPROVED, SUBMITTED, TEMPLATE_OF, UNDRAFTED, UPCOMING, Slot, capture, make_prototype, row

SIZES = {
    "small": {"bureaus": 2, "units": 12, "people": 160, "meetings": 1000},
    "medium": {"bureaus": 5, "units": 150, "people": 3000, "meetings": 10000},
    "full": {"bureaus": 20, "units": 1000, "people": 20000, "meetings": 100000},
}
PER_YEAR = {Cadence.WEEK: 48, Cadence.MONTH: 12, Cadence.QUARTER: 6, Cadence.YEAR: 1, Cadence.NONE: 20}
CHUNK = 400
OFFSETS = {APPROVED: datetime.timedelta(days=1, hours=7), SUBMITTED: datetime.timedelta(days=1, hours=7),
           UPCOMING: -datetime.timedelta(days=5)}
SHAPES: dict[tuple[str, str], tuple] = {}  # (shape, kind) -> (template, the bureau org it was made in)
TEMPLATES: dict[str, dict] = {}  # slot key -> its templates, kept while the process lives (a dataset grown)
MARKER = "bench"  # the benchmark's bureaus' codes begin with it


class NotBenchData(Exception):
    pass


def foreign_meetings() -> int:
    """Meetings outside the benchmark's bureaus: a database with any is not the benchmark's."""
    return Meeting.objects.exclude(bureau__code__startswith=MARKER).count()


def check_database(force: bool) -> None:
    if not force and (foreign_meetings() or Bureau.objects.exclude(code__startswith=MARKER).exists()):
        raise NotBenchData("这个数据库里有非基准测试的数据（局或会议）。请换一个数据库，或加 --force。")


def slots_of(orgs) -> list[Slot]:
    slots = []
    for o in orgs:
        for t in sorted(o.types.values(), key=lambda t: t.order):
            per_year = PER_YEAR.get(t.cadence, 12) * max(1, t.cadence_min_count or 1)
            if t.scope == Scope.BUREAU:
                slots.append(Slot(org=o, type=t, unit=None, weight=per_year))
            else:
                units = [u for u in [o.office, o.supervision, *o.divisions] if u.kind in t.unit_kinds]
                slots.extend(Slot(org=o, type=t, unit=u, weight=per_year) for u in units)
    return slots


def allocate(total: int, slots: list[Slot]) -> list[int]:
    weight = sum(s.weight for s in slots) or 1
    counts = [max(1, int(total * s.weight / weight)) for s in slots]
    i = 0
    while sum(counts) < total:
        counts[i % len(counts)] += 1
        i += 1
    return counts


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def plan_slot(slot: Slot, count: int, today: datetime.date, seed: int) -> list[tuple[str, datetime.datetime]]:
    """(kind, start) of `count` meetings of a slot: about 2% still to come, the rest across five years;
    the most recent still without minutes or with minutes awaiting approval."""
    rnd = random.Random(f"{slot.key}:{seed}")
    first, span = start_of_record(today) + datetime.timedelta(days=7), (today - start_of_record(today)).days - 8
    out = []
    for _ in range(count):
        if rnd.random() < 0.02:
            day = _weekday(today + datetime.timedelta(days=rnd.randint(2, 40)))
        else:
            day = first + datetime.timedelta(days=rnd.randint(0, span))
            while day.weekday() >= 5:
                day -= datetime.timedelta(days=1)
        age = (today - day).days
        roll = rnd.random()
        if age < 0:
            kind = UPCOMING
        elif age < 12:
            kind = UNDRAFTED if roll < 0.4 else SUBMITTED if roll < 0.7 else APPROVED
        elif age < 400:
            kind = UNDRAFTED if roll < 0.03 else SUBMITTED if roll < 0.05 else APPROVED
        else:
            kind = APPROVED
        hour = 9 if rnd.random() < 0.6 else 14
        out.append((kind, timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))))
    return out


def settle(tpl) -> None:
    """The prototype's own timestamps, placed as its copies' are (the services stamped them now)."""
    from .clone import Copy
    from .proto import template_rows

    copy = Copy(tpl, tpl.meeting["starts_at"], tpl.meeting["title"])
    for model, rows in template_rows(tpl):
        for d in rows:
            changed = {k: copy.when(v) for k, v in d.items()
                       if isinstance(v, datetime.date) and k != "id" and copy.when(v) != v}
            if changed:
                model._base_manager.filter(pk=d["id"]).update(**changed)


def _shape(slot: Slot) -> str:
    return f"{slot.type.code}:{slot.org.units.index(slot.unit) if slot.unit else '-'}"


def _prototypes(slot: Slot, kinds: set[str], today: datetime.date) -> int:
    """The templates the slot needs: made by the services in the first bureau of its shape, read as
    the same meeting in the others (demo.bench.translate)."""
    from .translate import translate

    made = 0
    days = {APPROVED: start_of_record(today) + datetime.timedelta(days=3), SUBMITTED: today - datetime.timedelta(days=5),
            UPCOMING: today + datetime.timedelta(days=10)}
    for kind in sorted({TEMPLATE_OF[k] for k in kinds} - set(slot.templates)):
        shared = SHAPES.get((_shape(slot), kind))
        if shared is not None:
            tpl, src = shared
            slot.templates[kind] = translate(tpl, src, slot.org)
            continue
        mark = timezone.now()
        meeting = make_prototype(slot, kind, _weekday(days[kind]))
        tpl = capture(meeting, mark=mark, offset=OFFSETS[kind])
        settle(tpl)
        tpl.meeting = row(Meeting.objects.get(pk=meeting.pk)) | {"record_locked_at": tpl.meeting["record_locked_at"]}
        slot.templates[kind] = tpl
        SHAPES[(_shape(slot), kind)] = (tpl, slot.org)
        made += 1
    return made


def build(*, bureaus: int, units: int, people: int, meetings: int, grow: bool = False,
          say: Callable[[str], None] = print) -> dict:
    """Build (or, with `grow`, add `meetings` meetings to) the city dataset; returns what it did."""
    started = time.perf_counter()
    today = timezone.localdate()
    atomic_all = connection.vendor == "sqlite"
    outer = transaction.atomic() if atomic_all else _nothing()
    params = connection.features.max_query_params
    if atomic_all:  # SQLite since 3.32 takes 32766 parameters a statement; Django assumes 999
        connection.features.max_query_params = 32766
    try:
        return _build(bureaus=bureaus, units=units, people=people, meetings=meetings, grow=grow, say=say,
                      started=started, today=today, outer=outer)
    finally:
        connection.features.max_query_params = params


def _build(*, bureaus, units, people, meetings, grow, say, started, today, outer) -> dict:
    # E-mail of the prototypes' notifications is not queued: no worker runs and nobody reads it.
    with outer, mock.patch("governance.services.common._queue_emails", lambda ids: None):
        if grow and Bureau.objects.filter(code__startswith=MARKER).exists():
            orgs = load_orgs()
            say(f"扩充已有的基准数据：{len(orgs)} 个局")
        else:
            SHAPES.clear()  # templates of an earlier dataset in this process name its rows
            TEMPLATES.clear()
            say(f"建立组织：{bureaus} 个局，约 {units} 个处室/单位，约 {people} 人")
            with transaction.atomic():
                orgs = build_org(bureaus=bureaus, units=units, people=people, today=today, say=say)
        slots = slots_of(orgs)
        for slot in slots:
            slot.templates = TEMPLATES.setdefault(slot.key, {})
        short_names = dict(Unit.objects.filter(bureau__code__startswith=MARKER).values_list("pk", "short_name"))
        counts = allocate(meetings, slots)
        seed = Meeting.objects.count()
        counters = Counters()
        done = rows = protos = 0
        last = time.perf_counter()
        for slot, count in zip(slots, counts, strict=True):
            plan = plan_slot(slot, count, today, seed)
            with transaction.atomic():
                made = _prototypes(slot, {k for k, _ in plan}, today)
                protos += made
                plan = plan[made:] if made < len(plan) else []
                by_kind: dict[str, list] = {}
                for kind, start in plan:
                    by_kind.setdefault(kind, []).append(start)
                for kind, starts in by_kind.items():
                    tpl = slot.templates[TEMPLATE_OF[kind]]
                    for i in range(0, len(starts), CHUNK):
                        chunk = starts[i:i + CHUNK]
                        plan_rows = [(s, _title(slot, s)) for s in chunk]
                        with own_timestamps():
                            rows += clone(tpl, kind, plan_rows, counters, short_names=short_names)
                counters.save()
            done += count
            if time.perf_counter() - last > 5:
                last = time.perf_counter()
                say(f"  会议 {done}/{meetings}（{time.perf_counter() - started:.0f} 秒）")
    # The planner's statistics, as autovacuum would gather them after such a load: without them a
    # freshly bulk-loaded PostgreSQL plans a page's prefetch as a scan of millions of rows.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    from governance.models import Action, Topic
    from minutes.models import Minutes

    from .grants import count_by_model, perms_model

    grants = count_by_model([Meeting, Topic, Minutes, Action])
    say("对象权限（" + "，".join(f"{label} {n}" for label, n in grants.items()) + f"；表 {perms_model(Meeting)._meta.label}）")
    say(f"数据建好：{meetings} 次会议（其中 {protos} 次由业务服务生成的样板），{rows} 行，用时 {seconds:.1f} 秒")
    return {"seconds": round(seconds, 2), "meetings": meetings, "prototypes": protos, "rows": rows,
            "bureaus": len(orgs), "slots": len(slots), "grants": grants}


def _title(slot: Slot, start: datetime.datetime) -> str:
    day = timezone.localtime(start).date()
    return f"{slot.unit.name if slot.unit else ''}{day:%Y年%-m月%-d日}{slot.type.name}"


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
