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


def _decode(text: str, where: str) -> bytes:
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
        return _decode(text, "ANTQ_MASTER_KEY")
    path = key_file()
    if not path.exists():
        raise MasterKeyError(f"Chưa có khóa chủ ({path}): chạy `antq keys init`.")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MasterKeyError(
            f"Tệp khóa chủ {path} đọc được bởi người khác (quyền {stat.filemode(mode)}); "
            f"chỉ chủ sở hữu được đọc: chmod 600 {path}"
        )
    return _decode(path.read_text(), str(path))


def master_key_init() -> Path:
    """Make a new master key file (mode 600 in a directory of mode 700); refuses to overwrite
    one, since the tips sealed under it would be lost."""
    if os.environ.get("ANTQ_MASTER_KEY", "").strip():
        raise MasterKeyError("ANTQ_MASTER_KEY đã được đặt trong môi trường; không tạo tệp khóa.")
    path = key_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise MasterKeyError(
            f"Đã có khóa chủ {path}; không ghi đè (dùng `antq keys rotate`)."
        ) from None
    with os.fdopen(fd, "w") as fh:
        fh.write(base64.urlsafe_b64encode(crypto.new_master_key()).decode().rstrip("=") + "\n")
    return path
