"""The API's errors in Vietnamese (English on request), DRF's own included: DRF's catalogue
leaves "Authentication credentials were not provided." and its kin in English."""

from __future__ import annotations

import pytest

from antq.accounts.services import token_create

pytestmark = pytest.mark.django_db


def error(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


def test_no_credentials_is_said_in_vietnamese_and_in_english_on_request(client):
    vi = error(client.get("/api/v1/me/"))
    assert vi["code"] == "not_authenticated" and "Authorization: Token" in vi["message"]
    assert "credentials" not in vi["message"] and "Cần" in vi["message"]
    en = error(client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en"))
    assert en["message"].startswith("Credentials are needed")


@pytest.fixture
def token(people) -> str:
    return token_create(user=people.official, name="test").key


def test_a_body_that_is_not_json_or_not_sent_as_json_is_explained(client, token):
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    broken = client.post(
        "/api/v1/datavalues/bulk", "{not json", content_type="application/json", **auth
    )
    assert broken.status_code == 400
    assert error(broken) == {
        "code": "bad_request",
        "message": "Nội dung gửi lên không phải JSON hợp lệ.",
    }
    plain = client.post("/api/v1/datavalues/bulk", "x", content_type="text/plain", **auth)
    assert plain.status_code == 415
    assert "Content-Type: application/json" in error(plain)["message"]
    assert "Unsupported" not in error(plain)["message"]


def test_a_page_past_the_end_and_antqs_own_words_stay_as_written(client, token):
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    past = client.get("/api/v1/documents/?page=999", **auth)
    assert past.status_code == 404
    assert error(past)["message"] == "Không có trang kết quả này."
    # A message antq wrote itself (the NUL character's) is not replaced.
    nul = client.post(
        "/api/v1/datavalues/bulk",
        '{"values": ["\\u0000"]}',
        content_type="application/json",
        **auth,
    )
    assert nul.status_code == 400 and "NUL" in error(nul)["message"]
