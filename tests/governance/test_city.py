"""The city (issue 14, part 6): a city's overseer, by a grant of the security administrator, sees every
bureau's compliance figures side by side and drills into one, read-only, never a meeting's content
(R-CO-1); bureau people still see only their bureau; a person holding posts in two bureaus works in both."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from governance.models import Appointment, City, CityOversight, MeetingType, Post
from governance.rules.refusals import TransitionRefused
from governance.selectors.compliance import compliance
from governance.services import admin_roles, agenda, scheduling
from governance.views.compliance import OVERSIGHT_POSTS  # noqa: F401  (the bureau's own overseers, unchanged)
from tests.factories import BureauFactory, UnitFactory, make_person
from tests.governance.test_compliance import year  # noqa: F401  (the hand-counted fixture)

SECRET = "任免机密CITY42"


@pytest.fixture
def city(year, admins):  # noqa: F811
    """The persona bureau and the other bureau in one city; an overseer of the other bureau's staff,
    granted by the security administrator; a confidential personnel topic on the party group's agenda."""
    c = City.objects.create(code="testcity", name="测试市")
    for bureau in (year.bureau, year.other_bureau):
        bureau.city = c
        bureau.save(update_fields=["city"])
    UnitFactory(bureau=year.other_bureau, code="other_unit", name="另局处室")
    overseer = make_person(year.other_bureau, "overseer", "市督查员")
    grant = admin_roles.grant_city_oversight(actor=admins.security, city=c, person=overseer, reason="市纪委监委")
    pg = MeetingType.objects.get(bureau=year.bureau, code="PG")
    meeting = scheduling.schedule_meeting(actor=year.clerk, meeting_type=pg, place="第一会议室", title=f"会议{SECRET}",
                                          starts_at=timezone.localtime() + datetime.timedelta(days=2))
    agenda.propose_topic(actor=year.clerk, meeting=meeting, category=pg.categories.get(code="personnel"),
                         title=SECRET, summary=SECRET)
    year.city, year.overseer, year.grant = c, overseer, grant
    return year


def test_city_overseer_sees_every_bureau_side_by_side_with_the_compliance_figures(client, city):
    client.force_login(city.overseer)
    response = client.get(reverse("city") + "?year=2026")
    assert response.status_code == 200
    body = response.content.decode()
    assert city.bureau.name in body and city.other_bureau.name in body
    assert reverse("city_bureau", args=[city.bureau.pk]) in body
    rows = dict(response.context["rows"])
    today = timezone.localdate()
    _cols, own = compliance(bureau=city.bureau, year=2026, granularity="year", today=today)
    expected = {name: sum(getattr(r.total(), name) for r in own) for name in ("due", "missed", "minutes_on_time",
                                                                              "minutes_late", "actions_open")}
    assert {name: getattr(rows[city.bureau], name) for name in expected} == expected
    assert rows[city.bureau].missed >= 2 and rows[city.other_bureau].due == 0  # the other bureau tracks no cadence
    assert SECRET not in body  # R-CO-1


def test_r_co_1_city_drill_down_shows_figures_only(client, city):
    client.force_login(city.overseer)
    response = client.get(reverse("city_bureau", args=[city.bureau.pk]) + "?year=2026")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-unit="trade"' in body and "会 " in body
    assert SECRET not in body
    grid = body[body.index('data-testid="compliance"'):]
    assert "<a " not in grid.split("</table>")[0]  # no record behind a figure
    # The overseer does not gain the bureau's own screens.
    assert client.get(reverse("compliance") + "?bureau=" + city.bureau.code).status_code == 404
    assert client.get(reverse("meeting_list")).content.decode().count(SECRET) == 0


def test_city_view_needs_the_grant_and_ends_with_it(client, city, admins):
    for person in (city.supervisor, city.secretary, city.staff, city.outsider):
        client.force_login(person)
        assert client.get(reverse("city")).status_code == 403
        assert client.get(reverse("city_bureau", args=[city.bureau.pk])).status_code == 404
    admin_roles.revoke_city_oversight(actor=admins.security, grant=city.grant, reason="调离")
    client.force_login(city.overseer)
    assert client.get(reverse("city")).status_code == 403
    assert client.get(reverse("city_bureau", args=[city.bureau.pk])).status_code == 404
    # A bureau outside the city is not drilled into.
    client.logout()
    assert client.get(reverse("city")).status_code == 302  # login first


def test_city_oversight_is_granted_only_by_the_security_administrator_and_audited(city, admins):
    c = city.city
    with pytest.raises(TransitionRefused):
        admin_roles.grant_city_oversight(actor=city.supervisor, city=c, person=city.staff, reason="越权")
    with pytest.raises(TransitionRefused):
        admin_roles.grant_city_oversight(actor=admins.security, city=c, person=city.staff, reason="")
    with pytest.raises(TransitionRefused):
        admin_roles.grant_city_oversight(actor=admins.security, city=c, person=city.overseer, reason="再次")
    elsewhere = make_person(BureauFactory(code="far", name="外市某局"), "far", "外市人员")
    with pytest.raises(TransitionRefused):
        admin_roles.grant_city_oversight(actor=admins.security, city=c, person=elsewhere, reason="外市")
    assert AuditEvent.objects.filter(category="grant_change", action="grant",
                                     detail__right="city_oversight").count() == 1
    assert CityOversight.objects.filter(revoked_at__isnull=True).count() == 1


def test_security_screen_grants_and_revokes_city_oversight(client, city, admins):
    client.force_login(admins.security)
    body = client.get(reverse("security")).content.decode()
    assert 'data-testid="grant-city"' in body and city.city.name in body
    response = client.post(reverse("security_city_grant"), {"city": city.city.pk, "person": city.supervisor.pk,
                                                            "reason": "市政府督查室"})
    assert response.status_code == 302
    grant = CityOversight.objects.get(person=city.supervisor, revoked_at__isnull=True)
    client.post(reverse("security_city_revoke", args=[grant.pk]), {"reason": "任期届满"})
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == admins.security


def test_city_view_query_count_does_not_grow_with_bureaus(client, city):
    client.force_login(city.overseer)

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("city") + "?year=2026").status_code == 200
        return len(q)

    few = count()
    for i in range(3):
        bureau = BureauFactory(code=f"more{i}", name=f"扩展局{i}", city=city.city, cadence_since=datetime.date(2026, 1, 1))
        UnitFactory(bureau=bureau, code="u", name="某处")
    assert count() == few
    print(f"city view queries: {few} with 2 bureaus, 5 bureaus the same")


# --- a person holding posts in two bureaus works in both ------------------------------------------------

@pytest.fixture
def two_bureaus(presets):
    """The persona bureau's office head also heads a division of a second bureau (with its own types);
    a third bureau they hold no post in."""
    from governance.rules.presets import PRESETS
    from governance.services import load_presets

    b = BureauFactory(code="second", name="第二局", short_name="二局")
    division = UnitFactory(bureau=b, code="sec_div", name="二局某处")
    UnitFactory(bureau=b, code="sec_sup", name="二局监察室", kind="supervision_office")
    load_presets(bureau=b, presets=PRESETS)
    Appointment.objects.create(bureau=b, person=presets.supervisor, post=Post.UNIT_HEAD, unit=division,
                               start=datetime.date(2024, 1, 1))
    c = BureauFactory(code="third", name="第三局", short_name="三局")
    presets.second, presets.second_division, presets.third = b, division, c
    return presets


def test_a_person_with_posts_in_two_bureaus_sees_both_never_a_third(client, two_bureaus):
    p = two_bureaus
    client.force_login(p.supervisor)
    # Their own bureau first (they are its Supervision Office).
    assert client.get(reverse("compliance")).context["bureau"] == p.bureau
    # The second bureau's screens: they head a division there (not its Supervision Office: no compliance).
    assert client.get(reverse("compliance") + "?bureau=second").status_code == 403
    ledgers = client.get(reverse("ledgers") + "?bureau=second")
    assert ledgers.status_code == 200
    assert {u.code for u in ledgers.context["units"]} == {"sec_div", "sec_sup"}
    new = client.get(reverse("meeting_new"))  # remembered in the session
    assert new.status_code == 200
    types = list(new.context["types"])
    assert types and {t.bureau_id for t in types} == {p.second.pk} and {t.code for t in types} <= {"DA", "UW"}
    # The header offers both, never the third.
    body = new.content.decode()
    assert 'data-testid="bureau-switch"' in body and "第二局" in body and "第三局" not in body
    # Hostile: a bureau they hold no post in is a 404, never a 500, never its screens.
    for url in (reverse("compliance"), reverse("ledgers"), reverse("meeting_new"), reverse("meeting_list")):
        assert client.get(url + "?bureau=third").status_code == 404
        assert client.get(url + "?bureau=' OR 1=1 --").status_code == 404
    assert client.post(reverse("bureau_switch"), {"bureau": "third", "next": "/"}).status_code == 404
    # Switching back through the header.
    response = client.post(reverse("bureau_switch"), {"bureau": p.bureau.code, "next": reverse("compliance")})
    assert response.status_code == 302 and response["Location"] == reverse("compliance")
    assert client.get(reverse("compliance")).context["bureau"] == p.bureau
    assert client.post(reverse("bureau_switch"), {"bureau": "test", "next": "https://evil.example/"})["Location"] == "/"


def test_a_post_that_ended_no_longer_opens_the_bureau(client, two_bureaus):
    p = two_bureaus
    Appointment.objects.filter(bureau=p.second).update(end=datetime.date(2025, 1, 1))
    client.force_login(p.supervisor)
    assert client.get(reverse("ledgers") + "?bureau=second").status_code == 404
    body = client.get(reverse("ledgers")).content.decode()
    assert 'data-testid="bureau-switch"' not in body


def test_people_appointed_in_a_bureau_are_offered_by_its_scheduling_form(client, two_bureaus):
    p = two_bureaus
    client.force_login(p.supervisor)
    form = client.get(reverse("meeting_new") + "?bureau=second").context["form"]
    assert p.supervisor in form.fields["recorder"].queryset
    assert p.staff not in form.fields["recorder"].queryset
