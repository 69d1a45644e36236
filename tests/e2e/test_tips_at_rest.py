"""After tips are sent to a real server (through its public API), its database — the SQLite
file with its write-ahead log, or a pg_dump of its PostgreSQL database — holds neither what
the tipster wrote nor the receipt."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
import uuid

import pytest

pytestmark = pytest.mark.browser  # needs the real server of the browser suite


def _post(base: str, path: str, data: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 (our own http:// server)
        base + path,
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our server)
        return json.loads(response.read())


def _copy(database) -> bytes:
    if not database.url:
        data = b""
        for suffix in ("", "-wal", "-shm"):
            path = database.data_dir / f"antq.sqlite3{suffix}"
            if path.exists():
                data += path.read_bytes()
        assert data, "the server's SQLite file was not found"
        return data
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump (postgresql-client) is needed to dump the server's database"
    done = subprocess.run(
        [pg_dump, "--no-owner", "--format=plain", "--dbname", database.url],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def test_the_servers_database_holds_no_tip_text_contact_or_receipt(antq_server, antq_database):
    mark = uuid.uuid4().hex[:12]
    content = f"Xe tải chở hàng lậu qua đường mòn lúc 2 giờ sáng — noi-dung-{mark}"
    contact = f"Người báo tin, 0987 654 321 — lien-he-{mark}"
    account = f"STK-{mark}"
    receipt = _post(
        antq_server,
        "/api/v1/tips/",
        {"area": "06124", "content": content, "contact": contact, "accounts": account},
    )["receipt"]
    message = f"bo-sung-{mark}"
    status = _post(antq_server, "/api/v1/tips/messages", {"receipt": receipt, "text": message})
    assert status["messages"][-1]["text"] == message  # the server did keep it, sealed
    copy = _copy(antq_database)
    assert b"tips_tip" in copy and len(copy) > 100_000
    for secret in (content, contact, account, message, receipt, receipt.replace("-", ""), mark):
        assert secret.encode() not in copy, secret
        assert secret.encode().hex().encode() not in copy.lower(), secret
