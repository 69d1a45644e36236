"""The OpenAPI schema describes every endpoint without a warning."""

from __future__ import annotations

import io

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
