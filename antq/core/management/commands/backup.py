"""antq backup DIR: a consistent, versioned backup of the database and the uploaded files
(antq.core.backup; docs/operations.md). The tips' master key only with --with-keys, and
never inside DIR."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from antq.core.backup import BackupError, backup_create
from antq.core.vnformat import format_number


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into DIR (a new or empty directory). "
        "The master key is not included; --with-keys KEYDIR copies it elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="a new (or empty) directory")
        parser.add_argument(
            "--with-keys",
            type=Path,
            metavar="KEYDIR",
            help="also copy the tips' master key into KEYDIR (not inside DIR: keep it apart)",
        )
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args, **options):
        quiet = options["quiet"]
        started = time.monotonic()
        try:
            manifest = backup_create(
                options["dir"],
                keys_dir=options["with_keys"],
                progress=None if quiet else self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if quiet:
            return
        rows = sum(t["rows"] for t in manifest["tables"])
        size = sum(t["bytes"] for t in manifest["tables"]) + sum(
            m["bytes"] for m in manifest["media"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {format_number(rows)} dòng của {len(manifest['tables'])} bảng và "
                f"{format_number(len(manifest['media']))} tệp "
                f"({format_number(size / 1024 / 1024, 1)} MB) vào {options['dir']} "
                f"trong {format_number(time.monotonic() - started, 1)} giây."
            )
        )
        if options["with_keys"] is None:
            self.stdout.write(
                "Bản sao lưu không chứa khóa chủ của nguồn tin: giữ bản sao khóa "
                "(antq backup --with-keys KEYDIR) ở nơi khác."
            )
