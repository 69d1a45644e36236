"""Backups of an antq instance and their restore, on SQLite or PostgreSQL (docs/operations.md).

A backup is a directory: `manifest.json`, one gzipped JSON-lines file per table under
`tables/` (one row a line, as a JSON array in the manifest's column order) and a copy of the
media files under `media/`. Values are written in a form neither database owns (ISO dates,
decimals as text, bytes as base64), so a backup of SQLite restores into PostgreSQL and back.
The manifest holds the format version, the antq version, the applied migrations, each table's
columns, row count and SHA-256 (of its file, and of its rows before compression: the same
rows give the same content from either database) and each media file's SHA-256 and size.

Consistency: every table is read in one read-only transaction (PostgreSQL REPEATABLE READ,
the snapshot pg_dump uses; SQLite a read transaction on the WAL, which writers do not wait
for). The backup is written into a hidden directory beside DIR and renamed to DIR when it is
complete, so an interrupted backup never leaves anything that looks like one.

Left out on purpose: the tips' master key (a stolen backup alone must open no tip; copy it
elsewhere with --with-keys), and logged-in sessions (a restore empties them, so nobody stays
logged in as whoever had that user id before).

Restore checks what it can before it writes anything — manifest, the files' checksums,
format version, migrations, an empty target — then inserts every table in one transaction
(each table's content checksum and row count checked as it is read, foreign keys at the
end), resets PostgreSQL's sequences, and puts the media files, first copied and checked in a
directory beside the media directory, in place with a rename; any failure rolls it all back.
"""

from __future__ import annotations

import base64
import datetime as dt
import errno
import gzip
import hashlib
import json
import os
import secrets
import shutil
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import (
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    models,
    transaction,
)
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

import antq
from antq.core import keys
from antq.core.vnformat import format_number

FORMAT = "antq-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
KEY_FILE = "master.key"
# Logged-in sessions: never backed up, always emptied by a restore.
EXCLUDED = frozenset({"sessions.session"})
# Rows `migrate` makes by itself in an empty database: a restore replaces them, and they do
# not make a target "not empty".
FRAMEWORK = frozenset({"contenttypes.contenttype", "auth.permission"})
BATCH = 2000  # rows read, and inserted, at a time
GZIP_LEVEL = 3  # most of the size saving of level 9 at a fraction of its time
CHUNK = 1 << 20  # bytes copied at a time

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why and what to do, in
    Vietnamese and English. Nothing was written (backup) or changed (restore)."""


# --- what is backed up, and how each value is written --------------------------------------


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    label: str  # app_label.model_name
    name: str  # the database table
    fields: tuple[models.Field, ...]

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]


def tables() -> list[Table]:
    """Every table of a model, in an order where a row's foreign keys point to tables
    before it (self-references and cycles aside: foreign keys are checked at commit)."""
    found: dict[str, Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in EXCLUDED:
            continue
        if meta.db_table not in found:
            found[meta.db_table] = Table(
                model, meta.label_lower, meta.db_table, tuple(meta.concrete_fields)
            )
    by_model = {t.model: t for t in found.values()}
    needs = {
        t.name: {
            by_model[f.related_model].name
            for f in t.fields
            if f.is_relation and f.related_model in by_model and f.related_model is not t.model
        }
        for t in found.values()
    }
    ordered: list[Table] = []
    done: set[str] = set()
    remaining = sorted(found)
    while remaining:
        ready = [name for name in remaining if needs[name] <= done] or remaining[:1]
        for name in ready:
            ordered.append(found[name])
            done.add(name)
        remaining = [name for name in remaining if name not in done]
    return ordered


def _kind(field: models.Field) -> str:
    while field.is_relation:  # a foreign key is written as the key it points to
        field = field.target_field
    internal = field.get_internal_type()
    return {
        "DateTimeField": "datetime",
        "DateField": "date",
        "TimeField": "time",
        "DecimalField": "decimal",
        "BinaryField": "binary",
        "UUIDField": "uuid",
        "DurationField": "duration",
        "JSONField": "json",
    }.get(internal, "plain")


def _utc_iso(value: dt.datetime) -> str:
    return (value.astimezone(dt.UTC) if value.tzinfo is not None else value).isoformat()


# How a value leaves the database for a backup file (kinds not listed go as they are:
# numbers, text, booleans, JSON values).
_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": _utc_iso,
    "date": dt.date.isoformat,
    "time": dt.time.isoformat,
    "decimal": str,
    "uuid": str,
    "binary": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "duration": lambda v: v // dt.timedelta(microseconds=1),
}
# One row a line; keys of JSON values sorted, so the same rows give the same bytes.
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _loader(field: models.Field, conn: Any) -> Callable[[Any], Any] | None:
    """How a value read from a backup file goes into this database's column (None: as it
    is — text, numbers, booleans). Dates, times and decimals go through the database's own
    adapters, as the field would send them; the rest through the field itself."""
    kind = _kind(field)
    ops = conn.ops
    if kind == "datetime":
        return lambda v: ops.adapt_datetimefield_value(dt.datetime.fromisoformat(v))
    if kind == "date":
        return lambda v: ops.adapt_datefield_value(dt.date.fromisoformat(v))
    if kind == "time":
        return lambda v: ops.adapt_timefield_value(dt.time.fromisoformat(v))
    if kind == "decimal":
        return lambda v: ops.adapt_decimalfield_value(Decimal(v))
    decode = {
        "binary": base64.b64decode,
        "uuid": uuid.UUID,
        "duration": lambda us: dt.timedelta(microseconds=us),
        "json": lambda v: v,
    }.get(kind)
    if decode is None:
        return None
    while field.is_relation:
        field = field.target_field
    return lambda v: field.get_db_prep_save(decode(v), conn)


# --- files ----------------------------------------------------------------------------------


class _HashingFile:
    """A new file (mode 600) that hashes what is written to it. Every byte of a backup, and
    every media file a restore puts in place, is written through here."""

    def __init__(self, path: Path):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        self.sha256 = hashlib.sha256()
        self.size = 0
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> int:
        self._fh.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    def abandon(self) -> None:
        if not self._fh.closed:
            try:
                self._fh.close()
            except OSError:
                pass


def _copy(source: Path, target: Path) -> tuple[int, str]:
    """Copy a file; (size, SHA-256) of what was written."""
    out = _HashingFile(target)
    try:
        with source.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                out.write(chunk)
        out.close()
    finally:
        out.abandon()
    return out.size, out.sha256.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Make the names of everything written under root durable (the files are already)."""
    for dirpath, _dirs, _files in os.walk(root):
        _fsync_dir(Path(dirpath))


def _media_files(root: Path) -> list[str]:
    """Relative paths (with /) of the regular files under root, sorted."""
    if not root.is_dir():
        return []
    found = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def _safe_relative(text: Any) -> str | None:
    """The path if it is a plain relative path inside its directory, else None."""
    if not isinstance(text, str) or not text or "\\" in text or "\0" in text:
        return None
    path = PurePosixPath(text)
    if path.is_absolute() or any(part in ("", ".", "..") for part in text.split("/")):
        return None
    return path.as_posix()


def _inside(path: Path, directory: Path) -> bool:
    """Whether `path` is `directory` or under it, symbolic links followed."""
    path, directory = Path(os.path.realpath(path)), Path(os.path.realpath(directory))
    return path == directory or directory in path.parents


def _mb(size: int) -> str:
    return format_number(size / 1024 / 1024, 1) + " MB"


def _disk_message(exc: OSError, where: str) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (
            f"Hết chỗ trống trên đĩa khi ghi {where}. / "
            f"No space left on the disk while writing {where}."
        )
    return f"Lỗi ghi {where}: {exc.strerror or exc}. / Cannot write {where}: {exc}."


# --- the database ---------------------------------------------------------------------------


def _applied_migrations() -> set[tuple[str, str]]:
    recorder = MigrationRecorder(connection)
    return set(recorder.applied_migrations()) if recorder.has_table() else set()


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _unapplied() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


@contextmanager
def _snapshot() -> Iterator[None]:
    """Every read inside sees the database as of one moment, without stopping writers."""
    if connection.in_atomic_block:  # the caller's transaction is the snapshot
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite in WAL mode: a deferred transaction reads one snapshot and blocks no writer
    # (Django's own transactions here are BEGIN IMMEDIATE, which would stop data entry).
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _rows(table: Table) -> Iterator[tuple]:
    # Read through the ORM's values_list so each value comes back as Python has it on both
    # databases (SQLite keeps dates as text and decimals as floating point).
    query = table.model._base_manager.order_by("pk").values_list(*[f.attname for f in table.fields])
    yield from query.iterator(chunk_size=BATCH)


# --- backup ---------------------------------------------------------------------------------


def backup_create(
    target: Path, *, keys_dir: Path | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Write a backup of the database and the media files into `target` (which must not
    exist or be empty); with `keys_dir`, a copy of the tips' master key there (never inside
    `target`). Returns the manifest. BackupError, with nothing left in `target`, if it fails."""
    say = progress or (lambda _line: None)
    target = Path(os.path.abspath(target))
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise BackupError(
            f"{target} đã có và không trống: sao lưu vào một thư mục mới. / "
            f"{target} exists and is not empty: back up into a new directory."
        )
    key = None
    if keys_dir is not None:
        keys_dir = Path(os.path.abspath(keys_dir))
        if _inside(keys_dir, target) or _inside(target, keys_dir):
            raise BackupError(
                f"Thư mục khóa {keys_dir} không được nằm trong bản sao lưu (hay chứa nó): "
                "ai lấy được bản sao lưu sẽ mở được mọi nguồn tin. Ghi khóa ra nơi khác "
                f"(ổ đĩa khác, người giữ khác). / The key directory {keys_dir} must not be "
                "inside the backup (or contain it): whoever took the backup would open every "
                "tip. Write the key somewhere else (another disk, another keeper)."
            )
        key = _key_to_copy(keys_dir)
    if _unapplied():
        raise BackupError(
            "Cơ sở dữ liệu chưa cập nhật cấu trúc theo phiên bản antq này: chạy `antq setup` "
            "trước. / The database is not migrated to this antq version: run `antq setup` first."
        )
    if not target.parent.is_dir():
        raise BackupError(
            f"Không có thư mục {target.parent}. / The directory {target.parent} does not exist."
        )
    work = target.parent / f".{target.name}.partial-{secrets.token_hex(4)}"
    started = time.monotonic()
    try:
        work.mkdir(mode=0o700)
        manifest = _write_backup(work, say)
        manifest["seconds"] = round(time.monotonic() - started, 1)
        _write_manifest(work, manifest)
        _fsync_tree(work)
        os.rename(work, target)  # replaces an empty directory in one step
        _fsync_dir(target.parent)
    except DatabaseError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(
            f"Không đọc được cơ sở dữ liệu: {exc}. / Cannot read the database: {exc}."
        ) from exc
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(
            _disk_message(exc, str(target)) + " Chưa ghi gì vào thư mục đích. / Nothing was "
            "written to the target directory."
        ) from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if key is not None:
        _write_key(keys_dir, key)
        say(f"Khóa chủ đã ghi vào {keys_dir / KEY_FILE} (quyền 600), tách khỏi bản sao lưu.")
    return manifest


def _key_to_copy(keys_dir: Path) -> bytes:
    if keys.staged_file().exists():
        raise BackupError(
            "Một lần đổi khóa chủ chưa xong: chạy `antq keys check` / `antq keys rotate` trước "
            "khi sao lưu khóa. / A master key rotation is unfinished: run `antq keys check` / "
            "`antq keys rotate` before backing up the key."
        )
    if (keys_dir / KEY_FILE).exists():
        raise BackupError(
            f"Đã có {keys_dir / KEY_FILE}; không ghi đè khóa. / {keys_dir / KEY_FILE} "
            "exists; a key is never overwritten."
        )
    try:
        return keys.master_key()
    except keys.MasterKeyError as exc:
        raise BackupError(f"Không đọc được khóa chủ: {exc} / Cannot read the master key.") from None


def _write_key(keys_dir: Path, key: bytes) -> None:
    try:
        keys.key_write_new(keys_dir / KEY_FILE, key)
    except OSError as exc:
        raise BackupError(
            "Bản sao lưu dữ liệu đã ghi xong, nhưng không ghi được khóa. / The data backup "
            "is complete, but the key could not be written. "
            + _disk_message(exc, str(keys_dir / KEY_FILE))
        ) from exc


def _write_backup(work: Path, say: Progress) -> dict[str, Any]:
    entries = []
    referenced: set[str] = set()
    with _snapshot():
        migrations = sorted(_applied_migrations())
        for table in tables():
            entries.append(_write_table(work, table, referenced))
            say(f"  {table.name}: {format_number(entries[-1]['rows'])} dòng")
    media = []
    root = Path(settings.MEDIA_ROOT)
    for relative in _media_files(root):
        size, digest = _copy(root / relative, work / "media" / relative)
        media.append({"path": relative, "bytes": size, "sha256": digest})
    if media:
        say(f"  media: {format_number(len(media))} tệp, {_mb(sum(m['bytes'] for m in media))}")
    missing = sorted(referenced - {m["path"] for m in media})
    for name in missing[:20]:
        say(f"  Cảnh báo / warning: thiếu tệp / missing file {name}")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "antq_version": antq.__version__,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": {"vendor": connection.vendor},
        "migrations": [f"{app}.{name}" for app, name in migrations],
        "tables": entries,
        "media": media,
        "missing_media": missing,
        "master_key": "not included",
    }


def _write_table(work: Path, table: Table, referenced: set[str]) -> dict[str, Any]:
    encoders = [(i, _ENCODERS.get(_kind(f))) for i, f in enumerate(table.fields)]
    encoders = [(i, encode) for i, encode in encoders if encode is not None]
    files = [i for i, f in enumerate(table.fields) if isinstance(f, models.FileField)]
    relative = f"tables/{table.name}.jsonl.gz"
    out = _HashingFile(work / relative)
    content = hashlib.sha256()  # of the rows as written, before compression
    count = 0

    def write(lines: list[str]) -> None:
        data = ("\n".join(lines) + "\n").encode()
        content.update(data)
        gz.write(data)

    try:
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as gz:
            lines = []
            for values in _rows(table):
                row = list(values)
                for i, encode in encoders:
                    if row[i] is not None:
                        row[i] = encode(row[i])
                for i in files:
                    if row[i]:
                        referenced.add(row[i])
                lines.append(_LINE(row))
                if len(lines) >= BATCH:
                    write(lines)
                    count += len(lines)
                    lines = []
            if lines:
                write(lines)
                count += len(lines)
        out.close()
    finally:
        out.abandon()
    return {
        "model": table.label,
        "table": table.name,
        "columns": table.columns,
        "rows": count,
        "file": relative,
        "bytes": out.size,
        "sha256": out.sha256.hexdigest(),
        # The same rows give the same content, whichever database they were read from.
        "content_sha256": content.hexdigest(),
    }


def _write_manifest(work: Path, manifest: dict[str, Any]) -> None:
    out = _HashingFile(work / MANIFEST)
    try:
        out.write((json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode())
        out.close()
    finally:
        out.abandon()


# --- restore --------------------------------------------------------------------------------


def manifest_read(source: Path) -> dict[str, Any]:
    """The manifest of the backup in `source`, its format checked; BackupError otherwise."""
    path = source / MANIFEST
    if not source.is_dir():
        raise BackupError(f"Không có thư mục {source}. / No directory {source}.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{source} không phải bản sao lưu antq hoàn chỉnh (thiếu {MANIFEST}). / "
            f"{source} is not a complete antq backup (no {MANIFEST})."
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} hỏng: {exc}. / {path} is damaged: {exc}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} không phải của một bản sao lưu antq. / {path} is not an antq backup manifest."
        )
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        newer = isinstance(version, int) and version > FORMAT_VERSION
        raise BackupError(
            f"Bản sao lưu theo định dạng {version!r}; antq {antq.__version__} chỉ đọc định dạng "
            f"{FORMAT_VERSION}"
            + (" (bản sao lưu do antq mới hơn tạo)" if newer else "")
            + f". / The backup is in format {version!r}; antq {antq.__version__} reads format "
            f"{FORMAT_VERSION} only" + (" (it was made by a newer antq)" if newer else "") + "."
        )
    for name, kind in (("tables", list), ("media", list), ("migrations", list)):
        if not isinstance(manifest.get(name), kind):
            raise BackupError(
                f"{path}: thiếu mục “{name}”. / {path}: “{name}” is missing or malformed."
            )
    return manifest


def backup_verify(source: Path, manifest: dict[str, Any]) -> None:
    """Every table file is there, with its checksum; media files are checked as they are
    copied. BackupError naming the first file that is missing or altered."""
    expected = {t.name: t for t in tables()}
    listed = set()
    for entry in manifest["tables"]:
        name = entry.get("table") if isinstance(entry, dict) else None
        table = expected.get(name)
        if table is None:
            raise BackupError(
                f"Bảng {name!r} trong bản sao lưu không có trong antq {antq.__version__}. / "
                f"Table {name!r} in the backup is not part of antq {antq.__version__}."
            )
        if entry.get("columns") != table.columns:
            raise BackupError(
                f"Các cột của bảng {name} trong bản sao lưu khác với cơ sở dữ liệu. / "
                f"The columns of table {name} in the backup differ from the database's."
            )
        if not isinstance(entry.get("rows"), int) or entry["rows"] < 0:
            raise BackupError(f"{name}: số dòng hỏng. / {name}: bad row count.")
        listed.add(name)
        path = source / f"tables/{name}.jsonl.gz"
        if not path.is_file():
            raise BackupError(f"Thiếu tệp {path}. / The file {path} is missing.")
        if _sha256(path) != entry.get("sha256"):
            raise BackupError(
                f"Tệp {path} đã bị thay đổi hoặc hỏng (SHA-256 không khớp). / "
                f"The file {path} was altered or damaged (SHA-256 mismatch)."
            )
    if missing := sorted(set(expected) - listed):
        raise BackupError(
            f"Bản sao lưu thiếu bảng {', '.join(missing[:5])}. / "
            f"The backup lacks table(s) {', '.join(missing[:5])}."
        )
    for entry in manifest["media"]:
        if (
            not isinstance(entry, dict)
            or _safe_relative(entry.get("path")) is None
            or not isinstance(entry.get("bytes"), int)
            or not isinstance(entry.get("sha256"), str)
        ):
            raise BackupError(
                f"Mục tệp hỏng trong {MANIFEST}: {entry!r:.80}. / "
                f"Malformed media entry in {MANIFEST}: {entry!r:.80}."
            )


def _check_migrations(manifest: dict[str, Any], say: Progress) -> None:
    """The target's database structure must be the backup's: an empty database is migrated
    first; anything else is refused before a row is written."""
    try:
        wanted = {tuple(m.split(".", 1)) for m in manifest["migrations"]}
    except (AttributeError, TypeError):
        raise BackupError(f"{MANIFEST}: mục migrations hỏng. / Malformed migrations.") from None
    mismatch = BackupError(
        f"Bản sao lưu do antq {manifest.get('antq_version')} tạo, với cấu trúc cơ sở dữ liệu "
        f"khác antq {antq.__version__} này. Khôi phục bằng đúng phiên bản đã tạo nó, rồi nâng "
        f"cấp (`antq setup`). / The backup was made by antq {manifest.get('antq_version')} "
        f"with a database structure other than this antq {antq.__version__}'s. Restore it "
        "with the version that made it, then upgrade (`antq setup`)."
    )
    if wanted != _known_migrations():
        raise mismatch
    applied = _applied_migrations()
    if not applied:
        say("Cơ sở dữ liệu trống: tạo cấu trúc (migrate)…")
        call_command("migrate", interactive=False, verbosity=0)
        applied = _applied_migrations()
    if applied != wanted:
        if _unapplied():
            raise BackupError(
                "Cơ sở dữ liệu đích chưa cập nhật cấu trúc: chạy `antq migrate` trước. / "
                "The target database is not fully migrated: run `antq migrate` first."
            )
        raise mismatch


def _not_empty(all_tables: list[Table]) -> list[str]:
    found = [
        t.name for t in all_tables if t.label not in FRAMEWORK and t.model._base_manager.exists()
    ]
    if _media_files(Path(settings.MEDIA_ROOT)):
        found.append(str(settings.MEDIA_ROOT))
    return found


def backup_restore(
    source: Path,
    *,
    force: bool = False,
    keys_dir: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Restore the backup in `source` into this instance's database and media directory,
    which must be empty (migrated or not) unless `force`, which replaces what is there.
    With `keys_dir`, install the master key kept there. All or nothing: BackupError (the
    database and the media directory as they were) on any problem. Returns the manifest."""
    say = progress or (lambda _line: None)
    source = Path(os.path.abspath(source))
    manifest = manifest_read(source)
    say(
        f"Bản sao lưu antq {manifest.get('antq_version')} lúc {manifest.get('created_at')} "
        f"({manifest.get('source', {}).get('vendor', '?')})."
    )
    backup_verify(source, manifest)
    key = _key_to_install(keys_dir) if keys_dir is not None else None
    _check_migrations(manifest, say)
    all_tables = tables()
    if not force and (busy := _not_empty(all_tables)):
        raise BackupError(
            f"Nơi khôi phục đã có dữ liệu ({', '.join(busy[:4])}"
            + (", …" if len(busy) > 4 else "")
            + "): khôi phục vào một hệ thống trống, hoặc thêm --force để xóa hết dữ liệu hiện "
            "có rồi khôi phục. / The target already holds data: restore into an empty "
            "instance, or add --force to erase everything there first."
        )
    media_root = Path(settings.MEDIA_ROOT)
    staged: Path | None = _stage_media(source, manifest, media_root, say)
    swapped, aside = False, None
    entries = {e["table"]: e for e in manifest["tables"]}
    try:
        with transaction.atomic():
            _empty(all_tables)
            for table in all_tables:
                count = _load_table(source, table, entries[table.name])
                say(f"  {table.name}: {format_number(count)} dòng")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(
                        no_style(), [t.model for t in all_tables]
                    ):
                        cursor.execute(sql)
            try:
                connection.check_constraints()
            except IntegrityError as exc:
                raise BackupError(
                    f"Bản sao lưu không nhất quán (khóa ngoại): {exc}. / "
                    f"The backup is inconsistent (foreign keys): {exc}."
                ) from None
            # Last, so that only the commit can still fail after the files are in place.
            aside = _swap_media(staged, media_root)
            swapped, staged = True, None
    except BaseException as exc:
        if swapped:
            shutil.rmtree(media_root, ignore_errors=True)
            if aside is not None:
                os.rename(aside, media_root)
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        if isinstance(exc, OSError):
            raise BackupError(
                _disk_message(exc, str(media_root)) + " Không khôi phục gì. / Nothing restored."
            ) from exc
        if isinstance(exc, DatabaseError):
            raise BackupError(
                f"Cơ sở dữ liệu từ chối dữ liệu khôi phục: {exc}. Không khôi phục gì. / "
                f"The database refused the restored data: {exc}. Nothing restored."
            ) from exc
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    ContentType.objects.clear_cache()
    if key is not None:
        say(f"Khóa chủ: {keys.master_key_install(key)}")
    return manifest


def _key_to_install(keys_dir: Path) -> bytes:
    path = Path(keys_dir) / KEY_FILE
    try:
        key = keys.decode_key(path.read_text(), str(path))
    except FileNotFoundError:
        raise BackupError(f"Không có {path}. / No {path}.") from None
    except (OSError, keys.MasterKeyError) as exc:
        raise BackupError(f"{exc} / The key file {path} cannot be used.") from None
    try:
        keys.master_key_install(key, dry_run=True)
    except keys.MasterKeyError as exc:
        raise BackupError(str(exc)) from None
    return key


def _empty(all_tables: list[Table]) -> None:
    """Delete every row of every table, sessions included, in the restore's transaction."""
    names = [t.name for t in all_tables] + [Session._meta.db_table]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks still pending in this transaction (a caller's writes) run now: TRUNCATE
            # refuses tables with pending trigger events. Then every check waits for the end.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(quote(n) for n in names) + " RESTART IDENTITY")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
            for name in reversed(names):
                cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608 (a model's table)


def _load_table(source: Path, table: Table, entry: dict[str, Any]) -> int:
    conn = connections[connection.alias]  # the connection itself, not the proxy
    loaders = [_loader(f, conn) for f in table.fields]
    converted = [(i, load) for i, load in enumerate(loaders) if load is not None]
    width = len(loaders)
    path = source / f"tables/{table.name}.jsonl.gz"  # the name is ours, not the manifest's
    count = 0
    content = hashlib.sha256()
    batch: list[list[Any]] = []
    try:
        with gzip.open(path, "rb") as fh:
            for number, line in enumerate(fh, 1):
                content.update(line)
                try:
                    row = json.loads(line)
                    if not isinstance(row, list) or len(row) != width:
                        raise ValueError(f"{width} values expected")
                    for i, load in converted:
                        if row[i] is not None:
                            row[i] = load(row[i])
                except (ValueError, TypeError, ArithmeticError) as exc:
                    raise BackupError(
                        f"{path.name}, dòng {number}: dữ liệu hỏng ({exc}). / "
                        f"{path.name}, line {number}: bad data ({exc})."
                    ) from None
                batch.append(row)
                count += 1
                if len(batch) >= BATCH:
                    _insert(conn, table, batch)
                    batch = []
    except (OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            f"{path.name}: tệp hỏng ({exc}). / {path.name}: damaged file ({exc})."
        ) from None
    _insert(conn, table, batch)
    if content.hexdigest() != entry.get("content_sha256"):
        raise BackupError(
            f"{path.name}: nội dung không khớp SHA-256 trong {MANIFEST}. / "
            f"{path.name}: the content does not match its SHA-256 in {MANIFEST}."
        )
    if count != entry["rows"]:
        raise BackupError(
            f"{path.name}: {count} dòng, sổ ghi {entry['rows']}. / "
            f"{path.name}: {count} rows, the manifest says {entry['rows']}."
        )
    return count


def _insert(conn: Any, table: Table, rows: list[list[Any]]) -> None:
    if not rows:
        return
    quote = conn.ops.quote_name
    columns = ", ".join(quote(c) for c in table.columns)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(table.columns))
        cursor.executemany(
            f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def _stage_media(source: Path, manifest: dict[str, Any], media_root: Path, say: Progress) -> Path:
    """Copy the backup's media files into a new directory beside the media directory,
    checking each one's size and SHA-256 against the manifest."""
    media_root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = media_root.parent / f".media-restore-{secrets.token_hex(4)}"
    try:
        staged.mkdir(mode=0o700)
        total = 0
        for entry in manifest["media"]:
            relative = entry["path"]
            origin = source / "media" / relative
            if not origin.is_file():
                raise BackupError(f"Thiếu tệp {origin}. / The file {origin} is missing.")
            size, digest = _copy(origin, staged / relative)
            if size != entry["bytes"] or digest != entry["sha256"]:
                raise BackupError(
                    f"Tệp {origin} đã bị thay đổi hoặc hỏng (SHA-256 không khớp). / "
                    f"The file {origin} was altered or damaged (SHA-256 mismatch)."
                )
            total += size
        if manifest["media"]:
            say(f"  media: {format_number(len(manifest['media']))} tệp, {_mb(total)} đã kiểm tra")
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise BackupError(
            _disk_message(exc, str(staged)) + " Không khôi phục gì. / Nothing restored."
        ) from exc
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _swap_media(staged: Path, media_root: Path) -> Path | None:
    """Put the staged directory in the media directory's place; returns where the former
    media directory was moved (None if there was none), to delete after the commit."""
    aside = None
    if media_root.exists():
        aside = media_root.parent / f".media-before-restore-{secrets.token_hex(4)}"
        os.rename(media_root, aside)
    try:
        os.rename(staged, media_root)
    except OSError:
        if aside is not None:
            os.rename(aside, media_root)
        raise
    return aside
