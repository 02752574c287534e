"""Reads for the minutes screens and documents; R-CO-1 is applied here, once, for every channel."""

from __future__ import annotations

import bisect
import datetime
import re

from django.db.models import BigIntegerField, Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce, Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Attendance, Breach, BreachKind, Meeting, Role
from governance.rules.workdays import add_workdays
from governance.selectors.compliance import figure_source
from governance.selectors.confidential import readable_topic_ids
from governance.selectors.due_dates import WorkdayCounter, meeting_end_day, minutes_due
from governance.selectors.ledgers import LedgerQuery, Register, chunks, labels, register_source, stamp
from governance.selectors.org import display_name
from governance.selectors.periods import within
from governance.selectors.search import search_section

from .documents import MinutesSnapshot, TopicEntry
from .models import Minutes, MinutesStatus, Revision, RevisionStatus
from .permissions import may_minutes


def attach_due(minutes, counter: WorkdayCounter | None = None) -> list[Minutes]:
    """R-MI-4: set `due` (and `due_fallback`) on each minutes (meeting and type selected) from the
    meeting's end and the working-day calendar as it stands now; returns them as a list."""
    counter = counter or WorkdayCounter()
    minutes = list(minutes)
    longest = max((mn.meeting.meeting_type.minutes_deadline_workdays or 0 for mn in minutes), default=0)
    counter.prepare([meeting_end_day(mn.meeting) for mn in minutes], longest)
    for mn in minutes:
        result = minutes_due(mn.meeting, counter)
        mn.due = result.date if result else None
        mn.due_fallback = bool(result and result.fallback_years)
    return minutes


def on_time(minutes: Minutes) -> bool | None:
    """R-MI-4: distributed on or before its due date, the due date as the calendar now stands
    (None while there is no due date or they are not sent)."""
    try:
        due = minutes.due
    except AttributeError:
        due = attach_due([minutes])[0].due
    if due is None or minutes.distributed_at is None:
        return None
    return timezone.localtime(minutes.distributed_at).date() <= due


def visible_revision(user, minutes: Minutes, number: int | None = None) -> Revision | None:
    """The revision to show: a given number, else the latest approved; drafters and the approver
    also see an open draft."""
    revisions = sorted(minutes.revisions.all(), key=lambda r: r.number)  # prefetched by the page, when it is
    may_see_drafts = may_minutes(user, minutes, "draft") or may_minutes(user, minutes, "approve")
    allowed = [r for r in revisions if r.status == RevisionStatus.APPROVED or may_see_drafts]
    if number is not None:
        return next((r for r in allowed if r.number == number), None)
    approved = [r for r in allowed if r.status == RevisionStatus.APPROVED]
    if may_see_drafts and allowed and allowed[-1].status != RevisionStatus.APPROVED:
        return allowed[-1]
    return approved[-1] if approved else (allowed[-1] if allowed else None)


def _invitees_present(meeting: Meeting, names: list[str]) -> list[str]:
    """R-NO-3: only invitees recorded present are 列席 in the minutes, also in a revision drafted before
    the record was read that way."""
    if not names:
        return []
    came = {display_name(p.person) for p in meeting.participants.filter(role=Role.INVITEE, attendance=Attendance.PRESENT)
            .select_related("person__person")}
    return [name for name in names if name in came]


def minutes_snapshot(user, minutes: Minutes, revision: Revision) -> MinutesSnapshot:
    """The minutes as `user` may read them (R-CO-1), for the page and the .docx alike."""
    meeting = minutes.meeting
    confidential_ids = [item.get("topic") for item in revision.body if item.get("confidential")]
    readable = readable_topic_ids(user, meeting, [i for i in confidential_ids if i])
    entries = []
    for i, item in enumerate(revision.body, start=1):
        withheld = bool(item.get("confidential")) and item.get("topic") not in readable
        entries.append(TopicEntry(
            order=i, title="" if withheld else item.get("title", ""), category="" if withheld else item.get("category", ""),
            outcome=item.get("outcome", ""), decision="" if withheld else item.get("decision", ""),
            votes_for=0 if withheld else item.get("votes_for", 0), votes_against=0 if withheld else item.get("votes_against", 0),
            votes_abstain=0 if withheld else item.get("votes_abstain", 0), dissent="" if withheld else item.get("dissent", ""),
            withheld=withheld))
    attendance = revision.attendance or {}
    recipients = (minutes.recipients.all() if "recipients" in getattr(minutes, "_prefetched_objects_cache", {})
                  else minutes.recipients.select_related("person__person"))
    distribution = [f"{display_name(r.person)}（{r.reason}）" for r in sorted(recipients, key=lambda r: r.pk)]
    t = meeting.meeting_type
    return MinutesSnapshot(
        bureau=meeting.bureau.name, issuing_unit=minutes.issuing_unit.name, number=minutes.number, title=revision.title,
        meeting_type=t.name, held_on=timezone.localtime(meeting.held_at or meeting.starts_at).date(), place=meeting.place,
        chair=display_name(meeting.chair), recorder=display_name(meeting.recorder), present=attendance.get("present", []),
        on_leave=attendance.get("leave", []), absent=attendance.get("absent", []),
        invitees=_invitees_present(meeting, attendance.get("invitees", [])), summary=revision.summary, topics=entries, distribution=distribution,
        filed_with="局监察室" if t.minutes_filed_with_supervision else "", revision=revision.number,
        correction_reason=revision.correction_reason,
        approved_on=timezone.localtime(revision.approved_at).date() if revision.approved_at else None,
        draft=revision.status != RevisionStatus.APPROVED)


def supervision_list(user, *, unit: str = "", type_code: str = "", start: datetime.date | None = None,
                     end: datetime.date | None = None, timeliness: str = "", reviewed: str = ""):
    """R-MI-7: filed minutes the Supervision Office may review, with filters, in one query."""
    from .permissions import visible_minutes

    qs = (visible_minutes(user).filter(filed_at__isnull=False)
          .select_related("meeting__meeting_type", "meeting__unit", "issuing_unit").order_by("-filed_at", "-pk"))
    if unit:
        qs = qs.filter(meeting__unit__code=unit)
    if type_code:
        qs = qs.filter(meeting__meeting_type__code=type_code)
    qs = qs.filter(**within("meeting__starts_at", start, end))
    if reviewed == "yes":
        qs = qs.filter(reviewed_at__isnull=False)
    elif reviewed == "no":
        qs = qs.filter(reviewed_at__isnull=True)
    if timeliness in {"on_time", "late"}:
        # R-MI-4: the due date is derived from the calendar as it stands now, so the verdict is
        # computed here in the same way as on the minutes page and in the compliance view.
        wanted = timeliness == "on_time"
        keep = [mn.pk for mn in attach_due(qs) if (on_time(mn) is not False) == wanted]
        qs = qs.filter(pk__in=keep)
    return qs


# --- what the minutes add to governance's ledgers, compliance figures and search -------------------

@register_source(20, "minutes")
def minutes_register(q: LedgerQuery) -> Register:
    """R-MI-4..7: the minutes register: due, sent, on time, filed, reviewed, archived."""
    from .permissions import visible_minutes

    minutes = Minutes.objects.filter(meeting__bureau=q.bureau) if q.whole_bureau else visible_minutes(q.user)
    minutes = q.narrow(minutes, moment="meeting__starts_at", unit="meeting__unit_id", type="meeting__meeting_type_id")

    def minutes_rows(offset, limit):
        qs = minutes.select_related("meeting__meeting_type", "meeting__unit", "issuing_unit").order_by("meeting__starts_at", "pk")
        counter = WorkdayCounter()
        status = labels(MinutesStatus)
        for mn in (row for chunk in chunks(qs, offset, limit) for row in attach_due(chunk, counter)):
            verdict = on_time(mn)
            on_time_text = "" if verdict is None else ("按期" if verdict else "逾期")
            if verdict is None and mn.due and mn.due < q.today:
                on_time_text = "逾期未分送"
            yield [mn.number, mn.meeting.title, mn.meeting.meeting_type.name,
                   mn.meeting.unit.name if mn.meeting.unit else "全局",
                   timezone.localtime(mn.meeting.starts_at).date().isoformat(), mn.due.isoformat() if mn.due else "",
                   stamp(mn.distributed_at), on_time_text, stamp(mn.filed_at), stamp(mn.reviewed_at),
                   stamp(mn.archived_at), status[mn.status]]

    return Register(_("纪要台账"), ["编号", "会议名称", "会议类型", "处室/单位", "会议日期", "分送期限", "分送时间",
                                 "是否按期", "报备时间", "审阅时间", "归档时间", "状态"], minutes_rows, minutes.count())


@figure_source
def minutes_figures(*, bureau_ids: list[int], meeting_types, first: datetime.date, last: datetime.date,
                    today: datetime.date, counter: WorkdayCounter, add) -> None:
    """R-MI-4 in the compliance view: minutes on time or late, by due date (derived from the calendar
    as it stands now); overdue and unsent counts as late, and so do meetings whose minutes were never
    started (the breach the sweep recorded). Two queries: the minutes of the window, the unstarted breaches.

    A due date is the type's N working days after the meeting's end day, on the calendar as it now
    stands: it is not stored, so the database cannot group by it. We compute, once per page and per
    deadline N, which end days fall due on which day of the year (a few hundred ranges of end days),
    and join the minutes to that small table in one query grouped by bureau, unit and column."""
    since = first - datetime.timedelta(days=370)  # a due date lies after the meeting: look back a year
    ranges = []  # [n, first end day, last end day, due] for every due date in the year
    for n in sorted({t.minutes_deadline_workdays for t in meeting_types if t.minutes_deadline_workdays is not None}):
        # Counted on the page's calendar without the fallback warning: only due dates up to `last`
        # matter, and the due date grows with the end day, so the walk stops at the first beyond it.
        cal = counter.calendar(since, last + datetime.timedelta(days=3 * abs(n) + 30))
        day = since
        while day <= last:
            due = add_workdays(day, n, cal).date
            if due > last:
                break
            if first <= due:
                if ranges and ranges[-1][0] == n and ranges[-1][3] == due:
                    ranges[-1][2] = day
                else:
                    ranges.append([n, day, day, due])
            day += datetime.timedelta(days=1)
    # Meetings whose minutes were never started but are already overdue are breaches the sweep records:
    # the year's few such breaches, each checked by its meeting's id against the minutes' unique key.
    started = Minutes.objects.filter(meeting_id=Cast(Substr(OuterRef("subject"), 9), BigIntegerField()))
    unstarted = (Breach.objects.filter(bureau_id__in=bureau_ids, kind=BreachKind.MINUTES_LATE, due__gte=first,
                                       due__lte=last, subject__startswith="minutes:")
                 .annotate(started=Exists(started)).filter(started=False)
                 .values_list("bureau_id", "unit_id", "due"))
    for bureau_id, unit_id, due, on_time_n, late_n in _minutes_on_time(
            bureau_ids=bureau_ids, ranges=ranges, since=since, last=last, today=today):
        add(bureau_id, unit_id, due, minutes_on_time=on_time_n, minutes_late=late_n)
    for bureau_id, unit_id, due in unstarted:
        add(bureau_id, unit_id, due, minutes_late=1)


def _minutes_on_time(*, bureau_ids, ranges, since, last, today) -> list[tuple]:
    """R-MI-4: the minutes of the window (their meeting's end day and the day they were sent, in local
    time), each given its due day from the ranges of end days that fall due on each day, counted on
    time / late (sent late, or unsent and overdue) per bureau, unit and due day. One query reading
    five columns a minutes; the due days are looked up in memory (a range join in SQL made PostgreSQL
    probe the meetings once per range)."""
    if not ranges:
        return []

    def aware(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    by_n: dict[int, list] = {}
    for n, first_end, last_end, due in ranges:
        by_n.setdefault(n, []).append((first_end, last_end, due))
    starts = {n: [r[0] for r in rs] for n, rs in by_n.items()}
    end_day = TruncDate(Coalesce("meeting__ended_at", "meeting__ends_at", "meeting__held_at", "meeting__starts_at"))
    rows = (Minutes.objects.filter(meeting__bureau_id__in=bureau_ids, meeting__starts_at__gte=aware(since),
                                   meeting__starts_at__lt=aware(last + datetime.timedelta(days=1)),
                                   meeting__meeting_type__minutes_deadline_workdays__isnull=False)
            .annotate(end_day=end_day, sent=TruncDate("distributed_at")).order_by()
            .values_list("meeting__bureau_id", "meeting__unit_id", "meeting__meeting_type__minutes_deadline_workdays",
                         "end_day", "sent"))
    counts: dict[tuple, list[int]] = {}
    for bureau_id, unit_id, n, end, sent in rows:
        if n not in by_n or end is None:
            continue
        end, sent = _as_date(end), _as_date(sent)
        i = bisect.bisect_right(starts[n], end) - 1
        if i < 0 or not (by_n[n][i][0] <= end <= by_n[n][i][1]):
            continue  # not due inside the page's year
        due = by_n[n][i][2]
        cell = counts.setdefault((bureau_id, unit_id, due), [0, 0])
        if sent is not None and sent <= due:
            cell[0] += 1
        elif sent is not None or due < today:
            cell[1] += 1
    return [(b, u, due, on_time_n, late_n) for (b, u, due), (on_time_n, late_n) in counts.items()]


def _as_date(value):
    """A day as SQLite (text) or PostgreSQL (a date) returns it."""
    if value is None or isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    return value.date() if isinstance(value, datetime.datetime) else datetime.date.fromisoformat(str(value)[:10])


NUMBER_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕", "［": "〔", "］": "〕"})
NUMBER_YEAR = re.compile(r"〔(\d{4})〕")
NUMBER_SEQUENCE = re.compile(r"(?:^|〕|第)(\d{1,6})号")


def number_filter(q: str) -> Q | None:
    """R-MI-2: minutes whose number (商务局党组纪〔2026〕第3号) contains `q`, written with or without 第,
    with any brackets, or 纪要 for 纪; None when `q` does not look like (part of) a number."""
    text = q.translate(NUMBER_BRACKETS).replace(" ", "").replace("纪要〔", "纪〔")
    if not ("〔" in text or "〕" in text or re.search(r"\d号", text)):
        return None
    text = re.sub(r"〕(\d)", r"〕第\1", text)
    if re.fullmatch(r"\d{1,6}号", text):
        text = "第" + text
    found = Q(sequence__isnull=False)
    if year := NUMBER_YEAR.search(text):
        found &= Q(year=int(year.group(1)))  # the indexed columns first, then the whole text
    if sequence := NUMBER_SEQUENCE.search(text):
        found &= Q(sequence=int(sequence.group(1)))
    return found & Q(number_text__contains=text)


def _numbered(qs):
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    return qs.annotate(number_text=Concat(
        "issuing_unit__short_name", "series", Value("〔"), Cast("year", CharField()), Value("〕第"),
        Cast("sequence", CharField()), Value("号"), output_field=CharField()))


@search_section("minutes")
def search_minutes(*, user, q: str, offset: int = 0, limit: int = 30) -> tuple[list, int]:
    """Minutes the user may open with an approved revision whose title or summary contains `q`, or
    whose number does (R-CO-1 by visibility: the reader's minutes intersected with the hits). Each hit
    is shown as its latest approved revision."""
    from governance.models import text_index
    from governance.selectors.search import contains

    from .permissions import visible_minutes

    hits = Q(pk__in=Revision.objects.filter(status=RevisionStatus.APPROVED).filter(contains(text_index.REVISION, q))
             .values("minutes_id"))
    minutes = visible_minutes(user)
    if (number := number_filter(q)) is not None:
        minutes = _numbered(minutes)
        hits |= number
    minutes = minutes.filter(hits).order_by("-created_at", "-pk")
    page = list(minutes.values_list("pk", flat=True)[offset:offset + limit])
    count = len(page) if offset == 0 and len(page) < limit else minutes.count()
    latest: dict[int, Revision] = {}
    for r in (Revision.objects.filter(minutes_id__in=page, status=RevisionStatus.APPROVED)
              .select_related("minutes__meeting", "minutes__issuing_unit").order_by("minutes_id", "-number")):
        latest.setdefault(r.minutes_id, r)
    return [latest[pk] for pk in page if pk in latest], count


def may_download_package(user, package) -> bool:
    """R-MI-9 with R-CO-1 and R-CO-2: an archive package holds the complete record, so only someone
    who may open every minutes in it in full (no confidential topic withheld from them) downloads it."""
    from minutes.models import RevisionStatus
    from minutes.permissions import may_minutes

    for item in package.entries.select_related("minutes__meeting__meeting_type", "minutes__meeting__bureau"):
        minutes = item.minutes
        if not may_minutes(user, minutes, "view"):
            return False
        for revision in minutes.revisions.filter(status=RevisionStatus.APPROVED):
            if any(entry.withheld for entry in minutes_snapshot(user, minutes, revision).topics):
                return False
    return True


def archive_packages(user, bureau=None):
    """R-MI-9: the archive packages of the bureau, listed for the General Office (the custodian of
    the record books) and the Supervision Office; None for anyone else. Listing is not reading:
    each download is gated by `may_download_package`."""
    from governance.models import UnitKind
    from governance.selectors.org import bureaus_for, works_in
    from minutes.models import ArchivePackage

    bureau = bureau or bureaus_for(user).first()
    if bureau is None or not works_in(user=user, kinds=[UnitKind.GENERAL_OFFICE, UnitKind.SUPERVISION_OFFICE],
                                      on=timezone.localdate(), bureau=bureau):
        return None
    return ArchivePackage.objects.filter(bureau=bureau).select_related("unit", "meeting_type", "created_by__person")


__all__ = ["MinutesStatus", "attach_due", "minutes_snapshot", "on_time", "supervision_list", "visible_revision"]
