"""antq report: write a generated document from the shell.

antq report results --document 44-KL/TW --area 20 --start 2019 --end 2022
    --format docx|pdf|xlsx --out FILE     the results report on a document's implementation
antq report reminder --document 100-KH/TU [--body CODE] [--on DATE] [--reply-by DATE]
    --format docx|pdf|xlsx --out FILE     the reminder letter on a plan's overdue tasks
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from antq.accounts.models import Body
from antq.areas.models import Area
from antq.areas.selectors import areas_with_code
from antq.core.vnformat import parse_date
from antq.directives.models import Document
from antq.indicators.periods import PeriodError, parse_period
from antq.reports.reminders import reminder_letter
from antq.reports.results import ReportError, results_report
from antq.reports.writers import FORMATS, write


class Command(BaseCommand):
    help = (
        "Write a generated document: the results report, or the reminder letter on overdue tasks."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{results,reminder}")
        results = kinds.add_parser("results", help="the results report on a document in an area")
        results.add_argument("--document", required=True, help="number and symbol, e.g. 44-KL/TW")
        results.add_argument("--area", required=True, help="official code, e.g. 20")
        results.add_argument("--start", required=True, help="first period, e.g. 2019")
        results.add_argument("--end", required=True, help="last period, e.g. 2022")
        reminder = kinds.add_parser(
            "reminder", help="the reminder letter on a plan's overdue tasks"
        )
        reminder.add_argument("--document", required=True, help="the plan, e.g. 100-KH/TU")
        reminder.add_argument("--body", help="code of the one body to write to (default: all)")
        reminder.add_argument(
            "--on", help="judge and date the letter on dd/mm/yyyy (default today)"
        )
        reminder.add_argument("--reply-by", help="report back by dd/mm/yyyy (default: a week on)")
        for sub in (results, reminder):
            sub.add_argument("--format", default="docx", choices=sorted(FORMATS))
            sub.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, **options):
        document = _document(options["document"])
        try:
            if options["kind"] == "results":
                report = _results(document, options)
            else:
                report = reminder_letter(
                    document,
                    body=_body(options["body"]) if options["body"] else None,
                    on=_date(options["on"], "--on"),
                    reply_by=_date(options["reply_by"], "--reply-by"),
                )
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        path = Path(options["out"])
        path.write_bytes(write(report, options["format"]))
        note = "" if report.has_data else " (không có số liệu trong kỳ)"
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {path}{note}."))


def _document(symbol: str) -> Document:
    docs = list(Document.objects.filter(symbol=symbol.strip()).select_related("issuer"))
    if not docs:
        raise CommandError(f"Không có văn bản {symbol} trong hệ thống.")
    if len(docs) > 1:
        raise CommandError(f"Có {len(docs)} văn bản mang số {symbol}; xem trang văn bản.")
    return docs[0]


def _results(document: Document, options: dict):
    try:
        start, end = parse_period(options["start"]), parse_period(options["end"])
    except PeriodError as exc:
        raise CommandError(f"Kỳ không hợp lệ: {exc}") from None
    area = _area(options["area"], end.end())
    return results_report(document=document, area=area, start=start, end=end)


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


def _body(code: str) -> Body:
    body = Body.objects.filter(code=code.strip()).select_related("area").first()
    if body is None:
        raise CommandError(f"Không có cơ quan, đơn vị mã {code}.")
    return body


def _date(text: str | None, flag: str):
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise CommandError(
            f"{flag}: ngày không hợp lệ {text!r} (viết dd/mm/yyyy hoặc yyyy-mm-dd)."
        ) from None
