"""三员分立 on PostgreSQL: three roles assigned to one person at the same moment, by three security
administrators; exactly one is given, the other two are refused with the separation rule (the service
locks the account's row; the partial unique index is the database's own guard behind it)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections, transaction

from governance.models import SEPARATION_REFUSAL, AdminRoleAssignment
from governance.rules.refusals import TransitionRefused
from governance.services import admin_roles
from tests.conftest import make_admin

pytestmark = pytest.mark.postgres
User = get_user_model()


def _at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes: list = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            outcomes.append(job())
        except BaseException as error:  # noqa: BLE001 - reported below
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_three_roles_assigned_at_once_to_one_person_give_exactly_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so it proves nothing here")
    actors = [make_admin(f"sec{i}", "security") for i in range(3)]
    target = User.objects.create_user("target", password="pw-2026-x")
    jobs = [lambda a=a, r=r: admin_roles.assign_role(actor=a, user=target, role=r, reason="并发")
            for a, r in zip(actors, ("system", "security", "audit"), strict=True)]
    outcomes = _at_once(jobs)
    given = [o for o in outcomes if isinstance(o, AdminRoleAssignment)]
    refused = [o for o in outcomes if isinstance(o, TransitionRefused)]
    assert len(given) == 1 and len(refused) == 2, outcomes
    assert {str(o) for o in refused} == {str(SEPARATION_REFUSAL)}
    assert AdminRoleAssignment.objects.filter(user=target, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_keeps_one_role_per_person_even_around_the_service():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so it proves nothing here")
    target = User.objects.create_user("target", password="pw-2026-x")

    def insert(role):
        with transaction.atomic():
            return AdminRoleAssignment.objects.create(user=target, role=role, reason="绕过服务")

    outcomes = _at_once([lambda r=r: insert(r) for r in ("system", "audit")])
    assert sum(isinstance(o, AdminRoleAssignment) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == 1, outcomes
