from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from antq.accounts.forms import CodeForm, LoginForm, PasswordChangeForm
from antq.accounts.middleware import VERIFIED
from antq.accounts.models import User
from antq.accounts.selectors import user_memberships
from antq.accounts.services import (
    SecondFactorError,
    password_change,
    second_factor_begin,
    second_factor_check,
    second_factor_confirm,
    second_factor_of,
    second_factor_pending,
    second_factor_remove,
    second_factor_required,
)
from antq.accounts.totp import provisioning_uri, secret_text
from antq.core.keys import MasterKeyError

PENDING = "antq_second_factor_pending"  # {user, at}: the password was right, the code is due
PENDING_SECONDS = 300


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if settings.ANTQ_TOTP and second_factor_of(form.user) is not None:
            # the password was right; the session counts once the app's code is given too
            request.session[PENDING] = {"user": form.user.pk, "at": int(time.time())}
            return redirect(f"/accounts/second-factor/?{urlencode({'next': _next_url(request)})}")
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_next_url(request))
    status = 200 if request.method == "GET" or form.is_valid() else 400
    if any(e.code == "locked" for e in form.non_field_errors().as_data()):
        status = 429
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("web:home")


@sensitive_post_parameters()
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": user_memberships(request.user),
            "second_factor_on": settings.ANTQ_TOTP,
            "second_factor": second_factor_of(request.user),
            "second_factor_required": second_factor_required(request.user),
        },
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """The code of the app, after a right password."""
    pending = request.session.get(PENDING) or {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Log in again, then give the code of your app."))
        return redirect(f"/accounts/login/?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_check(user=user, code=form.cleaned_data["code"])
        except SecondFactorError as exc:
            form.add_error("code", str(exc))
            status = 400
        else:
            request.session.pop(PENDING, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[VERIFIED] = user.pk
            return redirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@sensitive_post_parameters("code")
@login_required
@never_cache
def second_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Set up the app: scan the QR code (or type the key), then confirm with a first code."""
    import segno

    if not settings.ANTQ_TOTP:
        raise Http404(_("The second factor is not switched on."))
    user = request.user
    if second_factor_of(user) is not None:
        return redirect("accounts:profile")
    try:
        secret = second_factor_pending(user) or second_factor_begin(user=user)
    except MasterKeyError:  # the operator switched it on without a master key
        return render(
            request, "accounts/second_factor_setup.html", {"unavailable": True}, status=503
        )
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_confirm(user=user, code=form.cleaned_data["code"])
        except SecondFactorError as exc:
            form.add_error("code", str(exc))
            status = 400
        else:
            request.session[VERIFIED] = user.pk
            messages.success(
                request,
                _("The second factor is set up: from now on, log in with the code of your app."),
            )
            return redirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    uri = provisioning_uri(secret, user.username)
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
            "secret": secret_text(secret),
            "required": second_factor_required(user),
        },
        status=status,
    )


@require_POST
@login_required
def second_factor_remove_view(request: HttpRequest) -> HttpResponse:
    try:
        second_factor_remove(user=request.user, actor=request.user)
    except SecondFactorError as exc:
        messages.error(request, str(exc))
    else:
        request.session.pop(VERIFIED, None)
        messages.success(request, _("The second factor has been removed from your account."))
    return redirect("accounts:profile")
