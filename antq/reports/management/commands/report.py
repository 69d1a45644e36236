"""antq report results --document 44-KL/TW --area 20 --start 2019 --end 2022
--format docx|pdf|xlsx --out FILE: the results report on a document's implementation."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from antq.areas.models import Area
from antq.areas.selectors import areas_with_code
from antq.directives.models import Document
from antq.indicators.periods import PeriodError, parse_period
from antq.reports.results import ReportError, results_report
from antq.reports.writers import FORMATS, write


class Command(BaseCommand):
    help = "Write the results report on the implementation of a document in an area."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["results"])
        parser.add_argument("--document", required=True, help="number and symbol, e.g. 44-KL/TW")
        parser.add_argument("--area", required=True, help="official code, e.g. 20")
        parser.add_argument("--start", required=True, help="first period, e.g. 2019")
        parser.add_argument("--end", required=True, help="last period, e.g. 2022")
        parser.add_argument("--format", default="docx", choices=sorted(FORMATS))
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, **options):
        docs = list(Document.objects.filter(symbol=options["document"].strip()))
        if not docs:
            raise CommandError(f"Không có văn bản {options['document']} trong hệ thống.")
        if len(docs) > 1:
            raise CommandError(
                f"Có {len(docs)} văn bản mang số {options['document']}; xem trang văn bản."
            )
        try:
            start, end = parse_period(options["start"]), parse_period(options["end"])
        except PeriodError as exc:
            raise CommandError(f"Kỳ không hợp lệ: {exc}") from None
        area = _area(options["area"], end.end())
        try:
            report = results_report(document=docs[0], area=area, start=start, end=end)
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        path = Path(options["out"])
        path.write_bytes(write(report, options["format"]))
        note = "" if report.has_data else " (không có số liệu trong kỳ)"
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {path}{note}."))


def _area(code: str, on) -> Area:
    candidates = list(areas_with_code(code))
    held = [a for a in candidates if a.is_valid_on(on)]
    if held:
        return held[0]
    if candidates:
        raise CommandError(
            f"Mã {code} không thuộc đơn vị nào vào ngày {on:%d/%m/%Y} (cuối kỳ báo cáo)."
        )
    raise CommandError(f"Không có đơn vị hành chính mã {code}.")
