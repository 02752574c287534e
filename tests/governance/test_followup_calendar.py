"""R-FU-1, R-FU-3: a follow-up action due N working days after it was assigned follows the calendar as it
stands now: when an administrator enters a holiday, its due date moves on the action page, the list, the
actions register and in the sweep; the boundary is the last working day (on time) and the next (overdue).

The week used: an action assigned on Monday 16 November 2026 with three working days is due Thursday
19th; once Wednesday 18th is declared a holiday it is due Friday 20th."""

import datetime

from django.urls import reverse
from django.utils import timezone

from governance.models import Action, CalendarDay
from governance.selectors import ledgers
from governance.selectors.deadlines import action_deadlines
from governance.selectors.followup import is_overdue
from governance.services import followup
from tests.governance.test_followup import run_pg

D = datetime.date


def assigned_on_monday_16th(presets) -> Action:
    meeting, topic = run_pg(presets)
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="印发并组织落实",
                                    owner_unit=presets.trade, leader=presets.deputy, due_workdays=3)
    # Test setup: the action was assigned on Monday 16 November 2026 (its due date as counted then).
    Action.objects.filter(pk=action.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 11, 16, 10)),
                                               due=D(2026, 11, 19))
    return Action.objects.get(pk=action.pk)


def due_in_register(presets, action) -> str:
    regs = ledgers.registers(user=presets.supervisor, bureau=presets.bureau, unit="", type="", whole_bureau=True,
                             start=D(2026, 1, 1), end=D(2026, 12, 31))
    header = regs["actions"].headers.index("完成期限")
    return next(r[header] for r in regs["actions"].rows() if r[0] == action.title or action.title in str(r))


def test_r_fu_3_a_holiday_entered_later_moves_the_action_due_date_everywhere(client, presets):
    """R-FU-3, R-FU-1."""
    action = assigned_on_monday_16th(presets)
    assert action.due_workdays == 3
    # What the calendar admin's form saves: a weekday holiday the official data did not have.
    CalendarDay.objects.create(date=D(2026, 11, 18), is_workday=False, name="临时放假", source="admin")
    action.refresh_from_db()
    assert action.due == D(2026, 11, 20)
    client.force_login(presets.head)
    assert "2026-11-20" in client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "2026-11-20" in client.get(reverse("action_list")).content.decode()
    assert due_in_register(presets, action) == "2026-11-20"
    [item] = [d for d in action_deadlines(D(2026, 11, 20)) if d.subject == f"action:{action.pk}"]
    assert item.due == D(2026, 11, 20)
    # The boundary: the last working day is not overdue, the next working day is.
    assert not is_overdue(action, D(2026, 11, 20)) and is_overdue(action, D(2026, 11, 23))
    assert action.history.first().history_change_reason.startswith("放假安排变更")


def test_r_fu_3_removing_the_holiday_moves_it_back(presets):
    """R-FU-3: the calendar as it stands now, either way."""
    action = assigned_on_monday_16th(presets)
    day = CalendarDay.objects.create(date=D(2026, 11, 18), is_workday=False, name="临时放假", source="admin")
    day.delete()
    action.refresh_from_db()
    assert action.due == D(2026, 11, 19)


def test_r_fu_3_a_done_action_keeps_its_due_date(presets):
    """R-FU-3: only open actions follow the calendar; a finished one is judged as it was."""
    action = assigned_on_monday_16th(presets)
    Action.objects.filter(pk=action.pk).update(status="done")  # test setup: finished before the amendment
    CalendarDay.objects.create(date=D(2026, 11, 18), is_workday=False, name="临时放假", source="admin")
    action.refresh_from_db()
    assert action.due == D(2026, 11, 19)


def test_r_fu_3_assigned_before_the_national_day_is_due_on_the_make_up_saturday(presets, monkeypatch):
    """R-FU-3, R-FU-1: assigned on Wednesday 30 September 2026 with three working days: 1-7 October are
    holidays, Thursday 8th and Friday 9th work, Saturday 10th is a make-up working day: due the 10th, on
    time that day, overdue on the next working day (Monday 12th)."""
    meeting, topic = run_pg(presets)
    frozen = timezone.make_aware(datetime.datetime(2026, 9, 30, 10))  # test setup: the day it was assigned
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    action = followup.create_action(actor=presets.clerk, meeting=meeting, topic=topic, title="节前交办事项",
                                    owner_unit=presets.trade, leader=presets.deputy, due_workdays=3)
    assert action.due == D(2026, 10, 10)
    assert not is_overdue(action, D(2026, 10, 9)) and not is_overdue(action, D(2026, 10, 10))
    assert is_overdue(action, D(2026, 10, 12))
    [item] = [d for d in action_deadlines(D(2026, 10, 10)) if d.subject == f"action:{action.pk}"]
    assert item.due == D(2026, 10, 10)
