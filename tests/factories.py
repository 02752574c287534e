"""Factories for the organisation, in one place (docs/architecture.md, Tests)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from governance.models import Appointment, Bureau, Person, Unit, UnitKind

START = datetime.date(2024, 1, 1)


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"bureau{n}")
    name = factory.Sequence(lambda n: f"第{n}测试局")
    short_name = "测试局"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    bureau = factory.SubFactory(BureauFactory)
    code = factory.Sequence(lambda n: f"unit{n}")
    name = factory.Sequence(lambda n: f"第{n}处")
    short_name = factory.LazyAttribute(lambda o: o.name)
    kind = UnitKind.DIVISION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-for-tests-2026")


def make_person(bureau: Bureau, username: str, name: str, *posts, unit: Unit | None = None,
                start: datetime.date = START, end: datetime.date | None = None):
    """A user with a Person profile holding `posts` (in `unit` for unit posts) from `start`."""
    user = UserFactory(username=username)
    Person.objects.update_or_create(user=user, defaults={"bureau": bureau, "name": name})
    from governance.models import is_unit_post

    for post in posts:
        Appointment.objects.create(bureau=bureau, person=user, post=post, start=start, end=end,
                                   unit=unit if is_unit_post(post) else None)
    return user
