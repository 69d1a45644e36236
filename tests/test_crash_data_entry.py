"""Crash safety of data entry (issue 8): a server killed in the middle of a bulk save, and a
full disk under the entry form and the API.

The killed server is a real `antq serve` (gunicorn) in its own process group, on its own
data directory and database (SQLite there, or a fresh PostgreSQL database when DATABASE_URL
says PostgreSQL), with the areas of Lạng Sơn loaded from the shipped official files. A bulk
request of some twenty thousand values is sent, the whole group is SIGKILLed while the save's
transaction is open, and after a restart the values must be all there or none, the server
must answer, and the same request sent again must save everything.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.utils import timezone

from antq.core.errors import storage_full
from antq.indicators.models import DataValue, DataValueChange

ROOT = Path(__file__).resolve().parent.parent
AREAS = ROOT / "antq" / "areas" / "data"
INDICATORS = ["MEDIATIONS", "MEETINGS_HELD", "PEOPLE_REEDUCATED", "MEDIA_ITEMS"]
MONTHS = [f"2023{m:02d}" for m in range(1, 13)]


# --- a full disk ----------------------------------------------------------------------------


def test_storage_full_is_told_from_other_errors():
    disk = OSError(errno.ENOSPC, "No space left on device")
    assert storage_full(disk)
    assert storage_full(OperationalError("database or disk is full"))
    wrapped = OperationalError("could not extend file")
    wrapped.__cause__ = type("DiskFull", (Exception,), {"sqlstate": "53100"})()
    assert storage_full(wrapped)
    assert not storage_full(OperationalError("database is locked"))
    assert not storage_full(OSError(errno.EACCES, "Permission denied"))
    assert not storage_full(ValueError("bad"))
    assert not storage_full(None)


@pytest.fixture
def full_disk(monkeypatch):
    """The audit trail's insert fails as a full disk would, after the values' own rows were
    written in the same transaction (so a partial save would show)."""
    from antq.indicators import services

    real = services._insert

    def insert(model, columns, rows):
        if model is DataValueChange:
            raise OperationalError("database or disk is full")
        return real(model, columns, rows)

    monkeypatch.setattr(services, "_insert", insert)


@pytest.fixture
def entry(db, people):
    from antq.indicators.services import catalogue_install, data_sets_install

    catalogue_install()
    data_sets_install()
    client = Client(raise_request_exception=False)
    client.force_login(people.official)
    # The month before: still open for entry by a data-entry official.
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y%m")
    return client, f"/data/entry/phong-trao-hang-thang/06124/{month}/"


def test_a_full_disk_under_the_entry_form_saves_nothing_and_says_so(entry, full_disk):
    client, url = entry
    response = client.post(url, {"v-MEDIATIONS": "4", "v-MEETINGS_HELD": "2"})
    assert response.status_code == 503
    page = response.content.decode()
    assert 'data-testid="storage-full"' in page and "503" in page
    assert not DataValue.objects.exists() and not DataValueChange.objects.exists()
    # The cell saved by the page's script gets the message in place of "Saved".
    response = client.post(url, {"v-MEDIATIONS": "4"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 503
    fragment = response.content.decode()
    assert fragment.startswith('<div class="alert alert-danger') and "storage-full" in fragment
    assert "entry-saved" not in fragment
    assert not DataValue.objects.exists()


def test_a_full_disk_under_the_bulk_api_answers_503_storage_full(entry, full_disk, people):
    client, _url = entry
    response = client.post(
        "/api/v1/datavalues/bulk",
        {"values": [{"indicator": "MEDIATIONS", "area": "06124", "period": "202608", "value": 3}]},
        content_type="application/json",
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "storage_full"
    assert not DataValue.objects.exists()


def test_other_server_errors_keep_the_generic_answer(entry, monkeypatch):
    from antq.indicators import services

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_insert", broken)
    client, url = entry
    response = client.post(url, {"v-MEDIATIONS": "4"})
    assert response.status_code == 500
    assert 'data-testid="storage-full"' not in response.content.decode()


# --- a server killed during a bulk save ---------------------------------------------------


def _lang_son_files(into: Path) -> tuple[Path, Path]:
    """The two official files cut down to Lạng Sơn (province 20), which the reform left whole."""
    wards = into / "wards.csv"
    with (
        (AREAS / "wards-2025-01-04.csv").open(encoding="utf-8") as src,
        wards.open("w", encoding="utf-8", newline="") as out,
    ):
        rows = csv.reader(src)
        writer = csv.writer(out)
        writer.writerow(next(rows))
        writer.writerows(r for r in rows if len(r) > 1 and r[1] == "20")
    conversion = into / "conversion.csv"
    lines = (AREAS / "ward-conversion-2025-07-01.csv").read_text(encoding="utf-8").splitlines()
    kept = lines[:2] + [line for line in lines[2:] if line.startswith("Tỉnh Lạng Sơn (20),")]
    conversion.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return wards, conversion


SETUP = """
from antq.accounts.models import BodyKind, Role
from antq.accounts.services import body_save, membership_grant, token_create, user_create
from antq.areas.selectors import area_by_code
from antq.indicators.services import catalogue_install
import datetime as dt
catalogue_install()
body = body_save(code="ca-tinh", name="Công an tỉnh Lạng Sơn", kind=BodyKind.POLICE,
                 area=area_by_code("20", dt.date(2023, 1, 1)), valid_from=dt.date(2019, 1, 1))
user = user_create(username="nhaplieu", password=None)
membership_grant(user=user, body=body, role=Role.DATA_ENTRY, valid_from=dt.date(2019, 1, 1))
print("TOKEN=" + token_create(user=user).key)
"""


class Server:
    """`antq serve` in its own process group, so that SIGKILL takes the master and its
    workers at once (a power cut, or the OOM killer on the whole service)."""

    def __init__(self, env: dict[str, str], data_dir: Path):
        self.env, self.data_dir = env, data_dir
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.data_dir / "server.log").open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "antq", "serve", "--port", str(self.port), "--workers", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (self.data_dir / "server.log").read_text()[-3000:]
            try:
                urllib.request.urlopen(self.url + "/api/v1/tips/challenge", timeout=2)  # noqa: S310
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("antq serve did not answer within 60 s")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def _request(url: str, token: str, body: dict | None = None, timeout: float = 120):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 (our own http:// URL)
        url,
        data=data,
        method="POST" if body is not None else "GET",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.status, json.loads(response.read())


class Database:
    """The server's database: SQLite in its data directory, or a fresh PostgreSQL one."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        outer = os.environ.get("DATABASE_URL", "")
        self.pg_admin = outer if outer.startswith(("postgres://", "postgresql://")) else ""
        self.name = f"antq_crash_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.url = ""
        if self.pg_admin:
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = urlunsplit(urlsplit(self.pg_admin)._replace(path="/" + self.name))

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = urlsplit(self.pg_admin)
        dsn = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)

    def query(self, sql: str) -> list[tuple]:
        if self.pg_admin:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.data_dir / "antq.sqlite3") as conn:
            return conn.execute(sql).fetchall()

    def writing(self) -> bool:
        """Is a write transaction open (the server inside the save)?"""
        if self.pg_admin:
            rows = self.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            )
            return rows[0][0] > 0
        conn = sqlite3.connect(self.data_dir / "antq.sqlite3", timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True  # the writer's lock is held
        else:
            conn.rollback()
            return False
        finally:
            conn.close()

    def wait_orphans_gone(self, seconds: float = 30) -> None:
        """On PostgreSQL, wait until the killed server's backends have ended: a backend whose
        client died finishes (or rolls back) what it was doing — a COMMIT already sent still
        commits — and only then notices. SQLite has no server: nothing outlives the kill."""
        if not self.pg_admin:
            return
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            rows = self.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            if rows[0][0] == 0:
                return
            time.sleep(0.05)
        raise AssertionError("the killed server's database sessions did not end")

    def drop(self) -> None:
        if self.pg_admin:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def killable(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database = Database(data_dir)
    env = {
        **os.environ,
        "ANTQ_DATA_DIR": str(data_dir),
        "DATABASE_URL": database.url,
        "ANTQ_MODE": "development",
        "ANTQ_DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)

    def antq(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "antq", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done.stdout

    wards, conversion = _lang_son_files(tmp_path)
    antq("migrate", "-v0")
    antq("load-areas", "--old-list", str(wards), "--conversion", str(conversion))
    token = antq("shell", "-c", SETUP).split("TOKEN=")[1].strip()
    # `antq serve` collects the static files when they were never collected (a minute on
    # two cores, compressing them); the API this test uses needs none, so an empty manifest
    # stands in for them.
    (data_dir / "static").mkdir(exist_ok=True)
    (data_dir / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    server = Server(env, data_dir)
    try:
        yield server, database, token
    finally:
        server.stop()
        database.drop()


def _payload() -> dict:
    """Every pre-reform commune of Lạng Sơn × 4 indicators × 12 months of 2023: 9,312 values,
    a save of several seconds, of which the writes take the last ~200 ms on SQLite (the
    values are checked first, then written in bulk)."""
    lines = (AREAS / "wards-2025-01-04.csv").read_text(encoding="utf-8").splitlines()[1:]
    communes = [row[5] for row in csv.reader(lines) if row[1] == "20"]
    values = [
        {"indicator": code, "area": commune, "period": month, "value": str((n * 7 + k) % 50)}
        for n, commune in enumerate(communes)
        for k, code in enumerate(INDICATORS)
        for month in MONTHS
    ]
    return {"values": values, "reason": "nhập bù năm 2023"}


def _stored(database: Database) -> tuple[int, int]:
    codes = ", ".join(f"'{c}'" for c in INDICATORS)
    months = ", ".join(f"'{m}'" for m in MONTHS)
    # Fixed codes of this file only.
    where = f"period IN ({months}) AND indicator_id IN (SELECT id FROM indicators_indicator WHERE code IN ({codes}))"  # noqa: S608
    # One statement, one snapshot: both counts see the same committed state.
    row = database.query(
        f"SELECT (SELECT count(*) FROM indicators_datavalue WHERE {where}),"  # noqa: S608
        f" (SELECT count(*) FROM indicators_datavaluechange WHERE {where})"
    )[0]
    return row[0], row[1]


def test_a_server_killed_during_a_bulk_save_saves_all_or_nothing_and_starts_again(killable):
    server, database, token = killable
    body = _payload()
    n = len(body["values"])
    server.start()

    answer: dict = {}

    def send() -> None:
        try:
            answer["status"] = _request(server.url + "/api/v1/datavalues/bulk", token, body)[0]
        except Exception as exc:  # the connection dies with the server
            answer["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    # Wait until the save's transaction has held the write lock for a while (not the
    # token's brief touch), then kill the whole server at once. Polled every 10 ms: the write
    # phase is short beside the checks before it.
    held, deadline = 0, time.monotonic() + 90
    while held < 3 and time.monotonic() < deadline and sender.is_alive():
        held = held + 1 if database.writing() else 0
        time.sleep(0.01)
    assert held == 3, f"the save was never seen in progress ({answer})"
    server.kill()
    sender.join(timeout=30)
    assert "status" not in answer, "the request was answered: the kill came too late"

    database.wait_orphans_gone()
    values, changes = _stored(database)
    assert (values, changes) in ((0, 0), (n, n)), f"half-written: {values} values, {changes}"

    server.start()
    status, indicators = _request(server.url + "/api/v1/indicators/", token)
    assert status == 200 and {i["code"] for i in indicators} >= set(INDICATORS)
    status, counts = _request(server.url + "/api/v1/datavalues/bulk", token, body)
    assert status == 200
    assert counts["created"] + counts["updated"] + counts["unchanged"] == n
    assert _stored(database)[0] == n
    # The totals moved with the values: the province's 2023 equals the sum of what was sent.
    expected = sum(Decimal(v["value"]) for v in body["values"] if v["indicator"] == "MEDIATIONS")
    status, result = _request(
        server.url + "/api/v1/analytics/?indicator=MEDIATIONS&area=20&on=2023-06-01"
        "&start=2023&end=2023",
        token,
    )
    assert status == 200 and Decimal(str(result["total"])) == expected
    server.stop()
