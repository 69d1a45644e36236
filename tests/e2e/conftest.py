"""Browser tests: Debian's Chromium, driven by Playwright, against a real antq server.

One server per test session, prepared the way a user would (`antq demo --prepare-only`,
then `antq serve`), on its own data directory and database: SQLite in a temporary
directory, or, when DATABASE_URL points at PostgreSQL, a fresh database on that server
that is dropped afterwards. The unit tests' rolled-back database is no use here: a real
server runs in another process and must see committed data.

Without Chromium or Playwright the browser tests are skipped with a message, except
under CI=true/1/yes, where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 900}
CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
PREPARE_TIMEOUT = 600  # seconds for migrate + collectstatic + national areas + demo data
START_TIMEOUT = 60  # seconds for the server to answer HTTP


# --- Chromium and Playwright -------------------------------------------------------------


def _browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"the playwright Python package is not importable ({exc}); pip install -e '.[test]'"
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip (or, under CI, fail) every browser test when Chromium or Playwright is missing.
    Requested before the server, so a machine without Chromium does not prepare one."""
    problem = _browser_problem()
    if problem is not None:
        message = f"Browser tests cannot run: {problem}."
        if CI:
            pytest.fail(message + " Under CI a skipped suite is a failure.", pytrace=False)
        else:
            pytest.skip(message)


@pytest.fixture(scope="session")
def chromium(browser_available) -> Iterator:
    """One headless Chromium for the whole session; each test gets its own context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")
INTENDED_STATUSES = {400, 404, 429}  # invalid input, a unit not on that date, a locked login


@dataclass
class Console:
    """What a page said on its console: errors (CSP violations land there too) and uncaught
    exceptions. Chromium also logs "Failed to load resource" when a page itself answers
    400/404 on purpose (a wrong password, a unit not on that date); those are left out, but
    a failed stylesheet, script or image is kept."""

    messages: list[tuple[str, str]] = field(default_factory=list)  # (text, source URL)
    page_answers: set[tuple[str, int]] = field(default_factory=set)  # (URL, status)

    def on_response(self, response) -> None:
        kind = response.request.resource_type
        if kind in {"document", "xhr", "fetch"} and response.status in INTENDED_STATUSES:
            self.page_answers.add((response.url, response.status))

    @property
    def errors(self) -> list[str]:
        found = []
        for text, url in self.messages:
            failed = FAILED_LOAD.match(text)
            if failed and (url, int(failed.group(1))) in self.page_answers:
                continue
            found.append(f"{text} @ {url}" if url else text)
        return found

    def assert_clean(self) -> None:
        errors = self.errors
        assert errors == [], "console errors:\n" + "\n".join(errors)


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(chromium, antq_server: str, console: Console) -> Iterator:
    """A fresh browser context (no cookies) at 1366×900 whose console errors are collected.
    The browser asks for English on purpose: the pages must still speak Vietnamese."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    context = chromium.new_context(
        base_url=antq_server,
        viewport=VIEWPORT,
        locale="en-US",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()

    def on_console(msg) -> None:
        if msg.type == "error":
            console.messages.append((msg.text, msg.location.get("url", "")))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: console.messages.append((f"uncaught: {exc}", "")))
    page.on("response", console.on_response)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot():
    """screenshot(page, "name.png") saves a full-page PNG into docs/screenshots/, only when
    ANTQ_SCREENSHOTS=1 (so ordinary and CI runs leave the working tree alone)."""
    enabled = os.environ.get("ANTQ_SCREENSHOTS", "").strip() == "1"
    if enabled:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        if enabled:
            page.screenshot(path=str(SCREENSHOT_DIR / name), full_page=True, caret="initial")

    return take


# --- The database for the server ---------------------------------------------------------


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


def _postgres_create(url: str) -> tuple[str, str]:
    """Create a uniquely named database on the server of `url`; return (its URL, name)."""
    from psycopg import sql

    name = f"antq_e2e_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _postgres_admin(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name)), name


def _postgres_drop(url: str, name: str) -> None:
    from psycopg import sql

    with _postgres_admin(url) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


# --- The server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own http:// URL)
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP status means the server is up
    except OSError:
        return False


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


@dataclass
class ServerDatabase:
    """Where the test server keeps its data: the data directory, and the PostgreSQL URL of
    its own database ('' for SQLite in the data directory)."""

    data_dir: Path
    url: str


SERVER_DATABASE: list[ServerDatabase] = []


@pytest.fixture(scope="session")
def antq_database(antq_server: str) -> ServerDatabase:
    return SERVER_DATABASE[0]


@pytest.fixture(scope="session")
def antq_server(browser_available) -> Iterator[str]:
    """A real antq server (gunicorn, via `antq serve`) on a free port, with the national
    areas and the Lạng Sơn demo loaded; yields its base URL."""
    data_dir = Path(tempfile.mkdtemp(prefix="antq-e2e-"))
    outer_url = os.environ.get("DATABASE_URL", "").strip()
    pg_db: tuple[str, str] | None = None  # (server URL, database name) to drop at the end
    if outer_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        try:
            db_url, db_name = _postgres_create(outer_url)
        except Exception as exc:
            shutil.rmtree(data_dir, ignore_errors=True)
            pytest.fail(f"cannot create the e2e database on {outer_url}: {exc}", pytrace=False)
        pg_db = (outer_url, db_name)
    else:
        db_url = ""  # SQLite in the data directory

    env = {
        **os.environ,
        "ANTQ_DATA_DIR": str(data_dir),
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "antq.settings",
        "ANTQ_MODE": "development",
        "ANTQ_DEBUG": "0",
        "ANTQ_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)  # a shared cache could hold another database's answers

    server: subprocess.Popen | None = None
    log_file = None
    try:
        started = time.monotonic()
        prepare = subprocess.run(
            [sys.executable, "-m", "antq", "demo", "--prepare-only"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=PREPARE_TIMEOUT,
        )
        if prepare.returncode != 0:
            pytest.fail(
                f"`antq demo --prepare-only` failed (exit {prepare.returncode}):\n"
                f"{prepare.stdout}\n{prepare.stderr}",
                pytrace=False,
            )
        prepared = time.monotonic() - started

        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = data_dir / "server.log"
        log_file = log_path.open("w")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "antq",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(base_url + "/"):
            if server.poll() is not None:
                pytest.fail(
                    f"`antq serve` exited with {server.returncode}:\n{_tail(log_path)}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"`antq serve` did not answer on {base_url} within {START_TIMEOUT} s:\n"
                    f"{_tail(log_path)}",
                    pytrace=False,
                )
            time.sleep(0.2)
        SERVER_DATABASE[:] = [ServerDatabase(data_dir, db_url)]
        sys.stderr.write(
            f"\n[e2e] antq at {base_url} on {'PostgreSQL ' + pg_db[1] if pg_db else 'SQLite'}"
            f" (prepared in {prepared:.1f} s, serving after {time.monotonic() - started:.1f} s)\n"
        )
        yield base_url
    finally:
        if server is not None and server.poll() is None:
            server.terminate()  # gunicorn: graceful stop
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if log_file is not None:
            log_file.close()
        if pg_db is not None:
            _postgres_drop(*pg_db)
        shutil.rmtree(data_dir, ignore_errors=True)
