"""The city view in a real browser (issue 14, part 6): the city's overseer opens 全市, sees every bureau
of the city side by side, drills into one bureau's grid (figures only, R-CO-1), on a desktop (1366 px)
and on a phone (390 px); a person with posts in two bureaus switches between them in the header.
Screenshots land in test-artifacts/e2e/."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.test_meeting_flow import assert_fits, assert_styled
from tests.governance.test_compliance import D, held, sent

pytestmark = pytest.mark.e2e

SECRET = "拟任免CITYE2E"


def _city(presets):
    from governance.models import Appointment, City, CityOversight, MeetingType, Post
    from governance.services import agenda, scheduling
    from tests.factories import BureauFactory, UnitFactory, make_person

    city = City.objects.create(code="city", name="某市")
    presets.bureau.city = city
    presets.bureau.cadence_since = D(2026, 7, 1)
    presets.bureau.save()
    presets.other_bureau.city = city
    presets.other_bureau.save()
    for i, name in enumerate(["某市工业和信息化局", "某市发展和改革委员会", "某市财政局"]):
        b = BureauFactory(code=f"b{i}", name=name, city=city, cadence_since=D(2026, 1, 1))
        UnitFactory(bureau=b, code="office", name="办公室", kind="general_office")
    aug = held(presets, "DA", D(2026, 8, 14), unit=presets.trade, actor=presets.head)
    sent(presets, aug, D(2026, 8, 19), presets.head)
    held(presets, "DA", D(2026, 9, 20), unit=presets.invest, actor=presets.other_head)
    pg = MeetingType.objects.get(bureau=presets.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=presets.clerk, meeting_type=pg, place="第一会议室",
                                          starts_at=datetime.datetime.now().astimezone() + datetime.timedelta(days=2))
    agenda.propose_topic(actor=presets.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                         title=SECRET, summary=SECRET)
    overseer = make_person(presets.other_bureau, "overseer", "韩督查")
    CityOversight.objects.create(city=city, person=overseer, reason="市纪委监委")
    # The Supervision Office's head also heads a division of the first extra bureau.
    from governance.models import Bureau, Unit

    second = Bureau.objects.get(code="b0")
    division = Unit.objects.create(bureau=second, code="industry", name="产业发展处", short_name="产业处")
    Appointment.objects.create(bureau=second, person=presets.supervisor, post=Post.UNIT_HEAD, unit=division,
                               start=datetime.date(2024, 1, 1))
    return city


def test_city_overseer_sees_the_bureaus_side_by_side_on_desktop_and_phone(transactional_db, official_calendar,
                                                                          presets, open_session):
    _city(presets)
    for phone, width in ((False, 1366), (True, 390)):
        session = open_session(phone=phone)
        if not phone:
            session.page.set_viewport_size({"width": 1366, "height": 768})
        session.login("overseer")
        page = session.page
        page.get_by_role("link", name="全市").click()
        expect(page.locator("[data-testid=city] tbody tr")).to_have_count(5)
        expect(page.locator("[data-testid=city]")).to_contain_text("测试商务局")
        assert SECRET not in page.content()
        assert_styled(page)
        if phone:
            assert_fits(page, "city view")
        session.shot(f"city-{width}")
        page.get_by_role("link", name="测试商务局").click()
        expect(page.locator("[data-testid=compliance] tr[data-unit=trade]")).to_be_visible()
        assert SECRET not in page.content()
        session.shot(f"city-bureau-{width}")
        assert not session.errors, session.errors


def test_a_person_in_two_bureaus_switches_in_the_header(transactional_db, official_calendar, presets, open_session):
    _city(presets)
    session = open_session("supervisor")
    page = session.page
    page.goto("/ledgers/")
    switch = page.locator("[data-testid=bureau-switch]")
    expect(switch).to_be_visible()
    switch.locator("select").select_option(label="某市工业和信息化局")
    switch.get_by_role("button", name="切换").click()
    expect(page).to_have_url(__import__("re").compile(r"/ledgers/$"))
    expect(page.locator("select[name=unit]")).to_contain_text("产业发展处")
    session.shot("bureau-switch-1366")
    assert not session.errors, session.errors
