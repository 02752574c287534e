"""A long list in a real browser, on a laptop (1366x768) and a phone (390x844): the page links (first,
previous, a window of numbers, next, last) and the total count, all on the screen, none pushing the
page sideways; following a link keeps the filters. Screenshots land in test-artifacts/e2e/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from governance.models import Notification
from tests.e2e.test_meeting_flow import assert_fits, assert_styled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_a_long_list_pages_with_links_on_a_laptop_and_a_phone(open_session, org, phone):
    Notification.objects.bulk_create([Notification(recipient=org.staff, kind="test", title=f"第{i}条消息")
                                      for i in range(1, 301)])  # 30 a page: 10 pages
    session = open_session("staff", phone=phone)
    page = session.page
    if not phone:
        page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/notifications/?page=4")
    assert_styled(page)
    pager = page.get_by_test_id("pager")
    expect(pager).to_contain_text("共 300 条")
    expect(pager).to_contain_text("第 4 / 10 页")
    expect(pager.locator("strong[aria-current=page]")).to_have_text("4")
    for rel in ("first", "prev", "next", "last"):
        expect(pager.locator(f"a[rel={rel}]")).to_be_visible()
    expect(pager.get_by_role("link", name="6", exact=True)).to_be_visible()
    assert_fits(page, "notifications, page 4")
    pager.scroll_into_view_if_needed()
    name = f"pagination-{'phone' if phone else 'laptop'}"
    session.shot(name)
    page.screenshot(path=str(session.artifacts / f"{name}-screen.png"))  # the screen as seen, the pager at its foot
    pager.locator("a[rel=last]").click()
    expect(page.get_by_test_id("pager").locator("strong[aria-current=page]")).to_have_text("10")
    expect(page.get_by_test_id("pager").locator("a[rel=next]")).to_have_count(0)
    page.goto("/notifications/?page=abc")
    expect(page.get_by_test_id("pager").locator("strong[aria-current=page]")).to_have_text("1")
    assert not session.errors, session.errors
