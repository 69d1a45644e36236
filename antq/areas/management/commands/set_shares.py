"""antq set-shares: say how a split area's values divide among its successors."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from antq.areas.models import Area, Succession
from antq.areas.selectors import area_by_code
from antq.areas.services import succession_set_shares
from antq.core.vnformat import parse_date


class Command(BaseCommand):
    help = (
        "Set the shares of a split area's successors, e.g. "
        "`antq set-shares 00016 00004=0.7 00008=0.3 --on 2025-06-30` (they must add up to 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="official code of the area that was split")
        parser.add_argument("--on", required=True, help="a date on which that area existed")
        parser.add_argument("shares", nargs="*", help="SUCCESSOR_CODE=SHARE for each successor")

    def handle(self, *args, **options):
        try:
            on = parse_date(options["on"])
            area = area_by_code(options["code"], on)
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {exc}") from None
        except Area.DoesNotExist:
            raise CommandError(
                f"Không có địa bàn mã {options['code']} vào ngày {on:%d/%m/%Y}."
            ) from None
        rows = list(Succession.objects.filter(predecessor=area).select_related("successor"))
        if not rows:
            raise CommandError(f"{area.name} không có đơn vị kế thừa nào.")
        date = rows[0].effective_date
        if not options["shares"]:
            for row in rows:
                self.stdout.write(f"{row.successor.code}={row.share}  {row.successor.name}")
            return
        by_code = {
            row.successor.code: row.successor_id for row in rows if row.effective_date == date
        }
        shares: dict[int, Decimal] = {}
        for item in options["shares"]:
            code, _, value = item.partition("=")
            if code not in by_code:
                raise CommandError(f"{code} không phải đơn vị kế thừa của {area.name}.")
            try:
                shares[by_code[code]] = Decimal(value)
            except InvalidOperation:
                raise CommandError(f"Tỷ lệ '{value}' của {code} không phải là số.") from None
        try:
            succession_set_shares(predecessor=area, effective_date=date, shares=shares, actor=None)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã đặt tỷ lệ kế thừa của {area.name} từ ngày {date:%d/%m/%Y}.")
