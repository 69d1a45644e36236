"""The OpenAPI schema's error answers: every operation documents those any request to it may
get, in the API's one error shape (antq.core.api); views add their own (`error_responses`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse

from antq.core.api import ERROR_DESCRIPTIONS, ErrorSerializer


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            if str(code) not in responses:
                error = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                # JSON whatever the operation's other answers are (antq.reports' files).
                responses[str(code)] = self._get_response_for_code(
                    error, str(code), media_types=["application/json"]
                )
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[int]:
        # Any request may be malformed: a NUL character, JSON that does not parse.
        codes = [400]
        if self.view.get_authenticators():
            codes += [401, 403]
        in_path = any(p["in"] == "path" for p in operation.get("parameters", []))
        paginated = self.method == "GET" and self._is_list_view() and self._get_paginator()
        if in_path or paginated:  # an unknown id, or a page past the last
            codes.append(404)
        if "requestBody" in operation:
            codes.append(415)
        return codes
