"""R-CO-1, R-CO-2: one unique string planted in every text field of a cadre personnel topic never
reaches anyone who may not read it, through any channel.

The world: a party group meeting with two personnel topics (one passed with a dissent, one deferred),
a material, actions made from the decision with a progress report, minutes drafted from the record,
approved, distributed and filed, and time passing through the deadline sweep until everything is
overdue. Then every persona who may not read the topic walks every channel below; a member walks
them too and must see the string (so the test can fail).

Every URL of the resolver must have an entry in CHANNELS; a new URL without one fails the test.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from governance.models import CalendarFeed, MeetingType, Notification
from governance.services import agenda, attendance, followup, scheduling, voting
from governance.services.materials import add_material
from governance.services.sweep import sweep
from minutes.models import Minutes, Revision
from minutes.services import drafting, review

CANARY = "拟任免CANARY7f3a"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Every URL name of the resolver, with how the walk fetches it. "get": GET with real ids for every
# combination listed in `ids`; "post-only": the view only accepts POST and changes state, so the walk
# checks that a GET is refused (405) and leaks nothing; "public": no session needed (login, the feed).
CHANNELS: dict[str, str] = {
    "login": "get", "logout": "post-only", "set_language": "post-only", "home": "get",
    "meeting_type_list": "get", "meeting_type_detail": "get", "meeting_list": "get", "meeting_new": "get",
    "approval_queue": "get", "meeting_detail": "get", "meeting_action": "post-only", "topic_new": "get",
    "topic_submit": "get",
    "leave_ask": "get", "sign_in": "post-only", "topic_action": "post-only", "vote": "post-only",
    "material_upload": "post-only", "material_download": "get", "leave_decide": "post-only", "briefing": "get",
    "notice_docx": "get", "attendance_docx": "get", "notifications": "get", "notification_read": "post-only",
    "action_list": "get", "action_detail": "get", "action_report": "post-only", "action_complete": "post-only",
    "action_new": "get", "preparation_new": "get", "compliance": "get", "compliance_records": "get",
    "ledgers": "get", "ledger_export": "get", "search": "get", "calendar_month": "get", "calendar_week": "get",
    "calendar_feed_token": "post-only", "calendar_feed": "get", "minutes_list": "get",
    "audit_events": "get", "audit_export": "get", "security": "get", "security_role_assign": "post-only",
    "security_role_revoke": "post-only", "security_topic_grant": "post-only", "security_topic_revoke": "post-only",
    "security_book_grant": "post-only", "security_book_revoke": "post-only",
    "security_city_grant": "post-only", "security_city_revoke": "post-only",
    "city": "get", "city_bureau": "get", "bureau_switch": "post-only",
    "minutes_supervision": "get", "minutes_exports": "get", "minutes_export_download": "get",
    "minutes_start": "post-only", "minutes_detail": "get", "minutes_docx": "get", "minutes_action": "post-only",
    "revision_edit": "get",
    "password_change": "get", "sessions": "get", "keepalive": "get", "otp_setup": "get", "otp_verify": "get",
    "archive_packages": "get", "archive_download": "get",
    "meeting_record": "get", "consultation_new": "post-only", "topic_escalate": "post-only", "unit_opinion_new": "post-only", "outcome_report": "post-only", "file_close": "post-only",
    "case_list": "get", "case_new": "get", "case_detail": "get", "case_finding": "post-only", "case_decide": "post-only",
    "healthz": "public", "readyz": "public",  # the load balancer's probes: ok/fail lines, nothing else
}


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # walked separately, model by model
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern)


def soon(days: int) -> datetime.datetime:
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


def plant(field_name: str) -> str:
    return f"{CANARY}-{field_name}"


def build_world(p) -> SimpleNamespace:
    """The personnel topics and everything that grows from them, made through the services."""
    pg = MeetingType.objects.get(bureau=p.bureau, code="PG")
    personnel = pg.categories.get(code="personnel")
    meeting = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(2), place="第一会议室")
    passed = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=personnel, title=plant("title"),
                                  summary=plant("summary"))
    add_material(actor=p.clerk, topic=passed, upload=SimpleUploadedFile(f"{plant('file')}.pdf", PDF))
    deferred = agenda.propose_topic(actor=p.clerk, meeting=meeting, category=personnel, title=plant("title2"),
                                    summary=plant("summary2"))
    agenda.submit_agenda(actor=p.clerk, meeting=meeting)
    for t in meeting.topics.all():
        agenda.review_topic(actor=p.secretary, topic=t, decision="accept")
    agenda.approve_agenda(actor=p.secretary, meeting=meeting)
    agenda.send_notice(actor=p.clerk, meeting=meeting)
    for person in (p.secretary, p.deputy, p.deputy2, p.discipline):
        attendance.sign_in(actor=p.clerk, meeting=meeting, person=person)
    attendance.start_meeting(actor=p.clerk, meeting=meeting)
    voting.open_topic(actor=p.clerk, topic=passed)
    for person, choice in ((p.secretary, "for"), (p.deputy, "for"), (p.deputy2, "for"), (p.discipline, "against")):
        voting.record_vote(actor=p.clerk, topic=passed, member=person, choice=choice)
    voting.decide_topic(actor=p.clerk, topic=passed, decision=plant("decision"), dissent=plant("dissent"))
    voting.open_topic(actor=p.clerk, topic=deferred)
    voting.defer_topic(actor=p.clerk, topic=deferred, reason=plant("deferral"))
    for t in meeting.topics.exclude(pk__in=[passed.pk, deferred.pk]):
        voting.note_topic(actor=p.clerk, topic=t)
    attendance.close_meeting(actor=p.clerk, meeting=meeting)
    passed.refresh_from_db()

    # Carried out by a member (those outside the readers would need a grant to read what they carry out);
    # the General Office coordinates it, and its staff other than the recorder must not read it.
    action = followup.create_action(actor=p.clerk, meeting=meeting, topic=passed, title=plant("action"),
                                    owner=p.deputy2, leader=p.deputy, due_workdays=1)
    followup.report_progress(actor=p.deputy2, action=action, text=plant("progress"))

    revision = drafting.start_minutes(actor=p.clerk, meeting=meeting)
    # R-VO-1: the deferred personnel topic was never voted, so the minutes give it no decision text.
    decisions = {i: plant(f"minutes-decision-{i}") for i, item in enumerate(revision.body) if item["topic"] != deferred.pk}
    drafting.edit_revision(actor=p.clerk, revision=revision, title="党组会议纪要", summary=plant("minutes-summary"),
                           decisions=decisions,
                           # R-VO-4: a dissent recorded at the meeting is carried as recorded (its canary
                           # flows into the minutes); the drafter supplies one only where none was recorded.
                           dissents={i: plant(f"minutes-dissent-{i}") for i, item in enumerate(revision.body)
                                     if not item.get("dissent")})
    drafting.submit_revision(actor=p.clerk, revision=revision)
    drafting.approve_revision(actor=p.secretary, revision=revision)
    minutes = Minutes.objects.get(meeting=meeting)
    if minutes.filed_at is None and meeting.meeting_type.minutes_filed_with_supervision:
        review.receive_filing(actor=p.supervisor, minutes=minutes)

    # The year's approved minutes are archived (R-MI-9): the package holds the complete record, so its
    # download must reach only those who may read all of it.
    from minutes.services import archive_package

    archive_package.archive_year(year=minutes.year, bureau=p.bureau, pdf=False)

    # The next party group meeting: the deferred topic is carried onto it (R-AG-7), with the progress
    # report on the decision (R-FU-2).
    nxt = scheduling.schedule_meeting(actor=p.clerk, meeting_type=pg, starts_at=soon(30), place="第一会议室")

    # Time passes: the sweep runs on every day until the actions and the minutes are long overdue.
    today = timezone.localdate()
    for days in (0, 1, 3, 7, 20, 40):
        sweep(today=today + datetime.timedelta(days=days))

    # The overdue action becomes an accountability case (R-FU-8), decided: its pages and messages are
    # walked too (they name the breach, never the confidential decision it came from).
    from governance.models import Breach, BreachKind
    from governance.services import accountability

    breach = Breach.objects.get(kind=BreachKind.ACTION_OVERDUE, subject=f"action:{action.pk}")
    case = accountability.open_case(actor=p.supervisor, breach=breach, responsible=p.deputy2,
                                    responsible_unit=p.supervision, facts="逾期未办结。")
    accountability.record_finding(actor=p.supervisor, case=case, finding="拖延执行。")
    accountability.decide_case(actor=p.discipline, case=case, measure="criticism", decision="批评教育。")

    return SimpleNamespace(meeting=meeting, next=nxt, passed=passed, deferred=deferred, action=action,
                           minutes=minutes, revision=Revision.objects.filter(minutes=minutes).first())


@dataclass
class Walk:
    """Everything one persona fetched, and where the string turned up."""

    username: str
    checked: int = 0
    exports: int = 0
    mails: int = 0
    leaks: list[str] = field(default_factory=list)

    def look(self, where: str, text: str) -> None:
        self.checked += 1
        text = html.unescape(text)  # openpyxl writes CJK as character references; pages escape too
        # Every planted value is CANARY-<field>; a search page echoing what its user typed is not a leak.
        found = sorted(set(re.findall(re.escape(CANARY) + r"-[\w-]+", text)))
        if found:
            self.leaks.append(f"{where}: {', '.join(found)}")


def _texts_of_zip(data: bytes, where: str):
    """Every text part of an Office file or a zip of them (nested zips opened too)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            part = z.read(name)
            if part[:2] == b"PK":
                yield from _texts_of_zip(part, f"{where}!{name}")
            else:
                yield f"{where}!{name}", part.decode("utf-8", "replace") + " " + name


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def look_at_response(walk: Walk, where: str, response) -> None:
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    data = _body(response)
    walk.look(where + " [headers]", " ".join(f"{k}: {v}" for k, v in response.items()))
    if data[:2] == b"PK":
        for part, text in _texts_of_zip(data, where):
            walk.look(part, text)
    else:
        walk.look(where, data.decode("utf-8", "replace"))


def _ids(world, persona) -> dict[str, list]:
    """Real ids for every URL argument name."""
    from governance.models import AccountabilityCase, Briefing, LeaveRequest, Material
    from minutes.models import ArchiveExport, ArchivePackage

    meetings = [world.meeting.pk, world.next.pk]
    feed = CalendarFeed.objects.get_or_create(person=persona, defaults={"token": f"tok-{persona.pk}"})[0]
    return {
        "pk": sorted({*meetings, world.passed.pk, world.deferred.pk, world.action.pk, world.minutes.pk,
                      world.revision.pk, *Material.objects.values_list("pk", flat=True),
                      *LeaveRequest.objects.values_list("pk", flat=True), *Briefing.objects.values_list("pk", flat=True),
                      *Notification.objects.values_list("pk", flat=True),
                      *ArchiveExport.objects.values_list("pk", flat=True),
                      *AccountabilityCase.objects.values_list("pk", flat=True),
                      *ArchivePackage.objects.values_list("pk", flat=True)}),
        "meeting_pk": meetings,
        "code": list(MeetingType.objects.filter(bureau=world.meeting.bureau).values_list("code", flat=True)),
        "token": [feed.token],
        "action": ["approve"], "decision": ["grant"],
        "fmt": ["xlsx", "csv"],
    }


QUERIES = {
    "search": [{"q": CANARY}, {"q": "CANARY7f3a"}, {"q": "任免"}, {"q": "title"}],
    "ledgers": [{"start": "2020-01-01", "end": "2030-12-31"}, {"start": "2020-01-01", "end": "2030-12-31", "tab": "actions"},
                {"start": "2020-01-01", "end": "2030-12-31", "tab": "minutes"}],
    "ledger_export": [{"start": "2020-01-01", "end": "2030-12-31"}, {"start": "2020-01-01", "end": "2030-12-31",
                                                                      "scope": "bureau"}],
    "compliance_records": [{"kind": k, "unit": "bureau", "col": c} for k in ("actions_open", "actions_overdue", "flags",
                                                                            "quorum_refusals", "minutes_late", "held")
                           for c in ("", "1", "2")],
    "calendar_month": [{}, {"month": timezone.localdate().strftime("%Y-%m")}],
    "calendar_week": [{}, {"week": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}],
    "meeting_list": [{}, {"upcoming": "1"}],
    "minutes_supervision": [{}],
    "case_new": [{"breach": b} for b in range(1, 8)],
}


def _urls(world, persona):
    ids = _ids(world, persona)
    for name, route in sorted(_patterns()):
        kind = CHANNELS.get(name)
        assert kind is not None, f"URL {name} ({route}) has no entry in the canary's CHANNELS"
        args = re.findall(r"<(?:\w+:)?(\w+)>", route)
        combos = [{}]
        for arg in args:
            combos = [{**c, arg: v} for c in combos for v in ids.get(arg, [1])]
        for kwargs in combos:
            url = reverse(name, kwargs=kwargs)
            for query in QUERIES.get(name, [{}]):
                yield name, kind, url, query


def walk_everything(world, persona) -> Walk:
    walk = Walk(persona.get_username())
    client = Client()
    client.force_login(persona)
    for name, kind, url, query in _urls(world, persona):
        response = client.get(url, query)
        if kind == "post-only":
            assert response.status_code in (302, 403, 404, 405), (name, url, response.status_code)
        look_at_response(walk, f"GET {url}?{query}", response)
    # The archive export, if this person may ask for one: built, then downloaded.
    with TestCase.captureOnCommitCallbacks(execute=True):  # the export is queued on commit
        response = client.post(reverse("minutes_exports"), {"year": timezone.localdate().year, "unit": ""})
    look_at_response(walk, "POST minutes_exports", response)
    from minutes.models import ArchiveExport

    for job in ArchiveExport.objects.filter(requested_by=persona):
        response = client.get(reverse("minutes_export_download", args=[job.pk]))
        walk.exports += int(response.status_code == 200)
        look_at_response(walk, f"archive export {job.pk}", response)
    # What was stored for this person to read later: the inbox, the alerts, the mail.
    for note in Notification.objects.filter(recipient=persona):
        walk.look(f"notification {note.pk} ({note.kind})", f"{note.title} {note.body} {note.url}")
    for message in mail.outbox:
        if persona.email and persona.email in message.to:
            walk.mails += 1
            alternatives = " ".join(str(a[0]) for a in getattr(message, "alternatives", []))
            walk.look(f"mail '{message.subject[:30]}'", f"{message.subject} {message.body} {alternatives}")
    return walk


def walk_admin(world, persona) -> Walk:
    """Every admin page of every registered model (list, change, history) with real ids."""
    walk = Walk(persona.get_username() + " (admin)")
    client = Client()
    client.force_login(persona)
    for model in admin_site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        look_at_response(walk, f"{prefix} list", client.get(reverse(f"{prefix}_changelist")))
        look_at_response(walk, f"{prefix} search", client.get(reverse(f"{prefix}_changelist"), {"q": "CANARY7f3a"}))
        for pk in model.objects.values_list("pk", flat=True)[:40]:
            for view in ("change", "history"):
                response = client.get(reverse(f"{prefix}_{view}", args=[pk]))
                look_at_response(walk, f"{prefix} {view} {pk}", response)
    return walk


@pytest.fixture
def canary_world(presets):
    for person in (presets.secretary, presets.deputy, presets.deputy2, presets.discipline, presets.clerk,
                   presets.office_head, presets.supervisor, presets.head, presets.staff, presets.other_head,
                   presets.other_staff, presets.outsider):
        if not person.email:
            person.email = f"{person.username}@example.gov.cn"
            person.save(update_fields=["email"])
    # The outsider oversees the city of both bureaus: the city view and each bureau's grid are
    # channels too, and show counts only (R-CO-1).
    from governance.models import City, CityOversight

    city = City.objects.create(code="canary-city", name="测试市")
    for bureau in (presets.bureau, presets.other_bureau):
        bureau.city = city
        bureau.save(update_fields=["city"])
    CityOversight.objects.create(city=city, person=presets.outsider, reason="市纪委监委")
    with TestCase.captureOnCommitCallbacks(execute=True):  # e-mail is queued on commit
        return build_world(presets)


def _non_readers(p) -> list:
    return [p.staff, p.head, p.other_head, p.other_staff, p.supervisor, p.office_head, p.outsider]


@pytest.mark.django_db
def test_r_co_1_canary_reaches_no_one_who_may_not_read_it(presets, canary_world):
    """R-CO-1: division staff, a division head (even the one whose division carries out the decision),
    another division's head, the Supervision Office without a grant, General Office staff who are not
    the recorder, another bureau: the planted string appears in no page, partial, document,
    spreadsheet, feed, search result, notification or e-mail they can reach."""
    walks = [walk_everything(canary_world, persona) for persona in _non_readers(presets)]
    leaks = [f"{w.username}: {leak}" for w in walks for leak in w.leaks]
    assert not leaks, "\n".join(leaks[:60]) + f"\n({len(leaks)} leaks)"
    office_head = next(w for w in walks if w.username == presets.office_head.username)
    assert office_head.exports >= 1, "the General Office head's archive export was not walked"
    print(f"canary: {sum(w.checked for w in walks)} responses, document parts and messages checked")


@pytest.mark.django_db
def test_r_co_1_canary_is_seen_by_a_member(presets, canary_world):
    """The walk can see the string: a member of the meeting reads it on pages, documents and exports."""
    walk = walk_everything(canary_world, presets.deputy)
    where = {leak.split(":")[0].split("?")[0] for leak in walk.leaks}
    assert any("/meetings/" in w for w in where), where
    assert any("docx" in w for w in where), sorted(where)
    assert any("ledgers/export" in w for w in where), "\n".join(sorted(where))
    assert walk.mails >= 3, "the member's e-mail was not walked"  # mail carries no confidential words, by construction
    # The recorder (General Office) keeps the minutes book: the year's archive carries the content.
    recorder = walk_everything(canary_world, presets.clerk)
    assert recorder.exports >= 1 and any("archive export" in leak for leak in recorder.leaks), recorder.leaks


@pytest.mark.django_db
def test_r_co_1_canary_reaches_no_administrator(presets, canary_world, admins, django_user_model):
    """三员分立: none of the three administrators, nor a Django superuser, reads meeting content by
    virtue of the role: not in the product's pages, documents and exports, not in the admin (every
    registered model's list, search, change and history pages), not on the audit screen."""
    root = django_user_model.objects.create_superuser("root", "root@example.gov.cn", "x")
    walks = [walk_everything(canary_world, person) for person in (admins.system, admins.security, admins.audit, root)]
    walks += [walk_admin(canary_world, person) for person in (admins.system, root)]
    leaks = [f"{w.username}: {leak}" for w in walks for leak in w.leaks]
    assert not leaks, "\n".join(leaks[:60]) + f"\n({len(leaks)} leaks)"
    audit = next(w for w in walks if w.username == admins.audit.username)
    assert audit.checked > 0
    print(f"canary (administrators): {sum(w.checked for w in walks)} responses, document parts and messages checked")
