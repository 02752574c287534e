"""The load balancer's probes (meetings_site/health.py): `/healthz` says the process is up and touches
nothing; `/readyz` says 503 while the database, the migrations, the cache or the broker fails. Both are
public, answered before the host check and the https redirect, not stored, and leak nothing."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from meetings_site import health
from meetings_site.celery import app as celery_app

LINE = re.compile(r"^(database|migrations|cache|broker) (ok|fail)$")


@pytest.fixture(autouse=True)
def fresh_state():
    """Every test asks afresh: no answer reused, the migrations looked at again."""
    health._state.update(migrated=False, ready=None, ready_at=0.0)
    with override_settings(HEALTH_READY_TTL=0):
        yield
    health._state.update(migrated=False, ready=None, ready_at=0.0)


def _checks(response) -> dict[str, str]:
    lines = response.content.decode().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines  # names and ok/fail, nothing else
    return dict(line.split(" ") for line in lines)


def assert_probe_headers(response) -> None:
    assert response["Content-Type"].startswith("text/plain")
    assert {p.strip() for p in response["Cache-Control"].split(",")} >= {"no-store", "private"}
    assert response["Pragma"] == "no-cache"
    assert not response.cookies
    assert "Server" not in response and "X-Powered-By" not in response


def test_liveness_answers_without_touching_the_database():
    """No django_db mark: any database access here would raise."""
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert_probe_headers(response)


@pytest.mark.django_db
def test_liveness_stays_up_while_the_database_is_down():
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("down")):
        assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readiness_is_200_when_everything_answers():
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert _checks(response) == {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "ok"}
    assert_probe_headers(response)


@pytest.mark.django_db
def test_readiness_is_503_when_the_database_is_unreachable():
    secret = "db.internal.example:5432 password authentication failed"
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError(secret)):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert _checks(response) == {"database": "fail", "migrations": "fail", "cache": "ok", "broker": "ok"}
    assert b"db.internal" not in response.content and b"password" not in response.content


@pytest.mark.django_db
def test_readiness_is_503_when_the_broker_is_unreachable():
    """A real connection refused: a Redis broker on a port nobody listens on."""
    saved = celery_app.conf.broker_write_url
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = Client().get("/readyz")
    finally:
        celery_app.conf.broker_write_url = saved
    assert response.status_code == 503
    assert _checks(response) == {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "fail"}
    assert b"127.0.0.1" not in response.content


@pytest.mark.django_db
def test_readiness_is_503_when_the_cache_is_unreachable():
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    with override_settings(CACHES=caches):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert _checks(response)["cache"] == "fail"


@pytest.mark.django_db
def test_readiness_is_503_while_a_migration_is_not_applied():
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[("x", False)]):
        response = Client().get("/readyz")
    assert response.status_code == 503 and _checks(response)["migrations"] == "fail"
    assert health._state["migrated"] is False
    assert Client().get("/readyz").status_code == 200  # applied now: ready, and remembered
    assert health._state["migrated"] is True


@pytest.mark.django_db
def test_a_burst_of_probes_runs_the_checks_once_per_ttl():
    with override_settings(HEALTH_READY_TTL=60), mock.patch.object(health, "run_checks", wraps=health.run_checks) as run:
        for _ in range(5):
            assert Client().get("/readyz").status_code == 200
    assert run.call_count == 1


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["meetings.example.gov.cn"])
@pytest.mark.django_db
def test_probes_are_answered_in_plain_http_by_address_and_anonymously():
    """A balancer probes a backend by its address over http: no redirect to https, no 400 for the host."""
    client = Client()
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, (path, response.status_code)
        assert client.head(path, HTTP_HOST="10.0.0.7:8000").content == b""
    # Everything else still gets the host check and the redirect.
    assert client.get("/", HTTP_HOST="meetings.example.gov.cn").status_code == 301
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db
def test_probes_take_no_writes():
    for path in ("/healthz", "/readyz"):
        assert Client().post(path).status_code == 405


@pytest.mark.django_db
def test_a_signed_in_person_gets_the_same_answer(presets):
    client = Client()
    client.force_login(presets.clerk)
    response = client.get("/readyz")
    assert response.status_code == 200 and _checks(response)["database"] == "ok"
    assert_probe_headers(response)
