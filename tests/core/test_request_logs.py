"""Structured logs: one JSON object per line, each request with its id (echoed in
X-Request-ID), route, status, duration and user — never an address, a query string, or
anything about the tip line."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys

import pytest

from antq.core.logs import JsonFormatter, NoTipRequests, RequestContext, current_request

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.99"
HEX32 = re.compile(r"[0-9a-f]{32}")


def test_each_request_gets_an_id_echoed_in_its_log_line(client, log_lines):
    response = client.get("/areas/?on=01/01/2022", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert HEX32.fullmatch(request_id)
    [line] = [r for r in log_lines.requests() if r["path"] == "/areas/"]
    assert line["request_id"] == request_id
    assert line["method"] == "GET" and line["status"] == 200
    assert line["route"] == "areas:browser"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert "user_id" not in line  # anonymous
    assert {"time", "level", "logger", "message"} <= set(line)
    assert ADDRESS not in log_lines.text
    assert "01/01/2022" not in log_lines.text  # the query string is not logged


def test_two_requests_get_two_ids(client):
    assert client.get("/").headers["X-Request-ID"] != client.get("/").headers["X-Request-ID"]


def test_the_user_is_logged_by_id(client, people, log_lines):
    client.force_login(people.official)
    client.get("/bodies/")
    [line] = [r for r in log_lines.requests() if r["path"] == "/bodies/"]
    assert line["user_id"] == people.official.pk
    assert people.official.username not in log_lines.text


def test_an_api_token_user_is_logged_too(client, people, log_lines):
    from antq.accounts.services import token_create

    secret = token_create(user=people.official, name="t", actor=people.official).key
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    [line] = [r for r in log_lines.requests() if r["path"] == "/api/v1/me/"]
    assert line["user_id"] == people.official.pk
    assert secret not in log_lines.text


def test_a_proxys_request_id_is_kept_only_behind_a_trusted_proxy(client, settings):
    given = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert client.get("/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] != given
    settings.ANTQ_TRUSTED_PROXIES = 1
    assert client.get("/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    for bad in ("short", "a b c d e f g h", "x" * 65, 'abcdefgh"\n{"level":"ERROR"}'):
        echoed = client.get("/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert echoed != bad and HEX32.fullmatch(echoed)


def test_the_tip_line_leaves_no_line(client, log_lines):
    client.get("/tips/send/", REMOTE_ADDR=ADDRESS)
    client.get("/tips/no-such-page/")  # a 404 of the tip line: django.request stays quiet too
    client.post("/api/v1/tips/", {"area": "x"}, content_type="application/json")
    client.get("/areas/")
    assert log_lines.requests()  # the other request is there
    assert "/tips/" not in log_lines.text
    assert ADDRESS not in log_lines.text


def test_nothing_logged_while_a_tip_request_is_handled_is_written():
    record = logging.LogRecord("antq.tips", logging.ERROR, __file__, 1, "boom", None, None)
    token = current_request.set(RequestContext("abc", "/tips/send/", unlogged=True))
    try:
        assert NoTipRequests().filter(record) is False
    finally:
        current_request.reset(token)
    assert NoTipRequests().filter(record) is True


def test_a_server_error_is_one_line_with_its_traceback_and_request_id(
    client, log_lines, monkeypatch
):
    from antq.web import views

    def fail():
        raise RuntimeError("the database went away\nsecond line")

    monkeypatch.setattr(views.areas, "today", fail)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    lines = log_lines.text.splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    [error] = [r for r in records if r["logger"] == "django.request"]
    assert error["level"] == "ERROR" and error["status"] == 500
    assert "RuntimeError: the database went away" in error["exception"]
    assert error["request_id"] == response["X-Request-ID"]
    [line] = [r for r in records if r["logger"] == "antq.request"]
    assert line["status"] == 500


def test_json_lines_escape_what_they_carry():
    record = logging.LogRecord(
        "antq.x", logging.WARNING, __file__, 1, 'a "quote"\nand a new line: %s', ("ư",), None
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line)["message"] == 'a "quote"\nand a new line: ư'
    assert json.loads(line)["level"] == "WARNING"


@pytest.mark.parametrize(
    ("mode", "given", "expected"),
    [
        ("production", None, "json"),
        ("development", None, "text"),
        ("development", "json", "json"),
        ("production", "text", "text"),
    ],
)
def test_the_log_format_follows_the_mode_unless_chosen(tmp_path, mode, given, expected):
    env = {
        "ANTQ_MODE": mode,
        "ANTQ_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 40,
        "ANTQ_ALLOWED_HOSTS": "antq.example",
        "PATH": "/usr/bin:/bin",
    }
    if given:
        env["ANTQ_LOG_FORMAT"] = given
    code = (
        "from antq import settings as s;"
        "print(s.ANTQ_LOG_FORMAT, s.LOGGING['handlers']['stderr']['formatter'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [expected, expected]


def test_a_bad_log_format_stops_the_program(tmp_path):
    env = {"ANTQ_DATA_DIR": str(tmp_path), "ANTQ_LOG_FORMAT": "xml", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "antq", "check"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 2
    assert "ANTQ_LOG_FORMAT" in out.stderr
