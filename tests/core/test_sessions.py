"""Sessions end: ANTQ_SESSION_SECONDS after login, after ANTQ_SESSION_IDLE_SECONDS without
a request, and with the browser (no persistent cookie) — and then the next page asks for a
login again, for pages and for the API alike."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from antq.core.middleware import SESSION_SEEN, SESSION_STARTED
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user) -> None:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content


def age(client, *, started: int | None = None, seen: int | None = None) -> None:
    """Move the session's clock back by that many seconds."""
    session = client.session
    now = int(time.time())
    if started is not None:
        session[SESSION_STARTED] = now - started
    if seen is not None:
        session[SESSION_SEEN] = now - seen
    session.save()


def logged_in(client) -> bool:
    return client.get("/bodies/").status_code == 200


def test_the_session_cookie_ends_with_the_browser_and_the_server_keeps_a_deadline(
    client, people, settings
):
    response = client.post(
        "/accounts/login/", {"username": "official", "password": PASSWORD}, follow=False
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    session = Session.objects.get(session_key=cookie.value)
    left = (session.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < left <= settings.SESSION_COOKIE_AGE


def test_a_recent_session_goes_on(client, people):
    login(client, people.official)
    age(client, started=3600, seen=30)
    assert logged_in(client)
    assert logged_in(client)


def test_an_idle_session_ends_and_the_page_asks_for_a_login(client, people, settings):
    login(client, people.official)
    age(client, seen=settings.ANTQ_SESSION_IDLE_SECONDS + 1)
    response = client.get("/bodies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"]).content.decode()
    assert "Your session has ended" in page or "Phiên làm việc" in page
    assert not logged_in(client)  # and it stays ended


def test_a_session_ends_after_its_lifetime_however_busy(client, people, settings):
    login(client, people.official)
    age(client, started=settings.SESSION_COOKIE_AGE + 1, seen=5)
    assert not logged_in(client)


def test_the_idle_limit_can_be_turned_off(client, people, settings):
    settings.ANTQ_SESSION_IDLE_SECONDS = 0
    login(client, people.official)
    age(client, started=60, seen=7 * 3600)
    assert logged_in(client)


def test_activity_moves_the_idle_clock_at_most_once_a_minute(client, people):
    login(client, people.official)
    age(client, seen=30)
    before = client.session[SESSION_SEEN]
    assert logged_in(client)
    assert client.session[SESSION_SEEN] == before  # no write for every request
    age(client, seen=120)
    assert logged_in(client)
    assert int(time.time()) - client.session[SESSION_SEEN] < 5


def test_a_session_from_before_the_timeouts_is_timed_from_now(client, people):
    login(client, people.official)
    session = client.session
    del session[SESSION_STARTED]
    del session[SESSION_SEEN]
    session.save()
    assert logged_in(client)
    assert abs(client.session[SESSION_STARTED] - int(time.time())) < 5


def test_the_api_refuses_an_idle_session_too(client, people, settings):
    login(client, people.official)
    assert client.get("/api/v1/me/").status_code == 200
    age(client, seen=settings.ANTQ_SESSION_IDLE_SECONDS + 1)
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_logging_out_ends_the_session_on_the_server(client, people):
    login(client, people.official)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not logged_in(client)
