"""Sign-in (等保 2.0 三级, 身份鉴别): passwords, lockout, sessions and the second factor."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.models import PasswordHistory, PasswordState, UserSession
from governance.services.passwords import require_change
from tests.factories import UserFactory

PASSWORD = "pass-for-tests-2026"
User = get_user_model()
pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, address="203.0.113.5"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, HTTP_USER_AGENT="TestBrowser/1.0")


def change(client, old, new):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new,
                                                     "new_password2": new})


def code_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


# Passwords


def test_the_validators_refuse_weak_passwords_and_the_username(client):
    user = UserFactory(username="wang")
    client.force_login(user)
    for weak in ("short1A", "alllowercase1", "Wang-2026-x"):
        response = change(client, PASSWORD, weak)
        assert response.status_code == 200, weak
        assert "password-errors" in response.content.decode()
    assert change(client, PASSWORD, "Strong-pass-2026").status_code == 302


def test_none_of_the_last_five_passwords_again(client):
    user = UserFactory(username="wang")
    client.force_login(user)
    current = PASSWORD
    for n in range(5):
        new = f"Fresh-pass-{n}x"
        assert change(client, current, new).status_code == 302
        current = new
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert change(client, current, "Fresh-pass-1x").status_code == 200  # used three changes ago
    assert change(client, current, current).status_code == 200  # the current one
    assert change(client, current, "Fresh-pass-9x").status_code == 302


def test_a_flagged_account_is_sent_to_change_its_password_and_nowhere_else(client):
    user = UserFactory(username="wang")
    require_change(user)
    assert login(client, "wang").status_code == 302
    response = client.get(reverse("meeting_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("password_change"))
    assert "must-change" in client.get(reverse("password_change")).content.decode()
    assert client.get("/static/css/site.css").status_code in (200, 404)  # static is let through
    assert change(client, PASSWORD, "Strong-pass-2026").status_code == 302
    state = PasswordState.objects.get(user=user)
    assert not state.must_change and state.changed_at is not None
    assert client.get(reverse("meeting_list")).status_code == 200


def test_logout_is_let_through_while_a_change_is_due(client):
    user = UserFactory(username="wang")
    require_change(user)
    login(client, "wang")
    client.post(reverse("logout"))
    assert SESSION_KEY not in client.session


def test_an_expired_password_must_be_changed(client, settings):
    user = UserFactory(username="wang")
    PasswordState.objects.create(user=user, changed_at=timezone.now() - datetime.timedelta(days=91))
    login(client, "wang")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("password_change"))
    assert "expired" in client.get(reverse("password_change")).content.decode()
    settings.PASSWORD_MAX_AGE_DAYS = 0  # never expires
    client2 = Client()
    login(client2, "wang")
    assert client2.get(reverse("home")).status_code == 200


def test_an_administrators_reset_forces_a_change(client, admins):
    user = UserFactory(username="wang")
    client.force_login(admins.system)
    response = client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                           {"password1": "Reset-pass-2026", "password2": "Reset-pass-2026",
                            "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PasswordState.objects.get(user=user).must_change


def test_factory_accounts_are_not_forced(client):
    client.force_login(UserFactory(username="wang"))
    assert client.get(reverse("home")).status_code == 200


def test_the_demo_accounts_must_change_the_shared_password(db):
    from django.core.management import call_command

    call_command("loaddemo", verbosity=0)
    assert PasswordState.objects.get(user__username="zhouwei").must_change
    assert PasswordState.objects.get(user__username="sysadmin").must_change


# Lockout


def test_five_failures_lock_the_account_for_thirty_minutes_and_say_until_when(client, settings):
    UserFactory(username="wang")
    for _ in range(4):
        assert login(client, "wang", "wrong").status_code == 200
    response = login(client, "wang", "wrong")
    assert response.status_code == 429
    body = response.content.decode()
    assert "账号已锁定" in body and "locked-until" in body and "30" in body
    until = (timezone.localtime() + datetime.timedelta(minutes=30)).strftime("%H:")
    assert until in body
    assert login(client, "wang").status_code == 429  # even the right password, during the lockout


def test_one_address_trying_many_accounts_is_locked_too(client):
    for n in range(5):
        UserFactory(username=f"u{n}")
        login(client, f"u{n}", "wrong", address="198.51.100.7")
    UserFactory(username="other")
    assert login(client, "other", PASSWORD, address="198.51.100.7").status_code == 429
    assert login(client, "other", PASSWORD, address="198.51.100.8").status_code == 302


def test_behind_a_proxy_the_lockout_and_the_rate_limit_count_the_client_not_the_proxy(client, settings):
    """With AUDIT_TRUSTED_PROXY_COUNT = 1 every request comes from the proxy (10.0.0.1): the address
    locked is the client's from X-Forwarded-For, so another client behind the same proxy signs in;
    an X-Forwarded-For entry the client wrote itself (left of the proxy's) changes nothing."""
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        UserFactory(username=f"u{n}")
        client.post(reverse("login"), {"username": f"u{n}", "password": "wrong"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7")
    UserFactory(username="other")
    locked = client.post(reverse("login"), {"username": "other", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1",
                         HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert locked.status_code == 429
    fine = client.post(reverse("login"), {"username": "other", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1",
                       HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert fine.status_code == 302
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/m"}
    for _ in range(2):
        client.post(reverse("login"), {"username": "x", "password": "x"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert client.post(reverse("login"), {"username": "x", "password": "x"}, REMOTE_ADDR="10.0.0.1",
                       HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 429
    assert client.post(reverse("login"), {"username": "other", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1",
                       HTTP_X_FORWARDED_FOR="198.51.100.21").status_code == 302


def test_the_admin_login_is_locked_as_well(client, admins):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "sysadmin", "password": "wrong"}, REMOTE_ADDR="192.0.2.1")
    response = client.post(reverse("admin:login"), {"username": "sysadmin", "password": PASSWORD},
                           REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429


# Sessions


def test_the_session_key_is_rotated_at_login(client):
    UserFactory(username="wang")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    login(client, "wang")
    assert client.session.session_key != before
    assert UserSession.objects.filter(session_key=client.session.session_key, ip="203.0.113.5").exists()


def test_idle_timeout_settings(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_TOUCH_SECONDS == 60


def test_a_request_renews_the_idle_timeout_at_most_once_a_minute(client):
    """The idle timeout runs from the last request, to the minute; requests in between write nothing."""
    UserFactory(username="wang")
    login(client, "wang")
    key = client.session.session_key
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date == soon  # renewed at the login, under a minute ago
    session = client.session
    session["touched_at"] -= 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=soon)
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + datetime.timedelta(minutes=29)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert client.get(reverse("keepalive")).status_code == 204  # 「继续使用」 renews it whenever asked
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_an_idle_session_expires(client):
    UserFactory(username="wang")
    login(client, "wang")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("home")).status_code == 302


def test_the_absolute_lifetime_ends_a_busy_session(client, settings):
    UserFactory(username="wang")
    login(client, "wang")
    session = client.session
    session["login_at"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


def test_a_disabled_account_is_signed_out_at_its_next_request(client):
    user = UserFactory(username="wang")
    login(client, "wang")
    assert client.get(reverse("home")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_changed_password_ends_the_other_sessions(client):
    UserFactory(username="wang")
    other = Client()
    login(client, "wang")
    login(other, "wang", address="203.0.113.6")
    assert other.get(reverse("home")).status_code == 200
    assert change(client, PASSWORD, "Strong-pass-2026").status_code == 302
    assert client.get(reverse("home")).status_code == 200  # the session that changed it stays
    assert "当前会话" in client.get(reverse("sessions")).content.decode()  # and is still listed
    assert other.get(reverse("home")).status_code == 302


def test_a_person_sees_their_sessions_and_ends_another(client):
    UserFactory(username="wang")
    other = Client()
    login(client, "wang")
    login(other, "wang", address="203.0.113.6")
    body = client.get(reverse("sessions")).content.decode()
    assert "203.0.113.6" in body and "当前会话" in body
    row = UserSession.objects.get(ip="203.0.113.6")
    assert client.post(reverse("sessions"), {"session": row.pk}).status_code == 302
    assert other.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(pk=row.pk).exists()


def test_nobody_ends_someone_elses_session(client):
    UserFactory(username="wang")
    UserFactory(username="li")
    other = Client()
    login(other, "li")
    row = UserSession.objects.get(user__username="li")
    login(client, "wang")
    client.post(reverse("sessions"), {"session": row.pk})
    assert other.get(reverse("home")).status_code == 200


def test_the_page_carries_the_idle_warning_script_without_inline_script(client):
    client.force_login(UserFactory(username="wang"))
    body = client.get(reverse("home")).content.decode()
    assert "js/session-timeout.js" in body and 'data-session-idle="1800"' in body
    assert "<script>" not in body
    assert client.get(reverse("keepalive")).status_code == 204


# Second factor


def test_an_administrator_must_set_up_totp_then_gives_a_code_at_every_login(client, admins):
    assert login(client, "secadmin").status_code == 302
    response = client.get(reverse("security"))
    assert response.status_code == 302 and response.url.startswith(reverse("otp_setup"))
    body = client.get(reverse("otp_setup")).content.decode()
    assert "data:image/svg+xml" in body
    device = TOTPDevice.objects.get(user=admins.security, confirmed=False)
    assert client.post(reverse("otp_setup"), {"code": "000000" if code_for(device) != "000000" else "111111"}
                       ).status_code == 200
    # A wrong code slows the next attempts down (django-otp's throttling); the test does not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post(reverse("otp_setup"), {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("security")).status_code == 200
    client.post(reverse("logout"))
    login(client, "secadmin")
    response = client.get(reverse("security"))
    assert response.status_code == 302 and response.url.startswith(reverse("otp_verify"))
    device.refresh_from_db()
    device.last_t = -1  # the code was used once already in this 30-second step
    device.save()
    assert client.post(reverse("otp_verify"), {"code": code_for(device), "next": "/security/"}).url == "/security/"
    assert client.get(reverse("security")).status_code == 200


def test_anyone_may_enable_totp_and_is_then_asked_for_it(client):
    UserFactory(username="wang")
    login(client, "wang")
    assert client.get(reverse("home")).status_code == 200  # not required for a person
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user__username="wang")
    client.post(reverse("otp_setup"), {"code": code_for(device)})
    client.post(reverse("logout"))
    login(client, "wang")
    assert client.get(reverse("home")).url.startswith(reverse("otp_verify"))
    assert client.post(reverse("otp_verify"), {"code": "12345"}).status_code == 200


def test_totp_for_everyone_by_a_setting(client, settings):
    settings.OTP_REQUIRED_FOR_ALL = True
    UserFactory(username="wang")
    login(client, "wang")
    assert client.get(reverse("home")).url.startswith(reverse("otp_setup"))


def test_the_admin_site_asks_for_the_second_factor(client):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    assert root.is_superuser
    login(client, "root")
    assert client.get(reverse("admin:index")).url.startswith(reverse("otp_setup"))


def test_wrong_one_time_codes_are_audited_and_the_fifth_in_a_row_ends_the_session(client, settings):
    """Every wrong code is a `login_failed` record (action otp); at AXES_FAILURE_LIMIT in a row the
    session ends and the person is back at the password; a right code is recorded as a login."""
    from audit.models import AuditEvent

    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="wang")
    login(client, "wang")
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user__username="wang")
    client.post(reverse("otp_setup"), {"code": code_for(device)})
    assert AuditEvent.objects.filter(actor_name="wang", category="login", action="otp_setup").count() == 1
    client.post(reverse("logout"))
    login(client, "wang")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(2):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no waiting in a test
        assert client.post(reverse("otp_verify"), {"code": wrong}).status_code == 200
    failed = AuditEvent.objects.filter(actor_name="wang", category="login_failed", action="otp", outcome="failure")
    assert failed.count() == 2
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(reverse("otp_verify"), {"code": wrong})
    assert response.status_code == 302 and response.url == reverse("login") and failed.count() == 3
    assert client.get(reverse("home")).url.startswith(reverse("login"))  # signed out
    login(client, "wang")
    # the code used at setup may be used once only: let this time step's code count again
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, last_t=-1)
    device.refresh_from_db()
    assert client.post(reverse("otp_verify"), {"code": code_for(device)}).status_code == 302
    assert AuditEvent.objects.filter(actor_name="wang", category="login", action="otp").count() == 1
