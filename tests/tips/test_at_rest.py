"""At rest: a copy of the database taken after tips were sent, answered and attached to
holds no tip text, contact, detail, message, file or receipt in clear (issue 6: "a stolen
database backup"). Here the copy is taken inside the test's transaction — SQLite's .dump
of the connection, every table's rows as PostgreSQL's COPY writes them (what pg_dump
writes); tests/e2e/test_tips_at_rest.py takes the real file and a real pg_dump of a running
server."""

from __future__ import annotations

import pytest
from django.db import connection

from antq.tips import services
from tests.tips.conftest import ACCOUNT, CONTACT, CONTENT, send

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% tep-dinh-kem-bi-mat-5150\n%%EOF\n"
REPLY = "tra-loi-cua-don-vi-6021"
CITIZEN = "tin-nhan-cua-nguoi-gui-3390"


def _database_copy() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()  # the .dump of the sqlite3 shell, blobs as X'hex'
        return "\n".join(connection.connection.iterdump()).encode()
    assert connection.vendor == "postgresql", connection.vendor
    import io

    out = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            out.write(f"-- {table}\n".encode())
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                for block in copy:
                    out.write(bytes(block))
    return out.getvalue()


def test_a_copy_of_the_database_holds_nothing_a_tipster_wrote(handlers):
    tip, receipt = send(attachments=[("tai-lieu.pdf", PDF)])
    services.tip_write(handlers.na_sam, tip, text=REPLY, to_citizen=True)
    services.citizen_message(tip, CITIZEN)
    assert services.tip_open(handlers.na_sam, tip).content["content"] == CONTENT  # it is there
    copy = _database_copy()
    assert b"tips_tip" in copy  # the copy does hold the tips table
    assert bytes(tip.content).hex().encode() in copy.lower() or bytes(tip.content) in copy
    secrets = [CONTENT, CONTACT, ACCOUNT, REPLY, CITIZEN, "tep-dinh-kem-bi-mat-5150"]
    secrets += [receipt, receipt.replace("-", "")]
    for secret in secrets:
        for form in (secret.encode(), secret.encode().hex().encode()):
            assert form not in copy, secret
        # and no distinctive part of it either
        for word in ("bí-mật", "nội-dung-bí-mật-7731", "lien-he-bi-mat-4402"):
            assert word.encode() not in copy
