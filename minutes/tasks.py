"""Background work of the minutes app: thin tasks that take ids and call a service (docs/architecture.md, Tasks)."""

from __future__ import annotations

from celery import shared_task

from governance.tasks import crontab, periodic_source
from minutes.services.archive_export import build_export

YEAR_END_ARCHIVE_TASK = "minutes.year_end_archive"  # the PeriodicTask's fixed name

# R-MI-9: at 02:00 on 1 January beat archives the year just ended.
periodic_source(YEAR_END_ARCHIVE_TASK, lambda: {
    "task": "minutes.tasks.archive_year", "crontab": crontab(minute="0", hour="2", day_of_month="1", month_of_year="1"),
    "description": "年终定期存档：将上一年度已审定的纪要按处室和会议类型形成归档包（R-MI-9）。"})


@shared_task(acks_late=True)
def build_archive_export(pk: int) -> str:
    """R-MI-6: build one archive export; a second delivery finds it claimed and does nothing."""
    return build_export(pk).status


@shared_task(acks_late=True)
def archive_year(year: int | None = None, bureau_id: int | None = None, actor_id: int | None = None) -> list[int]:
    """R-MI-9: archive a year's approved minutes as packages. From beat (no arguments) on 1 January
    it archives the year just ended for every bureau; on demand, one bureau's chosen year. Running
    twice archives nothing twice."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from governance.models import Bureau
    from minutes.services.archive_package import archive_year as archive

    year = year or timezone.localdate().year - 1
    bureau = Bureau.objects.filter(pk=bureau_id).first() if bureau_id else None
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return [p.pk for p in archive(year=year, bureau=bureau, actor=actor)]
