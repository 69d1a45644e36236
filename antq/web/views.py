"""The shell pages: home, bodies, and the Vietnamese error pages."""

from __future__ import annotations

import datetime as dt
import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from antq.accounts.selectors import bodies_on, user_memberships
from antq.areas import selectors as areas
from antq.areas.models import Area, Level
from antq.core.api import (
    api_keys_unavailable,
    api_not_found,
    api_server_error,
    api_storage_full,
    keys_unavailable_message,
    storage_full_message,
)
from antq.core.errors import master_key_missing, storage_full
from antq.core.selectors import notifications_for
from antq.core.services import notifications_mark_read
from antq.directives.selectors import documents_visible_to

STORY_PROVINCE = "20"  # Lạng Sơn
STORY_DOCUMENTS = ("09-CT/TW", "44-KL/TW", "100-KH/TU")


def home(request: HttpRequest) -> HttpResponse:
    today = areas.today()
    before = dt.date(2022, 1, 1)
    story = {}
    try:
        province = areas.area_by_code(STORY_PROVINCE, today)
    except Area.DoesNotExist:
        province = None
    if province is not None:
        story = {
            "province": province,
            "before": before,
            "districts_before": areas.area_subtree(province, before, level=Level.DISTRICT).count(),
            "communes_before": areas.area_subtree(province, before, level=Level.COMMUNE).count(),
            "communes_now": areas.area_subtree(province, today, level=Level.COMMUNE).count(),
        }
    memberships = user_memberships(request.user) if request.user.is_authenticated else []
    documents = {}
    if request.user.is_authenticated:
        for doc in documents_visible_to(request.user).filter(symbol__in=STORY_DOCUMENTS):
            documents.setdefault(doc.symbol.split("-")[0].split("/")[0], doc)
    return render(
        request,
        "web/home.html",
        {"story": story, "today": today, "memberships": memberships, "documents": documents},
    )


@login_required
def bodies(request: HttpRequest) -> HttpResponse:
    on = areas.today()
    show_all = request.GET.get("all") == "1"
    rows = list(bodies_on(None if show_all else on).order_by("area__code", "name"))
    return render(request, "web/bodies.html", {"bodies": rows, "show_all": show_all, "on": on})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("web:notifications")
    items = list(notifications_for(request.user)[:200])
    return render(request, "web/notifications.html", {"items": items})


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


@requires_csrf_token
def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return api_not_found(request, exception)
    return render(request, "404.html", status=404)


@requires_csrf_token
def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    # Called while the error is being handled: a full disk or a missing master key gets its
    # own answer (503: try again once the administrator has acted), not the generic one.
    # Pages are rendered without the request: the database (sessions, user) may have failed.
    exc = sys.exc_info()[1]
    api = _is_api(request)
    if storage_full(exc):
        if api:
            return _retry_later(api_storage_full(request))
        fragment = bool(request.headers.get("HX-Request"))  # a cell saved by the entry form
        template = "_storage_full.html" if fragment else "503_storage_full.html"
        return _unavailable(template, storage_full_message())
    if master_key_missing(exc):
        if api:
            return _retry_later(api_keys_unavailable(request))
        return _unavailable("503_unavailable.html", keys_unavailable_message())
    if api:
        return api_server_error(request)
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def _unavailable(template: str, message: str) -> HttpResponse:
    return _retry_later(
        HttpResponse(loader.render_to_string(template, {"message": message}), status=503)
    )


def _retry_later(response: HttpResponse) -> HttpResponse:
    response.headers["Retry-After"] = "300"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
