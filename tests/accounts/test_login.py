"""Logging in, throttling failures, logging out, changing the password."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from antq.accounts.models import User
from antq.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_an_official_logs_in_and_out(client, people):
    response = login(client, "official", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/accounts/me/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login", actor=people.official).exists()
    client.post("/accounts/logout/")
    assert client.get("/accounts/me/").status_code == 302


def test_logout_needs_a_post(client, people):
    client.force_login(people.official)
    assert client.get("/accounts/logout/").status_code == 405


def test_a_wrong_password_is_refused_in_vietnamese(client, people):
    response = login(client, "official", "sai-mật-khẩu")
    assert response.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_redirects_only_to_local_pages_after_login(client, people):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "official", "password": PASSWORD},
    )
    assert response["Location"] == "/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"username": "official", "password": PASSWORD, "next": "/areas/20/"}
    )
    assert response["Location"] == "/areas/20/"


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, people, settings):
    settings.ANTQ_LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        assert login(client, "official", "wrong-password").status_code == 400
    response = login(client, "official", "wrong-password")
    assert response.status_code == 429
    assert "bị khóa" in response.content.decode()
    response = login(client, "official", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    people.official.refresh_from_db()
    assert people.official.locked_until > timezone.now()
    assert AuditEvent.objects.filter(
        action="accounts.lockout", object_id=str(people.official.pk)
    ).exists()
    # the colleague is not affected
    assert login(client, "colleague", PASSWORD).status_code == 302


def test_the_lock_expires(client, people, settings):
    settings.ANTQ_LOGIN_MAX_FAILURES = 2
    login(client, "official", "x")
    login(client, "official", "x")
    User.objects.filter(pk=people.official.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert login(client, "official", PASSWORD).status_code == 302
    people.official.refresh_from_db()
    assert people.official.failed_logins == 0 and people.official.locked_until is None


def test_failures_outside_the_window_do_not_add_up(client, people, settings):
    settings.ANTQ_LOGIN_MAX_FAILURES = 2
    login(client, "official", "x")
    User.objects.filter(pk=people.official.pk).update(
        first_failed_login_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert login(client, "official", "x").status_code == 400  # a new window: 1 failure
    assert login(client, "official", PASSWORD).status_code == 302


def test_unknown_names_are_throttled_like_real_ones(client, people, settings):
    settings.ANTQ_LOGIN_MAX_FAILURES = 2
    assert login(client, "nobody-here", "x").status_code == 400
    assert login(client, "nobody-here", "x").status_code == 400
    response = login(client, "nobody-here", "x")
    assert response.status_code == 429
    real = (
        login(client, "official", "x"),
        login(client, "official", "x"),
        login(client, "official", "x"),
    )
    assert real[-1].status_code == 429
    # the same words whether or not the account exists
    assert response.content.decode().count("bị khóa") == real[-1].content.decode().count("bị khóa")


def test_an_administrator_can_unlock(people):
    from antq.accounts.services import user_unlock

    User.objects.filter(pk=people.official.pk).update(
        failed_logins=9, locked_until=timezone.now() + dt.timedelta(hours=1)
    )
    user_unlock(user=people.official, actor=people.manager)
    people.official.refresh_from_db()
    assert people.official.locked_until is None
    assert AuditEvent.objects.filter(action="accounts.unlock", actor=people.manager).exists()


def test_a_disabled_account_cannot_log_in(client, people):
    User.objects.filter(pk=people.official.pk).update(is_active=False)
    response = login(client, "official", PASSWORD)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(people):
    assert people.official.password.startswith("argon2")


def test_an_official_changes_the_password(client, people):
    client.force_login(people.official)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "một-mật-khẩu-mới-đủ-dài",
            "new_password2": "một-mật-khẩu-mới-đủ-dài",
        },
    )
    assert response.status_code == 302
    people.official.refresh_from_db()
    assert people.official.check_password("một-mật-khẩu-mới-đủ-dài")
    assert AuditEvent.objects.filter(action="accounts.password_change").exists()
    assert client.get("/accounts/me/").status_code == 200  # still logged in


@pytest.mark.parametrize(
    ("old", "new1", "new2"),
    [
        ("wrong", "một-mật-khẩu-mới-đủ-dài", "một-mật-khẩu-mới-đủ-dài"),
        (PASSWORD, "một-mật-khẩu-mới-đủ-dài", "khác-hẳn-mật-khẩu-kia"),
        (PASSWORD, "short", "short"),
        (PASSWORD, "12345678901234", "12345678901234"),
    ],
)
def test_a_bad_password_change_is_refused(client, people, old, new1, new2):
    client.force_login(people.official)
    response = client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    people.official.refresh_from_db()
    assert people.official.check_password(PASSWORD)


def test_passwords_are_stored_with_the_production_argon2id_parameters(client, people, settings):
    """Production parameters (antq.accounts.hashers): a password hashed with Django's own
    Argon2 defaults still logs in, and is re-hashed with antq's at that login."""
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    from antq import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = people.official
    user.password = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    user.save(update_fields=["password"])
    assert "$m=102400,t=2,p=8$" in user.password

    assert login(client, "official", "not-the-password").status_code == 400
    user.refresh_from_db()
    assert "$m=102400,t=2,p=8$" in user.password  # a failed login rewrites nothing

    assert login(client, "official", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$") and "$m=19456,t=2,p=1$" in user.password
    client.post("/accounts/logout/")
    assert login(client, "official", PASSWORD).status_code == 302
