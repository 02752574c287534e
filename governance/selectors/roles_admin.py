"""Reads for the security screen (三员分立; R-CO-1, R-CO-2).

The security administrator grants confidential topics without reading them: a topic is shown only as
「保密议题」 with its meeting's title and date and its number on the agenda. Nothing here loads a
topic's title, summary, decision or dissent; the queries ask for ids and numbers only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.conf import settings as guardian_settings

from governance.models import (
    AdminRoleAssignment,
    Appointment,
    City,
    CityOversight,
    Meeting,
    MeetingType,
    MinutesBookGrant,
    Topic,
    TopicGrant,
)
from governance.permissions import admin_accounts
from governance.rules.admin_roles import ROLE_PERMISSIONS
from governance.selectors.org import display_name

User = get_user_model()
# R-CO-1: personnel matters are always confidential (TopicCategory.confidential), as a query.
CONFIDENTIAL = Q(category__is_confidential=True) | Q(category__is_personnel=True)


@dataclass(frozen=True)
class TopicRef:
    """A confidential topic as the security administrator sees it: never its content."""

    pk: int
    number: int
    meeting_id: int
    meeting_title: str
    meeting_date: datetime.date

    @property
    def label(self) -> str:
        return _("保密议题 · %(meeting)s（%(date)s）第%(n)s项") % {
            "meeting": self.meeting_title, "date": self.meeting_date.isoformat(), "n": self.number}


def _numbers(meeting_ids) -> dict[int, int]:
    """Each topic's number on its meeting's agenda (1, 2, ...), from ids and order only."""
    numbers: dict[int, int] = {}
    counters: dict[int, int] = {}
    for pk, meeting_id in (Topic.objects.filter(meeting_id__in=set(meeting_ids)).order_by("meeting_id", "order", "id")
                           .values_list("pk", "meeting_id")):
        counters[meeting_id] = counters.get(meeting_id, 0) + 1
        numbers[pk] = counters[meeting_id]
    return numbers


def topic_refs(topic_ids) -> dict[int, TopicRef]:
    rows = list(Topic.objects.filter(pk__in=set(topic_ids))
                .values_list("pk", "meeting_id", "meeting__title", "meeting__starts_at"))
    numbers = _numbers(meeting_id for _pk, meeting_id, _t, _s in rows)
    return {pk: TopicRef(pk=pk, number=numbers[pk], meeting_id=meeting_id, meeting_title=title,
                         meeting_date=timezone.localtime(starts).date())
            for pk, meeting_id, title, starts in rows}


def confidential_topics(meeting: Meeting) -> list[TopicRef]:
    ids = Topic.objects.filter(CONFIDENTIAL, meeting=meeting).values_list("pk", flat=True)
    return sorted(topic_refs(ids).values(), key=lambda r: r.number)


def meetings_with_confidential_topics(limit: int = 200) -> list[dict]:
    """Meetings that have a confidential topic, newest first: id, title, date, bureau (no topic text)."""
    has_one = Topic.objects.filter(CONFIDENTIAL).values("meeting_id")
    rows = (Meeting.objects.filter(pk__in=has_one).order_by("-starts_at")
            .values("pk", "title", "starts_at", "bureau__name")[:limit])
    return [{"pk": r["pk"], "label": f"{r['bureau__name']} · {r['title']}（{timezone.localtime(r['starts_at']):%Y-%m-%d}）"}
            for r in rows]


def grantees(*, bureau_id: int | None = None) -> list:
    """People who may be granted something: active, in the bureau, not an administrator."""
    qs = (User.objects.filter(is_active=True, person__isnull=False).exclude(pk__in=admin_accounts())
          .select_related("person__bureau").order_by("person__bureau__name", "person__name"))
    if bureau_id is not None:
        qs = qs.filter(person__bureau_id=bureau_id)
    return list(qs)


def role_candidates() -> list:
    """Accounts that could take an administrator role: active, no superuser, no post now or later, no role."""
    today = timezone.localdate()
    posted = Appointment.objects.filter(Q(end__isnull=True) | Q(end__gte=today)).values("person_id")
    return list(User.objects.filter(is_active=True, is_superuser=False).exclude(pk__in=posted)
                .exclude(pk__in=admin_accounts()).exclude(username=guardian_settings.ANONYMOUS_USER_NAME)
                .select_related("person").order_by("username"))


def cities() -> list[City]:
    """The cities whose bureaus share this deployment (for a city oversight grant)."""
    return list(City.objects.order_by("name"))


def book_types() -> list[MeetingType]:
    """R-CO-2: the meeting types whose minutes book is read by grant, with their bureaus."""
    return list(MeetingType.objects.filter(minutes_access_by_grant=True, active=True).select_related("bureau")
                .order_by("bureau__name", "order", "code"))


@dataclass
class SecurityOverview:
    roles: list[AdminRoleAssignment]
    topic_grants: list[tuple[TopicGrant, TopicRef]]
    book_grants: list[MinutesBookGrant]
    city_grants: list[CityOversight]
    history: list[dict]
    role_permissions: dict[str, tuple[str, ...]]


def _history(limit: int) -> list[dict]:
    """The latest assignments, grants and revocations, one line each, newest first."""
    events = []
    assignments = AdminRoleAssignment.objects.select_related("user__person", "granted_by__person",
                                                             "revoked_by__person").order_by("-at")[:limit]
    topics = list(TopicGrant.objects.select_related("person__person", "granted_by__person", "revoked_by__person")
                  .order_by("-at")[:limit])
    refs = topic_refs(g.topic_id for g in topics)
    books = MinutesBookGrant.objects.select_related("person__person", "granted_by__person", "revoked_by__person",
                                                    "meeting_type__bureau").order_by("-at")[:limit]
    cities = CityOversight.objects.select_related("person__person", "granted_by__person", "revoked_by__person",
                                                  "city").order_by("-at")[:limit]
    for kind, rows, what in (
        ("city", cities, lambda g: _("%(p)s · %(c)s 各局合规情况") % {"p": display_name(g.person), "c": g.city.name}),
        ("role", assignments, lambda r: f"{display_name(r.user)} · {r.get_role_display()}"),
        ("topic", topics, lambda g: f"{display_name(g.person)} · {refs[g.topic_id].label}"),
        ("book", books, lambda g: _("%(p)s · %(t)s 会议记录本") % {"p": display_name(g.person), "t": g.meeting_type.name}),
    ):
        for row in rows:
            events.append({"kind": kind, "at": row.at, "action": _("授予"), "what": what(row),
                           "by": display_name(row.granted_by) or _("运维命令"), "reason": row.reason})
            if row.revoked_at:
                events.append({"kind": kind, "at": row.revoked_at, "action": _("撤销"), "what": what(row),
                               "by": display_name(row.revoked_by) or _("运维命令"), "reason": row.revoke_reason})
    return sorted(events, key=lambda e: e["at"], reverse=True)[:limit]


def security_overview(limit: int = 50) -> SecurityOverview:
    roles = list(AdminRoleAssignment.objects.filter(revoked_at__isnull=True)
                 .select_related("user__person", "granted_by__person").order_by("role", "at"))
    grants = list(TopicGrant.objects.filter(revoked_at__isnull=True)
                  .select_related("person__person", "granted_by__person").order_by("-at"))
    refs = topic_refs(g.topic_id for g in grants)
    books = list(MinutesBookGrant.objects.filter(revoked_at__isnull=True)
                 .select_related("person__person", "granted_by__person", "meeting_type__bureau").order_by("-at"))
    cities = list(CityOversight.objects.filter(revoked_at__isnull=True)
                  .select_related("person__person", "granted_by__person", "city").order_by("-at"))
    return SecurityOverview(roles=roles, topic_grants=[(g, refs[g.topic_id]) for g in grants], book_grants=books,
                            city_grants=cities, history=_history(limit), role_permissions=ROLE_PERMISSIONS)
