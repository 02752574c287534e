"""System checks: warn when this year's official holiday schedule is missing (R-MI-4).

Deadlines in a year without a schedule silently assume Monday-Friday, so the missing year must be
visible at start-up. Only the current year is checked here: the next year's schedule is usually
published in November, and the admin and `manage.py workdays status` show that one.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError, connections, router
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarYear


@register()
def current_year_calendar_loaded(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """R-MI-4: governance.W001 when the current year has no CalendarYear row."""
    # Deliberately untagged (not Tags.database) so that a plain `manage.py check` and runserver show it;
    # the price is a query, which must never break a check run: before migrate the table is missing,
    # and without a reachable database there is nothing to say.
    if app_configs is not None and CalendarYear._meta.app_config not in app_configs:
        return []
    year = timezone.localdate().year
    try:
        connection = connections[router.db_for_read(CalendarYear)]
        if CalendarYear._meta.db_table not in connection.introspection.table_names():
            return []
        loaded = CalendarYear.objects.filter(year=year).exists()
    except DatabaseError:
        return []
    if loaded:
        return []
    return [
        Warning(
            _("今年（%(year)s）的放假安排尚未载入，工作日按周一至周五计算") % {"year": year},
            hint=_(
                "国务院办公厅公布放假安排后，请在管理后台“节假日与调休”中录入该年的节假日与调休，"
                "并在“已载入放假安排的年份”中添加 %(year)s；若 chinesecalendar 已收录该年，"
                "也可运行 python manage.py workdays sync。"
            ) % {"year": year},
            obj=CalendarYear,
            id="governance.W001",
        )
    ]
