"""API tokens: issued once, stored hashed, revocable; the command prints one."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from antq.accounts.models import ApiToken
from antq.accounts.services import token_create, token_revoke

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_working_token_on_the_last_line(client, people):
    out = io.StringIO()
    call_command("token", "create", "official", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("antq_") and len(key) > 40
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "official"
    assert data["memberships"][0]["body"]["code"] == "t-ca-na-sam"
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_the_token_is_stored_only_as_a_hash(people):
    issued = token_create(user=people.official)
    stored = ApiToken.objects.get()
    assert issued.key not in (stored.key_hash, stored.prefix)
    assert issued.key.startswith(stored.prefix)


def test_the_command_refuses_an_unknown_user(people):
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("token", "create", "nobody")


def test_a_revoked_or_wrong_token_is_refused_with_the_json_error_shape(client, people):
    issued = token_create(user=people.official)
    token_revoke(token=issued.token, actor=people.manager)
    for header in (f"Token {issued.key}", "Token antq_not-a-real-token", "Token a b"):
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_the_api_needs_authentication(client):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert "error" in response.json()
