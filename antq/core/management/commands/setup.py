"""antq setup: migrate, collect static files, load areas and standard catalogues. Idempotent."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from antq.areas.management.commands.load_areas import load_areas
from antq.grassroots.services import registries_install
from antq.indicators import derived, totals
from antq.indicators.services import catalogue_install, data_sets_install, totals_missing


def run_setup(stdout, *, verbosity: int = 1) -> None:
    stdout.write("1/4 Cập nhật cấu trúc cơ sở dữ liệu…")
    call_command("migrate", interactive=False, verbosity=0)
    stdout.write("2/4 Chuẩn bị tệp tĩnh (CSS, JavaScript)…")
    call_command("collectstatic", interactive=False, verbosity=0)
    stdout.write("3/4 Danh mục đơn vị hành chính…")
    load_areas(stdout, force=False, verbosity=verbosity)
    stdout.write("4/4 Danh mục chỉ tiêu chuẩn…")
    created, updated = catalogue_install()
    data_sets_install()
    stdout.write(f"  {created} chỉ tiêu mới, {updated} cập nhật.")
    if totals_missing():
        stdout.write("  Tính các số tổng hợp từ số liệu đã có…")
        totals.rebuild()
    if registries_install():
        stdout.write(
            "  Sổ theo dõi cơ sở: chỉ tiêu đếm từ sổ từ tháng này (số liệu trước đó nhập tay)."
        )
    # The tip line, reached by name only (antq.tips is a sealed room).
    call_command("tips", "install", stdout=stdout)
    # Stocks counted from the registries reach this month (a new month needs its values).
    derived.refresh(reason="antq setup", recent=2)


class Command(BaseCommand):
    help = "Prepare the database: migrations, static files, areas and standard catalogues."

    def handle(self, *args, **options):
        run_setup(self.stdout, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("Sẵn sàng."))
