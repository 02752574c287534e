"""Who holds post X in bureau B (unit U) on date D, including the leader in charge of a unit (docs/architecture.md, Organisation)."""

import datetime

from governance.models import Appointment, Post
from governance.selectors import org as org_selectors
from tests.factories import make_person

D = datetime.date


def test_post_holders_on_a_date(org):
    holders = org_selectors.post_holders(bureau=org.bureau, post=Post.DEPUTY_DIRECTOR, on=D(2026, 5, 1))
    assert {u.username for u in holders} == {"deputy", "deputy2"}


def test_a_post_held_several_at_once(org):
    assert list(org_selectors.post_holders(bureau=org.bureau, post=Post.DIRECTOR, on=D(2026, 5, 1))) == [org.secretary]
    assert org.secretary in org_selectors.post_holders(bureau=org.bureau, post=Post.PARTY_SECRETARY, on=D(2026, 5, 1))


def test_appointments_respect_start_and_end_dates(org):
    Appointment.objects.filter(person=org.head).update(end=D(2026, 6, 30))
    newcomer = make_person(org.bureau, "newhead", "新处长", Post.UNIT_HEAD, unit=org.trade, start=D(2026, 7, 1))
    on = lambda day: list(org_selectors.post_holders(bureau=org.bureau, post=Post.UNIT_HEAD, unit=org.trade, on=day))  # noqa: E731
    assert on(D(2026, 6, 30)) == [org.head]
    assert on(D(2026, 7, 1)) == [newcomer]
    assert on(D(2023, 12, 31)) == []


def test_leader_in_charge_of_a_unit(org):
    assert org_selectors.leader_in_charge(unit=org.trade, on=D(2026, 5, 1)) == org.deputy
    assert org_selectors.leader_in_charge(unit=org.invest, on=D(2026, 5, 1)) == org.deputy2
    assert org_selectors.leader_in_charge(unit=org.office, on=D(2026, 5, 1)) is None


def test_holders_are_scoped_to_the_bureau(org):
    assert not org_selectors.post_holders(bureau=org.other_bureau, post=Post.DIRECTOR, on=D(2026, 5, 1)).exists()


def test_inactive_accounts_hold_no_post(org):
    org.deputy2.is_active = False
    org.deputy2.save()
    holders = org_selectors.post_holders(bureau=org.bureau, post=Post.DEPUTY_DIRECTOR, on=D(2026, 5, 1))
    assert list(holders) == [org.deputy]


def test_office_staff_excludes_the_leader_in_charge_of_the_office(org):
    """The deputy who supervises the Supervision Office does not work in it (nor records, nor reviews)."""
    from governance.models import UnitKind

    Appointment.objects.create(bureau=org.bureau, person=org.deputy, post=Post.LEADER_IN_CHARGE, unit=org.supervision,
                               start=D(2024, 1, 1))
    staff = org_selectors.office_staff(bureau=org.bureau, kind=UnitKind.SUPERVISION_OFFICE, on=D(2026, 5, 1))
    assert staff == [org.supervisor]
    assert not org_selectors.works_in(user=org.deputy, kinds=[UnitKind.SUPERVISION_OFFICE], on=D(2026, 5, 1))
