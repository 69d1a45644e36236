"""antq derive: recount the indicators counted from the registries, or link and unlink them.

Every change of a record recounts its indicators at once; run this once a day (systemd timer,
docs/admin-guide.md) so that stocks counted at the end of each month (models in operation,
security teams) also have a value for a month in which nothing changed. It recounts the last
two months; `--all` recounts every month (after a repair by hand).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from antq.core.vnformat import parse_date
from antq.indicators import derived
from antq.indicators.models import Indicator


class Command(BaseCommand):
    help = "Recount the indicators counted from registries; --list, --link, --unlink."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="show the links and exit")
        parser.add_argument("--link", metavar="CODE", help="count this indicator from a registry")
        parser.add_argument("--source", help="the registry's count (see --list)")
        parser.add_argument("--from", dest="start", help="first day counted (dd/mm/yyyy)")
        parser.add_argument("--unlink", metavar="CODE", help="stop counting this indicator")
        parser.add_argument(
            "--all",
            action="store_true",
            help="recount every month from each indicator's first day (default: the last two)",
        )

    def handle(self, *args, **options):
        if options["list"]:
            linked = {i.derived_source: i for i in Indicator.objects.exclude(derived_source="")}
            for key in sorted(derived.SOURCES):
                i = linked.get(key)
                since = i.derived_from.strftime("%d/%m/%Y") if i and i.derived_from else ""
                self.stdout.write(f"  {key:<36} {i.code if i else '—':<24} {since}")
            return
        if options["link"] or options["unlink"]:
            code = (options["link"] or options["unlink"]).strip().upper()
            indicator = Indicator.objects.filter(code=code).first()
            if indicator is None:
                raise CommandError(f"Không có chỉ tiêu mã {code}.")
            if options["unlink"]:
                derived.derivation_set(indicator=indicator, source="", start=None)
                self.stdout.write(self.style.SUCCESS(f"{code}: nhập tay từ nay."))
                return
            if options["source"] not in derived.SOURCES:
                raise CommandError("Cần --source, một trong: " + ", ".join(sorted(derived.SOURCES)))
            try:
                start = parse_date(options["start"] or "")
            except ValueError:
                raise CommandError("Cần --from là một ngày (dd/mm/yyyy).") from None
            derived.derivation_set(indicator=indicator, source=options["source"], start=start)
            self.stdout.write(
                self.style.SUCCESS(f"{code}: đếm từ sổ {options['source']} từ {start:%d/%m/%Y}.")
            )
            return
        done = derived.refresh(reason="antq derive", recent=None if options["all"] else 2)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã đếm lại: {done.written} số liệu ghi mới, "
                f"{done.waiting} chênh lệch chờ người phê duyệt quyết định."
            )
        )
