"""antq import-values FILE.csv: load indicator values, all or nothing.

The CSV has the header `indicator,area,period,value` (an optional `comment` column);
`area` is the official code as of the start of the period (codes are reused across the
2025 reform). A key that exists has its value replaced (kept in the value's audit trail).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from antq.indicators.services import ValueErrors, ValueInput, values_save

REQUIRED = ["indicator", "area", "period", "value"]


class Command(BaseCommand):
    help = "Import indicator values from a CSV file (indicator,area,period,value), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--reason", default="", help="why the values are imported (kept in the audit trail)"
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {path}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path.name}: tệp không phải văn bản UTF-8.") from None
        reader = csv.DictReader(text.splitlines())
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise CommandError(
                f"{path.name}:1: thiếu cột {', '.join(missing)} (cần: indicator,area,period,value)."
            )
        reader.fieldnames = header
        items = []
        try:
            for row in reader:
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                items.append(
                    ValueInput(
                        indicator=(row.get("indicator") or "").strip(),
                        area=(row.get("area") or "").strip(),
                        period=(row.get("period") or "").strip(),
                        value=(row.get("value") or "").strip(),
                        comment=(row.get("comment") or "").strip(),
                        where=f"{path.name}:{reader.line_num}",
                    )
                )
        except csv.Error as exc:
            raise CommandError(f"{path.name}:{reader.line_num}: CSV hỏng: {exc}") from None
        total = len(items)
        try:
            counts = values_save(items, actor=None, source="imported", reason=options["reason"])
        except ValueErrors as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems[:200])
            more = f"\n  … và {len(exc.problems) - 200} lỗi khác" if len(exc.problems) > 200 else ""
            raise CommandError(
                f"Không nhập giá trị nào: {len(exc.problems)} lỗi.\n{lines}{more}"
            ) from None
        self.stdout.write(
            f"Đã nhập {total} dòng: {counts['created']} giá trị mới, {counts['updated']} cập nhật, "
            f"{counts['unchanged']} không đổi."
        )
