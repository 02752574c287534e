"""The demo's recent past (issue 5): one division's minutes overdue, one division that missed its
monthly meeting; the first sweep escalates both, and loading again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.history import load_demo_history
from governance.models import Alert, Breach, BreachKind, Bureau, Meeting
from governance.services.sweep import sweep


@pytest.mark.django_db
def test_demo_history_gives_the_sweep_an_overdue_minutes_and_a_missed_meeting(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("loaddemo", stdout=StringIO())
    bureau = Bureau.objects.get(code="demo")
    meetings = Meeting.objects.count()
    assert load_demo_history(bureau) == []  # loaddemo already loaded it: a second load adds nothing
    assert Meeting.objects.count() == meetings
    sweep(today=timezone.localdate())
    breaches = {(b.kind, b.unit.code if b.unit else None) for b in Breach.objects.all()}
    assert (BreachKind.MINUTES_LATE, "foreign-trade") in breaches
    assert (BreachKind.CADENCE_MISSED, "market") in breaches
    assert not {k for k, unit in breaches if unit not in ("foreign-trade", "market")}
    officers = set(Alert.objects.filter(kind="escalation", recipient__appointments__unit__kind="supervision_office")
                   .values_list("subject", flat=True))
    assert any(s.startswith("minutes:") for s in officers) and any(s.startswith("cadence:DA:") for s in officers)
