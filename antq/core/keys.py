"""The deployment's master key: where it lives and how it is made (issue 6).

The master key seals the private keys of the bodies that read citizens' tips
(antq.core.crypto). It never enters the database: it comes from the environment variable
`ANTQ_MASTER_KEY` (32 bytes, URL-safe base64) or from a key file readable only by its owner
(`ANTQ_MASTER_KEY_FILE`, default `<ANTQ_DATA_DIR>/keys/master.key`). A backup of the database
without the key opens nothing; keep the key's own backup apart from the data's.
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from pathlib import Path

from django.conf import settings

from antq.core import crypto


class MasterKeyError(Exception):
    """The master key is missing, malformed or exposed; the message says what to do."""


def key_file() -> Path:
    configured = os.environ.get("ANTQ_MASTER_KEY_FILE", "").strip()
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys" / "master.key"


def decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode() + b"==")
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != crypto.KEY_BYTES:
        raise MasterKeyError(f"{where}: không phải khóa chủ 32 byte (base64).")
    return key


def master_key() -> bytes:
    """The master key; MasterKeyError with what to do when it is missing or exposed."""
    text = os.environ.get("ANTQ_MASTER_KEY", "").strip()
    if text:
        return decode_key(text, "ANTQ_MASTER_KEY")
    path = key_file()
    if not path.exists():
        raise MasterKeyError(f"Chưa có khóa chủ ({path}): chạy `antq keys init`.")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MasterKeyError(
            f"Tệp khóa chủ {path} đọc được bởi người khác (quyền {stat.filemode(mode)}); "
            f"chỉ chủ sở hữu được đọc: chmod 600 {path}"
        )
    return decode_key(path.read_text(), str(path))


def _encode(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=") + "\n"


def _write_new(path: Path, key: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(_encode(key))
        fh.flush()
        os.fsync(fh.fileno())


def staged_file() -> Path:
    return key_file().with_name(key_file().name + ".new")


def staged_key() -> bytes | None:
    """The key a rotation left staged beside the key file (None if there is none)."""
    path = staged_file()
    return decode_key(path.read_text(), str(path)) if path.exists() else None


def master_key_stage() -> bytes:
    """Write a new master key beside the present one (`master.key.new`, mode 600) for a
    rotation; the caller re-seals with it and then calls master_key_promote()."""
    if os.environ.get("ANTQ_MASTER_KEY", "").strip():
        raise MasterKeyError(
            "Khóa chủ đặt qua biến môi trường ANTQ_MASTER_KEY: đặt khóa mới vào "
            "ANTQ_NEW_MASTER_KEY rồi chạy lại `antq keys rotate`."
        )
    master_key()  # the present key must be readable
    path = staged_file()
    if path.exists():
        raise MasterKeyError(
            f"Đã có khóa mới đang chờ {path} (một lần đổi khóa trước chưa xong): "
            "chạy `antq keys check`."
        )
    key = crypto.new_master_key()
    _write_new(path, key)
    return key


def master_key_promote() -> Path:
    """The staged key becomes the master key (an atomic rename)."""
    os.replace(staged_file(), key_file())
    return key_file()


def master_key_init() -> Path:
    """Make a new master key file (mode 600 in a directory of mode 700); refuses to overwrite
    one, since the tips sealed under it would be lost."""
    if os.environ.get("ANTQ_MASTER_KEY", "").strip():
        raise MasterKeyError("ANTQ_MASTER_KEY đã được đặt trong môi trường; không tạo tệp khóa.")
    path = key_file()
    try:
        _write_new(path, crypto.new_master_key())
    except FileExistsError:
        raise MasterKeyError(
            f"Đã có khóa chủ {path}; không ghi đè (dùng `antq keys rotate`)."
        ) from None
    return path


def key_write_new(path: Path, key: bytes) -> None:
    """Write `key` to a new file (mode 600, its directory 700 if made); FileExistsError if
    there is one. Used to keep a copy of the master key apart from the data's backups."""
    _write_new(path, key)


def master_key_install(key: bytes, *, dry_run: bool = False) -> Path:
    """Put a master key kept from a backup where this deployment reads it (a restore). A
    different key already there is never overwritten (MasterKeyError); the same key is left
    as it is. With dry_run, only check that it could be done."""
    configured = os.environ.get("ANTQ_MASTER_KEY", "").strip()
    if configured:
        if decode_key(configured, "ANTQ_MASTER_KEY") != key:
            raise MasterKeyError(
                "ANTQ_MASTER_KEY khác khóa trong bản sao lưu khóa: đặt ANTQ_MASTER_KEY bằng khóa "
                "đó. / ANTQ_MASTER_KEY differs from the key kept with the backup: set it to "
                "that key."
            )
        return Path("ANTQ_MASTER_KEY")
    path = key_file()
    if path.exists():
        if decode_key(path.read_text(), str(path)) != key:
            raise MasterKeyError(
                f"Đã có một khóa chủ khác ở {path}; không ghi đè (các nguồn tin niêm phong bằng "
                f"nó sẽ mất). / A different master key is already at {path}; it is never "
                "overwritten (the tips sealed under it would be lost)."
            )
        return path
    if not dry_run:
        _write_new(path, key)
    return path
