"""R-VO-4 (对不同意见要真实完整记录): the dissent recorded at the meeting is carried into the minutes as
recorded; the drafter can neither blank nor rewrite it, and minutes with a vote against and no dissent
are neither submitted nor approved, through the services and the URLs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import MeetingType
from governance.rules.refusals import TransitionRefused
from governance.services import agenda, attendance, scheduling, voting
from minutes.models import Revision, RevisionStatus
from minutes.services import drafting

DISSENT = "刘科员认为划拨比例过高，建议压减两成。"


@pytest.fixture
def split_da(presets):
    """A DA of 外贸处 with both members present; the funds topic passed 1 for, 1 against, with a dissent."""
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    starts = (timezone.localtime() + datetime.timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, starts_at=starts,
                                          place="外贸处会议室")
    funds = agenda.propose_topic(actor=presets.head, meeting=meeting, category=da.categories.get(code="funds"),
                                 title="外贸发展专项资金划拨方案")
    agenda.submit_agenda(actor=presets.head, meeting=meeting)
    agenda.review_topic(actor=presets.head, topic=funds, decision="accept")
    agenda.approve_agenda(actor=presets.head, meeting=meeting)
    agenda.send_notice(actor=presets.head, meeting=meeting)
    for p in (presets.head, presets.staff):
        attendance.sign_in(actor=presets.head, meeting=meeting, person=p)
    attendance.start_meeting(actor=presets.head, meeting=meeting)
    voting.open_topic(actor=presets.head, topic=funds)
    voting.record_vote(actor=presets.head, topic=funds, member=presets.head, choice="for")
    voting.record_vote(actor=presets.head, topic=funds, member=presets.staff, choice="against")
    voting.decide_topic(actor=presets.head, topic=funds, decision="同意按方案划拨。", dissent=DISSENT)
    attendance.close_meeting(actor=presets.head, meeting=meeting)
    return drafting.start_minutes(actor=presets.head, meeting=meeting)


def test_r_vo_4_the_draft_carries_the_recorded_dissent(split_da):
    """R-VO-4."""
    assert split_da.body[0]["dissent"] == DISSENT and split_da.body[0]["votes_against"] == 1


@pytest.mark.parametrize("text", ["", "  ", "无不同意见。", DISSENT + "经解释后同意。", "刘科员认为划拨比例过高。"])
def test_r_vo_4_the_drafter_cannot_blank_or_rewrite_the_dissent(presets, split_da, text):
    """R-VO-4: blanked, replaced, extended or cut, the recorded dissent stays as recorded."""
    with pytest.raises(TransitionRefused, match="不同意见须如实完整载入纪要"):
        drafting.edit_revision(actor=presets.head, revision=split_da, title=split_da.title, summary="",
                               decisions={}, dissents={0: text})
    split_da.refresh_from_db()
    assert split_da.body[0]["dissent"] == DISSENT


def test_r_vo_4_the_dissent_as_recorded_is_accepted(presets, split_da):
    """R-VO-4: the boundary: the recorded text itself (as the edit form sends it back) passes."""
    drafting.edit_revision(actor=presets.head, revision=split_da, title=split_da.title, summary="会议认为",
                           decisions={0: "同意按方案划拨。"}, dissents={0: DISSENT + "\r\n"})
    drafting.submit_revision(actor=presets.head, revision=split_da)
    drafting.approve_revision(actor=presets.head, revision=split_da)
    split_da.refresh_from_db()
    assert split_da.status == RevisionStatus.APPROVED and split_da.body[0]["dissent"] == DISSENT


def _strip_dissent(revision: Revision) -> None:
    # The side path: the draft's text written around the edit service (a script, a shell, a bulk job).
    body = [dict(item, dissent="") for item in revision.body]
    Revision.objects.filter(pk=revision.pk).update(body=body)


def test_r_vo_4_minutes_with_a_vote_against_and_no_dissent_are_not_submitted(presets, split_da):
    """R-VO-4."""
    _strip_dissent(split_da)
    with pytest.raises(TransitionRefused, match="不同意见"):
        drafting.submit_revision(actor=presets.head, revision=split_da)


def test_r_vo_4_minutes_with_a_vote_against_and_no_dissent_are_not_approved(presets, split_da):
    """R-VO-4: blanked after submission, the approval is refused."""
    drafting.submit_revision(actor=presets.head, revision=split_da)
    _strip_dissent(split_da)
    with pytest.raises(TransitionRefused, match="不同意见"):
        drafting.approve_revision(actor=presets.head, revision=split_da)
    split_da.refresh_from_db()
    assert split_da.status == RevisionStatus.SUBMITTED and not split_da.minutes.sequence


def test_r_vo_4_a_vote_against_without_a_recorded_dissent_needs_one_in_the_minutes(presets, split_da):
    """R-VO-4: a topic whose members' votes show one against but whose dissent the meeting never recorded
    (noted instead of decided, say) is refused until the drafter records it."""
    from governance.models import Topic

    topic = Topic.objects.get(pk=split_da.body[0]["topic"])
    Topic.objects.filter(pk=topic.pk).update(dissent="", votes_against=0)  # what a noted topic leaves behind
    Revision.objects.filter(pk=split_da.pk).update(body=[dict(split_da.body[0], dissent="", votes_against=0)])
    split_da.refresh_from_db()
    with pytest.raises(TransitionRefused, match="有反对票"):
        drafting.submit_revision(actor=presets.head, revision=split_da)
    drafting.edit_revision(actor=presets.head, revision=split_da, title=split_da.title, summary="", decisions={},
                           dissents={0: "刘科员反对。"})
    drafting.submit_revision(actor=presets.head, revision=split_da)  # now it carries one


def test_r_vo_4_the_edit_url_refuses_a_rewritten_dissent(client, presets, split_da):
    """R-VO-4 through the URL: the refusal is shown, the dissent stays."""
    client.force_login(presets.head)
    url = reverse("revision_edit", args=[split_da.pk])
    response = client.post(url, {"title": split_da.title, "summary": "", "decision-0": "同意。", "dissent-0": ""},
                           follow=True)
    assert response.status_code == 200 and "不同意见须如实完整载入纪要" in response.content.decode()
    split_da.refresh_from_db()
    assert split_da.body[0]["dissent"] == DISSENT


def test_r_vo_4_the_approve_url_refuses_minutes_without_the_dissent(client, presets, split_da):
    """R-VO-4 through the URL."""
    drafting.submit_revision(actor=presets.head, revision=split_da)
    _strip_dissent(split_da)
    client.force_login(presets.head)
    response = client.post(reverse("minutes_action", args=[split_da.minutes_id, "approve"]), follow=True)
    assert response.status_code == 200 and "不同意见" in response.content.decode()
    split_da.refresh_from_db()
    assert split_da.status == RevisionStatus.SUBMITTED


def test_r_vo_4_the_admin_cannot_change_a_revision(admins):
    """R-VO-4: the admin is no side path: minutes records are read-only there, for everyone."""
    from django.contrib import admin as django_admin

    from minutes.models import Revision as Model

    model_admin = django_admin.site._registry[Model]
    request = type("R", (), {"user": admins.system})()
    assert not model_admin.has_change_permission(request) and not model_admin.has_add_permission(request)
