"""Reads: who holds which post, which meeting types a bureau has (no writes here)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from governance.models import Appointment, Bureau, MeetingType, Person, Post, Unit, UnitKind

User = get_user_model()


def display_name(user) -> str:
    """The name a person is shown by: their Person name, else the account's own name (an administrator's
    account has no Person), else the user name; "" for nobody."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else (user.get_full_name() or user.get_username())


def post_holders(*, bureau: Bureau, post: str, on: datetime.date, unit: Unit | None = None) -> QuerySet:
    """Who holds `post` in `bureau` (and `unit`, for unit posts) on date `on`, in a stable order."""
    appointments = Appointment.objects.on(on).filter(bureau=bureau, post=post)
    if unit is not None:
        appointments = appointments.filter(unit=unit)
    return (
        User.objects.filter(pk__in=appointments.values("person_id"), is_active=True)
        .select_related("person")
        .order_by("person__name", "pk")
    )


def leader_in_charge(*, unit: Unit, on: datetime.date):
    """The bureau leader in charge of `unit` (分管领导) on date `on`, or None."""
    return post_holders(bureau=unit.bureau, post=Post.LEADER_IN_CHARGE, on=on, unit=unit).first()


def posts_of(*, user, on: datetime.date) -> list[Appointment]:
    """The appointments `user` holds on `on`, with their units."""
    return list(Appointment.objects.on(on).filter(person=user).select_related("unit", "bureau").order_by("post"))


def special_unit(*, bureau: Bureau, kind: str) -> Unit | None:
    """The bureau's General Office or Supervision Office."""
    return Unit.objects.filter(bureau=bureau, kind=kind, active=True).first()


def general_office(*, bureau: Bureau) -> Unit | None:
    return special_unit(bureau=bureau, kind=UnitKind.GENERAL_OFFICE)


# The session key remembering which of their bureaus a person's screens show.
BUREAU_SESSION_KEY = "governance.bureau"


def bureaus_for(user, on: datetime.date | None = None) -> QuerySet:
    """Bureaus whose records `user` works in: their own (Person.bureau) and every bureau they hold a
    post in on `on` (today); a superuser too: no shortcut to every bureau. A person holding posts in
    two bureaus works in both."""
    if not getattr(user, "is_authenticated", False):
        return Bureau.objects.none()
    on = on or timezone.localdate()
    posts = Appointment.objects.on(on).filter(person=user).values("bureau_id")
    home = Person.objects.filter(user=user).values("bureau_id")
    return (Bureau.objects.filter(Q(pk__in=home) | Q(pk__in=posts))
            .annotate(home=Exists(home.filter(bureau_id=OuterRef("pk")))).order_by("-home", "name"))


HEADER_KEY = "governance.header"  # the session key of `workplaces`
HEADER_SECONDS = 300


def workplaces(user) -> dict:
    """What the header offers `user` (kept in the session at login and for a few minutes after): the
    bureaus they work in, [id, code, name] each, and whether they oversee a city (two queries)."""
    import time

    from governance.models import CityOversight

    return {"user": user.pk, "at": int(time.time()), "bureaus": [[b.pk, b.code, b.name] for b in bureaus_for(user)],
            "city": CityOversight.objects.filter(person=user, revoked_at__isnull=True).exists()}


def current_posts(user) -> list[Appointment]:
    """The appointments `user` holds today, with their bureaus and units: one query, kept on the user
    object for the rest of the request (the screens ask who may see what several times)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    cached = getattr(user, "_current_posts", None)
    if cached is None or cached[0] != today:
        cached = user._current_posts = (today, list(
            Appointment.objects.on(today).filter(person=user).select_related("bureau", "unit")))
    return cached[1]


def bureaus_of(user) -> list[Bureau]:
    """`bureaus_for` as a list, from the person (their own bureau first) and their posts today: two
    queries, the person kept on the account for the page's header."""
    person = Person.objects.select_related("bureau").filter(user=user).first()
    if person is not None:
        user.person = person  # the header shows the name: no second read
    found = {person.bureau.pk: person.bureau} if person else {}
    for post in sorted(current_posts(user), key=lambda a: a.bureau.name):
        found.setdefault(post.bureau_id, post.bureau)
    return list(found.values())


def pick_bureau(*, user, wanted: str | None = None, remembered: int | None = None
                ) -> tuple[Bureau | None, list[Bureau]]:
    """The bureau a screen shows, of the bureaus `user` works in: the one `wanted` (its code), else the
    one `remembered` (its id, from the session), else their own, else the first. A `wanted` code that
    is not one of theirs gives (None, bureaus): never another bureau."""
    bureaus = bureaus_of(user) if getattr(user, "is_authenticated", False) else []
    if wanted:
        return next((b for b in bureaus if b.code == wanted), None), bureaus
    chosen = next((b for b in bureaus if b.pk == remembered), None) if remembered else None
    return chosen or (bureaus[0] if bureaus else None), bureaus


def people_of(*, bureau: Bureau, on: datetime.date | None = None) -> QuerySet:
    """Active accounts of the people of `bureau`: its own people and those holding a post in it on `on`."""
    on = on or timezone.localdate()
    return User.objects.filter(Q(person__bureau=bureau) | Q(
        pk__in=Appointment.objects.on(on).filter(bureau=bureau).values("person_id")), is_active=True)


def meeting_types_for(*, bureau: Bureau) -> QuerySet:
    """The bureau's active meeting types with their categories and clauses, in two extra queries."""
    return (
        MeetingType.objects.filter(bureau=bureau, active=True)
        .prefetch_related("categories", Prefetch("rule_sources"))
        .order_by("order", "code")
    )


STAFF_POSTS = (Post.UNIT_HEAD, Post.UNIT_DEPUTY_HEAD, Post.UNIT_STAFF)


def office_staff(*, bureau, kind: str, on: datetime.date) -> list:
    """The people who work in the bureau's General Office or Supervision Office on `on`: its head,
    deputies and staff (not the leader in charge of it, who supervises it from outside)."""
    ids = Appointment.objects.on(on).filter(bureau=bureau, unit__kind=kind, post__in=STAFF_POSTS).values("person_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))  # one query


def works_in(*, user, kinds: list[str], on: datetime.date, bureau=None) -> bool:
    """Does `user` work (head, deputy or staff) in a unit of one of `kinds` on `on`?"""
    if getattr(user, "request_scoped", False) and on == timezone.localdate():
        # The signed-in person of a request: their posts of today, read once for the page.
        return any(a.unit_id and a.unit.kind in kinds and a.post in STAFF_POSTS
                   and (bureau is None or a.bureau_id == bureau.pk) for a in current_posts(user))
    qs = Appointment.objects.on(on).filter(person=user, unit__kind__in=kinds, post__in=STAFF_POSTS)
    if bureau is not None:
        qs = qs.filter(bureau=bureau)
    return qs.exists()
