"""antq keys init | check | rotate | path: the master key that seals the tip-reading bodies'
keys (docs/security.md)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from antq.core import crypto
from antq.core.keys import (
    MasterKeyError,
    decode_key,
    key_file,
    master_key,
    master_key_init,
    master_key_promote,
    master_key_stage,
    staged_file,
    staged_key,
)
from antq.core.services import audit_record
from antq.tips import vault


def _fingerprint(key: bytes | None) -> str:
    return crypto.master_fingerprint(key) if key else "—"


def check(stdout) -> str:
    """What the stored keys are sealed by, against the key in use; MasterKeyError if they
    do not match (with what to do)."""
    key = master_key()
    used = vault.sealed_by()
    mine = crypto.master_fingerprint(key)
    if used - {mine}:
        staged = staged_key()
        if staged is not None and used == {crypto.master_fingerprint(staged)}:
            raise MasterKeyError(
                "Lần đổi khóa trước đã niêm phong lại dữ liệu bằng khóa mới nhưng chưa thay "
                "tệp khóa: chạy `antq keys rotate` để hoàn tất."
            )
        raise MasterKeyError(
            f"Khóa của cơ quan được niêm phong bằng khóa chủ {', '.join(sorted(used))}, "
            f"khóa đang dùng là {mine}: dùng đúng tệp khóa (hoặc bản sao lưu của nó)."
        )
    return mine


def rotate(stdout) -> int:
    """Re-seal every body key and the pepper under a new master key, then put the new key
    in place. Safe to run again after an interruption."""
    new_env = os.environ.get("ANTQ_NEW_MASTER_KEY", "").strip()
    if os.environ.get("ANTQ_MASTER_KEY", "").strip():
        if not new_env:
            master_key_stage()  # raises the message saying what to do
        new = decode_key(new_env, "ANTQ_NEW_MASTER_KEY")
        n = vault.reseal(master_key(), new)
        stdout.write(
            f"Đã niêm phong lại {n} khóa bằng khóa chủ mới ({_fingerprint(new)}). "
            "Đặt ANTQ_MASTER_KEY bằng giá trị của ANTQ_NEW_MASTER_KEY rồi bỏ biến sau."
        )
        return n
    staged = staged_key()
    if staged is not None and vault.sealed_by() <= {crypto.master_fingerprint(staged)}:
        master_key_promote()  # an earlier run re-sealed but did not put the key in place
        stdout.write("Đã hoàn tất lần đổi khóa trước.")
        return 0
    old = master_key()
    new = master_key_stage()
    try:
        n = vault.reseal(old, new)
    except Exception:
        os.remove(staged_file())
        raise
    master_key_promote()
    stdout.write(
        f"Đã đổi khóa chủ ({_fingerprint(old)} → {_fingerprint(new)}), "
        f"niêm phong lại {n} khóa. Sao lưu tệp {key_file()} ở nơi khác với dữ liệu; "
        "các bản sao lưu dữ liệu cũ chỉ mở được bằng khóa cũ."
    )
    return n


class Command(BaseCommand):
    help = "Make (init), check, rotate the master key, or show where it is read from (path)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "path", "check", "rotate"])

    def handle(self, *args, **options):
        try:
            action = options["action"]
            if action == "init":
                path = master_key_init()
                self.stdout.write(
                    self.style.SUCCESS(f"Đã tạo khóa chủ {path} (chỉ chủ sở hữu đọc được).")
                )
                self.stdout.write("Sao lưu tệp này ở nơi khác với bản sao lưu dữ liệu.")
            elif action == "check":
                mine = check(self.stdout)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Khóa chủ {mine} đọc được, được bảo vệ đúng và mở được các khóa đã lưu."
                    )
                )
            elif action == "rotate":
                n = rotate(self.stdout)
                audit_record(actor=None, action="tips.master_key_rotated", summary=f"{n} khóa")
            else:
                self.stdout.write(str(key_file()))
        except MasterKeyError as exc:
            raise CommandError(str(exc)) from None
