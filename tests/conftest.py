"""Persona fixtures (docs/architecture.md, Tests): one small bureau with a person in every post of docs/architecture.md, Organisation."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from governance.models import Post, UnitKind
from tests.factories import BureauFactory, UnitFactory, make_person

# Run one after another on one xdist worker (`make test` runs the suite with `-n auto --dist loadgroup`):
# the real Celery worker on a fixed Redis database, the browsers against live servers (two Chromiums
# on two cores time out), and the PostgreSQL trigger tests.
SERIAL = ("tests/integration/", "tests/e2e/", "tests/audit/test_postgres.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(SERIAL):
            item.add_marker(pytest.mark.xdist_group("serial"))


def ensure_official_calendar() -> None:
    """The holiday calendar the data migration loads is emptied by the flush that ends every
    transactional test (live-server and worker tests); load it again when it is gone."""
    from governance.models import CalendarYear
    from governance.services.workdays import sync_from_chinesecalendar

    if not CalendarYear.objects.exists():
        sync_from_chinesecalendar()


@pytest.fixture
def org(db):
    """A bureau with the General Office, the Supervision Office, two divisions, and a person per post."""
    ensure_official_calendar()
    bureau = BureauFactory(code="test", name="测试商务局", short_name="商务局")
    office = UnitFactory(bureau=bureau, code="office", name="办公室", kind=UnitKind.GENERAL_OFFICE)
    supervision = UnitFactory(bureau=bureau, code="supervision", name="监察室", kind=UnitKind.SUPERVISION_OFFICE)
    trade = UnitFactory(bureau=bureau, code="trade", name="外贸处", short_name="外贸处")
    invest = UnitFactory(bureau=bureau, code="invest", name="外资处", short_name="外资处")
    P = Post
    secretary = make_person(bureau, "secretary", "王书记", P.PARTY_SECRETARY, P.PARTY_MEMBER, P.DIRECTOR)
    deputy = make_person(bureau, "deputy", "李副局长", P.DEPUTY_DIRECTOR, P.PARTY_MEMBER)
    deputy2 = make_person(bureau, "deputy2", "赵副局长", P.DEPUTY_DIRECTOR, P.PARTY_MEMBER)
    discipline = make_person(bureau, "discipline", "孙书记", P.DISCIPLINE_SECRETARY, P.PARTY_MEMBER)
    from governance.models import Appointment

    Appointment.objects.create(bureau=bureau, person=deputy, post=P.LEADER_IN_CHARGE, unit=trade, start="2024-01-01")
    Appointment.objects.create(bureau=bureau, person=deputy2, post=P.LEADER_IN_CHARGE, unit=invest, start="2024-01-01")
    clerk = make_person(bureau, "clerk", "周文书", P.UNIT_STAFF, unit=office)
    office_head = make_person(bureau, "office_head", "吴主任", P.UNIT_HEAD, unit=office)
    supervisor = make_person(bureau, "supervisor", "郑监察", P.UNIT_HEAD, unit=supervision)
    head = make_person(bureau, "head", "陈处长", P.UNIT_HEAD, unit=trade)
    staff = make_person(bureau, "staff", "刘科员", P.UNIT_STAFF, unit=trade)
    other_head = make_person(bureau, "other_head", "黄处长", P.UNIT_HEAD, unit=invest)
    other_staff = make_person(bureau, "other_staff", "林科员", P.UNIT_STAFF, unit=invest)
    elsewhere = BureauFactory(code="other", name="另一个局", short_name="另局")
    outsider = make_person(elsewhere, "outsider", "外局人员")
    return SimpleNamespace(
        bureau=bureau, office=office, supervision=supervision, trade=trade, invest=invest,
        secretary=secretary, director=secretary, deputy=deputy, deputy2=deputy2, discipline=discipline,
        clerk=clerk, office_head=office_head, supervisor=supervisor, head=head, staff=staff,
        other_head=other_head, other_staff=other_staff, outsider=outsider, other_bureau=elsewhere,
    )


@pytest.fixture
def presets(org):
    """The eight shipped meeting types loaded into the persona bureau."""
    from governance.rules.presets import PRESETS
    from governance.services import load_presets

    load_presets(bureau=org.bureau, presets=PRESETS)
    return org


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a user; the persona bureau has a dozen people per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded materials go to a per-test folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Tasks queued by services run in-process in tests (e-mails land in Django's test outbox);
    tests of the real worker start one themselves."""
    from meetings_site.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in the product's language: a request that chose English must not leave the
    thread speaking English to the next test's service calls."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


def make_admin(username: str, role: str):
    """An administrator's account (三员分立): no Person, no post, one role given by the role service."""
    from governance.services.admin_roles import assign_role
    from tests.factories import UserFactory

    user = UserFactory(username=username, first_name=username)
    assign_role(actor=None, user=user, role=role, reason="测试")
    user.refresh_from_db()
    return user


@pytest.fixture
def admins(db):
    """The three administrators: system, security and audit."""
    return SimpleNamespace(system=make_admin("sysadmin", "system"), security=make_admin("secadmin", "security"),
                           audit=make_admin("auditadmin", "audit"))


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """The rate limits count in the cache, which outlives a test: every test starts with none used, in
    a key space of its own. Not by clearing the cache: on Redis that empties the database for the other
    xdist worker too, in the middle of its test."""
    import uuid

    settings.CACHES = {name: {**conf, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
                       for name, conf in settings.CACHES.items()}


@pytest.fixture(autouse=True)
def _force_login_is_fully_signed_in(monkeypatch):
    """`client.force_login(user)` stands for a completed login: for an account that must use a second
    factor (the administrators, a superuser) a confirmed TOTP device is made if it has none, and the
    session counts as verified with it, as after the code was given (tests/governance/test_accounts.py
    goes through the real steps)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from governance.selectors.accounts import second_factor_required

        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and second_factor_required(user, "/admin/" if user.is_staff else ""):
            device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
