"""On PostgreSQL the table itself refuses UPDATE and DELETE (a django-pgtrigger trigger), so raw SQL
through the application's connection cannot rewrite the trail either."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.services import record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): the trigger exists only there")


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_raw_update_and_delete_are_refused_by_the_database(on_postgres, sql):
    event = record(actor=None, category="login_failed", action="login", outcome="failure", actor_name="x")
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_inserting_still_works_and_the_address_is_searchable(on_postgres):
    from audit.selectors import EventFilter, search

    record(actor=None, category="login_failed", action="login", outcome="failure",
           request=_request("198.51.100.23"))
    record(actor=None, category="login_failed", action="login", outcome="failure", request=_request("2001:db8::1"))
    assert search(EventFilter(address="198.51.100.")).count() == 1
    assert search(EventFilter(address="198.51.100.23")).count() == 1
    assert search(EventFilter(address="2001:db8::1")).count() == 1


def _request(address):
    from django.test import RequestFactory

    return RequestFactory().get("/", REMOTE_ADDR=address)
