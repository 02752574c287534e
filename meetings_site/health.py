"""Health checks for the load balancer (docs/scale-out.md).

- `/healthz`, liveness: the process is up and answers. Touches nothing else (no database, no cache),
  so a database outage does not get every web process restarted.
- `/readyz`, readiness: this process can serve: a database query, the cache (a write read back), the
  Celery broker (a connection), and every migration applied. 503 while any of them fails, so the load
  balancer sends no traffic to a host that would answer errors.

Both are public (a load balancer has no session), answered before the rest of the middleware
(`HealthCheckMiddleware`, first in MIDDLEWARE): no host check (a balancer probes a backend by its
address), no https redirect (it probes in plain http), no session, cookie, query or audit row for a
probe. They say `no-store` and leak nothing: the body is the checks' names with ok/fail, never a
version, a host name or an error text (those go to the log). A readiness answer is reused for
HEALTH_READY_TTL seconds (default 1) so a burst of probes costs one round of checks per process.
"""

from __future__ import annotations

import logging
import os
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed

log = logging.getLogger(__name__)

_state = {"migrated": False, "ready_at": 0.0, "ready": None}


def check_database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    """Every migration on disk is applied. Reading the migration files is not cheap, so a process
    that has seen them all applied once does not read them again (its code cannot change under it)."""
    if _state["migrated"]:
        return
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations not applied")
    _state["migrated"] = True


def check_cache() -> None:
    from django.core.cache import cache

    key, token = f"health:readyz:{os.getpid()}", str(time.monotonic_ns())
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise RuntimeError("cache did not keep a value")


def check_broker() -> None:
    from meetings_site.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                     timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)


CHECKS = (("database", check_database), ("migrations", check_migrations), ("cache", check_cache),
          ("broker", check_broker))


def run_checks() -> tuple[bool, list[tuple[str, bool]]]:
    results = []
    for name, check in CHECKS:
        if name == "migrations" and results and not results[0][1]:
            results.append((name, False))  # no database, no way to know
            continue
        try:
            check()
            results.append((name, True))
        except Exception:  # any failure means not ready; the details go to the log only
            log.warning("readiness check %s failed", name, exc_info=True)
            results.append((name, False))
    return all(ok for _, ok in results), results


def _plain(request, text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse("" if request.method == "HEAD" else text, status=status,
                            content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    response["Pragma"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def liveness(request) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _plain(request, "ok\n")


def readiness(request) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    now = time.monotonic()
    if _state["ready"] is None or now - _state["ready_at"] >= settings.HEALTH_READY_TTL:
        _state["ready"], _state["ready_at"] = run_checks(), now
    ready, results = _state["ready"]
    body = "".join(f"{name} {'ok' if ok else 'fail'}\n" for name, ok in results)
    response = _plain(request, body, 200 if ready else 503)
    response._has_been_logged = True  # each failing check is logged above, once per TTL: not every probe again
    return response


class HealthCheckMiddleware:
    """Answers the two probes before any other middleware (first in MIDDLEWARE); every other request
    goes on as before. The same views are in the URLconf (`healthz`, `readyz`) for reverse()."""

    VIEWS = {"/healthz": liveness, "/readyz": readiness}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path_info)
        return view(request) if view is not None else self.get_response(request)
