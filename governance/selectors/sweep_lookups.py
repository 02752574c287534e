"""What the deadline sources share during one sweep (R-CA-1, R-CA-2, R-MI-4, R-FU-1): the working-day
calendar, read once, and the people who hold posts on the day, read once per post for every bureau;
so a sweep costs the same handful of queries whatever the number of deadlines.

Each answer is the one the single-deadline helpers give (governance.selectors.roles.holders,
governance.selectors.org.office_staff, governance.selectors.followup.answerable_for and
coordinator_for), read in bulk."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from governance.models import Appointment, Post, Scope, Unit, UnitKind
from governance.models.org import is_unit_post
from governance.rules.refusals import TransitionRefused
from governance.selectors.due_dates import WorkdayCounter
from governance.selectors.org import STAFF_POSTS

# The calendar read at the start of a sweep: the sources' lookback (400 days) and what lies ahead;
# a deadline beyond it widens the window once (WorkdayCounter).
CALENDAR_BEHIND = datetime.timedelta(days=460)
CALENDAR_AHEAD = datetime.timedelta(days=400)
OFFICES = (UnitKind.GENERAL_OFFICE, UnitKind.SUPERVISION_OFFICE)


def _unique(people) -> tuple:
    return tuple({p.pk: p for p in people}.values())


class SweepLookups:
    """One sweep's shared reads, each made on first use and kept for the sweep."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.counter = WorkdayCounter()
        self.counter.calendar(today - CALENDAR_BEHIND, today + CALENDAR_AHEAD)
        self._offices: dict[tuple[int, str], tuple] | None = None
        self._posts: dict[str, tuple[dict, dict]] = {}
        self._units: dict[int, list[Unit]] | None = None

    # --- people ---------------------------------------------------------------------------------

    def office_staff(self, bureau_id: int, kind: str) -> tuple:
        """office_staff(): the General or Supervision Office's head, deputies and staff, by account id."""
        if self._offices is None:
            offices: dict[tuple[int, str], list] = {}
            for a in (Appointment.objects.on(self.today)
                      .filter(unit__kind__in=OFFICES, post__in=STAFF_POSTS, person__is_active=True)
                      .select_related("person", "unit").order_by("person_id")):
                offices.setdefault((a.bureau_id, a.unit.kind), []).append(a.person)
            self._offices = {key: _unique(found) for key, found in offices.items()}
        return self._offices.get((bureau_id, kind), ())

    def holders(self, *, bureau_id: int, post: str, unit_id: int | None, scope: str) -> tuple:
        """holders(): who holds `post` on the day, in the unit for a unit post of a per-unit type,
        else anywhere in the bureau; by name, then account id."""
        if post not in self._posts:
            by_bureau: dict[int, list] = {}
            by_unit: dict[tuple[int, int | None], list] = {}
            for a in (Appointment.objects.on(self.today).filter(post=post, person__is_active=True)
                      .select_related("person__person").order_by("person__person__name", "person_id")):
                by_bureau.setdefault(a.bureau_id, []).append(a.person)
                by_unit.setdefault((a.bureau_id, a.unit_id), []).append(a.person)
            self._posts[post] = ({k: _unique(v) for k, v in by_bureau.items()},
                                 {k: _unique(v) for k, v in by_unit.items()})
        by_bureau, by_unit = self._posts[post]
        if is_unit_post(post) and scope == Scope.UNIT:
            return by_unit.get((bureau_id, unit_id), ())
        return by_bureau.get(bureau_id, ())

    def unit_heads(self, unit: Unit) -> tuple:
        return self.holders(bureau_id=unit.bureau_id, post=Post.UNIT_HEAD, unit_id=unit.pk, scope=Scope.UNIT)

    def answerable_for(self, unit: Unit) -> tuple:
        """answerable_for(): every officer of the General or Supervision Office, the head of any other unit."""
        if unit.kind in OFFICES:
            return self.office_staff(unit.bureau_id, unit.kind)
        return self.unit_heads(unit)

    # --- units ----------------------------------------------------------------------------------

    def units(self, bureau_id: int) -> list[Unit]:
        """The bureau's active units, in their order."""
        if self._units is None:
            self._units = {}
            for unit in Unit.objects.filter(active=True):
                self._units.setdefault(unit.bureau_id, []).append(unit)
        return self._units.get(bureau_id, [])

    def coordinator_for(self, meeting) -> Unit:
        """coordinator_for(): a division follows up its own decisions, the General Office the bureau's
        (the meeting's type and unit selected)."""
        if meeting.meeting_type.scope == Scope.UNIT and meeting.unit_id:
            return meeting.unit
        office = next((u for u in self.units(meeting.bureau_id) if u.kind == UnitKind.GENERAL_OFFICE), None)
        if office is None:
            raise TransitionRefused(_("本局没有办公室，无法指定督办协调单位。"))
        return office
