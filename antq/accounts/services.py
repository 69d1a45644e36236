"""Writes for bodies, memberships, tokens and logins; each one audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.accounts.models import ApiToken, Body, Membership, User
from antq.areas.models import Area
from antq.core.services import audit_diff, audit_record

TOKEN_PREFIX = "antq_"  # noqa: S105 (a label, not a secret)


class LoginLocked(Exception):
    """Too many failed logins: the account (or the name tried) is locked for a while."""

    def __init__(self, minutes: int):
        self.minutes = minutes
        super().__init__(minutes)


def _minutes_left(until: dt.datetime) -> int:
    return max(1, -(-int((until - timezone.now()).total_seconds()) // 60))


def _unknown_name_key(username: str) -> str:
    # Names that match no account are throttled in the cache, which expires entries and
    # holds a bounded number of them: the store cannot grow forever.
    return "login-fail:" + hashlib.sha256(username.strip().casefold().encode()).hexdigest()


def login_attempt(request: HttpRequest | None, username: str, password: str) -> User | None:
    """Check a password with lockout after repeated failures.

    Returns the user, or None for a wrong name or password; raises LoginLocked while locked.
    Unknown names are throttled exactly like real ones, so the answer never tells which exist.
    """
    max_failures = settings.ANTQ_LOGIN_MAX_FAILURES
    window = dt.timedelta(seconds=settings.ANTQ_LOGIN_WINDOW_SECONDS)
    lockout = dt.timedelta(seconds=settings.ANTQ_LOGIN_LOCKOUT_SECONDS)
    now = timezone.now()
    account = User.objects.filter(username=username).first()
    if account is None:
        key = _unknown_name_key(username)
        failures = cache.get(key, 0)
        if failures >= max_failures:
            raise LoginLocked(int(lockout.total_seconds() // 60))
        authenticate(request, username=username, password=password)  # same cost as a real check
        cache.set(key, failures + 1, timeout=int(lockout.total_seconds()))
        return None
    if account.locked_until and account.locked_until > now:
        raise LoginLocked(_minutes_left(account.locked_until))
    user = authenticate(request, username=username, password=password)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if user is not None:
            if account.failed_logins or account.locked_until:
                account.failed_logins = 0
                account.first_failed_login_at = None
                account.locked_until = None
                account.save(
                    update_fields=["failed_logins", "first_failed_login_at", "locked_until"]
                )
            audit_record(actor=user, action="accounts.login", obj=user)
            return user
        if account.first_failed_login_at is None or now - account.first_failed_login_at > window:
            account.failed_logins = 0
            account.first_failed_login_at = now
        account.failed_logins += 1
        locked = account.failed_logins >= max_failures
        if locked:
            account.locked_until = now + lockout
        account.save(update_fields=["failed_logins", "first_failed_login_at", "locked_until"])
        audit_record(
            actor=None,
            action="accounts.lockout" if locked else "accounts.login_failed",
            obj=account,
            changes={"failures": account.failed_logins},
        )
    if locked:
        raise LoginLocked(_minutes_left(account.locked_until))
    return None


@transaction.atomic
def user_unlock(*, user: User, actor: Any) -> None:
    user.failed_logins = 0
    user.first_failed_login_at = None
    user.locked_until = None
    user.save(update_fields=["failed_logins", "first_failed_login_at", "locked_until"])
    audit_record(actor=actor, action="accounts.unlock", obj=user)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str = "",
    title: str = "",
    email: str = "",
    is_superuser: bool = False,
    actor: Any = None,
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        title=title,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="accounts.user_create", obj=user, summary=username)
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="accounts.password_change", obj=user)


_BODY_FIELDS = ("name", "short_name", "kind", "area_id", "parent_id", "valid_from", "valid_to")


@transaction.atomic
def body_save(
    *,
    code: str,
    name: str,
    kind: str,
    area: Area,
    parent: Body | None = None,
    short_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    actor: Any = None,
) -> Body:
    """Create the body with this code, or bring an existing one up to date."""
    body = Body.objects.select_for_update().filter(code=code).first()
    old = {f: getattr(body, f) for f in _BODY_FIELDS} if body else {}
    body = body or Body(code=code)
    body.name, body.short_name, body.kind = name, short_name, kind
    body.area, body.parent = area, parent
    body.valid_from = valid_from or body.valid_from
    body.valid_to = valid_to
    body.full_clean()
    new = {f: getattr(body, f) for f in _BODY_FIELDS}
    if old == new:
        return body
    body.save()
    audit_record(
        actor=actor,
        action="accounts.body_update" if old else "accounts.body_create",
        obj=body,
        summary=name,
        changes={k: [str(a), str(b)] for k, (a, b) in audit_diff(old, new).items()},
    )
    return body


@transaction.atomic
def membership_grant(
    *,
    user: User,
    body: Body,
    role: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    actor: Any = None,
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user,
        body=body,
        role=role,
        defaults={"valid_from": valid_from or timezone.localdate(), "valid_to": valid_to},
    )
    if not created and (
        membership.valid_to != valid_to or (valid_from and membership.valid_from != valid_from)
    ):
        membership.valid_from = valid_from or membership.valid_from
        membership.valid_to = valid_to
        membership.save(update_fields=["valid_from", "valid_to"])
        created = True
    if created:
        audit_record(
            actor=actor,
            action="accounts.membership_grant",
            obj=membership,
            summary=str(membership),
        )
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: Any) -> None:
    summary = str(membership)
    pk = membership.pk
    membership.delete()
    audit_record(
        actor=actor,
        action="accounts.membership_revoke",
        object_type="accounts.membership",
        object_id=str(pk),
        summary=summary,
    )


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "", actor: Any = None) -> IssuedToken:
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[: len(TOKEN_PREFIX) + 6], key_hash=hash_token(key)
    )
    audit_record(actor=actor, action="accounts.token_create", obj=token, summary=token.prefix)
    return IssuedToken(token, key)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="accounts.token_revoke", obj=token, summary=token.prefix)


def lockout_message(minutes: int) -> str:
    return _(
        "This account is temporarily locked after too many failed logins. "
        "Try again in %(minutes)d minutes or ask your administrator."
    ) % {"minutes": minutes}


# --- the second factor (TOTP) --------------------------------------------------------------

SECOND_FACTOR_MAX_FAILURES = 5  # wrong codes in a row before a pause
SECOND_FACTOR_PAUSE_SECONDS = 300


class SecondFactorError(Exception):
    """A code was refused; the message says why, in the user's language."""


def second_factor_required(user: User) -> bool:
    """When the second factor is switched on (ANTQ_TOTP), administrators, superusers and tip
    handlers must use it; other officials may."""
    if not settings.ANTQ_TOTP or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    from antq.accounts.models import Role
    from antq.accounts.selectors import user_memberships

    roles = (Role.ADMINISTRATOR, Role.TIP_HANDLER)
    return user_memberships(user).filter(role__in=roles).exists()


def second_factor_of(user: User):
    """The user's confirmed authenticator, or None."""
    from antq.accounts.models import SecondFactor

    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def _secret(device) -> bytes:
    from antq.core import crypto
    from antq.core.keys import master_key

    return crypto.open_private_key(master_key(), bytes(device.sealed_secret))


@transaction.atomic
def second_factor_begin(*, user: User) -> bytes:
    """A new secret for the user's app, kept unconfirmed until a first code matches (an
    earlier unconfirmed one is replaced). To change a confirmed app, remove it first."""
    from antq.accounts.models import SecondFactor
    from antq.accounts.totp import new_secret
    from antq.core import crypto
    from antq.core.keys import master_key

    if second_factor_of(user) is not None:
        raise SecondFactorError(_("An authenticator app is already set up for this account."))
    master = master_key()
    secret = new_secret()
    SecondFactor.objects.update_or_create(
        user=user,
        defaults={
            "sealed_secret": crypto.seal_private_key(master, secret),
            "master_id": crypto.master_fingerprint(master),
            "confirmed_at": None,
            "last_step": -1,
        },
    )
    return secret


def second_factor_pending(user: User) -> bytes | None:
    """The secret of the user's unconfirmed app (shown again while setting it up)."""
    from antq.accounts.models import SecondFactor

    device = SecondFactor.objects.filter(user=user, confirmed_at__isnull=True).first()
    return _secret(device) if device else None


def _paused(user: User) -> None:
    if cache.get(f"antq:2fa-fail:{user.pk}", 0) >= SECOND_FACTOR_MAX_FAILURES:
        raise SecondFactorError(
            _("Too many wrong codes. Wait %(n)s minutes and try again.")
            % {"n": SECOND_FACTOR_PAUSE_SECONDS // 60}
        )


def _failed(user: User) -> None:
    key = f"antq:2fa-fail:{user.pk}"
    cache.set(key, cache.get(key, 0) + 1, timeout=SECOND_FACTOR_PAUSE_SECONDS)
    audit_record(actor=user, action="accounts.second_factor_failed", obj=user)
    raise SecondFactorError(
        _("The code is wrong or has expired. Enter the code the app shows now.")
    )


@transaction.atomic
def second_factor_confirm(*, user: User, code: str) -> None:
    """Confirm the user's new app with a first code it shows."""
    from antq.accounts.models import SecondFactor
    from antq.accounts.totp import matching_step

    _paused(user)
    device = (
        SecondFactor.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=True)
        .first()
    )
    if device is None:
        raise SecondFactorError(_("Start again: scan the new code first."))
    step = matching_step(_secret(device), code)
    if step is None:
        _failed(user)
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    cache.delete(f"antq:2fa-fail:{user.pk}")
    audit_record(actor=user, action="accounts.second_factor_on", obj=user)


@transaction.atomic
def second_factor_check(*, user: User, code: str) -> None:
    """Check a login's code; each code is accepted once. SecondFactorError if refused."""
    from antq.accounts.models import SecondFactor
    from antq.accounts.totp import matching_step

    _paused(user)
    device = (
        SecondFactor.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        raise SecondFactorError(_("This account has no authenticator app."))
    step = matching_step(_secret(device), code, after=device.last_step)
    if step is None:
        _failed(user)
    device.last_step = step
    device.save(update_fields=["last_step"])
    cache.delete(f"antq:2fa-fail:{user.pk}")
    audit_record(actor=user, action="accounts.second_factor_login", obj=user)


@transaction.atomic
def second_factor_remove(*, user: User, actor: Any) -> bool:
    """Remove the user's app: by the user where it is optional, or by an administrator (a
    lost phone: the user enrols again at the next login). False if there was none."""
    from antq.accounts.models import SecondFactor

    if actor == user and second_factor_required(user):
        raise SecondFactorError(_("Your role requires the second factor; it cannot be removed."))
    deleted, _n = SecondFactor.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, action="accounts.second_factor_off", obj=user)
    return bool(deleted)
