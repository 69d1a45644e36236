"""A NUL character (\\0), which PostgreSQL refuses in any string, never reaches a query: in a
path or query string it is a 400 (the API's error shape under /api/), in a JSON body a 400
`bad_request`, in a cookie it is ignored (found by tests/security/test_api_fuzz.py)."""

from __future__ import annotations

import json

import pytest

from antq.accounts.services import token_create

pytestmark = pytest.mark.django_db
NUL_MESSAGE = "The request contains a NUL character, which no field accepts."


def api_error(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/areas/?level=%00",
        "/api/v1/areas/?parent=06%0024",
        "/api/v1/areas/?%00=1",
        "/api/v1/areas/20%00/",
        "/api/v1/areas/%00/history/",
    ],
)
def test_a_nul_in_an_api_path_or_query_is_a_json_400(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert api_error(response) == {"code": "bad_request", "message": NUL_MESSAGE}


def test_a_nul_in_an_authenticated_query_is_a_json_400(client, people):
    token = token_create(user=people.manager).key
    response = client.get(
        "/api/v1/analytics/?indicator=a%00b&area=20", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 400
    assert api_error(response)["code"] == "bad_request"


@pytest.mark.parametrize(
    "body",
    [
        {"receipt": "AB\u0000CD"},
        {"receipt": "ABCD", "x\u0000": 1},
        {"receipt": ["ok", {"deep": "a\u0000"}]},
    ],
)
def test_a_nul_in_a_json_body_is_a_400_bad_request(client, body):
    response = client.post(
        "/api/v1/tips/lookup",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert api_error(response) == {"code": "bad_request", "message": NUL_MESSAGE}


def test_the_escaped_text_of_a_nul_is_accepted_as_text(client, people):
    token = token_create(user=people.manager).key
    response = client.post(
        "/api/v1/documents/parse",
        data=json.dumps({"text": "\\u0000 nothing to cite"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200


def test_a_nul_in_a_page_query_is_the_400_page(client):
    response = client.get("/areas/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_session_cookie_with_a_nul_is_ignored(client):
    client.cookies["antq_session"] = "abcdefgh\x00ijklmnop"
    assert client.get("/api/v1/areas/20/").status_code == 200
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert client.get("/").status_code == 200
