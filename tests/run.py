"""The whole test suite, as `./dev test` runs it: lint, migrations check, then pytest on
SQLite and on PostgreSQL. Exits non-zero on any failure; under CI=true a suite that cannot
run (no PostgreSQL, no Chromium) is a failure, elsewhere it is skipped with a message."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/antq"


def step(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def run(args: list[str], env: dict[str, str] | None = None) -> int:
    return subprocess.call(args, cwd=ROOT, env={**os.environ, **(env or {})})


def postgres_url() -> str | None:
    url = os.environ.get("ANTQ_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    probe = (
        "import sys, psycopg\n"
        "from antq.core.envconf import parse_database_url\n"
        "u = parse_database_url(sys.argv[1])\n"
        "psycopg.connect(host=u.host or None, port=u.port or None, user=u.user or None,"
        " password=u.password or None, dbname='postgres', connect_timeout=3).close()\n"
    )
    ok = subprocess.call([PY, "-c", probe, url], cwd=ROOT, stderr=subprocess.DEVNULL) == 0
    return url if ok else None


def pytest_suite(argv: list[str], env: dict[str, str]) -> int:
    """Unit and integration tests on both cores, then the browser tests on their own (the
    Playwright driver runs an event loop that Django's database calls must not share)."""
    if argv:  # the caller chose what to run
        return run([PY, "-m", "pytest", *argv], env)
    first = run([PY, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-m", "not browser"], env)
    second = run([PY, "-m", "pytest", "-m", "browser"], env)
    return first or second


def main(argv: list[str]) -> int:
    failures: list[str] = []
    data_dir = tempfile.mkdtemp(prefix="antq-test-")
    base_env = {"ANTQ_DATA_DIR": data_dir, "ANTQ_MODE": "development"}

    step("ruff (lint and format)")
    if run([PY, "-m", "ruff", "check", "antq", "tests", "benchmarks"]) != 0:
        failures.append("ruff check")
    if run([PY, "-m", "ruff", "format", "--check", "antq", "tests", "benchmarks"]) != 0:
        failures.append("ruff format")

    step("makemigrations --check")
    sqlite_env = {**base_env, "DATABASE_URL": ""}
    if run([PY, "-m", "antq", "makemigrations", "--check", "--dry-run"], sqlite_env) != 0:
        failures.append("missing migrations")

    step("tests on SQLite")
    if pytest_suite(argv, sqlite_env) != 0:
        failures.append("tests on SQLite")

    step("tests on PostgreSQL")
    url = postgres_url()
    if url is None:
        message = (
            "PostgreSQL is not reachable (set ANTQ_TEST_POSTGRES_URL or DATABASE_URL, "
            f"default {DEFAULT_PG}): the PostgreSQL suite is skipped."
        )
        if CI:
            print("FAIL: " + message + " Under CI a skipped suite is a failure.")
            failures.append("PostgreSQL unavailable")
        else:
            print("SKIPPED: " + message)
    elif pytest_suite(argv, {**base_env, "DATABASE_URL": url}) != 0:
        failures.append("tests on PostgreSQL")

    print()
    if failures:
        print("FAILED: " + ", ".join(failures))
        return 1
    print("All suites passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
