"""Synthetic monthly values for Lạng Sơn whose province totals match the seed article.

2019-2022, on the 194 communes of the time: thousands of tips
(3.468 received, 2.156 of value), 912 criminal cases cleared thanks to them (“hơn 900 vụ”),
1.047 suspects (“hơn 1.000 đối tượng”) and 4,5 tỷ đồng of assets recovered. From July 2025
the tips and cases are counted from the demo tip line (`antq tips demo`). Every per-commune figure is SYNTHETIC (the article gives only
province totals) and says so in its comment. The media items (6.512, “hơn 6.500 tin, bài,
ảnh, phóng sự”) and the 66 self-management models are records of the demo registries
(antq.demo.grassroots), from which those indicators are counted.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.db import transaction

from antq.areas.models import Level
from antq.areas.selectors import area_by_code, area_subtree
from antq.indicators.models import DataValue
from antq.indicators.periods import Period, periods_between
from antq.indicators.services import ValueInput, values_save

COMMENT = "Số liệu minh họa, tổng hợp (synthetic demo figure)"
SEED_TOTALS = {
    "MEDIA_ITEMS": 6512,
    "TIPS_RECEIVED": 3468,
    "TIPS_VALUABLE": 2156,
    "CASES_CLEARED_BY_TIPS": 912,
    "SUSPECTS_BY_TIPS": 1047,
    "ASSETS_RECOVERED_VND": 4_500_000_000,
}
# Counted from the demo registries (antq.demo.grassroots), not loaded as figures.
COUNTED = {"MEDIA_ITEMS"}


def _split(total: int, weights: Sequence[float], unit: int = 1) -> list[int]:
    """Integers (multiples of `unit`) proportional to the weights, adding up exactly to total."""
    units = total // unit
    scale = sum(weights)
    raw = [units * w / scale for w in weights]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[
        : units - sum(out)
    ]:
        out[i] += 1
    return [n * unit for n in out]


def _cells(communes: list, months: list[Period], rng: random.Random) -> list[float]:
    commune_w = [rng.uniform(0.4, 1.6) for _ in communes]
    month_w = [rng.uniform(0.7, 1.3) * (1 + 0.08 * (m.year - 2019)) for m in months]
    return [c * m for c in commune_w for m in month_w]


def _cap(values: list[int], limits: list[int]) -> list[int]:
    """Move any excess over the limits to cells with room, keeping the total."""
    spare = 0
    out = []
    for v, lim in zip(values, limits, strict=True):
        if v > lim:
            spare += v - lim
            v = lim
        out.append(v)
    for i, lim in enumerate(limits):
        if not spare:
            break
        room = min(lim - out[i], spare)
        out[i] += room
        spare -= room
    return out


@transaction.atomic
def indicators_load() -> int:
    """Load the demo values (idempotent: skipped when Lạng Sơn already has them)."""
    lang_son = area_by_code("20", dt.date(2022, 1, 1))
    if DataValue.objects.filter(comment=COMMENT).exists():
        return 0
    rng = random.Random(2023)  # noqa: S311 (demo data)
    items: list[ValueInput] = []
    before = dt.date(2022, 1, 1)
    communes = sorted(area_subtree(lang_son, before, level=Level.COMMUNE), key=lambda a: a.code)
    months = periods_between("2019", "2022", "month")
    weights = _cells(communes, months, rng)
    grid = {
        code: _split(total, weights, 100_000 if code == "ASSETS_RECOVERED_VND" else 1)
        for code, total in SEED_TOTALS.items()
        if code not in ("CASES_CLEARED_BY_TIPS", "SUSPECTS_BY_TIPS", "ASSETS_RECOVERED_VND")
        and code not in COUNTED
    }
    grid["TIPS_VALUABLE"] = _cap(grid["TIPS_VALUABLE"], grid["TIPS_RECEIVED"])
    cases = _cap(
        _split(SEED_TOTALS["CASES_CLEARED_BY_TIPS"], [v + 0.01 for v in grid["TIPS_VALUABLE"]]),
        grid["TIPS_VALUABLE"],
    )
    grid["CASES_CLEARED_BY_TIPS"] = cases
    with_cases = [1.0 if c else 0.0 for c in cases]
    extra = _split(SEED_TOTALS["SUSPECTS_BY_TIPS"] - sum(cases), with_cases)
    grid["SUSPECTS_BY_TIPS"] = [c + e for c, e in zip(cases, extra, strict=True)]
    grid["ASSETS_RECOVERED_VND"] = _split(
        SEED_TOTALS["ASSETS_RECOVERED_VND"], [c * rng.uniform(0.5, 1.5) for c in cases], 100_000
    )
    for code, values in grid.items():
        for n, value in enumerate(values):
            if value:
                commune, month = communes[n // len(months)], months[n % len(months)]
                items.append(ValueInput(code, commune.code, month.code, value, COMMENT))

    values_save(items, actor=None, source="imported", reason="demo")
    return len(items)
