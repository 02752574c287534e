"""Sign-in in a real browser (等保 2.0 三级, 身份鉴别): an administrator with a TOTP device gives the
code after the password, is then made to change the initial password, and reaches their workspace;
the idle-timeout notice appears before the session ends. Screenshots land in test-artifacts/e2e/."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from governance.models import PasswordState
from governance.services.passwords import require_change
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_gives_the_totp_code_then_changes_the_initial_password(open_session):
    from tests.conftest import make_admin

    user = make_admin("secadmin", "security")
    require_change(user)
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)

    session = open_session()
    page = session.page
    page.goto("/accounts/login/")
    page.fill("#id_username", "secadmin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/otp/verify/"))
    expect(page.get_by_role("heading", name="输入动态口令")).to_be_visible()
    session.shot("sign-in-totp")
    page.fill("#id_code", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.get_by_role("button", name="验证").click()

    expect(page).to_have_url(re.compile(r"/accounts/password/"))
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.goto("/security/")  # nothing else gets through before the change
    expect(page).to_have_url(re.compile(r"/accounts/password/"))
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "weakpassword")
    page.fill("#id_new_password2", "weakpassword")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_test_id("password-errors")).to_be_visible()
    session.shot("sign-in-password-refused")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Secure-Admin-2026")
    page.fill("#id_new_password2", "Secure-Admin-2026")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator(".messages")).to_contain_text("密码已修改")
    page.goto("/security/")
    expect(page).to_have_url(re.compile(r"/security/"))
    assert not PasswordState.objects.get(user=user).must_change
    session.shot("sign-in-done")
    assert not session.errors, session.errors


def test_the_idle_notice_shows_before_the_session_ends(open_session, settings):
    from tests.factories import UserFactory

    UserFactory(username="wang")
    settings.SESSION_COOKIE_AGE = 123  # the notice comes SESSION_WARNING_SECONDS (120) before: after 3 s
    session = open_session("wang")
    page = session.page
    notice = page.get_by_test_id("session-warning")
    expect(notice).to_be_hidden()
    expect(notice).to_be_visible(timeout=8000)
    session.shot("sign-in-idle-notice")
    page.get_by_role("button", name="继续使用").click()
    expect(notice).to_be_hidden()
    assert not session.errors, session.errors
