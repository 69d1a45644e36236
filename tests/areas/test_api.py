"""The public areas API: lists, one area with its children, history; one error shape."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_it_lists_34_provinces_after_the_reform(client):
    response = client.get("/api/v1/areas/", {"level": "province", "on": "2025-07-01"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 34
    assert {"code": "20", "name": "Tỉnh Lạng Sơn"}.items() <= next(
        r for r in data["results"] if r["code"] == "20"
    ).items()
    assert all(r["parent"] == "VN" for r in data["results"])


def test_it_lists_63_provinces_before_and_the_children_of_a_parent(client):
    assert client.get("/api/v1/areas/?level=province&on=2025-01-01").json()["count"] == 63
    data = client.get("/api/v1/areas/?parent=182&on=01/01/2022&page_size=100").json()
    assert data["count"] == 17
    assert {r["parent"] for r in data["results"]} == {"182"}
    assert client.get("/api/v1/areas/?level=commune&on=2025-07-01").json()["count"] == 3321


def test_it_shows_an_area_with_its_children_on_a_date(client):
    data = client.get("/api/v1/areas/20/?on=2022-01-01").json()
    assert data["name"] == "Tỉnh Lạng Sơn"
    assert data["level"] == "province" and data["kind"] == "province"
    assert data["parent"]["code"] == "VN"
    assert len(data["children"]) == 11
    assert {c["level"] for c in data["children"]} == {"district"}
    today = client.get("/api/v1/areas/20/").json()
    assert len(today["children"]) == 65
    assert today["valid_to"] is None


def test_code_05977_means_different_wards_on_different_dates(client):
    before = client.get("/api/v1/areas/05977/?on=2025-06-30").json()
    after = client.get("/api/v1/areas/05977/?on=2025-07-01").json()
    assert before["name"] == "Phường Vĩnh Trại" and before["parent"]["code"] == "178"
    assert before["valid_to"] == "2025-06-30"
    assert after["name"] == "Phường Đông Kinh" and after["parent"]["code"] == "20"


def test_history_lists_every_holder_of_a_code(client):
    history = client.get("/api/v1/areas/05977/history/").json()
    assert [h["area"]["name"] for h in history] == ["Phường Vĩnh Trại", "Phường Đông Kinh"]
    assert history[0]["successors"][0]["area"]["name"] == "Phường Đông Kinh"
    assert {p["area"]["name"] for p in history[1]["predecessors"]} == {
        "Phường Vĩnh Trại",
        "Phường Đông Kinh",
        "Xã Mai Pha",
        "Xã Yên Trạch",
    }
    only = client.get("/api/v1/areas/05977/history/?on=2022-01-01").json()
    assert len(only) == 1


def test_an_unknown_code_is_a_json_404(client):
    assert_error(client.get("/api/v1/areas/99999/"), 404, "not_found")
    assert_error(client.get("/api/v1/areas/99999/history/"), 404, "not_found")
    assert_error(client.get("/api/v1/areas/?parent=99999"), 404, "not_found")


def test_a_date_before_any_record_is_a_json_404(client):
    error = assert_error(client.get("/api/v1/areas/20/?on=2018-01-01"), 404, "not_found")
    assert "01/01/2018" in error["message"]


@pytest.mark.parametrize("bad", ["2022-13-01", "31/02/2022", "yesterday", "2022-1", "1" * 300])
def test_a_malformed_date_is_a_json_400(client, bad):
    assert_error(client.get("/api/v1/areas/20/", {"on": bad}), 400, "invalid_date")
    assert_error(client.get("/api/v1/areas/", {"on": bad}), 400, "invalid_date")


def test_an_unknown_level_is_a_json_400(client):
    assert_error(client.get("/api/v1/areas/?level=planet"), 400, "invalid_level")


def test_errors_speak_vietnamese_unless_english_is_asked(client):
    vi = assert_error(client.get("/api/v1/areas/99999/"), 404, "not_found")
    en = assert_error(
        client.get("/api/v1/areas/99999/", HTTP_ACCEPT_LANGUAGE="en"), 404, "not_found"
    )
    assert vi["message"] != en["message"]
    assert "99999" in vi["message"] and "99999" in en["message"]


def test_an_unknown_api_path_is_a_json_404(client):
    assert_error(client.get("/api/v1/nothing-here/"), 404, "not_found")


def test_writes_are_not_allowed_on_the_public_api(client):
    assert_error(
        client.post("/api/v1/areas/", {}, content_type="application/json"),
        405,
        "method_not_allowed",
    )


def test_the_openapi_schema_describes_the_areas_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/areas/{code}/history/" in text
    assert "tokenAuth" in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
