"""R-MI-7: a correction to minutes filed with the Supervision Office is filed again: the review of the
earlier version no longer stands, the review is pending again, the office is told, and the Supervision
Office's list and the minutes register show it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Meeting, MeetingType, Notification
from governance.rules.refusals import TransitionRefused
from governance.selectors import ledgers
from governance.services import scheduling
from minutes.models import Minutes, MinutesStatus
from minutes.selectors import supervision_list
from minutes.services import distribution, drafting, review


def approve(presets, revision, chair=None):
    drafting.submit_revision(actor=revision.drafted_by, revision=revision)
    drafting.approve_revision(actor=chair or presets.head, revision=revision)
    return Minutes.objects.get(pk=revision.minutes_id)


@pytest.fixture
def reviewed(presets, closed_da):
    """DA minutes of 外贸处, filed with the Supervision Office, signed for and reviewed."""
    minutes = approve(presets, drafting.start_minutes(actor=presets.head, meeting=closed_da))
    assert minutes.status == MinutesStatus.FILED
    review.receive_filing(actor=presets.supervisor, minutes=minutes)
    review.review(actor=presets.supervisor, minutes=minutes, note="符合规定")
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REVIEWED and minutes.reviewed_at
    return minutes


def correct(presets, minutes):
    rev = distribution.start_correction(actor=presets.head, minutes=minutes, reason="决定表述有误")
    drafting.edit_revision(actor=presets.head, revision=rev, title=rev.title, summary="更正后", dissents={},
                           decisions={0: "同意按修订后的方案划拨。"})
    return approve(presets, rev)


def test_r_mi_7_a_correction_to_reviewed_minutes_is_filed_again_and_the_review_is_pending(presets, reviewed):
    """R-MI-7."""
    first_filed = reviewed.filed_at
    minutes = correct(presets, reviewed)
    assert minutes.status == MinutesStatus.FILED
    assert minutes.reviewed_at is None and minutes.reviewed_by is None and minutes.received_at is None
    assert minutes.filed_at > first_filed
    assert Notification.objects.filter(recipient=presets.supervisor, kind="minutes_filed",
                                       title__contains="重新报备").count() == 1
    # The Supervision Office's list: pending again, not among the reviewed.
    assert minutes in supervision_list(presets.supervisor, reviewed="no")
    assert minutes not in supervision_list(presets.supervisor, reviewed="yes")
    # The minutes register shows it filed again and not reviewed.
    regs = ledgers.registers(user=presets.supervisor, bureau=presets.bureau, unit="", type="", whole_bureau=True,
                             start=datetime.date(2000, 1, 1), end=datetime.date(2100, 1, 1))
    [row] = [r for r in regs["minutes"].rows() if r[0] == minutes.number]
    assert row[9] == "" and row[11] == "已报备"
    # The earlier review is kept in the history; the new version is reviewed again.
    assert minutes.history.filter(status=MinutesStatus.REVIEWED).exists()
    review.review(actor=presets.supervisor, minutes=minutes, note="更正已阅")
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.REVIEWED


def test_r_mi_7_a_correction_to_archived_filed_minutes_must_be_reviewed_and_archived_again(presets, reviewed):
    """R-MI-7: archived minutes whose correction was filed again are no longer archived as they stand."""
    review.archive(actor=presets.head, minutes=reviewed)
    minutes = correct(presets, reviewed)
    assert minutes.status == MinutesStatus.FILED and minutes.archived_at is None
    with pytest.raises(TransitionRefused, match="审阅"):
        review.archive(actor=presets.head, minutes=minutes)


def test_r_mi_7_a_correction_to_filed_not_yet_reviewed_minutes_is_signed_for_again(presets, closed_da):
    """R-MI-7: filed and signed for but not reviewed: the signature goes, the filing time moves."""
    minutes = approve(presets, drafting.start_minutes(actor=presets.head, meeting=closed_da))
    review.receive_filing(actor=presets.supervisor, minutes=minutes)
    minutes = correct(presets, Minutes.objects.get(pk=minutes.pk))
    assert minutes.status == MinutesStatus.FILED and minutes.received_at is None


def test_r_mi_7_a_correction_to_minutes_never_filed_is_not_filed(presets):
    """R-MI-7: the boundary: a type whose minutes are not filed (处室工作会议) files no correction."""
    uw = MeetingType.objects.get(bureau=presets.bureau, code="UW")
    starts = timezone.localtime() + datetime.timedelta(days=2)
    meeting = scheduling.schedule_meeting(actor=presets.head, meeting_type=uw, unit=presets.trade, starts_at=starts,
                                          place="会议室")
    Meeting.objects.filter(pk=meeting.pk).update(status="closed", held_at=starts, ended_at=starts)  # test setup
    minutes = approve(presets, drafting.start_minutes(actor=presets.head, meeting=Meeting.objects.get(pk=meeting.pk)))
    assert minutes.filed_at is None
    rev = distribution.start_correction(actor=presets.head, minutes=minutes, reason="笔误")
    minutes = approve(presets, rev)
    assert minutes.filed_at is None and minutes.status == MinutesStatus.DISTRIBUTED
    assert not Notification.objects.filter(kind="minutes_filed").exists()


def test_r_mi_7_through_the_urls_the_corrected_minutes_return_to_pending(client, presets, reviewed):
    """R-MI-7 through the URLs: correct, edit, submit, approve; the Supervision Office's screen lists it
    as not reviewed."""
    client.force_login(presets.head)
    client.post(reverse("minutes_action", args=[reviewed.pk, "correct"]), {"text": "决定表述有误"})
    rev = reviewed.revisions.order_by("-number").first()
    assert rev.number == 2
    client.post(reverse("minutes_action", args=[reviewed.pk, "submit"]))
    client.post(reverse("minutes_action", args=[reviewed.pk, "approve"]))
    reviewed.refresh_from_db()
    assert reviewed.status == MinutesStatus.FILED and reviewed.reviewed_at is None
    client.force_login(presets.supervisor)
    assert reviewed.number in client.get(reverse("minutes_supervision") + "?reviewed=no").content.decode()
    assert reviewed.number not in client.get(reverse("minutes_supervision") + "?reviewed=yes").content.decode()
