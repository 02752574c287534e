"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test's thread, so Django refuses ORM calls there
unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it must be set before Django is first used.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import re  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from governance.selectors import workdays as workcal
from governance.services import workdays as workday_loader

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PASSWORD = "pass-for-tests-2026"  # tests/factories.py
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Chromium per module (closed before the rest of the suite runs); the tests skip,
    loudly, where Debian's is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Queued e-mail runs in the request instead of landing in the developer's broker (var/celery or
    Redis), where a worker would later deliver it against another database's rows."""
    from meetings_site.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class Session:
    """One person's browser context, logged in through the real login page."""

    def __init__(self, browser, base_url: str, artifacts: Path, *, phone: bool = False):
        self.context = browser.new_context(base_url=base_url, **(PHONE if phone else DESKTOP))
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.artifacts = artifacts
        self.errors: list[str] = []
        # A failed request, a script error or a CSP violation is collected here for the test to check.
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("console", self._console)
        self.page.on("response", self._response)

    def _console(self, msg) -> None:
        # A failed load is recorded with its address by _response; this catches script and CSP errors.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {msg.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):  # the site has no icon
            self.errors.append(f"{response.status} {response.request.method} {response.url}")

    def login(self, username: str) -> Session:
        from playwright.sync_api import expect

        page = self.page
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        expect(page.locator(".topbar .who")).to_be_visible()
        return self

    def shot(self, name: str) -> Path:
        path = self.artifacts / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(browser, live_server, artifacts):
    """open_session("clerk", phone=False) -> a logged-in Session; every context is closed afterwards."""
    sessions: list[Session] = []

    def _open(username: str | None = None, *, phone: bool = False) -> Session:
        session = Session(browser, live_server.url, artifacts, phone=phone)
        sessions.append(session)
        return session.login(username) if username else session

    yield _open
    for session in sessions:
        session.close()


@pytest.fixture
def official_calendar(transactional_db):
    """China's official holiday schedules for the years around today, as migration 0002 loads them.

    A transactional test ends with a flush that empties every table, so the migration's calendar rows
    are gone for every transactional test after the first; without them deadlines fall back to
    Monday-Friday and the pages show "该年放假安排未载入". The loader is idempotent."""
    from django.utils import timezone


    year = timezone.localdate().year
    known = workcal.chinesecalendar_years()
    workday_loader.sync_from_chinesecalendar([y for y in (year - 1, year, year + 1) if y in known])
