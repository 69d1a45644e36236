"""The second factor at every request: a session of an account with an authenticator app
counts only once its code was given; an account whose role requires one is sent to set it up
before anything else. Off unless ANTQ_TOTP is set."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

VERIFIED = "antq_second_factor"  # the session key holding the verified user's id
EXEMPT = (
    "/accounts/second-factor/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/tips/",
    "/api/v1/tips/",
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.ANTQ_TOTP and not request.path.startswith(EXEMPT):
            answer = self._check(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        from antq.accounts.services import second_factor_of, second_factor_required

        user = request.user
        if not user.is_authenticated or request.session.get(VERIFIED) == user.pk:
            return None
        has_app = second_factor_of(user) is not None
        if not has_app and not second_factor_required(user):
            return None
        if request.path.startswith("/api/"):
            from antq.core.api import json_error

            return json_error(
                request, 403, "second_factor_required", _("Confirm your second factor first.")
            )
        query = urlencode({"next": request.get_full_path()})
        if has_app:  # a session from before the app was required: log in again, with the code
            logout(request)
            return redirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
        return redirect(f"/accounts/second-factor/setup/?{query}")
