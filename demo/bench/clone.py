"""Copies of a prototype's rows onto many meetings, in bulk (see demo.bench.proto).

Each copy gets its own date: a timestamp the prototype had relative to its meeting keeps that
distance from the copy's start; a timestamp the services stamped while the prototype was made
(`Template.mark` and later) is placed at `Template.offset` from the copy's start, in the same order.
Ids are mapped (meeting, participants, topics, minutes, revisions, actions), so are the ids inside
URLs and the minutes' body, the title and the minutes number inside texts. Minutes are numbered
per issuing unit, series and year without gaps, continuing `MinutesCounter`.

What copies leave out, and why: simple-history rows and audit events (the history and the security
trail are not read by the pages measured; the prototypes have theirs), the transitions after an
action was done (an old action is stored done, with the transition that opened it).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from governance.models import (
    Action,
    ActionStatus,
    Alert,
    AlertKind,
    Briefing,
    Meeting,
    Notification,
    Participant,
    Topic,
    Transition,
    Vote,
)
from minutes.models import Minutes, MinutesCounter, Recipient, Revision

from .grants import write_grants
from .proto import APPROVED, UNDRAFTED, Template

BATCH = 2000
STAMPED = (Meeting, Participant, Topic, Vote, Minutes, Revision, Recipient, Action, Transition, Notification, Alert,
           Briefing)
LOCK_REASON = "纪要审定，会议记录锁定"


@contextlib.contextmanager
def own_timestamps():
    """Let bulk_create keep the dates given (auto_now_add would stamp every copy with now)."""
    flipped = []
    for model in STAMPED:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                flipped.append((f, f.auto_now_add, f.auto_now))
                f.auto_now_add = f.auto_now = False
    try:
        yield
    finally:
        for f, add, now in flipped:
            f.auto_now_add, f.auto_now = add, now


class Counters:
    """R-MI-2 numbers without gaps: the last number per (unit, series, year), written back at the end."""

    def __init__(self):
        self.last: dict[tuple[int, str, int], int] = {}
        self.dirty: set[tuple[int, str, int]] = set()

    def take(self, unit_id: int, series: str, year: int) -> int:
        key = (unit_id, series, year)
        if key not in self.last:
            self.last[key] = (MinutesCounter.objects.filter(unit_id=unit_id, series=series, year=year)
                              .values_list("last", flat=True).first() or 0)
        self.last[key] += 1
        self.dirty.add(key)
        return self.last[key]

    def save(self) -> None:
        """Write back the counters taken from since the last save."""
        for unit_id, series, year in sorted(self.dirty):
            MinutesCounter.objects.update_or_create(unit_id=unit_id, series=series, year=year,
                                                    defaults={"last": self.last[(unit_id, series, year)]})
        self.dirty.clear()


def number(short: str, series: str, year: int, sequence: int) -> str:
    return f"{short}{series}〔{year}〕第{sequence}号"


class Copy:
    """The values of one copy: its start, and how it maps the prototype's ids, dates and texts."""

    def __init__(self, tpl: Template, start: datetime.datetime, title: str):
        self.tpl, self.start, self.title = tpl, start, title
        self.proto_start = tpl.meeting["starts_at"]
        self.ids: dict[type, dict[int, int]] = {}
        self.texts = {tpl.meeting["title"]: title}

    def when(self, value):
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            if self.tpl.mark <= value <= self.tpl.until:
                return self.start + self.tpl.offset + (value - self.tpl.mark)
            return self.start + (value - self.proto_start)
        if isinstance(value, datetime.date):
            if value >= self.tpl.mark.date():
                return self.start.date() + self.tpl.offset + (value - self.tpl.mark.date())
            return self.start.date() + (value - self.proto_start.date())
        return value

    def text(self, value: str) -> str:
        for old, new in self.texts.items():
            value = value.replace(old, new)
        return value

    def url(self, value: str) -> str:
        for model, prefix in ((Meeting, "/meetings/"), (Minutes, "/minutes/"), (Action, "/actions/")):
            for old, new in self.ids.get(model, {}).items():
                value = value.replace(f"{prefix}{old}/", f"{prefix}{new}/")
        return value

    def values(self, d: dict, *, fks: dict[str, type] = (), texts: Iterable[str] = ()) -> dict:
        out = {}
        fks = dict(fks)
        for name, value in d.items():
            if name == "id":
                continue
            if name in fks:
                value = self.ids[fks[name]].get(value, value) if value is not None else None
            elif isinstance(value, datetime.date):
                value = self.when(value)
            elif name in texts and isinstance(value, str):
                value = self.text(value)
            out[name] = value
        return out


def _create(model, pending: list[tuple[Copy, dict, dict]], *, key: str | None = None) -> None:
    """bulk_create `model` rows; with `key`, record each copy's old pk -> new pk."""
    objs = [model(**values) for _, _, values in pending]
    model.objects.bulk_create(objs, batch_size=BATCH)
    if key:
        for (copy, old, _), obj in zip(pending, objs, strict=True):
            copy.ids.setdefault(model, {})[old[key]] = obj.pk


def clone(tpl: Template, kind: str, plan: list[tuple[datetime.datetime, str]], counters: Counters,
          *, short_names: dict[int, str]) -> int:
    """Copy `tpl` onto one new meeting per (start, title) of `plan`, in state `kind`; returns rows written."""
    now = timezone.now()
    copies = [Copy(tpl, start, title) for start, title in plan]
    with_minutes = tpl.minutes is not None and kind != UNDRAFTED
    written = 0
    meetings = []
    for c in copies:
        v = c.values(tpl.meeting, texts=("title",))
        if kind == UNDRAFTED:
            v["record_locked_at"] = None
        meetings.append((c, tpl.meeting, v))
    _create(Meeting, meetings, key="id")
    fk_m = {"meeting_id": Meeting}
    rows = [(c, p, c.values(p, fks=fk_m)) for c in copies for p in tpl.participants]
    _create(Participant, rows, key="id")
    rows = [(c, t, c.values(t, fks=fk_m)) for c in copies for t in tpl.topics]
    _create(Topic, rows, key="id")
    written += len(meetings) + len(rows)
    rows = [(c, v, c.values(v, fks={"topic_id": Topic})) for c in copies for v in tpl.votes]
    _create(Vote, rows)
    rows2 = [(c, b, c.values(b, fks={"participant_id": Participant})) for c in copies for b in tpl.briefings]
    _create(Briefing, rows2)
    written += len(rows) + len(rows2)
    if with_minutes:
        rows = []
        for c in copies:
            v = c.values(tpl.minutes, fks=fk_m)
            if tpl.minutes["sequence"]:
                year = timezone.localtime(c.start).year
                v["year"], v["sequence"] = year, counters.take(v["issuing_unit_id"], v["series"], year)
                short = short_names[v["issuing_unit_id"]]
                c.texts[number(short, tpl.minutes["series"], tpl.minutes["year"], tpl.minutes["sequence"])] = number(
                    short, v["series"], year, v["sequence"])
            rows.append((c, tpl.minutes, v))
        _create(Minutes, rows, key="id")
        fk_min = {"minutes_id": Minutes}
        rows = []
        for c in copies:
            for r in tpl.revisions:
                v = c.values(r, fks=fk_min, texts=("title", "summary"))
                v["body"] = [dict(item, topic=c.ids[Topic].get(item.get("topic"), item.get("topic")))
                             for item in r["body"]]
                rows.append((c, r, v))
        _create(Revision, rows, key="id")
        rows2 = [(c, r, c.values(r, fks=fk_min)) for c in copies for r in tpl.recipients]
        _create(Recipient, rows2)
        written += len(copies) + len(rows) + len(rows2)
        rows = []
        for c in copies:
            for a in tpl.actions:
                v = c.values(a, fks={"meeting_id": Meeting, "topic_id": Topic}, texts=("title",))
                if v["due"] < now.date() - datetime.timedelta(days=60):
                    v["status"], v["done_at"] = ActionStatus.DONE, c.when(v["due"] - datetime.timedelta(days=2))
                    verifiers = [u for u, p, pk in tpl.grants.get(Action._meta.label, []) if pk == a["id"]]
                    v["done_at"] = timezone.make_aware(datetime.datetime.combine(v["done_at"], datetime.time(17)))
                    v["verified_by_id"] = verifiers[0] if verifiers else None
                rows.append((c, a, v))
        _create(Action, rows, key="id")
        written += len(rows)
        old = now - datetime.timedelta(days=400)
        alerts = [Alert(subject=f"minutes:{c.ids[Meeting][tpl.meeting['id']]}", deadline="minutes",
                        kind=AlertKind.REMINDER, recipient_id=tpl.meeting["recorder_id"],
                        due=c.start.date() + datetime.timedelta(days=7), bureau_id=tpl.meeting["bureau_id"],
                        title=f"【提醒】{c.title}的纪要须按期分送", url=f"/meetings/{c.ids[Meeting][tpl.meeting['id']]}/",
                        created_at=c.start + datetime.timedelta(days=5), sent_at=c.start + datetime.timedelta(days=5))
                  for i, c in enumerate(copies) if kind == APPROVED and i % 5 == 0 and c.start < old]
        Alert.objects.bulk_create(alerts, batch_size=BATCH)
        written += len(alerts)
    written += _grants(tpl, copies, with_minutes)
    written += _transitions(tpl, copies, with_minutes)
    rows = []
    for c in copies:
        for n in tpl.notifications:
            if not with_minutes and n["meeting_id"] is None:
                continue
            v = c.values(n, fks=fk_m, texts=("title", "body"))
            v["url"] = c.url(n["url"])
            if v["created_at"] and v["created_at"] < now - datetime.timedelta(days=30):
                v["read_at"] = v["created_at"] + datetime.timedelta(hours=2)
            rows.append((c, n, v))
    _create(Notification, rows)
    return written + len(rows)


def _grants(tpl: Template, copies: list[Copy], with_minutes: bool) -> int:
    written = 0
    for model in (Meeting, Topic, Minutes, Action):
        if model in (Minutes, Action) and not with_minutes:
            continue
        grants = tpl.grants.get(model._meta.label, [])
        written += write_grants(model, ((u, p, c.ids[model][pk]) for c in copies for u, p, pk in grants))
    return written


def _transitions(tpl: Template, copies: list[Copy], with_minutes: bool) -> int:
    models_by_ct: dict[int, type[models.Model]] = {}
    for model in (Meeting, Topic, Minutes, Revision, Action, Participant):
        models_by_ct[ContentType.objects.get_for_model(model).pk] = model
    rows = []
    for c in copies:
        for t in tpl.transitions:
            model = models_by_ct.get(t["content_type_id"])
            if model is None or model not in c.ids:
                continue  # the minutes' and actions' transitions, in a copy without minutes
            if not with_minutes and t["reason"] == LOCK_REASON:
                continue
            v = c.values(t, texts=("reason",))
            v["object_id"] = c.ids[model][t["object_id"]]
            rows.append((c, t, v))
    _create(Transition, rows)
    return len(rows)
