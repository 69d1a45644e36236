"""Log lines: one JSON object (or one line of text) per record, each line of a request with
the request's id, and nothing about the tip line.

No line is written about a request to a path in settings.ANTQ_UNLOGGED_PATHS — neither by
Django's loggers, nor by antq's request line, nor by anything logged while such a request is
handled, nor in gunicorn's access log — so that no log ties a tip to an address or a minute
(docs/security.md). No line carries a client's address.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


def unlogged(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.ANTQ_UNLOGGED_PATHS)


@dataclass(frozen=True)
class RequestContext:
    """The request being handled by this thread, as the log lines tell it."""

    request_id: str
    path: str
    unlogged: bool = False


current_request: ContextVar[RequestContext | None] = ContextVar("antq_request", default=None)

# Fields a record may carry (logger.info(..., extra={...})) that the lines show; nothing
# else of a record is written (Django's records carry the whole request, address included).
FIELDS = ("request_id", "method", "path", "route", "status", "duration_ms", "user_id")


class NoTipRequests(logging.Filter):
    """Drops log records about requests to unlogged paths (django.request, django.server,
    any record carrying the request) and every record written while one is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_request.get()
        if context is not None and context.unlogged:
            return False
        request = getattr(record, "request", None)
        path = getattr(request, "path", None) or getattr(request, "path_info", None)
        if isinstance(path, str) and unlogged(path):
            return False
        message = record.getMessage() if record.args or record.msg else ""
        return not any(f" {prefix}" in message for prefix in settings.ANTQ_UNLOGGED_PATHS)


def _fields(record: logging.LogRecord) -> dict[str, object]:
    out: dict[str, object] = {}
    context = current_request.get()
    if context is not None:
        out["request_id"] = context.request_id
        out["path"] = context.path
    for name in FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            out[name] = value
    status = getattr(record, "status_code", None)  # django.request's records
    if "status" not in out and isinstance(status, int):
        out["status"] = status
    return out


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", request_id, method, path, route, status,
    duration_ms, user_id, "exception"} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger message [id=…]`, for a person reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = _fields(record).get("request_id")
        if request_id:
            first, newline, rest = line.partition("\n")
            line = f"{first} id={request_id}{newline}{rest}"
        return line


def gunicorn_logger():
    """gunicorn's logger: its own lines in antq's format, no access lines for unlogged
    paths (antq writes its own line per request; `antq serve` turns gunicorn's off)."""
    from gunicorn.glogging import Logger

    class AntqLogger(Logger):
        def setup(self, cfg):
            super().setup(cfg)
            formatter = JsonFormatter() if settings.ANTQ_LOG_FORMAT == "json" else None
            if formatter is not None:
                for handler in self.error_log.handlers + self.access_log.handlers:
                    handler.setFormatter(formatter)

        def access(self, resp, req, environ, request_time):
            if unlogged(environ.get("PATH_INFO", "")):
                return
            super().access(resp, req, environ, request_time)

    return AntqLogger
