"""The minutes workflow (R-MI-1..7, R-CO-1..2): draft, approve and lock, number, distribute, read,
file, review, query, correct, archive."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import MeetingType, Post
from governance.rules.refusals import TransitionRefused
from governance.services import agenda, attendance, scheduling, voting
from minutes.models import LockedError, Minutes, MinutesStatus, Recipient, Revision, RevisionStatus
from minutes.selectors import minutes_snapshot
from minutes.services import distribution, drafting, review
from tests.factories import make_person


def approved(presets, meeting):
    revision = drafting.start_minutes(actor=presets.head, meeting=meeting)
    drafting.submit_revision(actor=presets.head, revision=revision)
    drafting.approve_revision(actor=presets.head, revision=revision)
    return Minutes.objects.get(pk=revision.minutes_id)


def test_r_mi_1_draft_is_prefilled_from_the_meeting_record(presets, closed_da):
    """R-MI-1."""
    revision = drafting.start_minutes(actor=presets.head, meeting=closed_da)
    assert revision.attendance["present"] == ["陈处长"] and revision.attendance["leave"] == ["刘科员"]
    outcomes = {item["title"]: item["outcome"] for item in revision.body}
    assert outcomes == {"外贸发展专项资金划拨方案": "通过", "组织赴港招商": "暂缓表决"}
    assert revision.body[0]["decision"] == "同意按方案划拨。" and revision.body[0]["votes_for"] == 1


def test_r_mi_1_only_the_recorder_drafts_and_only_after_the_meeting(presets, closed_da):
    """R-MI-1."""
    with pytest.raises(TransitionRefused, match="记录人"):
        drafting.start_minutes(actor=presets.staff, meeting=closed_da)


def test_recorder_text_is_kept_as_plain_text(presets, closed_da):
    revision = drafting.start_minutes(actor=presets.head, meeting=closed_da)
    drafting.edit_revision(actor=presets.head, revision=revision, title="<b>纪要</b>",
                           summary="<script>alert(1)</script>会议认为 a<b", decisions={0: "<img src=x onerror=y>同意"},
                           dissents={})
    revision.refresh_from_db()
    # Kept as typed (nothing lost), never rendered as markup: see the view test for the escaping.
    assert revision.title == "<b>纪要</b>" and revision.summary == "<script>alert(1)</script>会议认为 a<b"
    assert revision.body[0]["decision"] == "<img src=x onerror=y>同意"
    drafting.edit_revision(actor=presets.head, revision=revision, title="纪要\x00\x07", summary="", decisions={},
                           dissents={})
    revision.refresh_from_db()
    assert revision.title == "纪要"


def test_r_mi_2_r_mi_3_approval_numbers_and_locks(presets, closed_da):
    """R-MI-2, R-MI-3: the meeting ended on Monday 16 November 2026: its minutes are 〔2026〕第1号."""
    from governance.models import Meeting

    Meeting.objects.filter(pk=closed_da.pk).update(ended_at=timezone.make_aware(datetime.datetime(2026, 11, 16, 17)),
                                                   starts_at=timezone.make_aware(datetime.datetime(2026, 11, 16, 9)),
                                                   held_at=timezone.make_aware(datetime.datetime(2026, 11, 16, 9)))
    closed_da.refresh_from_db()
    minutes = approved(presets, closed_da)
    assert minutes.number == "外贸处纪〔2026〕第1号"
    revision = minutes.revisions.get()
    assert revision.status == RevisionStatus.APPROVED
    revision.title = "改"
    with pytest.raises(LockedError):
        revision.save()
    with pytest.raises(LockedError):
        Revision.objects.filter(pk=revision.pk).update(title="改")
    with pytest.raises(LockedError):
        revision.delete()
    with pytest.raises(TransitionRefused):
        drafting.edit_revision(actor=presets.head, revision=revision, title="x", summary="", decisions={}, dissents={})


def test_r_mi_2_numbers_run_per_issuing_unit_without_gaps(presets, closed_da):
    """R-MI-2."""
    from tests.minutes.conftest import make_closed_da

    first = approved(presets, closed_da)
    second = approved(presets, make_closed_da(presets, days=4))
    assert (first.sequence, second.sequence) == (1, 2)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Minutes.objects.filter(pk=second.pk).update(sequence=1)


def test_r_mi_4_distribution_reaches_the_posts_and_the_division(presets, closed_da):
    """R-MI-4."""
    minutes = approved(presets, closed_da)
    recipients = {r.person.username: r.reason for r in minutes.recipients.select_related("person")}
    # 局主要领导 (secretary = director), the leader in charge (deputy), the discipline secretary, the division's staff.
    assert set(recipients) == {"secretary", "deputy", "discipline", "head", "staff"}
    assert recipients["deputy"] == str(Post.LEADER_IN_CHARGE.label)
    assert minutes.status == MinutesStatus.FILED and minutes.filed_at
    assert presets.supervisor.has_perm("minutes.review_minutes", minutes)
    assert not presets.other_staff.has_perm("minutes.view_minutes", minutes)


def test_r_mi_4_due_date_is_three_working_days_after_the_meeting(presets, closed_da):
    """R-MI-4."""

    from governance.models import Meeting
    from minutes.selectors import attach_due

    # Test setup: the meeting ended on Monday 16 November 2026 (no holiday that week).
    Meeting.objects.filter(pk=closed_da.pk).update(ended_at=timezone.make_aware(datetime.datetime(2026, 11, 16, 17)))
    minutes = attach_due([Minutes.objects.select_related("meeting__meeting_type").get(pk=approved(presets, closed_da).pk)])[0]
    assert minutes.due == datetime.date(2026, 11, 19)


def test_r_mi_5_recipients_acknowledge_and_the_page_knows_who_has_not(presets, closed_da):
    """R-MI-5."""
    minutes = approved(presets, closed_da)
    distribution.acknowledge(actor=presets.deputy, minutes=minutes)
    read = set(Recipient.objects.filter(minutes=minutes, read_at__isnull=False).values_list("person__username", flat=True))
    assert read == {"deputy"}
    with pytest.raises(TransitionRefused, match="不是这份纪要的接收人"):
        distribution.acknowledge(actor=presets.other_staff, minutes=minutes)


def test_r_mi_3_correction_is_a_new_revision_and_the_old_stays(presets, closed_da):
    """R-MI-3."""
    minutes = approved(presets, closed_da)
    distribution.acknowledge(actor=presets.deputy, minutes=minutes)
    rev2 = distribution.start_correction(actor=presets.head, minutes=minutes, reason="决定表述有误")
    drafting.edit_revision(actor=presets.head, revision=rev2, title=rev2.title, summary="更正后",
                           decisions={0: "同意按修订后的方案划拨。"}, dissents={})
    drafting.submit_revision(actor=presets.head, revision=rev2)
    drafting.approve_revision(actor=presets.head, revision=rev2)
    minutes.refresh_from_db()
    assert minutes.sequence == 1  # the number stays
    revisions = list(minutes.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].body[0]["decision"] == "同意按方案划拨。"
    assert revisions[1].body[0]["decision"] == "同意按修订后的方案划拨。"
    assert Recipient.objects.get(minutes=minutes, person=presets.deputy).read_at is None  # must read again
    assert revisions[0].history.count() >= 1


def test_r_mi_7_supervision_reviews_and_queries_and_the_division_answers(presets, closed_da):
    """R-MI-7."""
    minutes = approved(presets, closed_da)
    with pytest.raises(TransitionRefused, match="只有监察室"):
        review.raise_query(actor=presets.staff, minutes=minutes, text="?")
    review.receive_filing(actor=presets.supervisor, minutes=minutes)
    review.raise_query(actor=presets.supervisor, minutes=minutes, text="资金划拨依据是什么？")
    with pytest.raises(TransitionRefused, match="尚未答复"):
        review.review(actor=presets.supervisor, minutes=minutes)
    review.answer_query(actor=presets.head, minutes=minutes, text="依据局党组会议决定。")
    review.review(actor=presets.supervisor, minutes=minutes, note="符合规定")
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REVIEWED
    review.archive(actor=presets.head, minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.ARCHIVED


def test_r_co_1_supervision_sees_minutes_but_not_a_personnel_topic_unless_granted(presets):
    """R-CO-1: PG minutes with a personnel topic: the members read it, an outsider reader gets it withheld."""

    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    starts = (timezone.localtime() + datetime.timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, starts_at=starts, place="会议室")
    secret = agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                               title="任免MINUTES-SECRET-99")
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
    voting.decide_topic(actor=presets.clerk, topic=secret, decision="同意任命MINUTES-SECRET-99")
    attendance.close_meeting(actor=presets.clerk, meeting=meeting)
    revision = drafting.start_minutes(actor=presets.clerk, meeting=meeting)
    minutes = revision.minutes
    member_view = minutes_snapshot(presets.deputy, minutes, revision)
    assert "MINUTES-SECRET-99" in member_view.topics[0].title
    officer = make_person(presets.bureau, "officer2", "监察员", Post.UNIT_STAFF, unit=presets.supervision)
    withheld = minutes_snapshot(officer, minutes, revision)
    assert withheld.topics[0].withheld and "MINUTES-SECRET" not in repr(withheld)
    from guardian.shortcuts import assign_perm

    assign_perm("governance.view_confidential_topic", officer, secret)
    assert not minutes_snapshot(officer, minutes, revision).topics[0].withheld


def test_approval_refused_to_anyone_but_the_chair(presets, closed_da):
    revision = drafting.start_minutes(actor=presets.head, meeting=closed_da)
    drafting.submit_revision(actor=presets.head, revision=revision)
    with pytest.raises(TransitionRefused, match="主持人审定"):
        drafting.approve_revision(actor=presets.staff, revision=revision)
    with pytest.raises(TransitionRefused, match="须说明理由"):
        drafting.return_revision(actor=presets.head, revision=revision, reason="")
    drafting.return_revision(actor=presets.head, revision=revision, reason="补充出席情况")
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.RETURNED
