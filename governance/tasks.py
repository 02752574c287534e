"""Background work of the governance app, run by the Celery worker and scheduled by beat.

Periodic tasks live in beat's database schedule (django_celery_beat), so admins can see, pause or
reschedule them in the admin; `ensure_periodic_tasks()` registers them, idempotently.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from governance.selectors.workdays import uncovered_years

logger = logging.getLogger(__name__)

CALENDAR_COVERAGE_TASK = "governance.check_calendar_coverage"  # the PeriodicTasks' fixed names
SWEEP_TASK = "governance.deadline_sweep"


@shared_task
def check_calendar_coverage() -> list[int]:
    """R-MI-4: warn when this year's or next year's official holiday schedule is not loaded."""
    this_year = timezone.localdate().year
    missing = uncovered_years([this_year, this_year + 1])
    if missing:
        years = "、".join(str(year) for year in missing)
        # Deadlines in these years fall back to Monday-Friday, so a holiday would shorten them.
        logger.warning(
            "未载入 %s 年的法定节假日安排，这些年份的期限暂按周一至周五计算。"
            "国务院办公厅发布放假安排后，请升级 chinesecalendar 并运行 manage.py workdays sync，"
            "或在管理后台录入该年的节假日与调休。",
            years,
        )
    return missing


# A fixed start in the past makes django_celery_beat run a task that has never run at beat's first
# tick (it then backdates last_run_at), instead of waiting a whole interval after `make run`.
_START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def _interval(every: int, period: str):
    from django_celery_beat.models import IntervalSchedule

    schedule = IntervalSchedule.objects.filter(every=every, period=period).order_by("pk").first()
    return schedule or IntervalSchedule.objects.create(every=every, period=period)


# Periodic tasks of other apps, by fixed name: a callable giving the PeriodicTask's fields.
PERIODIC_SOURCES: dict[str, object] = {}


def periodic_source(name: str, make) -> None:
    """Add a periodic task (registered by `ensure_periodic_tasks`) from any app."""
    PERIODIC_SOURCES[name] = make


def crontab(**fields):
    """The beat crontab schedule with these fields (minute, hour, day_of_month, month_of_year), in the
    site's time zone, reused when one exists."""
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule

    fields = {"minute": "0", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **fields}
    schedule = CrontabSchedule.objects.filter(**fields, timezone=settings.TIME_ZONE).order_by("pk").first()
    return schedule or CrontabSchedule.objects.create(**fields, timezone=settings.TIME_ZONE)


@transaction.atomic
def ensure_periodic_tasks() -> None:
    """Register the periodic tasks in beat's database schedule; running it again changes nothing."""
    from django.conf import settings
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    wanted_tasks = {
        CALENDAR_COVERAGE_TASK: {
            "task": "governance.tasks.check_calendar_coverage",
            "interval": _interval(1, IntervalSchedule.HOURS),
            "description": "检查当年和次年的法定节假日安排是否已载入（工作日期限依赖于此）。",
        },
        SWEEP_TASK: {
            "task": "governance.tasks.run_sweep",
            "interval": _interval(settings.SWEEP_INTERVAL_SECONDS, IntervalSchedule.SECONDS),
            "description": "期限检查：到期前提醒，逾期后督办并记录违规（R-CA-1、R-CA-2）。",
        },
    }
    for name, make in PERIODIC_SOURCES.items():  # the other apps' periodic tasks (minutes: the year-end archive)
        wanted_tasks[name] = make()
    for name, wanted in wanted_tasks.items():
        wanted = {"interval": None, "crontab": None, "solar": None, "clocked": None, "one_off": False,
                  "start_time": _START, **wanted}
        periodic = PeriodicTask.objects.filter(name=name).first()
        if periodic is None:
            PeriodicTask.objects.create(name=name, **wanted)
            continue
        # Saving bumps beat's "schedule changed" marker, so save only what differs; whether the task is
        # enabled is the admin's choice and is left alone.
        changed = [key for key, value in wanted.items() if getattr(periodic, key) != value]
        if changed:
            for key in changed:
                setattr(periodic, key, wanted[key])
            periodic.save()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(ids: list[int]) -> int:
    """E-mail the given in-app notifications not yet e-mailed; stamps each, so a retry sends none twice."""
    from .services.common import deliver

    return deliver(ids)



@shared_task(acks_late=True)
def run_sweep() -> dict:
    """R-CA-1, R-CA-2: the periodic deadline sweep. Safe to run twice or at once: see deadlines.py."""
    from governance.services.sweep import sweep

    report = sweep()
    return {"due": report.due_items, "recorded": report.recorded, "sent": report.sent, "breaches": report.breaches}
