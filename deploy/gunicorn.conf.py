"""gunicorn for the meeting-governance site: `gunicorn -c deploy/gunicorn.conf.py meetings_site.wsgi`.

Every value can be set from the environment (the systemd unit's EnvironmentFile, docs/scale-out.md).
The site runs behind nginx, which terminates TLS: gunicorn listens on the private network only.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Where nginx reaches this host: a private address (or 127.0.0.1 when nginx runs on the same host).
bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]

# Sync workers, (2 x cores) + 1 by default: every page is short and bound by PostgreSQL, and a sync
# worker holds one persistent database connection (CONN_MAX_AGE). Count the connections:
# hosts x workers (+ Celery's) must stay under PostgreSQL's max_connections.
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 1)  # >1 switches sync to gthread; keep CONN_MAX_AGE in mind

# A request that takes longer than this is killed and logged: pages take milliseconds, the largest
# synchronous answers (a year's ledger export, a minutes .docx) a few seconds; archives are built by
# Celery. nginx's proxy_read_timeout is a little longer, so gunicorn's error is the one logged.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # systemd's TimeoutStopSec is longer
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # nginx keeps upstream connections open (keepalive in the upstream)

# A worker is replaced after this many requests (with jitter, so not all at once): bounds any leak.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# The request line and headers: gunicorn's defaults. Bodies are limited by nginx's
# client_max_body_size and the site's REQUEST_MAX_BYTES (RequestSizeMiddleware), kept equal.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Forwarded headers. nginx overwrites X-Forwarded-Proto on every request and appends the client to
# X-Forwarded-For. Django decides https from SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https and the
# client's address from X-Forwarded-For with AUDIT_TRUSTED_PROXY_COUNT=1 (meetings_site/settings.py);
# gunicorn trusts the same header only from the nginx hosts, so wsgi.url_scheme agrees with Django.
# REMOTE_ADDR stays nginx's address (gunicorn does not rewrite it), which is what the site expects.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logs to stdout/stderr, collected by journald. The access log names the client as X-Forwarded-For
# says and the time taken in microseconds; no query string (search words may be confidential).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)sus "%(a)s"'

# Each worker imports the application itself (no preload): no database connection or Redis socket is
# ever shared across a fork, and `systemctl reload` (HUP) picks up new code worker by worker.
preload_app = False
proc_name = "meetings-web"
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)
