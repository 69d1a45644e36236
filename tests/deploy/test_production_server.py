"""antq as the operations guide deploys it, on this machine: `antq serve` in production mode
with two workers, JSON logs, a read replica (the same database) and a metrics directory,
behind nginx running deploy/nginx/antq.conf with a self-signed certificate. Checked from the
outside: the HTTPS move, the production headers and cookies, static files, the upload limit,
no trace of the tip line in any log, JSON log lines tied to nginx's by request id, metrics
adding up over the workers and closed to the public side, /healthz by address.

SQLite in a temporary directory, or a fresh PostgreSQL database when DATABASE_URL points at
PostgreSQL (dropped afterwards)."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy import nginxconf

ROOT = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
NAME = nginxconf.NAME
PASSWORD = "mật-khẩu-vận-hành-7"
SERVE_OPTIONS = ("--workers", "2", "--threads", "4")
# The static files, collected as `antq setup` does but without compressing them: brotli over
# the vendored scripts takes a minute, and serving them (not compressing) is what is tested.
COLLECT_STATIC = """
import django
from django.conf import settings
django.setup()
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Deployment:
    http: int
    https: int
    app: int
    directory: Path
    metrics_dir: Path
    antq_log: Path

    def https_request(self, method: str, path: str, body: bytes | None = None, headers=None):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", self.https, context=context, timeout=30)
        try:
            conn.request(method, path, body, {"Host": f"{NAME}:{self.https}", **(headers or {})})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    def plain_request(self, port: int, path: str, host: str, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": host, **(headers or {})})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    def app_request(self, path: str):
        return self.plain_request(self.app, path, f"127.0.0.1:{self.app}")

    def nginx_lines(self) -> str:
        return "".join(
            p.read_text(errors="replace")
            for p in (self.directory / "access.log", self.directory / "error.log")
            if p.exists()
        )

    def antq_records(self) -> list[dict]:
        lines = self.antq_log.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


def _wait(check, what: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            pytest.fail(f"{what} did not start (exit {process.poll()}):\n{tail}", pytrace=False)
        time.sleep(0.2)


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    nginx = nginxconf.nginx_binary(CI)
    directory = Path(tempfile.mkdtemp(prefix="antq-deploy-"))
    data_dir = directory / "data"
    metrics_dir = directory / "metrics"
    metrics_dir.mkdir()
    # A file left by a server that is no longer running: `antq serve` must clear it.
    (metrics_dir / "counter_999999.db").write_bytes(b"not a metrics file")
    outer = os.environ.get("DATABASE_URL", "").strip()
    pg = None
    if outer.startswith(("postgres://", "postgresql://")):
        from tests.e2e.conftest import _postgres_create

        db_url, db_name = _postgres_create(outer)
        pg = (outer, db_name)
    else:
        db_url = f"sqlite:///{data_dir}/antq.sqlite3"
    http_port, https_port, app_port = free_port(), free_port(), free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(directory),
        "ANTQ_MODE": "production",
        "ANTQ_DATA_DIR": str(data_dir),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ANTQ_ALLOWED_HOSTS": NAME,
        "ANTQ_CSRF_TRUSTED_ORIGINS": f"https://{NAME}:{https_port}",
        "DATABASE_URL": db_url,
        "DATABASE_REPLICA_URL": db_url,
        "ANTQ_TRUSTED_PROXIES": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "antq.settings",
    }
    processes: list[subprocess.Popen] = []
    antq_log = directory / "antq.log"
    try:
        for step in (
            ["-m", "antq", "migrate", "--no-input", "-v0"],
            [
                "-m",
                "antq",
                "createsuperuser",
                "--no-input",
                "--username",
                "ops",
                "--email",
                "o@x.vn",
            ],
            ["-c", COLLECT_STATIC],
        ):
            done = subprocess.run(
                [sys.executable, *step],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, f"{step}: {done.stdout}\n{done.stderr}"
        with antq_log.open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "antq", "serve", "--port", str(app_port), *SERVE_OPTIONS],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes.append(server)
        main = nginxconf.render(directory, http=http_port, https=https_port, upstream=app_port)
        with (directory / "nginx.out").open("w") as out:
            proxy = subprocess.Popen(
                [nginx, "-c", str(main), "-p", str(directory), "-e", str(directory / "error.log")],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        processes.append(proxy)
        deployment = Deployment(http_port, https_port, app_port, directory, metrics_dir, antq_log)
        _wait(
            lambda: deployment.app_request("/healthz")[0].status == 200,
            "antq serve",
            server,
            antq_log,
            timeout=120,
        )
        _wait(
            lambda: deployment.https_request("GET", "/healthz")[0].status == 200,
            "nginx",
            proxy,
            directory / "error.log",
        )
        yield deployment
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if pg is not None:
            from tests.e2e.conftest import _postgres_drop

            _postgres_drop(*pg)
        shutil.rmtree(directory, ignore_errors=True)


def cookie(response, name: str) -> str:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(name + "="):
            return value
    raise AssertionError(f"no {name} cookie in {response.getheaders()}")


def test_plain_http_moves_to_https_on_the_servers_own_name(deployment):
    response, _ = deployment.plain_request(deployment.http, "/areas/?on=2022", "evil.example")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{NAME}/areas/?on=2022"


def test_pages_over_https_carry_the_production_headers(deployment):
    response, body = deployment.https_request("GET", "/accounts/login/")
    assert response.status == 200, body[:500]
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
    assert "unsafe-inline" not in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert response.getheader("Permissions-Policy")
    assert re.fullmatch(r"[0-9a-f]{32}", response.getheader("X-Request-ID"))
    assert "Secure" in cookie(response, "antq_csrf")
    assert "gunicorn" not in (response.getheader("Server") or "")


def test_an_official_logs_in_through_the_proxy_with_a_secure_browser_session(deployment):
    page, body = deployment.https_request("GET", "/accounts/login/")
    csrf_cookie = cookie(page, "antq_csrf").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()
    form = f"csrfmiddlewaretoken={token}&username=ops&password={PASSWORD}".encode()
    response, _ = deployment.https_request(
        "POST",
        "/accounts/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf_cookie,
            "Origin": f"https://{NAME}:{deployment.https}",
        },
    )
    assert response.status == 302, response.getheaders()
    session = cookie(response, "antq_session")
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session
    assert "expires" not in session.lower() and "max-age" not in session.lower()


def test_static_files_are_served(deployment):
    response, body = deployment.https_request("GET", "/static/antq/app.css")
    assert response.status == 200 and body
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_an_upload_over_the_limit_is_refused_by_nginx(deployment):
    context = ssl._create_unverified_context()  # noqa: S323 (the test's own certificate)
    conn = http.client.HTTPSConnection("127.0.0.1", deployment.https, context=context)
    try:
        conn.putrequest("POST", "/documents/new/", skip_host=True)
        conn.putheader("Host", NAME)
        conn.putheader("Content-Length", str(30 * 1024 * 1024))
        conn.endheaders()
        assert conn.getresponse().status == 413
    finally:
        conn.close()


def test_metrics_add_up_over_the_workers_and_are_closed_to_the_public_side(deployment):
    def logins_counted() -> float:
        response, body = deployment.app_request("/metrics")
        assert response.status == 200
        total = 0.0
        for line in body.decode().splitlines():
            if line.startswith("antq_http_requests_total{") and 'route="accounts:login"' in line:
                total += float(line.rsplit(" ", 1)[1])
        return total

    before = logins_counted()
    as_if_proxied = {"X-Forwarded-Proto": "https"}
    for _ in range(24):  # a new connection each time: both workers answer some
        response, _ = deployment.plain_request(
            deployment.app, "/accounts/login/", NAME, as_if_proxied
        )
        assert response.status == 200
    assert logins_counted() == before + 24
    files = {p.name for p in deployment.metrics_dir.glob("counter_*.db")}
    assert len(files) >= 2, files  # two workers wrote counts
    assert "counter_999999.db" not in files  # the stale file was cleared at start
    response, body = deployment.https_request("GET", "/metrics")
    assert response.status == 403 and b"antq_" not in body


def test_healthz_answers_by_address_with_the_replica(deployment):
    response, body = deployment.app_request("/healthz")
    assert response.status == 200
    checks = json.loads(body)["checks"]
    assert checks["database"]["status"] == checks["database_replica"]["status"] == "ok"
    assert deployment.app_request("/")[0].status == 400  # other paths check the host name


def test_nothing_about_the_tip_line_is_logged_anywhere(deployment):
    deployment.https_request("GET", "/tips/send/")
    deployment.https_request("GET", "/tips/no-such-page/")
    deployment.https_request(
        "POST", "/api/v1/tips/", b'{"area": "x"}', {"Content-Type": "application/json"}
    )
    deployment.plain_request(deployment.http, "/tips/send/", NAME)
    deployment.https_request("GET", "/areas/")  # this one is logged
    time.sleep(0.5)  # nginx writes its log lines after answering
    nginx = deployment.nginx_lines()
    antq = deployment.antq_log.read_text()
    assert '"GET /areas/ ' in nginx
    assert "/tips/" not in nginx
    assert "/tips/" not in antq


def test_antq_writes_json_lines_tied_to_nginxs_and_no_address(deployment):
    response, _ = deployment.https_request("GET", "/accounts/login/")
    request_id = response.getheader("X-Request-ID")
    time.sleep(0.5)
    records = deployment.antq_records()  # every line is one JSON object
    requests = [r for r in records if r["logger"] == "antq.request"]
    [mine] = [r for r in requests if r["request_id"] == request_id]
    assert mine["path"] == "/accounts/login/" and mine["status"] == 200
    assert request_id in deployment.nginx_lines()  # nginx's id, honoured behind the proxy
    assert not any("127.0.0.1" in json.dumps(r) for r in requests)
    assert "127.0.0.1 " not in (deployment.directory / "access.log").read_text()
    assert any(r["logger"] == "gunicorn.error" for r in records)  # gunicorn's lines too
