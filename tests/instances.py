"""Separate antq instances for tests that need a second database or a real process to kill:
a data directory and a fresh database (SQLite in the directory, or a new PostgreSQL database
dropped afterwards), the `antq` command run against them, and plain SQL to look inside.

The unit tests' own database lives in a transaction no other process can see, so these
instances are filled from it with `antq backup` (in the test process) and `antq restore`
(in the instance)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/antq"
TIMEOUT = 300


def postgres_server_url() -> str:
    """The PostgreSQL server the suite uses (for creating scratch databases on it)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return os.environ.get("ANTQ_TEST_POSTGRES_URL", "").strip() or DEFAULT_PG


def _postgres_admin(url: str):
    import psycopg

    from antq.core.envconf import parse_database_url

    u = parse_database_url(url)
    return psycopg.connect(
        host=u.host or None,
        port=u.port or None,
        user=u.user or None,
        password=u.password or None,
        dbname="postgres",
        connect_timeout=5,
        autocommit=True,
        **dict(u.options),
    )


@dataclass
class Instance:
    """An antq deployment of its own: a data directory and a database."""

    data_dir: Path
    url: str  # '' for SQLite in the data directory

    @property
    def vendor(self) -> str:
        return "postgresql" if self.url else "sqlite"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "ANTQ_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "antq.settings",
            "ANTQ_MODE": "development",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
        # Its own cache and its own master key (<data dir>/keys), not the test process's.
        for name in ("REDIS_URL", "ANTQ_MASTER_KEY", "ANTQ_MASTER_KEY_FILE"):
            env.pop(name, None)
        return env

    def antq(self, *args: str, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "antq", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start_python(self, code: str, *args: str) -> subprocess.Popen:
        """Python code with Django set up for this instance, as a process of its own (its
        standard output a pipe, line by line)."""
        prelude = "import django\ndjango.setup()\n"
        return subprocess.Popen(
            [sys.executable, "-c", prelude + code, *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def python(self, code: str, *args: str) -> str:
        process = self.start_python(code, *args)
        out, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, f"exit {process.returncode}\n{out}\n{err}"
        return out

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Rows of a query, read with a plain driver connection (no Django)."""
        if not self.url:
            conn = sqlite3.connect(self.data_dir / "antq.sqlite3", timeout=20)
            try:
                return conn.execute(query.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        import psycopg

        from antq.core.envconf import parse_database_url

        u = parse_database_url(self.url)
        with psycopg.connect(
            host=u.host or None,
            port=u.port or None,
            user=u.user or None,
            password=u.password or None,
            dbname=u.name,
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            return conn.execute(query, params).fetchall()


@contextmanager
def fresh_instance(vendor: str, base: Path) -> Iterator[Instance]:
    """A data directory under `base` and an empty database of `vendor`; the PostgreSQL
    database is dropped afterwards. Skips (fails under CI) when PostgreSQL is unreachable."""
    data_dir = base / f"instance-{uuid.uuid4().hex[:8]}"
    data_dir.mkdir(parents=True)
    if vendor == "sqlite":
        try:
            yield Instance(data_dir, "")
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        return
    from psycopg import sql

    server = postgres_server_url()
    name = f"antq_inst_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with _postgres_admin(server) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except Exception as exc:
        shutil.rmtree(data_dir, ignore_errors=True)
        message = f"PostgreSQL is not reachable at {server}: {exc}"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(message + " — under CI a skipped test is a failure.", pytrace=False)
        pytest.skip(message)
    url = urlunsplit(urlsplit(server)._replace(path="/" + name))
    try:
        yield Instance(data_dir, url)
    finally:
        with _postgres_admin(server) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        shutil.rmtree(data_dir, ignore_errors=True)


def other_vendor(vendor: str) -> str:
    return "sqlite" if vendor == "postgresql" else "postgresql"
