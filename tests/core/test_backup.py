"""antq backup / antq restore: every table and file comes back exactly, on the same database
and across SQLite and PostgreSQL; a damaged, foreign or newer backup, a target holding data,
a full disk or a failure halfway change nothing; the master key never lands in a backup.

The data: the national areas of the test database, the named people, a document with its
file, indicator values, a grassroots model with an attachment, a citizen's tip with an
encrypted attachment, an import job, an audit event with nested JSON. The full demo's round
trip is benchmarks/backup_roundtrip.py (docs/benchmarks.md)."""

from __future__ import annotations

import base64
import datetime as dt
import errno
import gzip
import hashlib
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from antq.accounts.models import User
from antq.core import backup, crypto
from antq.core.backup import BackupError, backup_create, backup_restore
from antq.core.keys import decode_key
from antq.core.services import audit_record
from antq.directives.models import Document, DocumentKind
from antq.directives.services import document_create
from antq.grassroots import services as grassroots
from antq.grassroots.models import ModelType
from antq.indicators.models import DataSet, DataValue, ImportJob
from antq.indicators.services import ValueInput, catalogue_install, data_sets_install, values_save
from antq.tips import services as tips
from tests.conftest import area
from tests.instances import fresh_instance, other_vendor
from tests.tips.conftest import CONTENT, handlers, send  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% ke-hoach-thu-nghiem\n%%EOF\n"
PHOTO_PDF = b"%PDF-1.4\n% bien-ban-hop-to\n" + bytes(range(256)) + b"\n%%EOF\n"
TIP_FILE = b"%PDF-1.4\n% tai-lieu-cua-nguoi-gui-8812\n%%EOF\n"


# --- what the database and the media directory hold -----------------------------------------


def everything() -> dict[str, list[tuple]]:
    """Every row of every model's table (sessions aside), as Python values, by model."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower == "sessions.session" or model._meta.proxy:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*names)
        out[model._meta.label_lower] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows
        ]
    return out


def media() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_same(after: dict[str, list[tuple]], before: dict[str, list[tuple]]) -> None:
    assert sorted(after) == sorted(before)
    for label, rows in before.items():
        assert len(after[label]) == len(rows), label
        for old, new in zip(rows, after[label], strict=True):
            assert new == old, f"{label}: {old!r} became {new!r}"


def siblings(path: Path) -> list[str]:
    """What a backup or restore left beside `path` (temporary directories)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith("."))


@pytest.fixture(autouse=True)
def master_key(monkeypatch, tmp_path) -> bytes:
    """The tips' master key, in the environment as a deployment may give it."""
    key = crypto.new_master_key()
    monkeypatch.setenv("ANTQ_MASTER_KEY", base64.urlsafe_b64encode(key).decode().rstrip("="))
    monkeypatch.setenv("ANTQ_MASTER_KEY_FILE", str(tmp_path / "unused" / "master.key"))
    return key


@pytest.fixture
def dataset(handlers, settings, tmp_path):  # noqa: F811 (the fixture imported above)
    """A small instance of everything a backup must carry, on top of the national areas."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    people = handlers.people
    catalogue_install()
    data_sets_install()
    grassroots.registries_install(start=dt.date(2025, 7, 1))
    values_save(
        [
            ValueInput(indicator="MEDIA_ITEMS", area="06124", period="202203", value="7"),
            ValueInput(indicator="MEDIA_ITEMS", area="06157", period="2022Q1", value="12"),
            ValueInput(
                indicator="ASSETS_RECOVERED_VND", area="06124", period="202203", value="4500000000"
            ),
        ],
        actor=None,
        source="imported",
        reason="Dữ liệu thử — sao lưu",
    )
    document = document_create(
        actor=people.manager,
        kind=DocumentKind.PLAN,
        symbol="12-KH/CAT",
        issuer=people.province_police,
        issued_on=dt.date(2025, 8, 1),
        subject="Kế hoạch thử nghiệm sao lưu\nhai dòng, “ngoặc kép”, \\ và emoji ✓",
        file=SimpleUploadedFile("ke-hoach.pdf", PDF),
    )
    model = grassroots.model_save(
        actor=None,
        data={
            "name": "Tổ an ninh tự quản thôn Thử",
            "type": ModelType.objects.order_by("code").first(),
            "area": area("06124", dt.date(2025, 8, 1)),
            "place": "thôn Thử",
            "founded_on": dt.date(2025, 8, 1),
            "members": 12,
        },
    )
    grassroots.attachment_add(
        actor=None, model=model, upload=SimpleUploadedFile("bien-ban.pdf", PHOTO_PDF)
    )
    tip, _receipt = send(attachments=[("tai-lieu.pdf", TIP_FILE)])
    ImportJob.objects.create(
        user=people.official,
        data_set=DataSet.objects.get(code="phong-trao-hang-thang"),
        filename="bieu-mau.xlsx",
        counts={"read": 3, "created": 2},
        problems=["Số liệu!F9: giá trị âm"],
    )
    audit_record(
        actor=people.manager,
        action="test.nested",
        summary="JSON lồng nhau",
        changes={"z": [1, {"b": "ầ", "a": None}], "a": [True, 2.5]},
    )
    return tip, document


# --- the round trip --------------------------------------------------------------------------


def test_a_restore_brings_back_every_row_and_file_exactly(dataset, tmp_path):
    tip, document = dataset
    before, files = everything(), media()
    assert len(files) == 2 and len([t for t in before.values() if t]) >= 25
    for label in ("tips.attachment", "directives.document", "grassroots.attachment"):
        assert before[label], label
    target = tmp_path / "backup"

    manifest = backup_create(target)

    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert "indicators.0004_derived_values" in manifest["migrations"]
    by_table = {t["model"]: t for t in manifest["tables"]}
    assert set(by_table) == set(before)  # every model's table, and nothing else
    for label, rows in before.items():
        entry = by_table[label]
        assert entry["rows"] == len(rows), label
        data = (target / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(gzip.decompress(data).splitlines()) == len(rows)
    assert {m["path"]: m["bytes"] for m in manifest["media"]} == {
        p: len(b) for p, b in files.items()
    }
    assert {(target / "media" / p).read_bytes() == b for p, b in files.items()} == {True}
    assert siblings(target) == []  # no temporary directory left

    # Everything changes after the backup; the restore must put it all back.
    User.objects.filter(username="official").update(full_name="Tên đã đổi", is_active=False)
    DataValue.objects.filter(period="202203").update(value=Decimal("1.5"))
    Document.objects.filter(pk=document.pk).delete()
    Path(settings.MEDIA_ROOT, document.file.name).unlink()
    Path(settings.MEDIA_ROOT, "la.txt").write_text("a file that came later")
    session = SessionStore()
    session["_auth_user_id"] = str(User.objects.get(username="manager").pk)
    session.create()

    backup_restore(target, force=True)

    assert_same(everything(), before)
    assert media() == files
    assert not Session.objects.exists()  # nobody stays logged in across a restore
    assert siblings(Path(settings.MEDIA_ROOT)) == []
    # the tip still opens, attachment and all, under the same master key
    tip.refresh_from_db()
    handler = User.objects.get(username="official")
    view = tips.tip_open(handler, tip)
    assert view.content["content"] == CONTENT
    assert tips.tip_attachment(handler, tip, view.attachments[0].pk)[1] == TIP_FILE


def test_a_backup_moves_to_the_other_database_with_its_key(dataset, tmp_path, master_key):
    """SQLite → PostgreSQL when the suite runs on SQLite, the other way round on PostgreSQL:
    `antq restore` and `antq backup` run in an instance of the other kind, which then
    writes the very same bytes for every table (the first test shows those bytes bring back
    every value exactly), and opens the tips with the key kept apart."""
    first, second, keys_dir = tmp_path / "first", tmp_path / "second", tmp_path / "keys"
    backup_create(first, keys_dir=keys_dir)
    with fresh_instance(other_vendor(connection.vendor), tmp_path) as other:
        stray = other.data_dir / "media" / "stray.txt"
        stray.parent.mkdir()
        stray.write_text("a file, so the target is not empty")
        refused = other.antq("restore", str(first))
        assert refused.returncode == 1 and "already holds data" in refused.stderr
        stray.unlink()
        restored = other.antq("restore", str(first), "--with-keys", str(keys_dir))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "areas_areatreepath:" in restored.stdout  # a progress line per table
        assert other.sql("SELECT count(*) FROM tips_attachment") == [(1,)]
        checked = other.antq("keys", "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert crypto.master_fingerprint(master_key) in checked.stdout
        made = other.antq("backup", str(second), "--quiet")
        assert made.returncode == 0, made.stdout + made.stderr
        assert made.stdout == ""
        # and takes new records: ids continue after the restored rows (PostgreSQL's
        # sequences are reset), here a token and its line in the audit log
        issued = other.antq("token", "create", "manager")
        assert issued.returncode == 0, issued.stdout + issued.stderr
    one, two = (json.loads((d / "manifest.json").read_text()) for d in (first, second))
    assert (one["source"]["vendor"], two["source"]["vendor"]) == (
        connection.vendor,
        other_vendor(connection.vendor),
    )
    fields = ("table", "rows", "content_sha256", "sha256")
    assert [[t[f] for f in fields] for t in two["tables"]] == [
        [t[f] for f in fields] for t in one["tables"]
    ]
    assert two["media"] == one["media"] and len(one["media"]) == 2
    for entry in one["media"]:
        assert (second / "media" / entry["path"]).read_bytes() == (
            first / "media" / entry["path"]
        ).read_bytes()


# --- what is refused, and leaves everything as it was ---------------------------------------


def damage_table(target: Path) -> None:
    path = target / "tables" / "accounts_user.jsonl.gz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def damage_media(target: Path) -> None:
    path = next(p for p in (target / "media").rglob("*") if p.is_file())
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))  # same size


def edit_manifest(change):
    def edit(target: Path) -> None:
        path = target / "manifest.json"
        manifest = json.loads(path.read_text())
        change(manifest)
        path.write_text(json.dumps(manifest))

    return edit


def _drop_table(manifest) -> None:
    manifest["tables"] = [t for t in manifest["tables"] if t["table"] != "directives_task"]


DAMAGES = [
    (damage_table, "accounts_user.jsonl.gz đã bị thay đổi hoặc hỏng"),
    (damage_media, "SHA-256 mismatch"),
    (lambda t: (t / "tables" / "areas_area.jsonl.gz").unlink(), "Thiếu tệp"),
    (lambda t: (t / "manifest.json").unlink(), "không phải bản sao lưu antq hoàn chỉnh"),
    (lambda t: (t / "manifest.json").write_text("{not json"), "hỏng"),
    (edit_manifest(lambda m: m.update(format_version=2)), "do antq mới hơn tạo"),
    (edit_manifest(lambda m: m.update(format="other")), "not an antq backup"),
    (edit_manifest(lambda m: m["migrations"].pop()), "Restore it with the version that made"),
    (edit_manifest(lambda m: m["migrations"].append("indicators.9999_future")), "made by antq"),
    (edit_manifest(_drop_table), "lacks table"),
    (
        edit_manifest(lambda m: m["tables"][0].update(columns=["id", "nope"])),
        "columns of table",
    ),
    (
        edit_manifest(lambda m: m["tables"][0].update(content_sha256="0" * 64)),
        "content does not match its SHA-256",
    ),
    (
        edit_manifest(lambda m: m["media"][0].update(path="../../outside.pdf")),
        "Malformed media entry",
    ),
]


def test_a_refused_restore_leaves_the_target_as_it_was(dataset, tmp_path, monkeypatch):
    """A target holding data (without --force), a damaged, foreign or newer backup, a key
    other than the one in use, a full disk: refused with the reason, nothing changed."""
    made = tmp_path / "made"
    backup_create(made, keys_dir=tmp_path / "keys")
    User.objects.filter(username="outsider").update(full_name="Vẫn thế")
    before, files = everything(), media()

    with pytest.raises(BackupError, match=r"đã có dữ liệu.*--force"):
        backup_restore(made)
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(made), "--quiet")
    for n, (damage, message) in enumerate(DAMAGES):
        copy = tmp_path / f"copy-{n}"
        shutil.copytree(made, copy)
        damage(copy)
        with pytest.raises(BackupError, match=message):
            backup_restore(copy, force=True)
    other_keys = tmp_path / "other-keys"
    other_keys.mkdir()
    (other_keys / "master.key").write_text(
        base64.urlsafe_b64encode(crypto.new_master_key()).decode().rstrip("=")
    )
    with pytest.raises(BackupError, match="ANTQ_MASTER_KEY differs"):
        backup_restore(made, force=True, keys_dir=other_keys)

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(backup._HashingFile, "write", full)
        with pytest.raises(BackupError, match=r"Hết chỗ trống trên đĩa.*Nothing restored"):
            backup_restore(made, force=True)

    assert_same(everything(), before)
    assert media() == files
    assert siblings(Path(settings.MEDIA_ROOT)) == []
    assert not (tmp_path / "outside.pdf").exists()


def test_a_failure_halfway_through_a_restore_leaves_the_target_as_it_was(dataset, tmp_path):
    """The last table disagrees with the manifest after every other table is written: the
    transaction rolls back and the media directory is never swapped."""
    target = tmp_path / "backup"
    backup_create(target)
    User.objects.filter(username="official").update(full_name="Trước khi khôi phục")
    Path(settings.MEDIA_ROOT, "moi.txt").write_text("after the backup")
    before, files = everything(), media()
    path = target / "manifest.json"
    manifest = json.loads(path.read_text())
    last = [t for t in manifest["tables"] if t["rows"]][-1]
    last["rows"] += 1
    path.write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match=f"{last['table']}.jsonl.gz: .* the manifest says"):
        backup_restore(target, force=True)

    assert_same(everything(), before)
    assert media() == files
    assert siblings(Path(settings.MEDIA_ROOT)) == []


def test_a_full_disk_during_a_backup_leaves_no_backup_and_no_debris(dataset, tmp_path, monkeypatch):
    written = {"bytes": 0}
    real = backup._HashingFile.write

    def filling(self, data):
        written["bytes"] += len(data)
        if written["bytes"] > 200_000:  # the disk fills up partway through the tables
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(backup._HashingFile, "write", filling)
    parent = tmp_path / "backups"
    (parent / "today").mkdir(parents=True)  # an empty directory is a fine target
    with pytest.raises(CommandError, match=r"No space left on the disk.*Nothing was written"):
        call_command("backup", str(parent / "today"), "--quiet")
    assert written["bytes"] > 200_000  # it did get going before the disk filled
    assert [p.name for p in parent.iterdir()] == ["today"]
    assert list((parent / "today").iterdir()) == []

    monkeypatch.setattr(backup._HashingFile, "write", real)
    out = io.StringIO()
    call_command("backup", str(parent / "today"), stdout=out)  # with room again, it works
    assert (parent / "today" / "manifest.json").is_file()
    assert [p.name for p in parent.iterdir()] == ["today"]
    text = out.getvalue()
    assert "areas_areatreepath: 52.288 dòng" in text and "Đã sao lưu" in text
    assert "không chứa khóa chủ" in text


def test_it_refuses_a_directory_that_is_not_empty(tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "note.txt").write_text("keep me")
    with pytest.raises(BackupError, match="không trống"):
        backup_create(used)
    assert [p.name for p in used.iterdir()] == ["note.txt"]
    assert siblings(used) == []


# --- the master key --------------------------------------------------------------------------


def key_forms(key: bytes) -> list[bytes]:
    text = base64.urlsafe_b64encode(key)
    return [key, text, text.rstrip(b"="), base64.b64encode(key), key.hex().encode()]


def test_the_master_key_is_kept_apart_and_never_inside_the_backup(dataset, tmp_path, master_key):
    target, keys_dir = tmp_path / "backup", tmp_path / "keys-elsewhere"
    for inside in (target / "keys", target):
        with pytest.raises(BackupError, match="must not be inside the backup"):
            backup_create(target, keys_dir=inside)
    with pytest.raises(BackupError, match="must not be inside the backup"):
        backup_create(tmp_path / "keys-elsewhere" / "backup", keys_dir=keys_dir)
    assert not target.exists() and not keys_dir.exists()

    manifest = backup_create(target, keys_dir=keys_dir)

    key_file = keys_dir / backup.KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert decode_key(key_file.read_text(), "test") == master_key
    assert manifest["master_key"] == "not included"
    # Nothing in the backup is the key, or the tip's text: a stolen backup opens nothing.
    for path in target.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            for form in key_forms(master_key):
                assert form not in data, path
            assert CONTENT.encode() not in data and TIP_FILE not in data, path
    with pytest.raises(BackupError, match="never overwritten"):  # an existing copy stays
        backup_create(tmp_path / "again", keys_dir=keys_dir)
    assert not (tmp_path / "again").exists()
