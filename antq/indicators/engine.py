"""The aggregation engine: totals of indicators over an area's subtree and over periods.

Two modes (DESIGN.md, "Hierarchy over time"):
- historic: a value counts towards the areas its unit stood under in its own period;
- current: each unit's values are carried onto its successors as of the date `on` (split
  communes by their succession shares) and rolled up the map of that date.
Both give the same total for an area that exists on both maps, because shares add up to 1.

Time: flows (time_aggregation "sum") add up over the periods; stocks ("last") take, for each
unit, its latest value within the period asked for, and then add up over units.

This version reads the stored values at query time (one indexed query for the values, two for
the tree), so a saved value is in every total at once. Pre-aggregated rollups for national
scale are the next step (see docs/benchmarks.md); they will replace the inside of
`analytics`, not its contract.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from antq.areas.models import Area, AreaTreePath, Succession
from antq.indicators.models import DataValue, Indicator, TimeAggregation
from antq.indicators.periods import PERIOD_TYPES, Period, parse_period


class AnalyticsError(ValueError):
    def __init__(self, message: str, *, code: str, field: str = ""):
        self.code = code
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Row:
    indicator: str
    area: str | None
    period: str | None
    value: Decimal


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    total: Decimal
    values_read: int


Ranges = list[tuple[dt.date, dt.date]]


def _within(ranges: Ranges, day: dt.date) -> bool:
    return any(start <= day <= end for start, end in ranges)


def _bucket(value_period: str, start: dt.date, by_time: str | None, whole: str) -> str:
    if by_time is None:
        return whole
    own = parse_period(value_period)
    if PERIOD_TYPES.index(own.type) < PERIOD_TYPES.index(by_time):
        raise AnalyticsError(
            f"values of period {value_period} cannot be grouped by {by_time}",
            code="invalid_grouping",
            field="by",
        )
    # By the value's own code, not its dates: in the reporting calendar 202201 starts on
    # 15/12/2021 but belongs to 2022.
    return own.parent(by_time).code


def _carry_map(on: dt.date) -> dict[int, list[tuple[int, Decimal]]]:
    """For every unit that has ended by `on`: the units valid on `on` its values go to, with
    shares, following chains of successions."""
    step: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for pred, succ, share in Succession.objects.filter(effective_date__lte=on).values_list(
        "predecessor_id", "successor_id", "share"
    ):
        step[pred].append((succ, share))
    valid_on = set(
        Area.objects.filter(valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .filter(pk__in=list(step) + [s for targets in step.values() for s, _ in targets])
        .values_list("pk", flat=True)
    )
    resolved: dict[int, list[tuple[int, Decimal]]] = {}

    def resolve(area: int, depth: int = 0) -> list[tuple[int, Decimal]]:
        if area in resolved:
            return resolved[area]
        if area in valid_on or area not in step or depth > 20:
            return [(area, Decimal(1))] if area in valid_on or area not in step else []
        out: dict[int, Decimal] = defaultdict(Decimal)
        for succ, share in step[area]:
            for target, inner in resolve(succ, depth + 1):
                out[target] += share * inner
        resolved[area] = list(out.items())
        return resolved[area]

    for area in step:
        resolve(area)
    return resolved


def analytics(
    *,
    indicators: list[Indicator],
    area: Area,
    start: Period,
    end: Period,
    on: dt.date,
    by_area: bool = False,
    by_time: str | None = None,
    mode: str = "historic",
    calendar: str = "gregorian",
    scope_area_ids: Iterable[int] | None = None,
) -> Result:
    if mode not in ("historic", "current"):
        raise AnalyticsError(f"unknown mode {mode!r}", code="invalid_mode", field="mode")
    if by_time is not None and by_time not in PERIOD_TYPES:
        raise AnalyticsError(f"cannot group by {by_time!r}", code="invalid_grouping", field="by")
    range_start, range_end = start.start(calendar), end.end(calendar)
    if range_end < range_start:
        raise AnalyticsError(
            "the end period is before the start", code="invalid_range", field="end"
        )
    whole = start.code if start == end else f"{start.code}..{end.code}"

    if (
        mode == "historic"
        and by_time in (None, "year")
        and scope_area_ids is None
        and all(i.time_aggregation == TimeAggregation.SUM for i in indicators)
    ):
        return _historic_flows_sql(
            indicators, area, range_start, range_end, by_area, by_time, whole
        )

    # Which units count, and under which child of `area`, by date.
    if mode == "historic":
        members: dict[int, Ranges] = defaultdict(list)
        for desc, vf, vt in AreaTreePath.objects.filter(ancestor=area).values_list(
            "descendant_id", "valid_from", "valid_to"
        ):
            members[desc].append((vf, vt))
        child_of: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
        if by_area:
            children = AreaTreePath.objects.filter(ancestor=area, depth=1).values_list(
                "descendant_id", "valid_from", "valid_to"
            )
            spans = {c: (vf, vt) for c, vf, vt in children}
            for anc, desc, vf, vt in AreaTreePath.objects.filter(
                ancestor_id__in=list(spans)
            ).values_list("ancestor_id", "descendant_id", "valid_from", "valid_to"):
                cf, ct = spans[anc]
                lo, hi = max(vf, cf), min(vt, ct)
                if lo <= hi:
                    child_of[desc].append((anc, lo, hi))
        candidates = list(members)
    else:
        on_paths = AreaTreePath.objects.filter(ancestor=area, valid_from__lte=on, valid_to__gte=on)
        targets = {d: dp for d, dp in on_paths.values_list("descendant_id", "depth")}
        target_child: dict[int, int] = {}
        if by_area:
            kids = set(on_paths.filter(depth=1).values_list("descendant_id", flat=True))
            for anc, desc in AreaTreePath.objects.filter(
                ancestor_id__in=kids, valid_from__lte=on, valid_to__gte=on
            ).values_list("ancestor_id", "descendant_id"):
                target_child[desc] = anc
        carry = _carry_map(on)
        sources: dict[int, list[tuple[int, Decimal]]] = {t: [(t, Decimal(1))] for t in targets}
        for src, dests in carry.items():
            kept = [(t, s) for t, s in dests if t in targets]
            if kept:
                sources[src] = kept
        candidates = list(sources)

    if scope_area_ids is not None:
        allowed = set(scope_area_ids)
        candidates = [c for c in candidates if c in allowed]

    by_code = {i.pk: i for i in indicators}
    rows = DataValue.objects.filter(
        indicator__in=indicators,
        area_id__in=candidates,
        period_start__gte=range_start,
        period_end__lte=range_end,
    ).values_list("indicator_id", "area_id", "period", "period_start", "period_end", "value")

    # Time first: per (indicator, unit, bucket) a sum (flow) or the latest value (stock).
    per_unit: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    latest: dict[tuple[int, int, str], tuple[dt.date, Decimal]] = {}
    unit_child: dict[tuple[int, int, str], int | None] = {}
    values_read = 0
    for ind, unit, period, p_start, p_end, value in rows.iterator(chunk_size=5000):
        values_read += 1
        if mode == "historic":
            if not _within(members.get(unit, []), p_start):
                continue
        bucket = _bucket(period, p_start, by_time, whole)
        key = (ind, unit, bucket)
        if mode == "historic" and by_area:
            child = next((c for c, lo, hi in child_of.get(unit, []) if lo <= p_start <= hi), None)
            if child is None:
                continue  # the area itself, not under any child
            unit_child[key] = child
        if by_code[ind].time_aggregation == TimeAggregation.LAST:
            seen = latest.get(key)
            if seen is None or p_end > seen[0]:
                latest[key] = (p_end, value)
        else:
            per_unit[key] += value
    for key, (_end, value) in latest.items():
        per_unit[key] = value

    # Then space: add up units (carried onto today's map in current mode).
    totals: dict[tuple[int, int | None, str], Decimal] = defaultdict(Decimal)
    for (ind, unit, bucket), value in per_unit.items():
        if mode == "historic":
            place = unit_child.get((ind, unit, bucket)) if by_area else None
            totals[(ind, place, bucket)] += value
        else:
            for target, share in sources.get(unit, []):
                if by_area:
                    place = target_child.get(target)
                    if place is None:
                        continue
                else:
                    place = None
                totals[(ind, place, bucket)] += value * share

    codes = {a.pk: a.code for a in Area.objects.filter(pk__in={p for _i, p, _b in totals if p})}
    out = [
        Row(
            indicator=by_code[ind].code,
            area=codes.get(place) if by_area else None,
            period=bucket if by_time else None,
            value=_tidy(value, by_code[ind]),
        )
        for (ind, place, bucket), value in totals.items()
    ]
    out.sort(key=lambda r: (r.indicator, r.area or "", r.period or ""))
    total = sum((r.value for r in out), Decimal(0))
    return Result(rows=out, total=total, values_read=values_read)


def _historic_flows_sql(
    indicators: list[Indicator],
    area: Area,
    range_start: dt.date,
    range_end: dt.date,
    by_area: bool,
    by_time: str | None,
    whole: str,
) -> Result:
    """The common question — sums of flows on the historic map, by child and/or year — asked
    of the database in one grouped query over the values and the closure table."""
    values = DataValue._meta.db_table
    paths = AreaTreePath._meta.db_table
    select = ["v.indicator_id"]
    joins = [
        f"JOIN {paths} p ON p.descendant_id = v.area_id AND p.ancestor_id = %s"
        " AND p.valid_from <= v.period_start AND p.valid_to >= v.period_start"
    ]
    params: list = [area.pk]
    if by_area:
        joins.append(
            f"JOIN {paths} c ON c.descendant_id = v.area_id"
            " AND c.valid_from <= v.period_start AND c.valid_to >= v.period_start"
        )
        joins.append(
            f"JOIN {paths} k ON k.descendant_id = c.ancestor_id AND k.ancestor_id = %s"
            " AND k.depth = 1 AND k.valid_from <= v.period_start AND k.valid_to >= v.period_start"
        )
        params.append(area.pk)
        select.append("c.ancestor_id")
    if by_time == "year":
        select.append("SUBSTR(v.period, 1, 4)")
    ids = [i.pk for i in indicators]
    # Only table names and fixed fragments are formatted in; every value is a parameter.
    sql = (
        f"SELECT {', '.join(select)}, SUM(v.value), COUNT(*) FROM {values} v {' '.join(joins)}"
        f" WHERE v.indicator_id IN ({', '.join(['%s'] * len(ids))})"
        " AND v.period_start >= %s AND v.period_end <= %s"
        f" GROUP BY {', '.join(select)}"
    )
    params += [*ids, range_start, range_end]
    by_pk = {i.pk: i for i in indicators}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    codes = {}
    if by_area:
        codes = dict(
            Area.objects.filter(pk__in={row[1] for row in fetched}).values_list("pk", "code")
        )
    rows, read = [], 0
    for row in fetched:
        indicator = by_pk[row[0]]
        place = codes.get(row[1]) if by_area else None
        period = row[-3] if by_time == "year" else None
        total, count = Decimal(row[-2]), row[-1]
        read += count
        rows.append(Row(indicator.code, place, period, _tidy(total, indicator)))
    rows.sort(key=lambda r: (r.indicator, r.area or "", r.period or ""))
    return Result(rows=rows, total=sum((r.value for r in rows), Decimal(0)), values_read=read)


def _tidy(value: Decimal, indicator: Indicator) -> Decimal:
    """Shares can leave long fractions; integer indicators keep 4 decimals at most."""
    return (
        value.quantize(Decimal("0.0001")).normalize()
        if value != value.to_integral()
        else value.quantize(Decimal(1))
    )


__all__ = ["AnalyticsError", "Result", "Row", "analytics"]
