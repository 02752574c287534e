"""R-MI-2: each meeting type numbers its minutes in its own series (a parameter on the type): 处室工作会议
minutes do not take 处务会 numbers, the bureau-level types do not share one series, and the number's year
is the year of the meeting, not of the approval."""

import datetime

import pytest
from django.utils import timezone

from governance.models import Meeting, MeetingType
from governance.rules.refusals import TransitionRefused
from governance.services import scheduling
from minutes.models import Minutes
from minutes.services import drafting


def closed(presets, code, *, unit=None, actor=None, held: datetime.datetime | None = None) -> Meeting:
    t = MeetingType.objects.get(bureau=presets.bureau, code=code)
    starts = timezone.localtime() + datetime.timedelta(days=2)
    meeting = scheduling.schedule_meeting(actor=actor or presets.clerk, meeting_type=t, unit=unit, starts_at=starts,
                                          place="会议室")
    # Test setup only: the meeting's own workflow is covered elsewhere; here it just has to be over.
    when = held or starts
    Meeting.objects.filter(pk=meeting.pk).update(status="closed", starts_at=when, held_at=when, ended_at=when)
    return Meeting.objects.get(pk=meeting.pk)


def number(presets, meeting: Meeting) -> str:
    drafter = meeting.recorder or meeting.chair
    revision = drafting.start_minutes(actor=drafter, meeting=meeting)
    drafting.submit_revision(actor=drafter, revision=revision)
    drafting.approve_revision(actor=meeting.chair, revision=revision)
    return Minutes.objects.select_related("issuing_unit").get(pk=revision.minutes_id).number


def at(y, m, d, h=9):
    return timezone.make_aware(datetime.datetime(y, m, d, h))


def test_r_mi_2_division_work_meeting_does_not_take_division_affairs_numbers(presets):
    """R-MI-2: 外贸处's 处务会 and 处室工作会议 each start at 第1号 in the same year (meetings in November 2026)."""
    def da():
        return closed(presets, "DA", unit=presets.trade, actor=presets.head, held=at(2026, 11, 16))
    assert number(presets, da()) == "外贸处纪〔2026〕第1号"
    uw = closed(presets, "UW", unit=presets.trade, actor=presets.head, held=at(2026, 11, 17))
    assert number(presets, uw) == "外贸处工作会议纪〔2026〕第1号"
    assert number(presets, da()) == "外贸处纪〔2026〕第2号"


def test_r_mi_2_bureau_level_types_do_not_share_one_series(presets):
    """R-MI-2: the General Office numbers the party group's and the director's office meeting's minutes apart."""
    assert number(presets, closed(presets, "PG", held=at(2026, 11, 16))) == "办公室党组纪〔2026〕第1号"
    assert number(presets, closed(presets, "DO", held=at(2026, 11, 17))) == "办公室局长办公会纪〔2026〕第1号"
    assert number(presets, closed(presets, "PG", held=at(2026, 11, 18))) == "办公室党组纪〔2026〕第2号"


def test_r_mi_2_types_given_the_same_series_share_it(presets):
    """R-MI-2: the series is data: two types share a series only when the type says so."""
    MeetingType.objects.filter(bureau=presets.bureau, code="DO").update(minutes_series="党组纪")
    assert number(presets, closed(presets, "PG", held=at(2026, 11, 16))) == "办公室党组纪〔2026〕第1号"
    assert number(presets, closed(presets, "DO", held=at(2026, 11, 17))) == "办公室党组纪〔2026〕第2号"


def test_r_mi_2_the_number_year_is_the_meeting_year_not_the_approval_year(presets):
    """R-MI-2: boundary: a meeting on 31 December 2025 approved in 2026 is numbered 〔2025〕; one on
    1 January 2026 starts the 2026 series at 第1号."""
    dec31 = closed(presets, "DA", unit=presets.trade, actor=presets.head, held=at(2025, 12, 31, 15))
    jan1 = closed(presets, "DA", unit=presets.trade, actor=presets.head, held=at(2026, 1, 1, 9))
    assert number(presets, dec31) == "外贸处纪〔2025〕第1号"
    assert number(presets, jan1) == "外贸处纪〔2026〕第1号"


def test_r_mi_2_a_type_without_a_series_is_refused(presets):
    """R-MI-2: the series is validated with the type's other rules (admin and loadpresets)."""
    from governance.rules.meeting_types import validate_meeting_type

    da = MeetingType.objects.filter(bureau=presets.bureau, code="DA").values().get()
    kinds = {"unit_head": frozenset({"division"}), "deputy_head": frozenset({"division"}), "unit_staff": frozenset({"division"})}
    labels = {}
    for bad in ("", "  ", "纪〔2026〕"):
        errors = validate_meeting_type({**da, "minutes_series": bad, "unit_kinds": ["division"]}, post_unit_kinds=kinds,
                                       post_labels=labels)
        assert "minutes_series" in errors
    assert "minutes_series" not in validate_meeting_type({**da, "unit_kinds": ["division"]}, post_unit_kinds=kinds,
                                                         post_labels=labels)


def test_r_mi_2_the_rules_screen_shows_the_series(client, presets):
    """R-MI-2: the series is shown with the type's minutes rules."""
    from django.urls import reverse

    client.force_login(presets.staff)
    assert "编号：“工作会议纪”系列" in client.get(reverse("meeting_type_detail", args=["UW"])).content.decode()
    assert "编号：“党组纪”系列" in client.get(reverse("meeting_type_detail", args=["PG"])).content.decode()


def test_r_mi_2_approval_still_refused_for_others(presets):
    """R-MI-2: numbering happens only on the chair's approval."""
    meeting = closed(presets, "UW", unit=presets.trade, actor=presets.head)
    revision = drafting.start_minutes(actor=presets.head, meeting=meeting)
    drafting.submit_revision(actor=presets.head, revision=revision)
    with pytest.raises(TransitionRefused):
        drafting.approve_revision(actor=presets.staff, revision=revision)
    assert Minutes.objects.get(pk=revision.minutes_id).sequence is None
