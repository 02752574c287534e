"""Settings for several hosts (docs/scale-out.md): persistent, health-checked database connections on
PostgreSQL, and uploads on a private S3-compatible store whose files still reach people only through
the permission-checked views. Each case is a subprocess with its own environment."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
S3 = {"STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": "meetings-uploads", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
      "AWS_ACCESS_KEY_ID": "minio-key", "AWS_SECRET_ACCESS_KEY": "minio-secret", "AWS_S3_REGION_NAME": "us-east-1"}


def settings_of(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "STORAGE_", "CONN_", "DATABASE_"))}
    base.update({"DEV_INSECURE": "1", "VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "meetings_site.settings",
                 "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    base.update(env)
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s\n"
                           + code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def shown(result: subprocess.CompletedProcess):
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_persist_and_are_checked_before_reuse(tmp_path):
    code = "d = s.DATABASES['default']; print(repr((d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS'].get('connect_timeout'))))"
    pg = "postgres://meetings@127.0.0.1:5432/meetings"
    assert shown(settings_of(tmp_path, code, DATABASE_URL=pg)) == (60, True, 5)
    assert shown(settings_of(tmp_path, code, DATABASE_URL=pg, CONN_MAX_AGE="300"))[0] == 300
    assert shown(settings_of(tmp_path, code))[:2] == (0, True)  # SQLite: a file, nothing to keep open


def test_uploads_stay_on_the_local_disk_by_default(tmp_path):
    code = "from django.core.files.storage import storages; d = storages['default']; print(repr(type(d).__module__ + '.' + type(d).__name__))"
    assert shown(settings_of(tmp_path, code)) == "django.core.files.storage.filesystem.FileSystemStorage"


def test_s3_storage_is_private_and_its_urls_are_signed_and_short_lived(tmp_path):
    code = ("from django.core.files.storage import storages\nd = storages['default']\n"
            "u = d.url('materials/x.pdf')\n"
            "print(repr((type(d).__name__, d.bucket_name, d.endpoint_url, d.default_acl, d.querystring_auth,"
            " d.querystring_expire, d.file_overwrite, d.location, 'X-Amz-Signature=' in u, u.startswith('http://127.0.0.1:9000/meetings-uploads/media/'))))")
    assert shown(settings_of(tmp_path, code, **S3)) == (
        "S3Storage", "meetings-uploads", "http://127.0.0.1:9000", "private", True, 300, False, "media", True, True)


def test_an_unknown_storage_backend_is_refused(tmp_path):
    result = settings_of(tmp_path, "print(1)", STORAGE_BACKEND="ftp")
    assert result.returncode != 0 and "STORAGE_BACKEND must be local or s3" in result.stderr


def test_downloads_are_streamed_by_the_views_never_linked_to_the_store():
    """Materials, archive exports and packages go out through FileResponse(file.open()) behind the
    gates; nothing asks a stored file for its URL, so no bucket address ever reaches a page."""
    sources = [p for app in ("governance", "minutes", "audit") for p in (ROOT / app).rglob("*.py")
               if "migrations" not in p.parts]
    texts = {p: p.read_text(encoding="utf-8") for p in sources}
    assert not [str(p) for p, t in texts.items() if ".file.url" in t or "storage.url(" in t]
    streamed = sum(t.count("FileResponse(") for t in texts.values())
    assert streamed >= 3
    assert not [str(p) for p in (ROOT / "templates").rglob("*.html") if ".url }}" in p.read_text(encoding="utf-8")
                and "file.url" in p.read_text(encoding="utf-8")]
