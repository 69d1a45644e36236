"""antq demo: set up, load the Lạng Sơn demo, print the logins and serve."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from antq.accounts.models import Role
from antq.core.management.commands.serve import serve
from antq.core.management.commands.setup import run_setup
from antq.demo.directives import directives_load
from antq.demo.grassroots import grassroots_load
from antq.demo.indicators import indicators_load
from antq.demo.inspections import inspection_load
from antq.demo.seed import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Set up antq with the Lạng Sơn demo data and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--prepare-only", action="store_true", help="do everything but serve")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("antq demo không chạy ở chế độ production (ANTQ_MODE=production).")
        run_setup(self.stdout, verbosity=options["verbosity"])
        self.stdout.write("Nạp dữ liệu minh họa Lạng Sơn…")
        users = demo_load()
        self.stdout.write("Nạp chuỗi văn bản 09-CT/TW → 44-KL/TW → 100-KH/TU và tiến độ thực hiện…")
        directives_load()
        self.stdout.write(
            "Nạp sổ theo dõi cơ sở: 70 mô hình tự quản, 6.512 tin, bài 2019-2022, sự kiện, "
            "tổ bảo vệ an ninh, trật tự…"
        )
        grassroots_load()
        self.stdout.write("Nạp số liệu minh họa 2019-2022 của 194 xã, phường, thị trấn…")
        indicators_load()
        self.stdout.write("Nạp nguồn tin minh họa của Công an xã Na Sầm và Hoàng Văn Thụ…")
        # the inspections' drafts are pre-filled from every registry, tips included
        call_command("tips", "demo", stdout=self.stdout)
        self.stdout.write(
            "Nạp cuộc kiểm tra của Ban Nội chính Trung ương về thực hiện Kết luận 44-KL/TW…"
        )
        inspection_load()
        roles = dict(Role.choices)
        width = max(len(u.username) for u in users)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                "Tài khoản minh họa (nhân vật hư cấu) — mật khẩu chung: " + DEMO_PASSWORD
            )
        )
        for u in users:
            role = " + ".join(str(roles[r]) for r in (u.role, *u.extra_roles))
            self.stdout.write(f"  {u.username:<{width}}  {DEMO_PASSWORD}  {role:<36} {u.title}")
        self.stdout.write("")
        if options["prepare_only"]:
            self.stdout.write("Đã chuẩn bị xong (--prepare-only: không khởi động máy chủ).")
            return
        serve(host=options["host"], port=options["port"], workers=2, threads=8, stdout=self.stdout)
