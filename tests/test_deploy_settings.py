"""Deployment settings: production (DEBUG off) passes `check --deploy --fail-level WARNING`, and refuses
to serve with a missing, default or short SECRET_KEY; a developer's machine over http keeps working.

The production runs are subprocesses with a production environment: the test suite itself runs as a
developer's machine (DEV_INSECURE, meetings_site/settings.py)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from governance.checks import secret_key_problem, secret_key_usable

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(64)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEV_INSECURE", "DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                        "SECURE_PROXY_SSL_HEADER", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE",
                        # set by the browser tests for the live server; never in a deployment
                        "DJANGO_ALLOW_ASYNC_UNSAFE", "AUDIT_TRUSTED_PROXY_COUNT"}}
    env.update({"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "meetings.example.gov.cn",
                "VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https", "AUDIT_TRUSTED_PROXY_COUNT": "1"})
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    shown = run(["-c", "import django; django.setup(); from django.conf import settings as s; print(repr((s.DEBUG, "
                 "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
                 "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)))"],
                {**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "meetings_site.settings"})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == repr((False, True, True, True, 31536000, True, ("HTTP_X_FORWARDED_PROTO", "https")))


@pytest.mark.parametrize("key", [None, "dev-only-insecure-key-change-me-in-production-0123456789", "short-key-123"],
                         ids=["missing", "default", "short"])
def test_production_refuses_a_missing_default_or_short_secret_key(tmp_path, key):
    env = production_env(tmp_path, SECRET_KEY=key)
    check = run(["manage.py", "check"], env)
    assert check.returncode != 0 and "meetings.E001" in check.stderr, check.stdout + check.stderr
    wsgi = run(["-c", "import meetings_site.wsgi"], env)
    assert wsgi.returncode != 0 and "ImproperlyConfigured" in wsgi.stderr and "meetings.E001" in wsgi.stderr


def test_runserver_refuses_to_start_with_the_default_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None)
    result = run(["manage.py", "runserver", "--noreload", "127.0.0.1:0"], env, timeout=60)
    assert result.returncode != 0 and "meetings.E001" in result.stderr, result.stdout + result.stderr


def test_a_developer_machine_over_http_runs_with_the_development_key(tmp_path):
    """What `make run` does (scripts/run.sh sets DEV_INSECURE=1): no key, plain http, no secure cookies."""
    env = production_env(tmp_path, SECRET_KEY=None, SECURE_PROXY_SSL_HEADER=None, DEV_INSECURE="1")
    assert run(["manage.py", "check"], env).returncode == 0
    assert run(["-c", "import meetings_site.wsgi"], {**env, "DJANGO_SETTINGS_MODULE": "meetings_site.settings"}).returncode == 0


@pytest.mark.parametrize(("debug", "insecure", "key", "refused"), [
    (False, False, "dev-only-insecure-key-change-me-in-production-0123456789", True),
    (False, False, "", True),
    (False, False, "x" * 45 + "yzab", True),  # 49 characters
    (False, False, "django-insecure-" + "x" * 50, True),
    (False, False, "ab" * 40, True),  # too simple
    (False, False, GOOD_KEY, False),
    (True, False, "dev-only-insecure-key-change-me-in-production-0123456789", False),
    (False, True, "dev-only-insecure-key-change-me-in-production-0123456789", False),
], ids=["default", "empty", "49-characters", "django-insecure", "too-simple", "good", "debug", "dev-insecure"])
def test_the_secret_key_check(debug, insecure, key, refused):
    with override_settings(DEBUG=debug, DEV_INSECURE=insecure, SECRET_KEY=key):
        assert (secret_key_problem() is not None) is refused
        errors = secret_key_usable()
        assert [e.id for e in errors] == (["meetings.E001"] if refused else [])
        assert all(e.is_serious() for e in errors)


def test_the_run_script_declares_a_developer_machine():
    assert 'export DEV_INSECURE="${DEV_INSECURE:-1}"' in (ROOT / "scripts/run.sh").read_text()
