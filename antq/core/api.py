"""The API's one error shape: {"error": {"code": ..., "message": ..., "details": ...}}."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class APIError(exceptions.APIException):
    """Raise with a code and a translated message from any API view."""

    def __init__(self, message: str, *, code: str, status_code: int = 400, details: Any = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.details = details


_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    429: "throttled",
}


def json_number(value: Decimal) -> int | float:
    """A figure as the API writes numbers: an integer when whole, else a decimal number."""
    return int(value) if value == value.to_integral() else float(value)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, e.g. `invalid`, `not_found`.")
    message = serializers.CharField(help_text="In Vietnamese, or English with Accept-Language.")
    details = serializers.JSONField(required=False, help_text="Per field, when there are any.")


class ErrorSerializer(serializers.Serializer):
    """The schema of every error answer (documentation only)."""

    error = ErrorBodySerializer()


ERROR_DESCRIPTIONS = {
    400: "Bad input: `invalid` with `details` per field, or another code.",
    401: "No credentials, or a token that is unknown or revoked.",
    403: "Outside the caller's rights.",
    404: "No such record, or none the caller may see.",
    409: "It conflicts with a record that exists.",
    415: "The body is not JSON (send Content-Type: application/json).",
    429: "Too many requests from this client; try again later.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Error answers for `@extend_schema(responses=...)`, beside those antq.core.schema
    documents on every operation."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or _("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("You do not have permission."))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, APIError):
        response.data = error_body(exc.error_code, str(exc.detail), exc.details)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("The request has invalid fields."), exc.detail)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = _CODES.get(response.status_code, "error")
        response.data = error_body(code, _own_words(exc) or str(detail))
    return response


def _own_words(exc: Exception) -> str | None:
    """antq's message for an error DRF raises in its own words, which its catalogue leaves in
    English for Vietnamese ("Authentication credentials were not provided."…); None for a
    message antq wrote itself (a NUL character, an unknown record…), which stays."""
    if not isinstance(exc, exceptions.APIException):
        return None
    text = str(exc.detail)
    drf_default = text == str(exc.default_detail)
    if isinstance(exc, exceptions.NotAuthenticated) and drf_default:
        return _("Credentials are needed: send your token in the header “Authorization: Token …”.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("The body must be JSON, sent with “Content-Type: application/json”.")
    if isinstance(exc, exceptions.ParseError) and (drf_default or text.startswith("JSON parse")):
        return _("The body is not valid JSON.")
    if isinstance(exc, exceptions.NotAcceptable) and drf_default:
        return _("The answer cannot be given in the format the Accept header asks for.")
    if isinstance(exc, exceptions.NotFound) and text == "Invalid page.":
        return _("There is no such page of results.")
    return None


def json_error(request: HttpRequest, status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return json_error(request, status.HTTP_404_NOT_FOUND, "not_found", _("No such API endpoint."))


def api_server_error(request: HttpRequest) -> JsonResponse:
    return json_error(
        request, 500, "server_error", _("The server met an error. It has been logged.")
    )


def api_storage_full(request: HttpRequest) -> JsonResponse:
    return json_error(request, 503, "storage_full", storage_full_message())


def api_keys_unavailable(request: HttpRequest) -> JsonResponse:
    return json_error(request, 503, "keys_unavailable", keys_unavailable_message())


def keys_unavailable_message() -> str:
    return _(
        "This service cannot work yet: the server's master key is not set up. Nothing was "
        "saved. Tell the administrator, then try again later."
    )


def storage_full_message() -> str:
    return _(
        "The server's storage is full: nothing of this request was saved. "
        "Tell your administrator, then send it again."
    )
