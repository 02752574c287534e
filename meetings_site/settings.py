"""Settings for the meeting-governance site, read from the environment.

Every value has an embedded default so that `make run` works on a fresh machine with SQLite and a
Celery transport that needs no server; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
)

# The embedded default key is for a developer's machine only; a deployment sets SECRET_KEY. With DEBUG
# off, a missing, default or short key is a system check error (meetings.E001, governance/checks.py):
# `manage.py check` and runserver stop, and the WSGI/ASGI application refuses to load.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default="") or DEVELOPMENT_SECRET_KEY
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Production is DEBUG off, served over HTTPS. A developer's machine speaking plain http on 127.0.0.1
# says so with DEV_INSECURE=1 (scripts/run.sh, i.e. `make run`, sets it; so does the test suite, whose
# client and live server speak http): then the cookies are not marked Secure, nothing is redirected to
# https, no HSTS is sent, and the development key is accepted. Never set it on a server.
DEV_INSECURE = env.bool("DEV_INSECURE", default="pytest" in sys.modules)
HTTPS_ONLY = not DEBUG and not DEV_INSECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
LANGUAGE_COOKIE_SECURE = HTTPS_ONLY
# HSTS: a year by default (what browsers' preload lists ask for); a first deployment may start lower.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# An intranet host is never submitted to the browsers' preload list, so "preload" is opt-in, and the
# deploy check that asks for it (security.W021) is silenced while it is off.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a reverse proxy that terminates TLS: the header it sets and the value that means https, e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https. Set it only if the proxy always sets (or strips)
# that header: a client could otherwise claim https itself.
_proxy_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_header:
    _name, _value = (_proxy_header + [""])[:2]
    _name = _name.strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (_name if _name.startswith("HTTP_") else f"HTTP_{_name}", _value.strip() or "https")

INSTALLED_APPS = [
    "meetings_site.admin_site.GovernedAdminConfig",  # django.contrib.admin, entered by role (三员分立)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "csp",
    "pgtrigger",
    "audit",
    "governance",
    "minutes",
    "demo",
]

MIDDLEWARE = [
    # The load balancer's /healthz and /readyz, answered before anything else (meetings_site/health.py).
    "meetings_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Too large a body is refused from its Content-Length, before anything reads it.
    "meetings_site.middleware.RequestSizeMiddleware",
    # The input boundary: control characters out of every GET and POST value, before anything reads one.
    "meetings_site.middleware.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meetings_site.middleware.SessionTouchMiddleware",
    "meetings_site.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request in a context variable, for the audit trail's address and client (after auth: the user).
    "audit.middleware.AuditContextMiddleware",
    "meetings_site.middleware.AdministratorWorkspaceMiddleware",
    # Nothing a signed-in person was shown is kept by a browser or proxy cache.
    "meetings_site.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meetings_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.inbox",
                "governance.context_processors.workplaces",
                "audit.context_processors.audit_screen",
            ],
        },
    },
]

WSGI_APPLICATION = "meetings_site.wsgi.application"
ASGI_APPLICATION = "meetings_site.asgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file: wait for a lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a web or worker process keeps its PostgreSQL connection for CONN_MAX_AGE
# seconds instead of opening one per request (docs/scale-out.md), checked before reuse so a connection
# the server dropped is replaced, not served an error. SQLite opens its file in no time: 0 there.
_on_postgres = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if _on_postgres else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _on_postgres:
    # An unreachable server fails a request (and /readyz) in seconds, not after the OS's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "governance.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# 等保 2.0 三级, 身份鉴别: composition and history (governance/services/passwords.py; limits below).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "governance.services.passwords.ComplexityValidator"},
    {"NAME": "governance.services.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Locking out after repeated failures (axes, 等保 2.0 三级 登录失败处理): 5 failures lock for 30 minutes,
# counted per user name and, separately, per address (one address trying many accounts is locked too).
# The admin's login goes through the same authenticate(), so it is covered. The page says until when.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "governance.views.accounts.lockout_response"
# Behind reverse proxies the address is the audit trail's (AUDIT_TRUSTED_PROXY_COUNT, below): otherwise
# every failure would count against the proxy's address and one attacker would lock everybody out.
AXES_CLIENT_IP_CALLABLE = "audit.services.context.client_address"

# The audit trail (等保 2.0 三级 安全审计). Records are kept at least this many days (a system check
# refuses less than 180); nothing in the application deletes them: archiving older rows is an
# operator's database job (README, Audit trail). The client address is REMOTE_ADDR unless the site
# sits behind this many trusted reverse proxies, each appending to X-Forwarded-For.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
AUDIT_TRUSTED_PROXY_COUNT = env.int("AUDIT_TRUSTED_PROXY_COUNT", default=0)

# Chinese is the default language; English can be chosen.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded materials live outside every static folder and are served only through permission checks.
MEDIA_ROOT = VAR_DIR / "media"
# Several web and worker hosts share the uploads through an S3-compatible store (MinIO, Ceph RGW ...):
# STORAGE_BACKEND=s3 (docs/scale-out.md). The bucket stays private: every download still goes through
# the permission-checked views, which stream the file from the store; a URL, were one ever asked for,
# is signed and expires in five minutes. No MEDIA_URL is served by anything.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "location": env.str("AWS_LOCATION", default="media"),
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),  # MinIO: path-style
        "signature_version": "s3v4",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "no-store, private"},
    }}
elif STORAGE_BACKEND != "local":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, not {STORAGE_BACKEND!r}")

# All assets are served from this site: a government intranet has no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Mail: console by default, SMTP when EMAIL_URL is set (e.g. smtp://user:pass@host:587).
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="meetings@localhost")

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which (unlike
# memory://) is shared by the web, worker and beat processes without any server.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://localhost//"
    for sub in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

GUARDIAN_RAISE_403 = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Written materials: the size cap, checked before a file is kept (R-AG-4).
MATERIAL_MAX_BYTES = env.int("MATERIAL_MAX_BYTES", default=20 * 1024 * 1024)
# A whole request: the largest material and 1 MB for the other fields (RequestSizeMiddleware, 413).
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=MATERIAL_MAX_BYTES + 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Deadlines (R-CA-2): reminders open this many working days before a due date; the cadence reminder
# (R-CA-1) this many calendar days before a period ends.
DEADLINE_REMIND_WORKDAYS = env.int("DEADLINE_REMIND_WORKDAYS", default=1)
CADENCE_REMIND_DAYS = env.int("CADENCE_REMIND_DAYS", default=5)
# R-FU-1, R-FU-3: working days after a meeting within which a passed decision of a followed-up type
# becomes an action (the seed says 及时; ours, as SPEC names no number).
DECISION_ASSIGN_WORKDAYS = env.int("DECISION_ASSIGN_WORKDAYS", default=5)
# Channels a notification goes out on besides the in-app inbox (dotted paths to Channel classes).
NOTIFICATION_CHANNELS = env.list("NOTIFICATION_CHANNELS", default=["governance.channels.EmailChannel"])
# With the broker down, publishing fails fast instead of holding a page: the sweep resends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# How often beat runs the deadline sweep, and a pause between sends used only by the worker-kill test.
SWEEP_INTERVAL_SECONDS = env.int("SWEEP_INTERVAL_SECONDS", default=60)
SWEEP_DISPATCH_PAUSE = env.float("SWEEP_DISPATCH_PAUSE", default=0.0)
# /readyz reuses its answer this many seconds in each process (meetings_site/health.py).
HEALTH_READY_TTL = env.float("HEALTH_READY_TTL", default=1.0)


# ---------------------------------------------------------------------------------------------------
# Accounts: passwords, sessions, second factor (等保 2.0 三级, 身份鉴别). Kept in this one block.
# ---------------------------------------------------------------------------------------------------
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
# After the audit context (its receivers see the request): django-otp's is_verified(), then the gate
# (absolute lifetime, TOTP, forced password change) before the administrators' workspaces.
MIDDLEWARE.insert(MIDDLEWARE.index("audit.middleware.AuditContextMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
                  "meetings_site.middleware.AccountSecurityMiddleware")
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_MIN_KINDS = env.int("PASSWORD_MIN_KINDS", default=3)  # of upper, lower, digits, symbols
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# Idle timeout: the session expires 30 minutes after the last request (saved on every request); the
# page warns SESSION_WARNING_SECONDS before. Absolute lifetime: 12 hours after the login, whatever.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# The idle timeout is renewed by a request at most once a SESSION_TOUCH_SECONDS (SessionTouchMiddleware),
# not by a write on every request: a page costs no session UPDATE, and the timeout is exact to a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_WARNING_SECONDS = 120
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
# TOTP: required for the three administrators, a superuser and the Django admin; for everyone with this.
OTP_REQUIRED_FOR_ALL = env.bool("OTP_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="会议治理系统")
# Rate limits (django-ratelimit), per account (per address for the login), answered 429 in Chinese.
# The counters live in the cache: Redis when REDIS_URL is set (shared by every web process), otherwise
# each process's memory (a developer's machine).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
          if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MIDDLEWARE.append("django_ratelimit.middleware.RatelimitMiddleware")
RATELIMIT_VIEW = "governance.views.limits.ratelimited"
RATELIMIT_IP_META_KEY = "audit.services.context.client_address"  # the same address as axes and the trail
RATE_LIMITS = {"login": "20/m", "search": "60/m", "upload": "30/h", "propose_topic": "30/h", "raise_query": "30/h"}
# Materials per topic: how many files, and how many bytes in all (each file: MATERIAL_MAX_BYTES).
MATERIALS_PER_TOPIC_MAX = env.int("MATERIALS_PER_TOPIC_MAX", default=20)
MATERIALS_PER_TOPIC_MAX_BYTES = env.int("MATERIALS_PER_TOPIC_MAX_BYTES", default=100 * 1024 * 1024)
