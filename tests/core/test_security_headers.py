"""Security headers on every page and API answer a user can reach without arguments — for a
visitor, an official and an administrator — and no inline script or style in the HTML they
get: CSP without 'unsafe-inline', frame denial, nosniff, referrer and permissions policies,
COOP; HSTS only in production over HTTPS."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from antq.core.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

# The vendored Swagger UI page carries one <style> block of its own (antq.core.middleware).
INLINE_STYLE_ALLOWED = {"/api/docs/"}
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def paths_without_arguments(patterns=None, prefix: str = "") -> Iterator[str]:
    """Every URL pattern of the project that takes no argument, as a path."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if "<" not in route and not re.search(r"[\^\$\(\[\\]", route):
                yield from paths_without_arguments(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            if "<" not in route and not re.search(r"[\(\[\\]", route):
                yield "/" + prefix + route.lstrip("^").rstrip("$")


def check_headers(path: str, response) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    expected = CONTENT_SECURITY_POLICY
    if path in INLINE_STYLE_ALLOWED:
        expected = expected.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    if csp != expected:
        problems.append(f"CSP {csp!r}")
    if "frame-ancestors 'none'" not in csp and response.get("X-Frame-Options") != "DENY":
        problems.append("no frame denial")
    for header, value in (
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ):
        if response.get(header) != value:
            problems.append(f"{header}: {response.get(header)!r}")
    if "Strict-Transport-Security" in response:
        problems.append("HSTS over plain HTTP in development")
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        html = response.content.decode(errors="replace")
        if INLINE_SCRIPT.search(html):
            problems.append("inline <script>")
        if INLINE_HANDLER.search(html):
            problems.append("inline event handler")
        if path not in INLINE_STYLE_ALLOWED and ("<style" in html or re.search(r"\sstyle=", html)):
            problems.append("inline style")
    return [f"{path} ({response.status_code}): {p}" for p in problems]


def crawl(client) -> tuple[int, list[str]]:
    problems: list[str] = []
    paths = sorted(set(paths_without_arguments()))
    for path in paths:
        response = client.get(path)
        problems += check_headers(path, response)
    return len(paths), problems


def test_the_crawl_finds_pages_and_api_endpoints():
    paths = set(paths_without_arguments())
    assert {"/", "/areas/", "/accounts/login/", "/api/v1/me/", "/tips/send/"} <= paths
    assert "/admin/" in paths and "/api/docs/" in paths
    assert not any("<" in p for p in paths)


def test_every_page_and_endpoint_sends_the_headers_to_a_visitor(client):
    count, problems = crawl(client)
    assert count > 40
    assert problems == []


def test_every_page_and_endpoint_sends_the_headers_to_an_official(client, people):
    client.force_login(people.manager)
    _count, problems = crawl(client)
    assert problems == []


def test_every_page_and_endpoint_sends_the_headers_to_an_administrator(client, people):
    people.manager.is_staff = people.manager.is_superuser = True
    people.manager.save()
    client.force_login(people.manager)
    _count, problems = crawl(client)
    assert problems == []


def test_error_answers_carry_them_too(client, settings):
    settings.DEBUG = False
    for path in ("/no-such-page/", "/api/v1/no-such-endpoint/", "/api/v1/me/"):
        response = client.get(path)
        assert response.status_code in (401, 403, 404)
        assert check_headers(path, response) == []


def test_the_check_itself_catches_a_missing_header(client):
    response = client.get("/")
    del response["Referrer-Policy"]
    response["Content-Security-Policy"] = "default-src *; script-src 'self' 'unsafe-inline'"
    problems = check_headers("/", response)
    assert any("Referrer-Policy" in p for p in problems) and any("CSP" in p for p in problems)


def test_hsts_is_sent_over_https_with_the_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/")


def production_settings(tmp_path, **extra: str) -> dict:
    env = {
        "ANTQ_MODE": "production",
        "ANTQ_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "s" * 20 + "production-secret-key-0123456789",
        "ANTQ_ALLOWED_HOSTS": "antq.example.gov.vn",
        "PATH": "/usr/bin:/bin",
        **extra,
    }
    code = (
        "import json; from antq import settings as s;"
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE',"
        "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER',"
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY',"
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'DEBUG')}))"
    )
    import json

    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_production_mode_turns_on_hsts_secure_cookies_and_the_https_redirect(tmp_path):
    production = production_settings(tmp_path)
    assert production["SECURE_HSTS_SECONDS"] == 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert production["DEBUG"] is False


def test_development_mode_sends_no_hsts(settings):
    assert settings.SECURE_HSTS_SECONDS == 0 or not hasattr(settings, "SECURE_HSTS_SECONDS")
    assert not settings.SESSION_COOKIE_SECURE


def check_deploy(tmp_path, **extra: str) -> subprocess.CompletedProcess:
    env = {
        "ANTQ_MODE": "production",
        "ANTQ_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "s" * 20 + "production-secret-key-0123456789",
        "ANTQ_ALLOWED_HOSTS": "antq.example.gov.vn",
        "PATH": "/usr/bin:/bin",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "antq", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )


def test_antq_check_deploy_passes_in_production_mode(tmp_path):
    done = check_deploy(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("setting", "value", "warning"),
    [
        ("ANTQ_HSTS_SECONDS", "0", "security.W004"),
        ("ANTQ_SSL_REDIRECT", "false", "security.W008"),
    ],
)
def test_antq_check_deploy_names_a_weakened_setting(tmp_path, setting, value, warning):
    done = check_deploy(tmp_path, **{setting: value})
    assert done.returncode != 0
    assert warning in done.stdout + done.stderr


def test_production_mode_refuses_debug(tmp_path):
    done = check_deploy(tmp_path, ANTQ_DEBUG="1")
    assert done.returncode == 2
    assert "ANTQ_DEBUG" in done.stderr
