"""The load run's data, on top of `manage.py loaddemo` (run with `manage.py shell < deploy/load/prepare.py`).

1. A year of held meetings for the demo bureau: every week each division's 处务会 and the Monday
   局长办公会 (as the demo's own history writes them: closed, on past dates), so lists have pages.
2. The load personas sign in with the demo password without the first-login change: their forced
   change is cleared here (in a real deployment each person changes it once, at /accounts/password/).
   None of them is one of the three administrators, so no one-time code is asked.
"""

import datetime
import os

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.history import _held
from governance.models import Bureau, MeetingType, PasswordState, Unit

WEEKS = int(os.environ.get("LOAD_WEEKS", "52"))
PERSONAS = os.environ.get("LOAD_PERSONAS", "zhouwei,wangjianguo,heyong,xuwen,fengxue,zhaomin,linfang,chenlixin").split(",")

bureau = Bureau.objects.get(code="demo")
types = {t.code: t for t in MeetingType.objects.filter(bureau=bureau, active=True)}
units = [u for u in Unit.objects.filter(bureau=bureau, active=True) if "DA" in types and u.kind in types["DA"].unit_kinds]
today = timezone.localdate()
monday = today - datetime.timedelta(days=today.weekday())
made = 0
with transaction.atomic():
    for week in range(5, 5 + WEEKS):  # from five weeks back: loaddemo's own history covers last month
        day = monday - datetime.timedelta(weeks=week)
        if "MM" in types:
            made += _held(types["MM"], None, day, f"{day:%Y年%-m月%-d日}{types['MM'].name}（负载）")[1]
        for unit in units:
            tuesday = day + datetime.timedelta(days=1)
            made += _held(types["DA"], unit, tuesday, f"{unit.name}{tuesday:%Y年%-m月%-d日}{types['DA'].name}（负载）")[1]
users = get_user_model().objects.filter(username__in=PERSONAS)
PasswordState.objects.filter(user__in=users).update(must_change=False, changed_at=timezone.now())
print(f"load data: {made} meetings added; personas ready: {', '.join(sorted(u.username for u in users))}")
