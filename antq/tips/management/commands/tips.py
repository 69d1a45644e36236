"""antq tips install | tick | demo: the tip line's setup, its hourly round, its demo data.

Other apps reach the tip line only through this command (`antq setup` and `antq demo` call
it by name), never by importing it: the tips app is a sealed room (docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from antq.core.keys import MasterKeyError, key_file, master_key, master_key_init
from antq.tips import services


class Command(BaseCommand):
    help = (
        "install: retention periods, the tip counts linked to the indicators, the master key "
        "in development; tick: the hourly round (counts, deadline warnings, erasure); "
        "demo: the demo tips."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["install", "tick", "demo"])

    def handle(self, *args, **options):
        action = options["action"]
        if action == "install":
            self._install()
        elif action == "tick":
            done = services.tips_tick()
            self.stdout.write(
                f"Nguồn tin: {done['warned']} cảnh báo hạn giải quyết, "
                f"{done['erased']} nguồn tin hết thời hạn lưu đã xóa khóa."
            )
        else:
            if settings.PRODUCTION:
                raise CommandError("Không nạp dữ liệu minh họa ở chế độ production.")
            from antq.tips.demo import tips_load

            n = tips_load()
            self.stdout.write(f"  {n} nguồn tin minh họa (nội dung hư cấu, đã mã hóa).")

    def _install(self) -> None:
        try:
            master_key()
        except MasterKeyError as exc:
            if settings.PRODUCTION or key_file().exists():
                self.stdout.write(self.style.WARNING(f"  Đường dây nguồn tin chưa sẵn sàng: {exc}"))
            else:
                try:
                    path = master_key_init()
                except MasterKeyError as again:
                    self.stdout.write(self.style.WARNING(f"  {again}"))
                else:
                    self.stdout.write(
                        f"  Tạo khóa chủ cho nguồn tin (môi trường phát triển): {path}"
                    )
        if services.tips_install():
            self.stdout.write(
                "  Nguồn tin: thời hạn lưu mặc định; chỉ tiêu đếm từ nguồn tin từ tháng này."
            )
