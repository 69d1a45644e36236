"""Keeping the tip line out of the logs: no line is written about a request to a path in
settings.ANTQ_UNLOGGED_PATHS — neither by Django's loggers nor in gunicorn's access log — so
that no log ties a tip to an address or a minute (docs/security.md)."""

from __future__ import annotations

import logging

from django.conf import settings


def unlogged(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.ANTQ_UNLOGGED_PATHS)


class NoTipRequests(logging.Filter):
    """Drops log records about requests to unlogged paths (django.request, django.server,
    and any record carrying the request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None) or getattr(request, "path_info", None)
        if isinstance(path, str) and unlogged(path):
            return False
        message = record.getMessage() if record.args or record.msg else ""
        return not any(f" {prefix}" in message for prefix in settings.ANTQ_UNLOGGED_PATHS)


def gunicorn_logger():
    """gunicorn's logger without access lines for unlogged paths."""
    from gunicorn.glogging import Logger

    class AccessLogger(Logger):
        def access(self, resp, req, environ, request_time):
            if unlogged(environ.get("PATH_INFO", "")):
                return
            super().access(resp, req, environ, request_time)

    return AccessLogger
