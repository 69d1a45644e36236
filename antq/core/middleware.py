"""Every request's id, log line and metrics; the probes; security headers; session
timeouts; the Vietnamese-first language choice; and no NUL character past the door."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from antq.core import metrics
from antq.core.api import json_error
from antq.core.health import healthz_view
from antq.core.logs import RequestContext, current_request, unlogged
from antq.core.parsers import NUL, has_nul, nul_message

request_log = logging.getLogger("antq.request")
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")


def _request_id(request: HttpRequest) -> str:
    """The proxy's id when antq sits behind trusted proxies (nginx sets X-Request-ID on
    every request it forwards), else a new one; a malformed id is replaced."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if settings.ANTQ_TRUSTED_PROXIES and _REQUEST_ID.fullmatch(given):
        return given
    return secrets.token_hex(16)


def _route(request: HttpRequest) -> str:
    """A bounded label: the URL pattern's name, never the path itself."""
    named = getattr(request, "antq_route", None)
    if named:
        return named
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def _user_id(request: HttpRequest) -> int | None:
    """The user, when something already asked who it is (no extra query to find out)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    return user.pk if user is not None and user.is_authenticated else None


class RequestMiddleware:
    """Gives each request an id (X-Request-ID, echoed in the response), writes one log line
    for it (method, path without the query, route, status, duration, user id) and counts it
    in the metrics — except the tip line, of which nothing is logged or counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        quiet = unlogged(request.path)
        token = current_request.set(RequestContext(request_id, request.path, unlogged=quiet))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response.headers[REQUEST_ID_HEADER] = request_id
            if not quiet:
                route = _route(request)
                metrics.observe_request(request.method or "", route, response.status_code, seconds)
                request_log.info(
                    "%s %s %s %d ms",
                    request.method,
                    request.path,
                    response.status_code,
                    round(seconds * 1000),
                    extra={
                        "method": request.method,
                        "route": route,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 1),
                        "user_id": _user_id(request),
                    },
                )
            return response
        finally:
            current_request.reset(token)


class ProbeMiddleware:
    """/healthz and /metrics, answered before the host check and the session: load
    balancers and Prometheus reach each server by its address (antq.core.health, metrics)."""

    PROBES = {"/healthz": healthz_view, "/metrics": metrics.metrics_view}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.PROBES.get(request.path)
        if probe is None:
            return self.get_response(request)
        request.antq_route = request.path.strip("/")
        return probe(request)


SESSION_STARTED = "antq_started"
SESSION_SEEN = "antq_seen"
SEEN_EVERY = 60  # seconds: the last request's time is written at most once a minute


def session_started(sender, request, user, **kwargs) -> None:
    """On login (user_logged_in): the times SessionTimeoutMiddleware judges by."""
    if getattr(request, "session", None) is not None:
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now


class SessionTimeoutMiddleware:
    """Logs out a session ANTQ_SESSION_SECONDS after its login, or after
    ANTQ_SESSION_IDLE_SECONDS without a request; the next page asks to log in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN)
            idle = settings.ANTQ_SESSION_IDLE_SECONDS
            if not isinstance(started, int) or not isinstance(seen, int):
                # A session from before these checks: it is timed from now on.
                started = started if isinstance(started, int) else now
                seen = now
                session[SESSION_STARTED], session[SESSION_SEEN] = started, seen
            if now - started >= settings.SESSION_COOKIE_AGE or (idle and now - seen >= idle):
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, _("Your session has ended. Please log in again."))
            elif now - seen >= SEEN_EVERY:
                session[SESSION_SEEN] = now
        return self.get_response(request)


# No inline scripts or styles anywhere: every asset is a vendored file under /static/.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = CONTENT_SECURITY_POLICY
        if request.path == "/api/docs/":
            # The vendored Swagger UI page carries one small <style> block of its own.
            policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class LanguageMiddleware:
    """Pages speak Vietnamese unless the user chose English (cookie); the browser's
    Accept-Language is ignored there, since officials' machines often ship in English.
    The API honours Accept-Language for integrators."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
            if request.path.startswith("/api/"):
                accepted = translation.get_language_from_request(request)
                if accepted in self.available:
                    language = accepted
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response


class NulCharacterMiddleware:
    """NUL (\\0) is part of no text antq keeps, and PostgreSQL refuses it in any string: a
    path or query string with one is a 400 (the API's error shape under /api/, else the 400
    page), a cookie with one is ignored as if it had not been sent. JSON bodies are checked
    by the API's parser (antq.core.parsers), forms by Django's form fields."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request.COOKIES):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if not has_nul(name) and not has_nul(value)
            }
        if NUL in request.path or has_nul(dict(request.GET.lists())):
            if request.path.startswith("/api/"):
                return json_error(request, 400, "bad_request", nul_message())
            raise BadRequest(nul_message())
        return self.get_response(request)
