"""The scale-out files in deploy/ (docs/scale-out.md) are valid and agree with the settings: nginx's
configuration passes `nginx -t`, the systemd units pass `systemd-analyze verify`, Redis starts with its
configuration (appendonly, noeviction), gunicorn's configuration loads with (2 x cores) + 1 workers,
and the limits on both sides of the proxy are the same. Each tool's test skips where it is missing."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = (DEPLOY / "nginx/meetings.conf").read_text()
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def gunicorn_config(**env: str) -> dict:
    saved = dict(os.environ)
    try:
        for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY", "GUNICORN_BIND"):
            os.environ.pop(name, None)
        os.environ.update(env)
        return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_gunicorn_runs_two_workers_a_core_plus_one_unless_told():
    assert gunicorn_config()["workers"] == 2 * os.cpu_count() + 1
    assert gunicorn_config(GUNICORN_WORKERS="3")["workers"] == 3
    assert gunicorn_config(WEB_CONCURRENCY="4")["workers"] == 4
    assert gunicorn_config(GUNICORN_BIND="10.0.1.11:8000")["bind"] == ["10.0.1.11:8000"]


def test_gunicorn_trusts_the_same_header_as_django_and_times_out_before_nginx():
    config = gunicorn_config()
    assert config["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}
    # The header the README and the settings name (SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https),
    # which nginx overwrites on every request.
    assert "SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https" in (ROOT / "docs/scale-out.md").read_text()
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", NGINX).group(1))
    assert config["timeout"] < read_timeout
    assert config["preload_app"] is False  # no database connection shared across a fork


@pytest.mark.skipif(shutil.which("gunicorn", path=str(ROOT / ".venv/bin")) is None and shutil.which("gunicorn") is None,
                    reason="gunicorn is not installed")
def test_gunicorn_accepts_the_configuration():
    gunicorn = shutil.which("gunicorn", path=str(ROOT / ".venv/bin")) or shutil.which("gunicorn")
    result = subprocess.run([gunicorn, "-c", str(DEPLOY / "gunicorn.conf.py"), "--check-config", "meetings_site.wsgi"],
                            cwd=ROOT, env={**os.environ, "DEV_INSECURE": "1"}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nginx_body_limit_is_the_sites_request_limit():
    size = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert size and int(size.group(1)) * 1024 * 1024 == settings.REQUEST_MAX_BYTES


def test_nginx_sets_the_forwarded_headers_on_every_proxied_location():
    locations = re.findall(r"location ([^{]+)\{(.*?)\n    \}", NGINX, re.S)
    proxied = [(where.strip(), body) for where, body in locations if "proxy_pass" in body]
    assert len(proxied) >= 4, proxied
    for where, body in proxied:
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in body, where
        assert "proxy_set_header Host $host;" in body, where
    main = dict(proxied)["/"]
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in main
    assert "proxy_cache " not in NGINX and "non_idempotent" not in main.split("#")[0]
    assert "location /media/" in NGINX and "return 404;" in NGINX  # uploads only through the views


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (the test makes a throwaway certificate)")
    crt, key = tmp_path / "site.crt", tmp_path / "site.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", str(key), "-out", str(crt)], check=True, capture_output=True, timeout=60)
    site = re.sub(r"ssl_certificate +\S+;", f"ssl_certificate {crt};", NGINX)
    site = re.sub(r"ssl_certificate_key +\S+;", f"ssl_certificate_key {key};", site)
    (tmp_path / "meetings.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    {mime}
    access_log {tmp_path}/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/meetings.conf;
}}
""")
    result = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "warn" not in result.stderr, result.stderr


def test_there_are_units_for_web_worker_and_one_beat():
    names = {unit.name for unit in UNITS}
    assert names == {"meetings-web.service", "meetings-worker.service", "meetings-beat.service"}
    beat = (DEPLOY / "systemd/meetings-beat.service").read_text()
    assert "ConditionPathExists=/etc/meetings/beat-host" in beat and "--pidfile=/run/meetings-beat/" in beat
    assert "RuntimeDirectory=meetings-beat" in beat  # the pidfile never outlives the service
    assert "--hostname=worker@%H" in (DEPLOY / "systemd/meetings-worker.service").read_text()
    web = (DEPLOY / "systemd/meetings-web.service").read_text()
    assert "deploy/gunicorn.conf.py" in web and "migrate" not in web.split("[Service]")[1]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path):
    """The units as installed with the code in /srv/meetings: here the repository stands in for it."""
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/meetings", str(ROOT)))
    if not (ROOT / ".venv/bin/gunicorn").exists():
        pytest.skip("gunicorn is not installed in .venv")
    result = subprocess.run(["systemd-analyze", "verify", *[str(tmp_path / u.name) for u in UNITS]],
                            capture_output=True, text=True, timeout=120)
    output = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                       if "/etc/meetings/env" not in line)  # the environment file is the host's, not ours
    assert result.returncode == 0 and not output.strip(), output


@pytest.mark.skipif(shutil.which("redis-server") is None or shutil.which("redis-cli") is None,
                    reason="redis-server is not installed")
def test_redis_starts_with_its_configuration(tmp_path):
    sock = tmp_path / "redis.sock"
    subprocess.run(["redis-server", str(DEPLOY / "redis/redis.conf"), "--port", "0", "--unixsocket", str(sock),
                    "--dir", str(tmp_path), "--daemonize", "yes", "--pidfile", str(tmp_path / "redis.pid"),
                    "--logfile", str(tmp_path / "redis.log")], check=True, timeout=30)
    try:
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.05)

        def get(name: str) -> str:
            out = subprocess.run(["redis-cli", "-s", str(sock), "config", "get", name], capture_output=True,
                                 text=True, timeout=10, check=True).stdout.split()
            return out[1] if len(out) > 1 else ""

        assert get("appendonly") == "yes" and get("appendfsync") == "everysec"
        assert get("maxmemory-policy") == "noeviction"
        assert get("protected-mode") == "yes" and "127.0.0.1" in get("bind")
    finally:
        subprocess.run(["redis-cli", "-s", str(sock), "shutdown", "nosave"], capture_output=True, timeout=10)


def test_the_deployment_packages_are_pinned():
    pins = dict(line.split("==", 1) for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    assert {"gunicorn", "django-storages", "boto3"} <= set(pins)
    assert re.fullmatch(r"locust==[\d.]+", (DEPLOY / "load/requirements.txt").read_text().split("\n")[-2])
