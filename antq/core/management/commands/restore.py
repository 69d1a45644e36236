"""antq restore DIR: restore a backup made by `antq backup` into an empty instance (SQLite
or PostgreSQL), all or nothing (antq.core.backup; docs/operations.md)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from antq.core.backup import BackupError, backup_restore
from antq.core.vnformat import format_number


class Command(BaseCommand):
    help = (
        "Restore a backup made by `antq backup` into this (empty) instance; --force erases "
        "the data already there first."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="the backup directory")
        parser.add_argument(
            "--force",
            action="store_true",
            help="erase every row and uploaded file already there, then restore",
        )
        parser.add_argument(
            "--with-keys",
            type=Path,
            metavar="KEYDIR",
            help="install the tips' master key kept in KEYDIR by `antq backup --with-keys`",
        )
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args, **options):
        quiet = options["quiet"]
        started = time.monotonic()
        try:
            manifest = backup_restore(
                options["dir"],
                force=options["force"],
                keys_dir=options["with_keys"],
                progress=None if quiet else self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if quiet:
            return
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {format_number(rows)} dòng của {len(manifest['tables'])} bảng và "
                f"{format_number(len(manifest['media']))} tệp trong "
                f"{format_number(time.monotonic() - started, 1)} giây."
            )
        )
        self.stdout.write(
            "Mọi phiên đăng nhập cũ đã hết hiệu lực. Chạy `antq setup` nếu đây là phiên bản "
            "antq mới hơn; nguồn tin cần đúng khóa chủ (`antq keys check`)."
        )
