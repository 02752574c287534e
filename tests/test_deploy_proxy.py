"""nginx in front of gunicorn, as deploy/ ships them, on loopback ports: the site sees https through
X-Forwarded-Proto (no redirect loop, HSTS sent), plain http is redirected, the probes answer through
the proxy, nginx serves the static files and refuses a body over REQUEST_MAX_BYTES, /media/ is not
served, and the access log carries no query string. Skipped without nginx or openssl."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HOST = "meetings.example.gov.cn"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
GUNICORN = ROOT / ".venv/bin/gunicorn"

pytestmark = pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None or not GUNICORN.exists(),
                                reason="needs nginx, openssl and gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def site_config(tmp: Path, http_port: int, https_port: int, web_port: int, static: Path) -> str:
    text = (DEPLOY / "nginx/meetings.conf").read_text()
    text = re.sub(r"(upstream meetings_web \{\n)(?:    server .*\n)+", rf"\g<1>    server 127.0.0.1:{web_port};\n", text)
    text = re.sub(r"\n *listen \[::\]:\d+[^;]*;", "", text)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = re.sub(r"ssl_certificate +\S+;", f"ssl_certificate {tmp}/site.crt;", text)
    text = re.sub(r"ssl_certificate_key +\S+;", f"ssl_certificate_key {tmp}/site.key;", text)
    return re.sub(r"alias \S+;", f"alias {static}/;", text)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxy")
    var = tmp / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DEV_INSECURE", "DJANGO_SETTINGS_MODULE", "REDIS_URL",
                                                              "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    web_port, http_port, https_port = free_port(), free_port(), free_port()
    env.update({"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": HOST, "VAR_DIR": str(var),
                "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
                "AUDIT_TRUSTED_PROXY_COUNT": "1", "GUNICORN_BIND": f"127.0.0.1:{web_port}", "GUNICORN_WORKERS": "1",
                "GUNICORN_ACCESS_LOG": str(tmp / "access.log"), "GUNICORN_ERROR_LOG": str(tmp / "error.log")})
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
                    "-keyout", str(tmp / "site.key"), "-out", str(tmp / "site.crt")], check=True, capture_output=True)
    (tmp / "meetings.conf").write_text(site_config(tmp, http_port, https_port, web_port, var / "staticfiles"))
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's private folder
    (tmp / "nginx.conf").write_text(f"""{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    {mime}
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/meetings.conf;
}}
""")
    web = subprocess.Popen([str(GUNICORN), "-c", str(DEPLOY / "gunicorn.conf.py"), "meetings_site.wsgi"], cwd=ROOT, env=env,
                           start_new_session=True)
    proxy = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                             start_new_session=True)
    try:
        wait_for(web_port)
        wait_for(https_port)
        yield {"http": http_port, "https": https_port, "web": web_port, "tmp": tmp}
    finally:
        for process in (proxy, web):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def fetch(port: int, path: str, *, tls: bool = True, method: str = "GET", body: bytes | None = None,
          headers: dict | None = None) -> http.client.HTTPResponse:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
    response = connection.getresponse()
    response.data = response.read()
    connection.close()
    return response


def test_the_site_sees_https_through_the_proxy(stack):
    answer = fetch(stack["https"], "/")
    assert answer.status == 302 and answer.getheader("Location").startswith("/accounts/login/"), answer.status
    assert "max-age=31536000" in (answer.getheader("Strict-Transport-Security") or "")  # only sent to https
    assert "Secure" in (answer.getheader("Set-Cookie") or "Secure")


def test_plain_http_is_redirected_and_gunicorn_alone_is_not_https(stack):
    answer = fetch(stack["http"], "/", tls=False)
    assert answer.status == 301 and answer.getheader("Location").startswith("https://")
    # A client talking to gunicorn directly and claiming https is not believed: only nginx's address is.
    direct = fetch(stack["web"], "/", tls=False, headers={"X-Forwarded-Proto": "https"})
    assert direct.status in (301, 302)


def test_the_probes_answer_through_the_proxy(stack):
    for port, tls in ((stack["https"], True), (stack["http"], False)):
        answer = fetch(port, "/healthz", tls=tls)
        assert answer.status == 200 and answer.data == b"ok\n"
        assert "no-store" in answer.getheader("Cache-Control")
    ready = fetch(stack["https"], "/readyz")  # this database was never migrated: not ready
    assert ready.status == 503 and b"migrations fail" in ready.data


def test_nginx_serves_the_static_files_and_not_the_uploads(stack):
    answer = fetch(stack["https"], "/static/css/site.css")
    assert answer.status == 200 and answer.getheader("Cache-Control") == "public, max-age=3600"
    assert fetch(stack["https"], "/media/materials/x.pdf").status == 404


def test_a_body_over_the_limit_is_refused_by_nginx(stack):
    answer = fetch(stack["https"], "/topics/1/materials/", method="POST", body=b"x" * (21 * 1024 * 1024 + 1),
                   headers={"Content-Type": "application/octet-stream"})
    assert answer.status == 413
    assert b"nginx/" not in answer.data and answer.getheader("Server") == "nginx"  # server_tokens off: no version


def test_the_access_log_names_the_client_and_keeps_no_query_string(stack):
    fetch(stack["https"], "/search/?q=%E4%BB%BB%E5%85%8D")
    time.sleep(0.5)
    log = (stack["tmp"] / "access.log").read_text()
    line = next(line for line in log.splitlines() if "/search/" in line)
    assert line.startswith("127.0.0.1 ") and "q=" not in line and "%E4" not in line, line
