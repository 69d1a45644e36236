"""The second factor (TOTP): RFC 6238 codes, setting up an app, logging in with the code,
no replays, pauses after wrong codes, required roles, removal, and re-sealing on rotation."""

from __future__ import annotations

import base64
import datetime as dt
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from antq.accounts import totp
from antq.accounts.models import Role, SecondFactor
from antq.accounts.services import (
    SecondFactorError,
    membership_grant,
    second_factor_begin,
    second_factor_check,
    second_factor_confirm,
    second_factor_remove,
    second_factor_required,
    user_create,
)
from antq.core import crypto
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def switched_on(settings, monkeypatch, tmp_path):
    settings.ANTQ_TOTP = True
    key = crypto.new_master_key()
    monkeypatch.setenv("ANTQ_MASTER_KEY", base64.urlsafe_b64encode(key).decode().rstrip("="))
    monkeypatch.setenv("ANTQ_MASTER_KEY_FILE", str(tmp_path / "master.key"))
    cache.clear()
    return key


def test_codes_follow_rfc_6238():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits → the last 6
    secret = b"12345678901234567890"
    for when, code in ((59, "287082"), (1111111109, "081804"), (1234567890, "005924")):
        assert totp.code_at(secret, totp.step_at(when)) == code
    step = totp.step_at(1111111109)
    assert totp.matching_step(secret, "081 804", when=1111111109) == step
    assert totp.matching_step(secret, "081804", when=1111111109 + 30) == step  # a step late
    assert totp.matching_step(secret, "081804", when=1111111109 + 90) is None  # too late
    assert totp.matching_step(secret, "081804", after=step, when=1111111109) is None  # replay
    assert totp.matching_step(secret, "12345", when=59) is None


def _now_code(user) -> str:
    device = SecondFactor.objects.get(user=user)
    from antq.core.keys import master_key

    secret = crypto.open_private_key(master_key(), bytes(device.sealed_secret))
    return totp.code_at(secret, totp.step_at())


def test_setting_up_and_checking_codes(people):
    user = people.official
    assert not second_factor_required(user)  # data entry: optional
    secret = second_factor_begin(user=user)
    stored = SecondFactor.objects.get(user=user)
    assert secret not in bytes(stored.sealed_secret)  # sealed, not stored in clear
    with pytest.raises(SecondFactorError):
        second_factor_confirm(user=user, code="000000" if _now_code(user) != "000000" else "1")
    code = _now_code(user)
    second_factor_confirm(user=user, code=code)
    with pytest.raises(SecondFactorError):  # the confirming code cannot log in again
        second_factor_check(user=user, code=code)
    with pytest.raises(SecondFactorError):  # already set up
        second_factor_begin(user=user)


def test_wrong_codes_pause_the_account(people):
    user = people.official
    second_factor_begin(user=user)
    second_factor_confirm(user=user, code=_now_code(user))
    right = _now_code(user)
    wrong = "111111" if right != "111111" else "222222"
    for _ in range(5):
        with pytest.raises(SecondFactorError):
            second_factor_check(user=user, code=wrong)
    with pytest.raises(SecondFactorError, match=r"Wait|Chờ|phút|minutes"):
        second_factor_check(user=user, code=right)  # paused even with the right code


def test_administrators_and_tip_handlers_must_use_it(people, settings):
    handler = user_create(username="tiepnhan", password=PASSWORD, full_name="Tiếp nhận")
    membership_grant(
        user=handler, body=people.na_sam, role=Role.TIP_HANDLER, valid_from=dt.date(2025, 7, 1)
    )
    assert second_factor_required(handler)
    settings.ANTQ_TOTP = False
    assert not second_factor_required(handler)
    settings.ANTQ_TOTP = True
    c = Client()
    answer = c.post("/accounts/login/", {"username": "tiepnhan", "password": PASSWORD})
    assert answer.status_code == 302
    page = c.get("/data/")  # anything: sent to set up the app first
    assert page.status_code == 302 and page["Location"].startswith("/accounts/second-factor/setup/")
    api = c.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_required"
    setup = c.get("/accounts/second-factor/setup/")
    assert setup.status_code == 200
    html = setup.content.decode()
    assert 'src="data:image/svg+xml' in html
    typed = re.search(r'data-testid="second-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    secret = base64.b32decode(typed.replace(" ", "") + "=" * (-len(typed.replace(" ", "")) % 8))
    assert c.post("/accounts/second-factor/setup/", {"code": "abc"}).status_code == 400
    code = totp.code_at(secret, totp.step_at())
    assert c.post("/accounts/second-factor/setup/", {"code": code}).status_code == 302
    assert c.get("/data/").status_code == 200
    with pytest.raises(SecondFactorError):  # required: the user cannot remove it
        second_factor_remove(user=handler, actor=handler)
    uri = totp.provisioning_uri(secret, "tiepnhan")
    assert parse_qs(urlsplit(uri).query)["issuer"] == ["antq"]
    assert unquote(urlsplit(uri).path) == "/antq:tiepnhan"


def test_logging_in_takes_the_password_then_the_code(people):
    user = people.official
    second_factor_begin(user=user)
    second_factor_confirm(user=user, code=_now_code(user))
    SecondFactor.objects.filter(user=user).update(last_step=-1)  # the code may be used again
    c = Client()
    answer = c.post(
        "/accounts/login/", {"username": "official", "password": PASSWORD, "next": "/data/"}
    )
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/second-factor/")
    assert c.get("/data/").status_code == 302  # not logged in yet
    bad = c.post("/accounts/second-factor/?next=/data/", {"code": "12"})
    assert bad.status_code == 400
    good = c.post("/accounts/second-factor/?next=/data/", {"code": _now_code(user)})
    assert good.status_code == 302 and good["Location"] == "/data/"
    assert c.get("/data/").status_code == 200
    # without a password first, the code page sends back to the login
    assert Client().get("/accounts/second-factor/")["Location"].startswith("/accounts/login/")
    # a session from before the app was set up is ended at the next request
    other = Client()
    other.force_login(user)
    assert other.get("/data/")["Location"].startswith("/accounts/login/")


def test_rotating_the_master_key_reseals_the_secrets(people, switched_on, monkeypatch):
    from antq.tips import vault

    user = people.official
    second_factor_begin(user=user)
    second_factor_confirm(user=user, code=_now_code(user))
    new = crypto.new_master_key()
    assert vault.reseal(switched_on, new) >= 1
    assert vault.sealed_by() == {crypto.master_fingerprint(new)}
    monkeypatch.setenv("ANTQ_MASTER_KEY", base64.urlsafe_b64encode(new).decode().rstrip("="))
    SecondFactor.objects.filter(user=user).update(last_step=-1)
    second_factor_check(user=user, code=_now_code(user))  # still the same app


def test_the_setup_page_is_absent_when_off_and_says_so_without_a_master_key(
    people, settings, monkeypatch, tmp_path
):
    c = Client()
    c.force_login(people.official)
    settings.ANTQ_TOTP = False
    assert c.get("/accounts/second-factor/setup/").status_code == 404
    settings.ANTQ_TOTP = True
    monkeypatch.delenv("ANTQ_MASTER_KEY")
    monkeypatch.setenv("ANTQ_MASTER_KEY_FILE", str(tmp_path / "absent" / "master.key"))
    page = c.get("/accounts/second-factor/setup/")
    assert page.status_code == 503 and 'data-testid="second-factor-unavailable"' in (
        page.content.decode()
    )
    assert not SecondFactor.objects.exists()
