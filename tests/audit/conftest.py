"""The audit administrator (a group holding exactly view and export, as the three-administrator roles
will), someone who may only search, and a meeting with a confidential topic."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent
from governance.models import MeetingType
from governance.services import agenda, scheduling
from governance.services.materials import add_material
from tests.factories import UserFactory

SECRET = "人事议题AUDIT-SECRET-5150"


def audit_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="audit", codename=codename)


@pytest.fixture
def auditor(db):
    group = Group.objects.create(name="审计管理员")
    group.permissions.set([audit_permission("view_auditevent"), audit_permission("export_auditevent")])
    user = UserFactory(username="auditor", first_name="审计员")
    user.groups.add(group)
    return user


@pytest.fixture
def searcher(db):
    """Holds `view_auditevent` on the account itself, not `export_auditevent`."""
    user = UserFactory(username="searcher")
    user.user_permissions.add(audit_permission("view_auditevent"))
    return user


@pytest.fixture
def confidential_meeting(presets):
    """A 党组会议 with an ordinary topic and a personnel (confidential) topic with a material."""
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    starts = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=starts, place="第一会议室",
                                          invitees=[presets.supervisor])
    agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="policy"),
                         title="政策文件议题")
    secret = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                                  title=SECRET, summary=SECRET)
    add_material(actor=presets.clerk, topic=secret, upload=SimpleUploadedFile("任免.pdf", b"%PDF-1.4 x %%EOF"))
    meeting.secret_topic = secret
    return meeting


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


@pytest.fixture
def confidential_minutes(presets):
    """Approved 党组会议 minutes whose one topic is a personnel (confidential) one."""
    from governance.services import attendance, voting
    from minutes.services import drafting

    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    starts = (timezone.localtime() + datetime.timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=starts, place="会议室")
    secret = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                                  title=SECRET)
    agenda.submit_agenda(actor=presets.clerk, meeting=meeting)
    agenda.review_topic(actor=presets.secretary, topic=secret, decision="accept")
    agenda.approve_agenda(actor=presets.secretary, meeting=meeting)
    agenda.send_notice(actor=presets.clerk, meeting=meeting)
    for p in (presets.secretary, presets.deputy, presets.deputy2):
        attendance.sign_in(actor=presets.clerk, meeting=meeting, person=p)
    attendance.start_meeting(actor=presets.clerk, meeting=meeting)
    voting.open_topic(actor=presets.clerk, topic=secret)
    for p in (presets.secretary, presets.deputy, presets.deputy2):
        voting.record_vote(actor=presets.clerk, topic=secret, member=p, choice="for")
    voting.decide_topic(actor=presets.clerk, topic=secret, decision="同意" + SECRET)
    attendance.close_meeting(actor=presets.clerk, meeting=meeting)
    revision = drafting.start_minutes(actor=presets.clerk, meeting=meeting)
    drafting.submit_revision(actor=presets.clerk, revision=revision)
    drafting.approve_revision(actor=meeting.chair, revision=revision)
    minutes = revision.minutes
    minutes.refresh_from_db()
    minutes.secret_topic = secret
    return minutes
