"""Fixtures of the operations tests: a Redis server (the local one, or ANTQ_TEST_REDIS_URL),
a database alias that does not answer, and a log capture wired like settings.LOGGING (the
tip-line filter, JSON lines)."""

from __future__ import annotations

import io
import json
import logging
import os

import pytest

CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("ANTQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        message = f"Redis is not reachable at {url} ({exc}); set ANTQ_TEST_REDIS_URL"
        if CI:
            pytest.fail(message + " — under CI a skipped test is a failure.", pytrace=False)
        pytest.skip(message)
    return url


class Lines:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def requests(self) -> list[dict]:
        return [r for r in self.records() if r["logger"] == "antq.request"]


@pytest.fixture
def log_lines():
    """Everything logged during the test, as the production handler writes it (JSON)."""
    from antq.core.logs import JsonFormatter, NoTipRequests

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(NoTipRequests())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield Lines(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.fixture
def broken_replica(monkeypatch):
    """A second database alias whose file cannot be opened; yields its path."""
    from django.db import connections

    path = "/nonexistent-antq-dir/replica.sqlite3"
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {},
        "TEST": {"MIRROR": None, "NAME": None},
    }
    monkeypatch.setitem(connections.settings, "replica", settings_dict)
    yield path
    try:
        connections["replica"].close()
    finally:
        del connections["replica"]
