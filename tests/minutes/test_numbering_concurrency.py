"""R-MI-2 on PostgreSQL: twenty approvals of one unit at the same moment get 第1号..第20号, no gap,
no duplicate (a row lock on the counter plus a unique constraint)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from governance.models import Meeting, MeetingType
from governance.services import scheduling
from minutes.models import Minutes
from minutes.services import drafting

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_r_mi_2_twenty_concurrent_approvals_number_without_gap_or_duplicate(presets):
    """R-MI-2."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so it proves nothing here")
    da = MeetingType.objects.get(bureau=presets.bureau, code="DA")
    revisions = []
    for i in range(20):
        starts = timezone.localtime() + datetime.timedelta(days=2 + i)
        meeting = scheduling.schedule_meeting(actor=presets.head, meeting_type=da, unit=presets.trade, starts_at=starts,
                                       place="会议室")
        # Test setup only: the meeting's own workflow is covered elsewhere; here it just has to be over.
        Meeting.objects.filter(pk=meeting.pk).update(status="closed", held_at=starts)
        revision = drafting.start_minutes(actor=presets.head, meeting=meeting)
        drafting.submit_revision(actor=presets.head, revision=revision)
        revisions.append(revision)

    barrier = threading.Barrier(len(revisions))
    errors: list[BaseException] = []

    def approve(revision):
        try:
            barrier.wait(timeout=30)
            drafting.approve_revision(actor=presets.head, revision=revision)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(r,)) for r in revisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    numbers = sorted(Minutes.objects.filter(issuing_unit=presets.trade).values_list("sequence", flat=True))
    assert numbers == list(range(1, 21))


@pytest.mark.django_db(transaction=True)
def test_r_mi_2_concurrent_approvals_in_two_series_of_one_unit_each_number_without_gap(presets):
    """R-MI-2: 外贸处's 处务会 and 处室工作会议 approved at the same moment, ten each: each series runs
    第1号..第10号 in the meeting's year, no gap, no duplicate, neither taking the other's numbers."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so it proves nothing here")
    revisions = []
    for code in ("DA", "UW"):
        t = MeetingType.objects.get(bureau=presets.bureau, code=code)
        for i in range(10):
            starts = timezone.localtime() + datetime.timedelta(days=2 + i)
            meeting = scheduling.schedule_meeting(actor=presets.head, meeting_type=t, unit=presets.trade,
                                                  starts_at=starts, place="会议室")
            # Test setup only: the meeting's own workflow is covered elsewhere; here it just has to be over.
            Meeting.objects.filter(pk=meeting.pk).update(status="closed", held_at=starts, ended_at=starts)
            revision = drafting.start_minutes(actor=presets.head, meeting=meeting)
            drafting.submit_revision(actor=presets.head, revision=revision)
            revisions.append(revision)

    barrier = threading.Barrier(len(revisions))
    errors: list[BaseException] = []

    def approve(revision):
        try:
            barrier.wait(timeout=30)
            drafting.approve_revision(actor=presets.head, revision=revision)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(r,)) for r in revisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    for series in ("纪", "工作会议纪"):
        numbers = sorted(Minutes.objects.filter(issuing_unit=presets.trade, series=series)
                         .values_list("sequence", flat=True))
        assert numbers == list(range(1, 11)), series
