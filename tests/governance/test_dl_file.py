"""The democratic life meeting's file (R-FU-9, R-FU-7, R-FU-4): talks and opinions before it may
start, the office's outcome report to the bureau, each member's party cell meeting of the year, and
the file that closes only when all of it (and the rectification measures) is there."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from governance.models import Appointment, MeetingType, Notification, PreparationKind
from governance.rules.meeting_types import validate_meeting_type
from governance.rules.refusals import TransitionRefused
from governance.selectors.followup import cell_meetings, file_checklist, missing_before_start
from governance.services import attendance, followup, voting
from tests.governance.test_followup import dl, talks_and_opinions  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def members(p):
    return [p.secretary, p.deputy, p.deputy2, p.discipline]


def self_analyses(p, meeting):
    for m in members(p):
        followup.file_preparation(actor=m, meeting=meeting, kind=PreparationKind.SELF_ANALYSIS, text="剖析", outline="提纲")


def hold(p, meeting):
    self_analyses(p, meeting)
    talks_and_opinions(p, meeting)
    for m in members(p):
        attendance.sign_in(actor=p.clerk, meeting=meeting, person=m)
    attendance.start_meeting(actor=p.clerk, meeting=meeting)
    voting.note_topic(actor=p.clerk, topic=meeting.topics.get())
    attendance.close_meeting(actor=p.clerk, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def test_r_fu_9_talks_and_opinions_of_every_member_before_the_start(presets, dl):  # noqa: F811
    """R-FU-9: one member's missing opinion keeps the meeting from starting; the last one filed lets it."""
    p = presets
    self_analyses(p, dl)
    talks_and_opinions(p, dl, members=members(p)[:3])
    for m in members(p):
        attendance.sign_in(actor=p.clerk, meeting=dl, person=m)
    followup.file_preparation(actor=p.discipline, meeting=dl, kind=PreparationKind.TALK, text="谈心")
    assert {k: [u.username for u in v] for k, v in missing_before_start(dl).items()} == {"opinion": ["discipline"]}
    with pytest.raises(TransitionRefused, match="征求的意见建议：孙书记"):
        attendance.start_meeting(actor=p.clerk, meeting=dl)
    followup.file_preparation(actor=p.discipline, meeting=dl, kind=PreparationKind.OPINION, text="意见")
    assert missing_before_start(dl) == {}
    assert attendance.start_meeting(actor=p.clerk, meeting=dl).status == "held"


def test_r_fu_9_without_the_flag_the_talks_are_not_required(presets, dl):  # noqa: F811
    MeetingType.objects.filter(pk=dl.meeting_type_id).update(talks_before_start=False)
    dl.refresh_from_db()
    self_analyses(presets, dl)
    for m in members(presets):
        attendance.sign_in(actor=presets.clerk, meeting=dl, person=m)
    assert attendance.start_meeting(actor=presets.clerk, meeting=dl).status == "held"


def test_r_fu_9_the_office_reports_the_outcome_to_the_whole_bureau_after_the_meeting(presets, dl):  # noqa: F811
    """R-FU-9: not before the meeting ends, not by a member, not empty; to everyone holding a post in
    the bureau (and nobody of another bureau), once."""
    p = presets
    with pytest.raises(TransitionRefused, match="会议结束后"):
        followup.report_outcome(actor=p.clerk, meeting=dl, text="情况")
    hold(p, dl)
    with pytest.raises(TransitionRefused, match="办公室"):
        followup.report_outcome(actor=p.staff, meeting=dl, text="情况")
    with pytest.raises(TransitionRefused, match="通报内容"):
        followup.report_outcome(actor=p.clerk, meeting=dl, text="  ")
    followup.report_outcome(actor=p.clerk, meeting=dl, text="局党组召开民主生活会，查摆问题六条。")
    sent = Notification.objects.filter(kind="outcome_report", meeting=dl)
    bureau_people = set(Appointment.objects.filter(bureau=p.bureau).values_list("person_id", flat=True))
    assert set(sent.values_list("recipient_id", flat=True)) == bureau_people and p.outsider.pk not in bureau_people
    assert "查摆问题六条" in sent.first().body
    with pytest.raises(TransitionRefused, match="未知的材料类别"):  # a member cannot file the outcome
        followup.file_preparation(actor=p.deputy, meeting=dl, kind=PreparationKind.OUTCOME, text="x")


def test_r_fu_7_cell_meetings_count_in_the_meetings_year_only(presets, dl):  # noqa: F811
    """R-FU-7: a cell meeting on 2025-12-31 is not this year's; one on 2026-01-01 is (the meeting is in 2026)."""
    p = presets
    assert dl.starts_at.year == 2026
    followup.file_preparation(actor=p.deputy, meeting=dl, kind=PreparationKind.CELL_MEETING, text="组织生活会",
                              other="第一党小组", held_on=datetime.date(2025, 12, 31))
    followup.file_preparation(actor=p.deputy2, meeting=dl, kind=PreparationKind.CELL_MEETING, text="组织生活会",
                              other="第二党小组", held_on=datetime.date(2026, 1, 1))
    listed = {m.username: [c.held_on for c in held] for m, held in cell_meetings(dl)}
    assert listed == {"secretary": [], "deputy": [], "deputy2": [datetime.date(2026, 1, 1)], "discipline": []}


def test_r_fu_9_the_file_closes_only_when_complete_and_then_takes_nothing_more(presets, dl):  # noqa: F811
    """R-FU-9, R-FU-4, R-FU-7: refused with what is missing; closed once the rectification measures,
    the outcome report and every member's cell meeting are there; after that nothing is filed."""
    p = presets
    hold(p, dl)
    with pytest.raises(TransitionRefused) as refused:
        followup.close_file(actor=p.clerk, meeting=dl)
    assert "制定整改措施（尚未制定）" in str(refused.value) and "会后情况通报（尚未通报）" in str(refused.value)
    assert "王书记、孙书记、李副局长、赵副局长" in str(refused.value)
    followup.create_action(actor=p.clerk, meeting=dl, kind="rectification", title="建立调研制度", problem="调研不深",
                           owner=p.deputy, due_workdays=20)
    followup.report_outcome(actor=p.clerk, meeting=dl, text="通报")
    for m in members(p)[:3]:
        followup.file_preparation(actor=m, meeting=dl, kind=PreparationKind.CELL_MEETING, text="参加",
                                  held_on=datetime.date(2026, 6, 30))
    assert [done for _, done, _ in file_checklist(dl)] == [True, True, False]
    with pytest.raises(TransitionRefused, match="孙书记"):
        followup.close_file(actor=p.clerk, meeting=dl)
    followup.file_preparation(actor=p.discipline, meeting=dl, kind=PreparationKind.CELL_MEETING, text="参加",
                              held_on=datetime.date(2026, 12, 31))
    with pytest.raises(TransitionRefused, match="办公室"):
        followup.close_file(actor=p.deputy, meeting=dl)
    assert followup.close_file(actor=p.clerk, meeting=dl).file_closed_at is not None
    for attempt in (
        lambda: followup.close_file(actor=p.clerk, meeting=dl),
        lambda: followup.report_outcome(actor=p.clerk, meeting=dl, text="再通报"),
        lambda: followup.file_preparation(actor=p.deputy, meeting=dl, kind=PreparationKind.TALK, text="x"),
        lambda: followup.create_action(actor=p.clerk, meeting=dl, kind="rectification", title="再", problem="再",
                                       owner=p.deputy, due_workdays=5),
    ):
        with pytest.raises(TransitionRefused, match="已办结"):
            attempt()


def test_r_fu_9_the_file_on_the_screen_and_through_the_urls(client, presets, dl):  # noqa: F811
    p = presets
    hold(p, dl)
    client.force_login(p.staff)
    assert client.post(reverse("file_close", args=[dl.pk])).status_code in (403, 404)
    assert client.post(reverse("outcome_report", args=[dl.pk]), {"text": "x"}).status_code in (403, 404)
    client.force_login(p.clerk)
    page = client.get(reverse("meeting_detail", args=[dl.pk])).content.decode()
    assert 'data-testid="file-checklist"' in page and 'data-testid="cell-meetings"' in page and "档案办结" in page
    response = client.post(reverse("file_close", args=[dl.pk]), follow=True)
    assert "会议档案尚不齐全" in response.content.decode()
    client.post(reverse("outcome_report", args=[dl.pk]), {"text": "局党组民主生活会情况通报"})
    assert Notification.objects.filter(kind="outcome_report", recipient=p.staff).exists()


def test_r_fu_9_the_flags_need_the_pre_meeting_filings():
    values = {"talks_before_start": True, "cell_meeting_required": True, "pre_meeting_filings": False,
              "member_posts": ["party_member"], "vote_num": 1, "vote_den": 2}
    errors = validate_meeting_type(values, post_unit_kinds={"party_member": frozenset()}, post_labels={})
    assert {"talks_before_start", "cell_meeting_required"} <= set(errors)
    errors = validate_meeting_type({**values, "pre_meeting_filings": True}, post_unit_kinds={"party_member": frozenset()},
                                   post_labels={})
    assert not {"talks_before_start", "cell_meeting_required"} & set(errors)
