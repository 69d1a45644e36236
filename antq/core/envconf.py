"""Strict readers for settings taken from environment variables (no Django needed).

A bad value stops the process with a message naming the variable, instead of
silently falling back to a default that nobody asked for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigError(ValueError):
    """A setting in the environment has a value antq cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    env = os.environ if environ is None else environ
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not re.fullmatch(r"[+-]?\d+", raw.strip()):
        raise ConfigError(f"{name}={raw!r} is not an integer")
    value = int(raw.strip())
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={value} is above the maximum {maximum}")
    return value


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return env.get(name, default)


def env_choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> str:
    env = os.environ if environ is None else environ
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}={raw!r} must be one of: {', '.join(choices)}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; empty items are an error, not silently dropped."""
    env = os.environ if environ is None else environ
    raw = env.get(name)
    if raw is None:
        return list(default)
    if raw.strip() == "":
        return []
    items = [item.strip() for item in raw.split(",")]
    if any(item == "" for item in items):
        raise ConfigError(f"{name}={raw!r} has an empty item")
    return items


@dataclass(frozen=True)
class DatabaseURL:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()


_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def parse_database_url(url: str) -> DatabaseURL:
    """Parse `postgres://user:pass@host:5432/name?sslmode=require` or `sqlite:////abs/path.db`."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _ENGINES:
        raise ConfigError(
            f"DATABASE_URL scheme {parts.scheme!r} is not supported (use postgres:// or sqlite://)"
        )
    engine = _ENGINES[scheme]
    if engine.endswith("sqlite3"):
        # sqlite:////abs/path.db is absolute, sqlite:///rel.db relative to the working directory
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if parts.netloc:
            raise ConfigError("DATABASE_URL for SQLite takes a path: sqlite:////absolute/path.db")
        if path.strip("/") == "":
            raise ConfigError("DATABASE_URL for SQLite has no file path")
        return DatabaseURL(engine=engine, name=path)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigError("DATABASE_URL has no database name (postgres://user@host:5432/NAME)")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"DATABASE_URL has a bad port: {exc}") from None
    options = tuple(parse_qsl(parts.query, keep_blank_values=False, strict_parsing=False))
    return DatabaseURL(
        engine=engine,
        name=name,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=parts.hostname or "",
        port=str(port) if port else "",
        options=options,
    )
