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
