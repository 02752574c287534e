"""Periodic tasks: the calendar coverage check and its place in beat's schedule."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from governance.models import CalendarYear
from governance.tasks import CALENDAR_COVERAGE_TASK, check_calendar_coverage, ensure_periodic_tasks


def test_calendar_check_warns_about_years_without_a_schedule(db, caplog):
    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year__in=[this_year, this_year + 1]).delete()
    CalendarYear.objects.create(year=this_year)

    with caplog.at_level(logging.WARNING, logger="governance.tasks"):
        missing = check_calendar_coverage.apply().get()

    assert missing == [this_year + 1]
    assert str(this_year + 1) in caplog.text


def test_calendar_check_is_quiet_when_both_years_are_loaded(db, caplog):
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        CalendarYear.objects.get_or_create(year=year)

    with caplog.at_level(logging.WARNING, logger="governance.tasks"):
        assert check_calendar_coverage() == []

    assert not caplog.records


def test_ensure_periodic_tasks_registers_the_calendar_check_once(db):
    ensure_periodic_tasks()
    task = PeriodicTask.objects.get(name=CALENDAR_COVERAGE_TASK)
    changed_at = task.date_changed

    ensure_periodic_tasks()

    task.refresh_from_db()
    assert PeriodicTask.objects.filter(name=CALENDAR_COVERAGE_TASK).count() == 1
    assert task.task == "governance.tasks.check_calendar_coverage"
    assert (task.interval.every, task.interval.period) == (1, "hours")
    assert task.enabled
    assert task.date_changed == changed_at


def test_ensure_periodic_tasks_leaves_a_disabled_task_disabled(db):
    ensure_periodic_tasks()
    PeriodicTask.objects.filter(name=CALENDAR_COVERAGE_TASK).update(enabled=False)

    ensure_periodic_tasks()

    assert not PeriodicTask.objects.get(name=CALENDAR_COVERAGE_TASK).enabled
