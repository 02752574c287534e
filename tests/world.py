"""A bureau with one of everything a URL can point at, built through the services, and the URLs of the
resolver with real ids: for the tests that walk every screen (tests/test_fuzz.py, tests/test_no_store.py)."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from governance.models import (
    AccountabilityCase,
    Action,
    AdminRoleAssignment,
    Breach,
    BreachKind,
    Briefing,
    Bureau,
    CalendarFeed,
    CityOversight,
    LeaveRequest,
    Material,
    Meeting,
    MeetingType,
    MinutesBookGrant,
    Notification,
    Topic,
)
from governance.services import accountability, agenda, attendance, followup, scheduling
from governance.services.materials import add_material
from minutes.models import ArchiveExport, ArchivePackage, Minutes, Revision


def soon(days: int = 3) -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


def build_world(presets) -> SimpleNamespace:
    """An open party group agenda (a policy topic, a personnel topic with material, a pending leave), a
    held party group meeting with a decision turned into an action, a closed 处务会 with approved,
    distributed and filed minutes and an open correction, a 民主生活会 waiting for its preparations, a
    finished archive export, a calendar feed for everyone, and the notifications all this sent."""
    from minutes.services import archive_export, distribution, drafting
    from tests.governance.test_followup import run_pg
    from tests.minutes.conftest import make_closed_da

    p = presets
    pg = MeetingType.objects.get(bureau=p.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(3), place="第一会议室",
                                          invitees=[p.supervisor])
    policy = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=pg.categories.get(code="policy"),
                                  title="政策文件议题")
    secret = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                                  title="人事议题", summary="拟任命")
    material = add_material(actor=p.clerk, topic=secret, upload=SimpleUploadedFile("任免.pdf", b"%PDF-1.4 x %%EOF"))
    leave = attendance.ask_leave(actor=p.deputy2, meeting=meeting, reason="外出学习")

    held, decided = run_pg(p, days=4)
    action = followup.create_action(actor=p.clerk, meeting=held, topic=decided, title="印发并组织落实",
                                    owner=p.head, owner_unit=p.trade, leader=p.deputy, due_workdays=10)
    followup.report_progress(actor=p.head, action=action, text="已印发")
    # The action fell overdue (as the sweep records it) and the Supervision Office opened a case (R-FU-8).
    breach = Breach.objects.create(kind=BreachKind.ACTION_OVERDUE, subject=f"action:{action.pk}", bureau=p.bureau,
                                   unit=p.trade, meeting_type=held.meeting_type, due=action.due,
                                   description="督办事项“印发并组织落实”逾期")
    case = accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.head, responsible_unit=p.trade,
                                    facts="逾期未办结。")

    da = make_closed_da(p, days=2)
    revision = drafting.start_minutes(actor=p.head, meeting=da)
    drafting.submit_revision(actor=p.head, revision=revision)
    drafting.approve_revision(actor=p.head, revision=revision)
    minutes = Minutes.objects.get(pk=revision.minutes_id)
    correction = distribution.start_correction(actor=p.head, minutes=minutes, reason="更正笔误")

    dl_type = MeetingType.objects.get(bureau=p.bureau, code="DL")
    dl = scheduling.schedule_meeting(actor=p.clerk, meeting_type=dl_type, starts_at=soon(5), place="会议室")
    agenda.propose_topic(actor=p.clerk, meeting=dl, category=dl_type.categories.get(code="criticism"), title="对照检查")
    agenda.submit_agenda(actor=p.clerk, meeting=dl)
    agenda.review_topic(actor=p.secretary, topic=dl.topics.get(), decision="accept")
    agenda.approve_agenda(actor=p.secretary, meeting=dl)
    agenda.send_notice(actor=p.clerk, meeting=dl)

    from minutes.services import archive_package

    package = archive_package.archive_year(year=minutes.year, bureau=p.bureau, pdf=False)[0]
    job = ArchiveExport.objects.create(bureau=p.bureau, unit=None, year=minutes.year, requested_by=p.clerk)
    archive_export.build_export(job.pk)
    for person in (p.clerk, p.head, p.secretary, p.supervisor, p.staff):
        CalendarFeed.objects.create(person=person, token=f"feed-token-{person.pk}-0123456789abcdef")
    return SimpleNamespace(p=p, meeting=meeting, policy=policy, secret=secret, material=material, leave=leave,
                           held=held, decided=decided, action=action, da=da, minutes=minutes, revision=revision,
                           correction=correction, dl=dl, job=job, case=case, package=package)


# --- the resolver ------------------------------------------------------------------------------------

def patterns(resolver=None, prefix: str = ""):
    """(name, route, callback) of every URL outside the Django admin (which has its own forms and login)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern), entry.callback


CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")

# What an id in a route points at: by the kwarg's name, else by the path segment before it.
ID_MODELS = {
    "meeting_pk": Meeting, "meetings": Meeting, "topics": Topic, "materials": Material, "leave": LeaveRequest,
    "briefings": Briefing, "notifications": Notification, "actions": Action, "minutes": Minutes,
    "revisions": Revision, "exports": ArchiveExport,
    # the security administrator's screen: a role assignment, a topic grant, a minutes-book grant
    "roles": AdminRoleAssignment, "minutes-book": MinutesBookGrant, "accountability": AccountabilityCase,
    "archive": ArchivePackage,
    # the city view: a bureau of a city overseen; the security screen: a city oversight grant
    "bureaus": Bureau, "city": CityOversight,
}


def converters(route: str) -> list[tuple[str, str, str]]:
    """(kind, kwarg, segment before it) for each converter of a route."""
    out = []
    for match in CONVERTER.finditer(route):
        before = [s for s in route[:match.start()].split("/") if s]
        out.append((match["kind"] or "str", match["name"], before[-1] if before else ""))
    return out


def id_model(kwarg: str, segment: str):
    return ID_MODELS.get(kwarg) or ID_MODELS.get(segment)


def fill(route: str, values: dict[str, str]) -> str:
    """The path of `route` with each converter replaced by its value (already quoted)."""
    return "/" + CONVERTER.sub(lambda m: values[m["name"]], route)


def real_values(world) -> dict[str, list[str]]:
    """Values of the str converters that exist in the world: meeting type codes and feed tokens."""
    return {"code": list(MeetingType.objects.filter(bureau=world.p.bureau).values_list("code", flat=True)),
            "token": list(CalendarFeed.objects.values_list("token", flat=True))}


def sample_paths(world) -> list[tuple[str, str]]:
    """Every URL of the resolver with the world's real ids (the first and the last of each model)."""
    strs = real_values(world)
    out = []
    for name, route, _callback in sorted(patterns()):
        choices = []
        for kind, kwarg, segment in converters(route):
            if kind == "int":
                pks = list(id_model(kwarg, segment).objects.order_by("pk").values_list("pk", flat=True))
                choices.append((kwarg, [str(pks[0]), str(pks[-1])] if pks else ["1", "1"]))
            elif kwarg == "fmt":
                choices.append((kwarg, ["xlsx", "csv"]))
            else:
                known = strs.get(kwarg, ["x"])
                choices.append((kwarg, [known[0], known[-1]]))
        for i in range(2):
            out.append((name, fill(route, {kwarg: values[i] for kwarg, values in choices})))
    return out
