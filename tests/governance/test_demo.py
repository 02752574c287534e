"""The demo bureau that `make run` loads (`manage.py loaddemo`)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from demo.bureau import DEMO_PASSWORD, PEOPLE
from governance.models import Appointment, Bureau, MeetingType, Person, Post, Unit, UnitKind
from governance.selectors import org as org_selectors

User = get_user_model()


def _loaddemo() -> str:
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = [Bureau, Unit, User, Person, Appointment, MeetingType, PeriodicTask, IntervalSchedule]
    counts = {model.__name__: model.objects.count() for model in models}
    # A second run must not even write history rows.
    for model in (Bureau, Unit, Person, Appointment, MeetingType):
        counts[f"{model.__name__} history"] = model.history.count()
    return counts


@pytest.fixture
def demo(db, settings):
    # 25 accounts with the default hasher take seconds per load.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _loaddemo()
    return Bureau.objects.get(code="demo")


def test_loaddemo_twice_changes_nothing(demo):
    before = _counts()
    output = _loaddemo()
    assert _counts() == before
    assert "无变化" in output


def test_loaddemo_loads_the_presets_into_the_demo_bureau(demo):
    assert set(demo.meeting_types.values_list("code", flat=True)) == {"PG", "DO", "DL", "MC", "AS", "UW", "MM", "DA"}


def test_every_post_has_a_holder_today(demo):
    today = timezone.localdate()
    held = set(Appointment.objects.on(today).filter(bureau=demo).values_list("post", flat=True))
    assert held == set(Post.values)


def test_party_secretary_is_also_director(demo):
    today = timezone.localdate()
    secretaries = list(org_selectors.post_holders(bureau=demo, post=Post.PARTY_SECRETARY, on=today))
    directors = list(org_selectors.post_holders(bureau=demo, post=Post.DIRECTOR, on=today))
    assert len(secretaries) == 1
    assert secretaries == directors


def test_each_division_has_a_head_and_a_leader_in_charge(demo):
    today = timezone.localdate()
    divisions = Unit.objects.filter(bureau=demo, kind=UnitKind.DIVISION)
    assert divisions.count() >= 3
    for division in divisions:
        assert org_selectors.post_holders(bureau=demo, post=Post.UNIT_HEAD, on=today, unit=division).exists(), division
        leader = org_selectors.leader_in_charge(unit=division, on=today)
        assert leader is not None, division
        assert Appointment.objects.on(today).filter(person=leader, post=Post.DEPUTY_DIRECTOR).exists()


def test_every_unit_has_a_head_and_the_special_offices_exist(demo):
    today = timezone.localdate()
    for unit in Unit.objects.filter(bureau=demo):
        assert org_selectors.post_holders(bureau=demo, post=Post.UNIT_HEAD, on=today, unit=unit).exists(), unit
    kinds = set(Unit.objects.filter(bureau=demo).values_list("kind", flat=True))
    assert kinds == set(UnitKind.values)


def test_every_demo_user_has_a_person_in_the_bureau(demo):
    usernames = [username for username, _, _ in PEOPLE]
    users = User.objects.filter(username__in=usernames)
    assert users.count() == len(usernames)
    assert not users.filter(person__isnull=True).exists()
    assert set(Person.objects.filter(user__in=users).values_list("bureau_id", flat=True)) == {demo.pk}


def test_demo_has_no_superuser_but_three_administrators_with_the_demo_password(demo):
    """三员分立: no everyday superuser; one account per administrator role, none a superuser, no Person."""
    from governance.models import AdminRoleAssignment

    assert not User.objects.filter(is_superuser=True).exists()
    held = dict(AdminRoleAssignment.objects.filter(revoked_at__isnull=True).values_list("user__username", "role"))
    assert held == {"sysadmin": "system", "secadmin": "security", "auditadmin": "audit"}
    for username in held:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD) and not hasattr(user, "person")
        assert user.is_staff == (username == "sysadmin")


def test_loaddemo_demotes_an_old_demo_superuser(demo):
    User.objects.create_superuser("admin", "admin@demo.invalid", DEMO_PASSWORD)
    _loaddemo()
    admin = User.objects.get(username="admin")
    assert not admin.is_superuser and not admin.is_staff and not admin.is_active


def test_loaddemo_keeps_a_changed_password(demo):
    user = User.objects.get(username="heyong")
    user.set_password("a-new-secret-2026")
    user.save()
    _loaddemo()
    user.refresh_from_db()
    assert user.check_password("a-new-secret-2026")


def test_loaddemo_prints_the_logins(demo):
    output = _loaddemo()
    assert DEMO_PASSWORD in output
    assert "wangjianguo" in output and "王建国" in output and "党组书记、局长" in output
    assert "sysadmin" in output and "安全管理员（/security/）" in output and "auditadmin" in output
