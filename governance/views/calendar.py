"""Month and week views of the meetings a person may see, and a personal iCalendar feed."""

from __future__ import annotations

import calendar as pycal
import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.selectors import meetings as meeting_selectors

from ..forms import EARLIEST, LATEST, parse_date, parse_month
from ..models import CalendarFeed, MeetingStatus
from ..permissions import visible_meetings

WEEKDAYS = [gettext_lazy("周一"), gettext_lazy("周二"), gettext_lazy("周三"), gettext_lazy("周四"), gettext_lazy("周五"),
            gettext_lazy("周六"), gettext_lazy("周日")]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _within(day: datetime.date, margin: int) -> bool:
    """Whether a view of `day` can show the days around it and link to the periods either side."""
    return EARLIEST + datetime.timedelta(days=margin) <= day <= LATEST - datetime.timedelta(days=margin)


@login_required
def month(request):
    """A month grid, Monday first, with each visible meeting on its day; a month that is not one, or
    not between 1900 and 2100, shows this month."""
    first = parse_month(request.GET.get("month"))
    if first is None or not _within(first, 62):
        first = timezone.localdate().replace(day=1)
    weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1] + datetime.timedelta(days=1)
    by_day: dict[datetime.date, list] = {}
    for m in meeting_selectors.meetings_between(request.user, _aware(start), _aware(end)):
        by_day.setdefault(timezone.localtime(m.starts_at).date(), []).append(m)
    prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "governance/calendar_month.html", {
        "first": first, "weekdays": WEEKDAYS, "today": timezone.localdate(),
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "prev": prev_month.strftime("%Y-%m"), "next": next_month.strftime("%Y-%m")})


@login_required
def week(request):
    """Seven days from Monday, meetings in time order; a date that is not one, or not between 1900 and
    2100, shows this week."""
    day = parse_date(request.GET.get("date"))
    if day is None or not _within(day, 14):
        day = timezone.localdate()
    monday = day - datetime.timedelta(days=day.weekday())
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    by_day: dict[datetime.date, list] = {d: [] for d in days}
    for m in meeting_selectors.meetings_between(request.user, _aware(monday), _aware(monday + datetime.timedelta(days=7))):
        by_day[timezone.localtime(m.starts_at).date()].append(m)
    return render(request, "governance/calendar_week.html", {
        "days": [(d, WEEKDAYS[i], by_day[d]) for i, d in enumerate(days)], "today": timezone.localdate(),
        "prev": (monday - datetime.timedelta(days=7)).isoformat(), "next": (monday + datetime.timedelta(days=7)).isoformat(),
        "feed": CalendarFeed.objects.filter(person=request.user).first()})


@login_required
@require_POST
@transaction.atomic
def feed_token(request):
    """Create or replace my secret feed URL; the old one stops working at once."""
    CalendarFeed.objects.filter(person=request.user).delete()
    if request.POST.get("revoke"):
        messages.success(request, _("日历订阅地址已停用。"))
    else:
        CalendarFeed.objects.create(person=request.user, token=secrets.token_urlsafe(32))
        messages.success(request, _("已生成新的日历订阅地址，旧地址已失效。"))
    return redirect("calendar_week")


def _ics_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 lines are at most 75 octets; longer ones continue after CRLF + space."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 73:
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def feed(request, token: str):
    """The iCalendar feed behind a secret token: meeting titles, times and places only; topics are
    not in it, so nothing confidential (R-CO-1) can travel this way."""
    entry = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if entry is None or not entry.person.is_active:
        raise Http404("no such feed")
    since = timezone.now() - datetime.timedelta(days=90)
    meetings = (visible_meetings(entry.person).filter(starts_at__gte=since).exclude(status=MeetingStatus.DRAFT)
                .select_related("meeting_type").order_by("starts_at")[:500])
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//meetings//governance//ZH", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:" + _ics_escape(_("我的会议"))]
    host = request.get_host()
    for m in meetings:
        start = m.starts_at.astimezone(datetime.UTC)
        end = (m.ends_at or m.starts_at + datetime.timedelta(hours=2)).astimezone(datetime.UTC)
        status = "CANCELLED" if m.status == MeetingStatus.CANCELLED else "CONFIRMED"
        lines += ["BEGIN:VEVENT", f"UID:meeting-{m.pk}@{host}", f"DTSTAMP:{stamp}",
                  f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{end:%Y%m%dT%H%M%SZ}",
                  "SUMMARY:" + _ics_escape(m.title), "LOCATION:" + _ics_escape(m.place), f"STATUS:{status}",
                  "URL:" + request.build_absolute_uri(reverse("meeting_detail", args=[m.pk])), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    body = "\r\n".join(_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
