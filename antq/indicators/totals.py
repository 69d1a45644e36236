"""Pre-computed totals (DataTotal), kept current in the transaction of every write.

A value of unit u for period P (its *grain*: month, quarter, half or year) counts towards the
total of every area that stood above u at the start of P, for P and every coarser period
containing it (202207 -> 202207, 2022Q3, 2022S2, 2022). A question over a range of periods is
then the sum of a few rows (periods.pieces_between), whatever the number of units below.

- Flows (time aggregation "sum"): a row holds the sum of the values and their count; a write
  adds the difference (new - old) to the rows of the value's ancestors.
- Stocks ("last"): a row holds, over the units below, the sum of each unit's latest value in
  the period, counting only units that still existed at the period's end (a commune merged on
  1/7/2025 no longer counts at the end of 2025: its successor does). A write recomputes the
  contributions of the units it touched, before and after, and applies the difference.

The area itself is not in its own rows (only areas strictly above a unit are): the engine
reads an area's own values from DataValue. When some areas get a new parent, their values
leave their old ancestors' totals and join the new ones' (`units_move`, on the signals
areas.tree_changing and areas.tree_rebuilt); `rebuild()` recomputes everything from the values
and the area tree, after a load of the official lists and as `antq rebuild-totals`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction

from antq.areas.models import Area, AreaTreePath
from antq.indicators.models import DataTotal, DataValue, Indicator, TimeAggregation
from antq.indicators.periods import PERIOD_TYPES, Period, parse_period

TABLE = DataTotal._meta.db_table
COLUMNS = "(indicator_id, area_id, period, grain, value, count)"
ON_CONFLICT = (
    " ON CONFLICT (indicator_id, area_id, period, grain) DO UPDATE SET"
    f" value = {TABLE}.value + excluded.value, count = {TABLE}.count + excluded.count"
)
# (indicator, area, period, grain) -> (value, count)
Deltas = dict[tuple[int, int, str, str], list]


@lru_cache(maxsize=4096)
def chain(code: str) -> tuple[str, ...]:
    """'202207' -> ('202207', '2022Q3', '2022S2', '2022')."""
    return tuple(p.code for p in parse_period(code).chain())


@lru_cache(maxsize=4096)
def _period(code: str) -> Period:
    return parse_period(code)


class Ancestors:
    """The areas strictly above each unit, by date, read in one query per batch of units."""

    def __init__(self, units: Iterable[int]):
        self.paths: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
        units = list(set(units))
        for i in range(0, len(units), 900):
            for anc, desc, vf, vt in AreaTreePath.objects.filter(
                descendant_id__in=units[i : i + 900], depth__gte=1
            ).values_list("ancestor_id", "descendant_id", "valid_from", "valid_to"):
                self.paths[desc].append((anc, vf, vt))

    def of(self, unit: int, day: dt.date) -> list[int]:
        return [anc for anc, vf, vt in self.paths.get(unit, ()) if vf <= day <= vt]


def _write(deltas: Deltas) -> None:
    """Add the deltas to their rows (created when missing), in key order so that concurrent
    writers lock shared rows (a province, the nation) in the same order."""
    rows = [
        (ind, area, period, grain, value, count)
        for (ind, area, period, grain), (value, count) in sorted(deltas.items())
        if value or count
    ]
    if not rows:
        return
    # Many rows per statement: one round trip per 1,000 rows on PostgreSQL (a statement per
    # row cost seconds per batch of an import), within SQLite's limit of bound parameters.
    per = 1000 if connection.vendor == "postgresql" else 150
    with connection.cursor() as cursor:
        for i in range(0, len(rows), per):
            chunk = rows[i : i + per]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {TABLE} {COLUMNS} VALUES {marks}{ON_CONFLICT}",
                [v for row in chunk for v in row],
            )


def flows_add(changes: Iterable[tuple[int, int, str, dt.date, Decimal, int]]) -> None:
    """Apply changes of flow values: (indicator, unit, period code, period start, value
    difference, count difference) each. Grouped by ancestor before being spread over the
    periods containing each value, so a batch of 50,000 values writes a few thousand rows."""
    changes = list(changes)
    if not changes:
        return
    above = Ancestors({c[1] for c in changes})
    seen: dict[tuple[int, dt.date], list[int]] = {}
    by_area: dict[tuple[int, int, str], list] = {}
    for ind, unit, period, start, delta, dcount in changes:
        ancestors = seen.get((unit, start))
        if ancestors is None:
            ancestors = seen[(unit, start)] = above.of(unit, start)
        for anc in ancestors:
            slot = by_area.get((ind, anc, period))
            if slot is None:
                by_area[(ind, anc, period)] = [delta, dcount]
            else:
                slot[0] += delta
                slot[1] += dcount
    deltas: Deltas = {}
    for (ind, anc, period), (delta, dcount) in by_area.items():
        grain = _period(period).type
        for bucket in chain(period):
            slot = deltas.get((ind, anc, bucket, grain))
            if slot is None:
                deltas[(ind, anc, bucket, grain)] = [delta, dcount]
            else:
                slot[0] += delta
                slot[1] += dcount
    _write(deltas)


# (indicator, unit, bucket, grain) -> (value, start of the value's period)
Contributions = dict[tuple[int, int, str, str], tuple[Decimal, dt.date]]


# (indicator, unit, period) -> (start, end, value): a unit's stock values
StockValues = dict[tuple[int, int, str], tuple[dt.date, dt.date, Decimal]]


def _stock_values(
    pairs: set[tuple[int, int]], periods: Iterable[str] | None
) -> tuple[StockValues, set[str] | None, dict[int, dt.date | None]]:
    """The values of the (stock indicator, unit) pairs that periods containing one of
    `periods` hold (all of them without `periods`), the periods concerned, and the units'
    end dates."""
    units = sorted({u for _i, u in pairs})
    inds = sorted({i for i, _u in pairs})
    wanted = None
    dates = {}
    if periods is not None:
        wanted = {bucket for code in periods for bucket in chain(code)}
        years = sorted({_period(code).year for code in wanted})
        if not years:
            return {}, wanted, {}
        # Every value a touched period can hold lies within its years (reporting periods
        # start on 15 December of the year before).
        dates = {
            "period_start__gte": _period(f"{years[0]:04d}").start("reporting"),
            "period_end__lte": _period(f"{years[-1]:04d}").end("gregorian"),
        }
    ends = {}
    found: StockValues = {}
    columns = ("indicator_id", "area_id", "period", "period_start", "period_end", "value")
    for i in range(0, len(units), 900):
        ends.update(Area.objects.filter(pk__in=units[i : i + 900]).values_list("pk", "valid_to"))
    if dates and len(units) > 200:
        # Many units: one range of the (indicator, period_start) index, not a probe per unit.
        queries = [DataValue.objects.filter(indicator_id__in=inds, **dates)]
    else:
        queries = [
            DataValue.objects.filter(indicator_id__in=inds, area_id__in=units[i : i + 900], **dates)
            for i in range(0, len(units), 900)
        ]
    for query in queries:
        for ind, unit, period, start, end, value in query.values_list(*columns).iterator(
            chunk_size=5000
        ):
            if (ind, unit) in pairs:
                found[(ind, unit, period)] = (start, end, value)
    return found, wanted, ends


def _latest(values: StockValues, wanted: set[str] | None, ends) -> Contributions:
    latest: dict[tuple[int, int, str, str], tuple[dt.date, dt.date, Decimal]] = {}
    for (ind, unit, period), (start, end, value) in values.items():
        grain = _period(period).type
        for bucket in chain(period):
            if wanted is not None and bucket not in wanted:
                continue
            key = (ind, unit, bucket, grain)
            seen = latest.get(key)
            if seen is None or (end, start) > (seen[1], seen[0]):
                latest[key] = (start, end, value)
    out: Contributions = {}
    for (ind, unit, bucket, grain), (start, _end, value) in latest.items():
        valid_to = ends.get(unit)
        # The period's end in the value's calendar: gregorian periods start on the 1st,
        # reporting ones on the 15th.
        calendar = "gregorian" if start.day == 1 else "reporting"
        if valid_to is not None and valid_to < _period(bucket).end(calendar):
            continue
        out[(ind, unit, bucket, grain)] = (value, start)
    return out


def stock_contributions(
    pairs: Iterable[tuple[int, int]], periods: Iterable[str] | None = None
) -> Contributions:
    """For each (stock indicator, unit): its latest value in every period that contains one of
    its values (only the periods containing one of `periods`, when given), if the unit still
    existed at that period's end."""
    values, wanted, ends = _stock_values(set(pairs), periods)
    return _latest(values, wanted, ends)


def stocks_change(changes: StockValues) -> tuple[Contributions, Contributions]:
    """The contributions of the units a write of stock values touches, before and after it,
    from one read of their values (the write's own applied in memory)."""
    pairs = {(ind, unit) for ind, unit, _p in changes}
    values, wanted, ends = _stock_values(pairs, {p for _i, _u, p in changes})
    before = _latest(values, wanted, ends)
    values.update(changes)
    return before, _latest(values, wanted, ends)


def stocks_apply(before: Contributions, after: Contributions) -> None:
    """Move the totals from the contributions `before` a write to those `after` it."""
    changed = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
    if not changed:
        return
    above = Ancestors(unit for _i, unit, _b, _g in changed)
    deltas: Deltas = {}
    for key in changed:
        ind, unit, bucket, grain = key
        for sign, found in ((-1, before.get(key)), (1, after.get(key))):
            if found is None:
                continue
            value, start = found
            for anc in above.of(unit, start):
                slot = deltas.setdefault((ind, anc, bucket, grain), [Decimal(0), 0])
                slot[0] += sign * value
                slot[1] += sign
    _write(deltas)


def units_lock(units: Iterable[int]) -> None:
    """Writers of the same units take turns until commit (PostgreSQL; SQLite has one writer
    at a time anyway): a write reads the values it replaces and, for stocks, the unit's other
    values, and the totals move by the difference, which must not be computed from a state
    another transaction is changing. The areas' rows are locked FOR NO KEY UPDATE, in id
    order: writers of other units, and foreign-key checks, are not held up."""
    units = sorted(set(units))
    for i in range(0, len(units), 900):
        list(
            Area.objects.select_for_update(no_key=True)
            .filter(pk__in=units[i : i + 900])
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def units_move(units: Iterable[int], *, sign: int) -> None:
    """Take the values of `units` out of the totals of their current ancestors (sign -1), or
    put them into them (sign 1): around a change of the tree that moves those units only, so
    a village added under a commune does not recompute the country's totals."""
    units = sorted(set(units))
    stocks = set(
        Indicator.objects.filter(time_aggregation=TimeAggregation.LAST).values_list("pk", flat=True)
    )
    flows, pairs = [], set()
    for i in range(0, len(units), 900):
        rows = DataValue.objects.filter(area_id__in=units[i : i + 900]).values_list(
            "indicator_id", "area_id", "period", "period_start", "value"
        )
        for ind, unit, period, start, value in rows.iterator(chunk_size=5000):
            if ind in stocks:
                pairs.add((ind, unit))
            else:
                flows.append((ind, unit, period, start, sign * value, sign))
    flows_add(flows)
    if pairs:
        found = stock_contributions(pairs)
        if sign < 0:
            stocks_apply(found, {})
        else:
            stocks_apply({}, found)


# --- rebuild ---------------------------------------------------------------------------------

_MONTH = "SUBSTR(v.period, 5, 2)"
_BUCKET_SQL = {
    "year": "SUBSTR(v.period, 1, 4)",
    "half": (
        "CASE v.period_type WHEN 'half' THEN v.period"
        " WHEN 'quarter' THEN SUBSTR(v.period, 1, 4) || 'S' ||"
        " (CASE WHEN SUBSTR(v.period, 6, 1) IN ('1', '2') THEN '1' ELSE '2' END)"
        f" ELSE SUBSTR(v.period, 1, 4) || 'S' || (CASE WHEN {_MONTH} <= '06' THEN '1' ELSE '2' END)"
        " END"
    ),
    "quarter": (
        "CASE v.period_type WHEN 'quarter' THEN v.period"
        " ELSE SUBSTR(v.period, 1, 4) || 'Q' || (CASE"
        f" WHEN {_MONTH} <= '03' THEN '1' WHEN {_MONTH} <= '06' THEN '2'"
        f" WHEN {_MONTH} <= '09' THEN '3' ELSE '4' END) END"
    ),
    "month": "v.period",
}


@transaction.atomic
def rebuild(progress: Callable[[str], None] | None = None) -> int:
    """Recompute every total from the values and the area tree; returns the number of rows.

    Flows in four grouped SQL statements (one per kind of period), stocks through the same
    code as a write, a few hundred units at a time."""
    say = progress or (lambda _text: None)
    DataTotal.objects.all().delete()
    values = DataValue._meta.db_table
    paths = AreaTreePath._meta.db_table
    indicators = Indicator._meta.db_table
    for level in PERIOD_TYPES:
        grains = PERIOD_TYPES[PERIOD_TYPES.index(level) :]
        say(f"flows by {level}")
        bucket = _BUCKET_SQL[level]
        # Only table names and fixed fragments are formatted in; values are parameters.
        sql = (
            f"INSERT INTO {TABLE} {COLUMNS}"
            f" SELECT v.indicator_id, p.ancestor_id, {bucket}, v.period_type, SUM(v.value),"
            f" COUNT(*) FROM {values} v"
            f" JOIN {indicators} i ON i.id = v.indicator_id AND i.time_aggregation = %s"
            f" JOIN {paths} p ON p.descendant_id = v.area_id AND p.depth >= 1"
            " AND p.valid_from <= v.period_start AND p.valid_to >= v.period_start"
            f" WHERE v.period_type IN ({', '.join(['%s'] * len(grains))})"
            f" GROUP BY v.indicator_id, p.ancestor_id, {bucket}, v.period_type"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [TimeAggregation.SUM, *grains])
    stocks = list(
        Indicator.objects.filter(time_aggregation=TimeAggregation.LAST).values_list("pk", flat=True)
    )
    for ind in stocks:
        units = sorted(
            set(DataValue.objects.filter(indicator_id=ind).values_list("area_id", flat=True))
        )
        for i in range(0, len(units), 500):
            say(f"stocks: indicator {ind}, units {i + 1}-{min(i + 500, len(units))}")
            stocks_apply({}, stock_contributions((ind, u) for u in units[i : i + 500]))
    return DataTotal.objects.count()


__all__ = [
    "Ancestors",
    "chain",
    "flows_add",
    "rebuild",
    "stock_contributions",
    "stocks_apply",
    "stocks_change",
    "units_lock",
    "units_move",
]
