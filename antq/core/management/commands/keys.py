"""antq keys init | path: the master key that seals the tip-reading bodies' keys."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from antq.core.keys import MasterKeyError, key_file, master_key, master_key_init


class Command(BaseCommand):
    help = "Make the master key (init) or show where it is read from (path)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["init", "path", "check"])

    def handle(self, *args, **options):
        try:
            if options["action"] == "init":
                path = master_key_init()
                self.stdout.write(
                    self.style.SUCCESS(f"Đã tạo khóa chủ {path} (chỉ chủ sở hữu đọc được).")
                )
                self.stdout.write("Sao lưu tệp này ở nơi khác với bản sao lưu dữ liệu.")
            elif options["action"] == "check":
                master_key()
                self.stdout.write(self.style.SUCCESS("Khóa chủ đọc được và được bảo vệ đúng."))
            else:
                self.stdout.write(str(key_file()))
        except MasterKeyError as exc:
            raise CommandError(str(exc)) from None
