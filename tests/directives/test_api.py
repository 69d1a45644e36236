"""The directives API: parse, documents, links, tasks, assignments, progress; one error shape."""

from __future__ import annotations

import pytest

from antq.accounts.services import token_create
from antq.directives.models import Document, ProgressReport
from tests.directives.conftest import assignment_of

pytestmark = pytest.mark.django_db


def api(client, user, method, path, data=None):
    key = token_create(user=user).key
    call = getattr(client, method)
    kwargs = {"HTTP_AUTHORIZATION": f"Token {key}"}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    return call(path, **kwargs)


def test_parse_returns_every_citation_as_json(client, chain):
    text = "Kết luận số 44-KL/TW, ngày 22/01/2019 và Kế hoạch số 100-KH/TU ngày 22/3/2019"
    response = api(client, chain.viewer, "post", "/api/v1/documents/parse", {"text": text})
    assert response.status_code == 200
    data = response.json()
    assert [(r["symbol"], r["date"]) for r in data] == [
        ("44-KL/TW", "2019-01-22"),
        ("100-KH/TU", "2019-03-22"),
    ]
    assert data[0]["kind"] == "KL" and data[0]["kind_name"] == "Kết luận"
    assert text[data[0]["span"][0] : data[0]["span"][1]].endswith("44-KL/TW")


def test_parse_needs_a_text_field(client, chain):
    response = api(client, chain.viewer, "post", "/api/v1/documents/parse", {"body": "x"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_documents_are_listed_within_scope(client, chain):
    response = api(client, chain.district_official, "get", "/api/v1/documents/")
    symbols = {d["symbol"] for d in response.json()["results"]}
    assert symbols == {"44-KL/TW", "100-KH/TU"}


def test_the_schema_shows_the_documents_list_paginated_as_it_is_answered(client, chain):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/documents/"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PaginatedDocumentList"}
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}
    page = api(client, chain.district_official, "get", "/api/v1/documents/?page_size=1")
    assert set(page.json()) == {"count", "next", "previous", "results"}
    assert page.json()["count"] == 2 and len(page.json()["results"]) == 1


def test_a_document_comes_with_its_lineage(client, chain):
    data = api(client, chain.manager, "get", f"/api/v1/documents/{chain.plan.pk}/").json()
    assert data["symbol"] == "100-KH/TU" and data["issuer"] == "t-tu"
    assert [n["document"]["symbol"] for n in data["lineage"]["up"]] == ["44-KL/TW"]
    assert data["lineage"]["up"][0]["link"] == "implements"


def test_registering_a_duplicate_is_a_409_pointing_at_the_existing_one(client, chain):
    payload = {
        "kind": "KH",
        "symbol": "100-KH/TU",
        "issuer": "t-tu",
        "issued_on": "2019-05-01",
        "term": "XVI",
    }
    response = api(client, chain.manager, "post", "/api/v1/documents/", payload)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate" and error["details"]["existing"] == chain.plan.pk


def test_registering_for_an_issuer_outside_ones_scope_is_refused(client, chain):
    payload = {"kind": "KH", "symbol": "50-KH/HU", "issuer": "t-hu-cl", "issued_on": "2019-05-01"}
    response = api(client, chain.district_official, "post", "/api/v1/documents/", payload)
    assert response.status_code == 403
    assert not Document.objects.filter(symbol="50-KH/HU").exists()


def test_a_manager_registers_a_document_and_adds_a_task(client, chain):
    payload = {
        "kind": "KH",
        "symbol": "120-KH/TU",
        "issuer": "t-tu",
        "issued_on": "2020-02-01",
        "subject": "Kế hoạch",
    }
    response = api(client, chain.manager, "post", "/api/v1/documents/", payload)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    bad = api(
        client,
        chain.manager,
        "post",
        f"/api/v1/plans/{pk}/tasks/",
        {"title": "Nhiệm vụ", "lead_body": None},
    )
    assert bad.status_code == 400 and "lead_body" in bad.json()["error"]["details"]
    early = api(
        client,
        chain.manager,
        "post",
        f"/api/v1/plans/{pk}/tasks/",
        {"title": "Nhiệm vụ", "lead_body": "t-tu", "due_on": "2019-01-01"},
    )
    assert early.status_code == 400 and "due_on" in early.json()["error"]["details"]
    ok = api(
        client,
        chain.manager,
        "post",
        f"/api/v1/plans/{pk}/tasks/",
        {
            "title": "Nhiệm vụ",
            "lead_body": "t-tu",
            "due_on": "2020-06-30",
            "for_all_recipients": True,
        },
    )
    assert ok.status_code == 201
    sent = api(
        client,
        chain.manager,
        "post",
        f"/api/v1/plans/{pk}/send/",
        {"bodies": ["t-hu-vl"], "sent_on": "2020-02-02"},
    )
    assert sent.json() == {"assignments_created": 1}


def test_assignments_carry_derived_statuses(client, chain):
    data = api(
        client, chain.district_official, "get", f"/api/v1/assignments/?plan={chain.plan.pk}"
    ).json()
    assert {a["body"] for a in data} == {"t-hu-vl"}
    assert {a["status"] for a in data if a["task"] == chain.task_plan.pk} == {"overdue"}


def test_progress_is_reported_only_by_the_assignee(client, chain):
    assignment = assignment_of(chain, chain.van_lang)
    payload = {"reported_on": "2019-05-20", "text": "Đã ban hành kế hoạch", "completed": True}
    denied = api(
        client, chain.outsider, "post", f"/api/v1/assignments/{assignment.pk}/progress/", payload
    )
    assert denied.status_code == 404
    viewer = api(
        client, chain.viewer, "post", f"/api/v1/assignments/{assignment.pk}/progress/", payload
    )
    assert viewer.status_code == 403 and viewer.json()["error"]["code"] == "permission_denied"
    ok = api(
        client,
        chain.district_official,
        "post",
        f"/api/v1/assignments/{assignment.pk}/progress/",
        payload,
    )
    assert ok.status_code == 201 and ok.json()["status"] == "done"
    future = api(
        client,
        chain.district_official,
        "post",
        f"/api/v1/assignments/{assignment.pk}/progress/",
        {**payload, "reported_on": "2099-01-01"},
    )
    assert future.status_code == 400 and "reported_on" in future.json()["error"]["details"]
    assert ProgressReport.objects.count() == 1


def test_the_directives_api_needs_a_login(client, chain):
    response = client.get("/api/v1/documents/")
    assert response.status_code in (401, 403) and "error" in response.json()
