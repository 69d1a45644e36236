"""The OpenAPI schema describes every endpoint without a warning, and the errors each one
may answer in the API's one error shape."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_validates_without_warnings():
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    text = out.getvalue()
    for path in (
        "/api/v1/areas/{code}/",
        "/api/v1/documents/parse",
        "/api/v1/documents/{id}/links/",
        "/api/v1/plans/{id}/send/",
        "/api/v1/assignments/{id}/progress/",
        "/api/v1/reports/results",
    ):
        assert path in text, path


@pytest.fixture
def schema() -> dict:
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    return json.loads(out.getvalue())


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    body = schema["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"code", "message", "details"}
    assert body["required"] == ["code", "message"]
    for label, operation in operations(schema):
        responses = operation["responses"]
        errors = {code for code in responses if code >= "400"}
        assert "400" in errors, label
        for code in errors:
            assert responses[code]["content"] == error["content"], (label, code)
        public = {} in operation.get("security", [])
        assert ("401" in errors) is not public, label
        assert ("404" in errors) >= ("{" in label), label
        assert ("415" in errors) is ("requestBody" in operation), label


def test_the_errors_particular_to_an_operation_are_documented(schema):
    responses = {label: set(operation["responses"]) for label, operation in operations(schema)}
    assert {"404", "429"} <= responses["POST /api/v1/tips/lookup"]
    assert {"404", "429"} <= responses["POST /api/v1/tips/messages"]
    assert "429" in responses["POST /api/v1/tips/"]
    assert "409" in responses["POST /api/v1/documents/"]
    assert "404" in responses["GET /api/v1/analytics/"]
    assert "404" in responses["GET /api/v1/grassroots/models/"]  # a page past the last
    assert "404" not in responses["GET /api/v1/me/"]
