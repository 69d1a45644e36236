"""The deploy/ nginx site, rendered for a test: loopback ports, a test name, a self-signed
certificate, logs in a temporary directory — and a minimal main configuration around it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "antq.conf"
NAME = "antq.test"


def nginx_binary(ci: bool) -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        message = "nginx is not installed (apt-get install nginx)"
        if ci:
            pytest.fail(message + " — under CI a skipped test is a failure.", pytrace=False)
        pytest.skip(message)
    return found


def certificate(directory: Path) -> tuple[Path, Path]:
    crt, key = directory / "antq.crt", directory / "antq.key"
    request = [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        f"/CN={NAME}",
    ]
    subprocess.run(
        ["openssl", *request, "-keyout", str(key), "-out", str(crt)],
        check=True,
        capture_output=True,
    )
    return crt, key


def render(directory: Path, *, http: int, https: int, upstream: int) -> Path:
    """Write nginx.conf (and the site) into `directory`; returns the main file."""
    crt, key = certificate(directory)
    site = SITE.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "antq.example.gov.vn": NAME,
        "/etc/antq/tls/antq.crt": str(crt),
        "/etc/antq/tls/antq.key": str(key),
        "/var/log/nginx/antq.access.log": str(directory / "access.log"),
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/antq.conf no longer has {old!r}"
        site = site.replace(old, new)
    (directory / "site.conf").write_text(site)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / temp).mkdir(exist_ok=True)
    main = directory / "nginx.conf"
    main.write_text(
        f"""
user root root;
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log info;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    access_log {directory}/other-access.log;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/site.conf;
}}
"""
    )
    return main
