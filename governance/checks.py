"""System checks: refuse to serve with an unusable SECRET_KEY; warn when this year's official holiday
schedule is missing (R-MI-4).

Deadlines in a year without a schedule silently assume Monday-Friday, so the missing year must be
visible at start-up. Only the current year is checked here: the next year's schedule is usually
published in November, and the admin and `manage.py workdays status` show that one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
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


MIN_SECRET_KEY_LENGTH = 50


def secret_key_problem() -> str | None:
    """Why SECRET_KEY may not serve this deployment, or None. With DEBUG off (production) the key
    must be set, not the development key, and at least 50 characters long; a developer's machine
    (DEBUG, or DEV_INSECURE=1 over plain http) may use the development key."""
    if settings.DEBUG or getattr(settings, "DEV_INSECURE", False):
        return None
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty key
        key = ""
    if not key or key == getattr(settings, "DEVELOPMENT_SECRET_KEY", None):
        return _("未设置 SECRET_KEY（正在使用内置的开发密钥）")
    if key.startswith(("django-insecure", "dev-only")):
        return _("SECRET_KEY 是开发用的密钥")
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        return _("SECRET_KEY 太短（少于 %(n)s 个字符）或过于简单") % {"n": MIN_SECRET_KEY_LENGTH}
    return None


@register(Tags.security)
def secret_key_usable(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """meetings.E001: with DEBUG off, a missing, default or short SECRET_KEY stops `manage.py check`,
    runserver and (meetings_site/wsgi.py, asgi.py) the application server."""
    problem = secret_key_problem()
    if problem is None:
        return []
    return [Error(
        problem,
        hint=_("请在环境变量 SECRET_KEY 中设置至少 %(n)s 个字符的随机密钥，例如："
               "python -c \"import secrets; print(secrets.token_urlsafe(64))\"") % {"n": MIN_SECRET_KEY_LENGTH},
        id="meetings.E001",
    )]
