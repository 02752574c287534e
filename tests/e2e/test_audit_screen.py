"""The audit administrator in a real browser: a failed login by someone else shows on the screen with
its address, the search narrows to it, and the Excel export downloads it; a division head is refused
the screen. Screenshots land in test-artifacts/e2e/."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from tests.e2e.test_meeting_flow import assert_fits, assert_styled
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_auditor_finds_a_failed_login_and_exports_it(open_session, tmp_path):
    group = Group.objects.create(name="审计管理员")
    group.permissions.set(Permission.objects.filter(content_type__app_label="audit"))
    UserFactory(username="auditor", first_name="审计员").groups.add(group)
    UserFactory(username="heyong")

    stranger = open_session()
    stranger.page.goto("/accounts/login/")
    stranger.page.fill("#id_username", "heyong")
    stranger.page.fill("#id_password", "not-the-password")
    stranger.page.get_by_role("button", name="登录", exact=True).click()
    expect(stranger.page.locator("p.error")).to_be_visible()

    auditor = open_session("auditor")
    page = auditor.page
    page.get_by_role("link", name="安全审计").click()
    expect(page.get_by_role("heading", name="安全审计")).to_be_visible()
    assert_styled(page)
    page.select_option("select[name=category]", "login_failed")
    page.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("audit-event")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("heyong")
    expect(rows.first).to_contain_text("127.0.0.1")
    expect(rows.first).to_contain_text("登录失败")
    auditor.shot("audit-screen")

    with page.expect_download() as info:
        page.get_by_test_id("audit-export-xlsx").click()
    download = info.value
    assert download.failure() is None and download.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    path = tmp_path / "audit.xlsx"
    download.save_as(path)
    header, *data = list(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    assert header[0] == "时间" and [r[1] for r in data] == ["heyong"]
    assert not auditor.errors, auditor.errors

    phone = open_session("auditor", phone=True)
    phone.page.goto("/audit/")
    expect(phone.page.get_by_test_id("audit-events")).to_be_visible()
    assert_fits(phone.page, "the audit screen")
    phone.shot("audit-screen-phone")

    division_head = open_session("heyong")
    expect(division_head.page.get_by_role("link", name="安全审计")).to_have_count(0)
    response = division_head.page.goto("/audit/")
    assert response.status == 403
