"""The API's request parser: JSON, refusing the NUL character PostgreSQL cannot store."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

NUL = "\x00"


def nul_message() -> str:
    return _("The request contains a NUL character, which no field accepts.")


def has_nul(value: Any) -> bool:
    """Whether a NUL character is in a string, or in a key or value of parsed JSON."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a NUL character (written \\u0000) in any string or key is a 400
    `bad_request`: no field has a use for it (antq.core.middleware checks the path, the query
    string and the cookies)."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if has_nul(data):
            raise exceptions.ParseError(nul_message())
        return data
