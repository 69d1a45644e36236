"""antq rebuild-totals: recompute the pre-computed totals from the values and the area tree.

Not needed in normal work (every write keeps the totals current, and a change of the area
tree rebuilds them); for after a restore from an older version or a repair by hand.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from antq.indicators import totals


class Command(BaseCommand):
    help = "Recompute the totals of indicators by area and period from the stored values."

    def handle(self, *args, **options):
        began = time.monotonic()
        rows = totals.rebuild(progress=lambda text: self.stdout.write(f"  … {text}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tính lại {rows:,} dòng tổng hợp trong {time.monotonic() - began:.1f} giây.".replace(
                    ",", "."
                )
            )
        )
