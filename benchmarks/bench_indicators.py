"""Benchmark of indicator values and analytics at national scale (issue 4), on SQLite and/or
PostgreSQL, with DuckDB answering the same questions from a raw export as the yardstick.

    .venv/bin/python benchmarks/bench_indicators.py [--db sqlite|postgres|both] [--scale F]
        [--indicators N] [--months 201901..202606] [--import-values N] [--batch N]
        [--repeat N] [--quick] [--profile] [--write-results PATH]

Each run starts from an empty database (a temporary SQLite file, or a fresh PostgreSQL
database `antq_bench_<pid>` that is dropped at the end), migrates, loads the national areas
and the indicator catalogue, and then:

1. generates the data set: every sampled commune x N indicators x every month of the range in
   which the commune exists (pre-reform communes to 2025-06, the new ones from 2025-07);
   most of it is written by a fast raw path (INSERT ... SELECT generated in the database:
   "fill", not antq's import path), then a sample of whole months goes through antq's real
   import path, `values_save()`, in batches: that gives the import rate;
2. times "one saved value visible in the national total" (values_save + analytics);
3. times three analytics questions through `engine.analytics()`, through one SQL statement in
   the same database (a reference, not antq's code) and through DuckDB reading a Parquet
   export of the same values, and checks that every answer is the same.

See benchmarks/README.md for the options and how to read the output.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import gc
import io
import itertools
import json
import math
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, Path(__file__).resolve().parent):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from bench_areas import (  # noqa: E402  (the shared helpers of the area benchmark)
    DEFAULT_PG_URL,
    child_env,
    db_version,
    machine_facts,
    median,
    postgres_database,
)

SEED = 20250701
REFORM = dt.date(2025, 7, 1)
DEFAULT_MONTHS = "201901..202606"
DEFAULT_PROVINCE = "20"  # Lạng Sơn: 11 districts, 194 communes before the reform
TARGET_IMPORT_RATE = 50_000  # values/s
TARGET_FRESH_MS = 1000
# The indicators "one indicator" questions use (a flow), then a stock, then the rest.
FIRST_INDICATORS = ("TIPS_RECEIVED", "SECURITY_TEAMS")
SYNTHETIC_PREFIX = "BENCH_"


def value_of(area_id: int, month_ord: int, k: int) -> int:
    """The generated value; the fill SQL computes the same expression."""
    return (area_id * 7 + month_ord * 13 + k * 31) % 97


VALUE_SQL = "((u.area_id * 7 + m.ord * 13 + i.k * 31) %% 97)"  # %% : a placeholder-safe %


# --- the data set -------------------------------------------------------------------------


@dataclass
class Month:
    ord: int
    code: str
    start: dt.date
    end: dt.date


@dataclass
class Plan:
    """What the generator writes: units (communes) x indicators x months."""

    units: list[tuple[int, str, dt.date, dt.date | None]]  # (area id, code, from, to)
    indicators: list[Any]  # Indicator, k = position + 1
    months: list[Month]
    import_months: list[Month]
    pre_units: int = 0
    post_units: int = 0
    through_units: int = 0  # existed before the reform and go on after it (unchanged communes)

    def unit_months(self, month: Month) -> list[tuple[int, str]]:
        return [
            (pk, code)
            for pk, code, vf, vt in self.units
            if vf <= month.start and (vt is None or vt >= month.start)
        ]


def parse_months(text: str) -> tuple[str, str]:
    try:
        first, last = (t.strip() for t in text.split(".."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYYMM..YYYYMM, not {text!r}") from None
    from antq.indicators.periods import PeriodError, parse_period

    try:
        a, b = parse_period(first), parse_period(last)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if a.type != "month" or b.type != "month" or b < a:
        raise argparse.ArgumentTypeError(f"expected two months, first..last, not {text!r}")
    return a.code, b.code


def build_plan_of_values(args: argparse.Namespace) -> Plan:
    from antq.areas.models import Area, AreaTreePath, Level
    from antq.areas.selectors import area_by_code
    from antq.indicators.models import Indicator
    from antq.indicators.periods import parse_period, period_range

    first, last = args.months_range
    months = [
        Month(n + 1, p.code, p.start(), p.end())
        for n, p in enumerate(period_range(parse_period(first), parse_period(last)))
    ]
    communes = list(
        Area.objects.filter(level=Level.COMMUNE)
        .order_by("code", "valid_from")
        .values_list("pk", "code", "valid_from", "valid_to")
    )
    rng = random.Random(SEED)
    picked = set(rng.sample([c[0] for c in communes], round(args.scale * len(communes))))
    # Every commune of the province of question (a), so that (a) reads as many values as it
    # would at national scale, whatever --scale is.
    province = area_by_code(args.province, dt.date(2022, 12, 31))
    picked |= set(
        AreaTreePath.objects.filter(ancestor=province, descendant_level=Level.COMMUNE).values_list(
            "descendant_id", flat=True
        )
    )
    units = [c for c in communes if c[0] in picked]
    by_code = {i.code: i for i in Indicator.objects.all()}
    ordered = [by_code[c] for c in FIRST_INDICATORS] + sorted(
        (i for c, i in by_code.items() if c not in FIRST_INDICATORS),
        key=lambda i: (i.code.startswith(SYNTHETIC_PREFIX), i.pk),
    )
    plan = Plan(units=units, indicators=ordered[: args.indicators], months=months, import_months=[])
    plan.pre_units = sum(1 for u in units if u[2] < REFORM)
    plan.post_units = len(units) - plan.pre_units
    plan.through_units = sum(1 for u in units if u[2] < REFORM and (u[3] is None or u[3] >= REFORM))
    # Whole months, from the first, until the sample reaches --import-values.
    count = 0
    for month in months:
        if count >= args.import_values:
            break
        plan.import_months.append(month)
        count += len(plan.unit_months(month)) * len(plan.indicators)
    return plan


def indicators_install(n: int) -> None:
    """The standard catalogue, plus synthetic flows up to n indicators."""
    from antq.indicators.models import Indicator
    from antq.indicators.services import catalogue_install

    catalogue_install()
    have = Indicator.objects.count()
    Indicator.objects.bulk_create(
        Indicator(
            code=f"{SYNTHETIC_PREFIX}{k:02d}",
            name=f"Chỉ tiêu thử {k:02d}",
            name_en=f"Benchmark indicator {k:02d}",
        )
        for k in range(have + 1, n + 1)
    )


def _d(connection, day: dt.date | None):
    if day is None:
        return None
    return day.isoformat() if connection.vendor == "sqlite" else day


def helper_tables(plan: Plan) -> None:
    """bench_unit / bench_month / bench_indicator: what the fill SQL crosses."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        for name in ("bench_unit", "bench_month", "bench_indicator"):
            cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(
            "CREATE TABLE bench_unit (area_id bigint PRIMARY KEY, valid_from date NOT NULL, "
            "valid_to date NULL)"
        )
        cur.execute(
            "CREATE TABLE bench_month (ord integer PRIMARY KEY, period varchar(8) NOT NULL, "
            "pstart date NOT NULL, pend date NOT NULL)"
        )
        cur.execute("CREATE TABLE bench_indicator (id bigint PRIMARY KEY, k integer NOT NULL)")
        cur.executemany(
            "INSERT INTO bench_unit VALUES (%s, %s, %s)",
            [(pk, _d(connection, vf), _d(connection, vt)) for pk, _c, vf, vt in plan.units],
        )
        cur.executemany(
            "INSERT INTO bench_month VALUES (%s, %s, %s, %s)",
            [(m.ord, m.code, _d(connection, m.start), _d(connection, m.end)) for m in plan.months],
        )
        cur.executemany(
            "INSERT INTO bench_indicator VALUES (%s, %s)",
            [(i.pk, k) for k, i in enumerate(plan.indicators, 1)],
        )


def fill(plan: Plan, bench: Bench) -> int:
    """Every month not in the import sample, one INSERT ... SELECT per month."""
    from django.db import connection, transaction

    sql = (
        "INSERT INTO indicators_datavalue (indicator_id, area_id, period, period_type, "
        "period_start, period_end, value, source, comment, updated_at, updated_by_id) "
        f"SELECT i.id, u.area_id, m.period, 'month', m.pstart, m.pend, {VALUE_SQL}, "
        "'imported', '', CURRENT_TIMESTAMP, NULL "
        "FROM bench_month m JOIN bench_unit u ON u.valid_from <= m.pstart "
        "AND (u.valid_to IS NULL OR u.valid_to >= m.pstart) CROSS JOIN bench_indicator i "
        "WHERE m.ord = %s ORDER BY u.area_id, i.id"
    )
    skip = {m.ord for m in plan.import_months}
    todo = [m for m in plan.months if m.ord not in skip]
    written = 0
    t0 = time.perf_counter()
    for n, month in enumerate(todo, 1):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [month.ord])
            written += cur.rowcount
        if n % 12 == 0 or n == len(todo):
            rate = written / max(time.perf_counter() - t0, 1e-9)
            print(f"  fill: {n}/{len(todo)} months, {written:,} values, {rate:,.0f}/s", flush=True)
    seconds = time.perf_counter() - t0
    bench.load(
        "fill (not antq's import path): INSERT … SELECT in the database",
        written,
        seconds,
    )
    return written


def rebuild_totals(bench: Bench) -> None:
    """The fill bypasses antq's writes, so its totals are computed as `antq rebuild-totals`
    does (as after a restore); values_save() keeps them current from then on."""
    from antq.indicators import totals

    t0 = time.perf_counter()
    rows = totals.rebuild(progress=lambda text: print(f"  rebuild-totals: {text}", flush=True))
    seconds = time.perf_counter() - t0
    print(f"  rebuild-totals: {rows:,} rows in {seconds:.1f} s", flush=True)
    bench.load("antq rebuild-totals after the fill — rows of totals written", rows, seconds)


def import_sample(plan: Plan, bench: Bench, batch: int, profiling: bool = False) -> int:
    """antq's import path: values_save() with ValueInput items, `batch` per call, in the
    order a reporting round arrives (month, commune, indicator)."""
    from antq.indicators.services import ValueInput, values_save

    def items():
        for month in plan.import_months:
            for pk, code in plan.unit_months(month):
                for k, ind in enumerate(plan.indicators, 1):
                    yield ValueInput(ind.code, code, month.code, value_of(pk, month.ord, k))

    chunk: list[Any] = []
    saved = 0
    seconds = 0.0
    calls: list[float] = []
    profiled: list[int] = []

    def flush() -> None:
        nonlocal saved, seconds
        gc.collect()
        prof = cProfile.Profile() if profiling and not profiled else None
        if prof is not None:
            prof.enable()
        t0 = time.perf_counter()
        counts = values_save(chunk, actor=None, source="imported")
        took = time.perf_counter() - t0
        if counts["created"] != len(chunk):
            raise AssertionError(f"values_save created {counts}, expected {len(chunk)} new")
        if prof is not None:
            prof.disable()
            print_profile(prof, f"values_save() of {len(chunk):,} values (not in the rate)")
            profiled.append(len(chunk))
        else:
            seconds += took
            calls.append(took)
            saved += len(chunk)
        print(
            f"  values_save: {saved:,} values, last call {len(chunk):,} in {took:.2f} s "
            f"({len(chunk) / took:,.0f}/s)",
            flush=True,
        )
        chunk.clear()

    for item in items():
        chunk.append(item)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    if saved:
        bench.load(
            f"import: values_save(), {batch:,} values per call ({len(calls)} calls, "
            f"median call {median(sorted(calls)):.2f} s)",
            saved,
            seconds,
            target=f"≥ {TARGET_IMPORT_RATE:,}/s",
            ok=saved / seconds >= TARGET_IMPORT_RATE,
        )
    return saved


# --- the questions ------------------------------------------------------------------------


@dataclass
class Question:
    key: str
    label: str
    indicators: list[Any]
    area: Any
    start: Any  # Period
    end: Any
    on: dt.date
    by_area: bool
    by_time: str | None
    place: str | None  # the export column that is the engine's "child" (by_area)
    where: dict[str, str] = field(default_factory=dict)  # export column filters


def questions(plan: Plan, args: argparse.Namespace) -> list[Question]:
    from antq.areas.models import Area, Level
    from antq.areas.selectors import area_by_code
    from antq.indicators.periods import Period

    years = sorted({int(m.code[:4]) for m in plan.months})
    full = [y for y in years if sum(1 for m in plan.months if m.code[:4] == str(y)) == 12]
    a_years = [y for y in years if 2019 <= y <= 2022] or years[:1]
    b_year = max([y for y in full if y <= 2024] or [years[0]])
    last_day = plan.months[-1].end
    nation = Area.objects.get(level=Level.NATION)
    province = area_by_code(args.province, dt.date(a_years[-1], 12, 31))
    one = plan.indicators[:1]
    flows = [i for i in plan.indicators if i.time_aggregation != "last"]
    out = [
        Question(
            "a",
            f"(a) province {province.code} by district by year, 1 indicator, "
            f"{a_years[0]}–{a_years[-1]}",
            one,
            province,
            Period("year", a_years[0]),
            Period("year", a_years[-1]),
            dt.date(a_years[-1], 12, 31),
            True,
            "year",
            "district",
            {"province": province.code},
        ),
        Question(
            "b",
            f"(b) nation by province, {len(plan.indicators)} "
            f"indicator{'s' if len(plan.indicators) > 1 else ''}, {b_year}",
            plan.indicators,
            nation,
            Period("year", b_year),
            Period("year", b_year),
            dt.date(b_year, 12, 31),
            True,
            None,
            "province",
        ),
        Question(
            "c",
            f"(c) national total by year, 1 indicator, {years[0]}–{years[-1]}",
            one,
            nation,
            Period("year", years[0]),
            Period("year", years[-1]),
            min(last_day, dt.date(years[-1], 12, 31)),
            False,
            "year",
            None,
        ),
    ]
    if flows and len(flows) < len(plan.indicators):
        # (b) without its stocks: the engine answers sums of flows in SQL, stocks in Python.
        b = out[1]
        out.insert(
            2,
            Question(
                "b-flows",
                f"(b′) nation by province, the {len(flows)} "
                f"flow{'s' if len(flows) > 1 else ''} of (b) only, {b_year}",
                flows,
                b.area,
                b.start,
                b.end,
                b.on,
                True,
                None,
                "province",
            ),
        )
    return out


def run_engine(q: Question):
    from antq.indicators import engine

    return engine.analytics(
        indicators=q.indicators,
        area=q.area,
        start=q.start,
        end=q.end,
        on=q.on,
        by_area=q.by_area,
        by_time=q.by_time,
    )


Answer = dict[tuple[str, str | None, str | None], Decimal]


def engine_answer(result) -> Answer:
    return {(r.indicator, r.area, r.period): Decimal(r.value) for r in result.rows}


def _stocks(q: Question) -> list[str]:
    return [i.code for i in q.indicators if i.time_aggregation == "last"]


def sql_reference(q: Question) -> tuple[str, list[Any]]:
    """The same question as one SQL statement over the values and the closure: flows summed,
    stocks the latest value per unit and bucket. A reference, not antq's code."""
    from django.db import connection

    whole = q.start.code if q.start == q.end else f"{q.start.code}..{q.end.code}"
    bucket = "SUBSTR(v.period, 1, 4)" if q.by_time == "year" else "%s"
    on_date = "{p}.valid_from <= v.period_start AND {p}.valid_to >= v.period_start"
    if q.by_area:
        joins = (
            "JOIN areas_areatreepath c ON c.descendant_id = v.area_id AND "
            + on_date.format(p="c")
            + " JOIN areas_areatreepath k ON k.descendant_id = c.ancestor_id AND "
            "k.ancestor_id = %s AND k.depth = 1 AND "
            + on_date.format(p="k")
            + " JOIN areas_area pl ON pl.id = c.ancestor_id"
        )
        place = "pl.code"
    else:
        joins = (
            "JOIN areas_areatreepath p ON p.descendant_id = v.area_id AND p.ancestor_id = %s AND "
        )
        joins += on_date.format(p="p")
        place = "NULL"

    def rows(ids: list[int]) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT v.indicator_id AS ind, v.area_id AS unit, {place} AS place, "
            f"{bucket} AS bucket, v.period_end AS pend, v.value AS value "
            f"FROM indicators_datavalue v {joins} WHERE v.indicator_id IN "
            f"({', '.join(str(i) for i in ids)}) AND v.period_start >= %s AND v.period_end <= %s"
        )
        params = [] if q.by_time == "year" else [whole]
        params += [q.area.pk, _d(connection, q.start.start()), _d(connection, q.end.end())]
        return sql, params

    flows = [i.pk for i in q.indicators if i.time_aggregation != "last"]
    stocks = [i.pk for i in q.indicators if i.time_aggregation == "last"]
    parts, params = [], []
    if flows:
        sql, more = rows(flows)
        parts.append(
            f"SELECT ind, place, bucket, SUM(value) AS value FROM ({sql}) f "
            "GROUP BY ind, place, bucket"
        )
        params += more
    if stocks:
        sql, more = rows(stocks)
        parts.append(
            "SELECT ind, place, bucket, SUM(value) AS value FROM (SELECT ind, place, bucket, "
            "value, ROW_NUMBER() OVER (PARTITION BY ind, unit, bucket ORDER BY pend DESC) AS rn "
            f"FROM ({sql}) s0) s WHERE rn = 1 GROUP BY ind, place, bucket"
        )
        params += more
    sql = (
        "SELECT i.code, z.place, z.bucket, z.value FROM ("
        + " UNION ALL ".join(parts)
        + ") z JOIN indicators_indicator i ON i.id = z.ind"
    )
    return sql, params


def run_sql_reference(q: Question) -> Answer:
    from django.db import connection

    sql, params = sql_reference(q)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    return {
        (code, place if q.by_area else None, bucket if q.by_time else None): Decimal(str(v))
        for code, place, bucket, v in rows
    }


def duckdb_sql(q: Question, parquet: Path) -> str:
    """The question over the export: one GROUP BY per unit (sum, or the latest value of a
    stock), then one over the units."""
    whole = q.start.code if q.start == q.end else f"{q.start.code}..{q.end.code}"
    bucket = "substr(period, 1, 4)" if q.by_time == "year" else f"'{whole}'"
    place = q.place or "NULL"
    stocks = ", ".join(f"'{c}'" for c in _stocks(q)) or "NULL"
    codes = ", ".join(f"'{i.code}'" for i in q.indicators)
    where = [
        f"indicator IN ({codes})",
        f"period_start >= DATE '{q.start.start()}'",
        f"period_end <= DATE '{q.end.end()}'",
    ]
    where += [f"{col} = '{val}'" for col, val in q.where.items()]
    if q.place:
        where.append(f"{q.place} IS NOT NULL")
    return (
        "WITH per_unit AS ("
        f"SELECT indicator, area_id, {place} AS place, {bucket} AS bucket, "
        f"CASE WHEN indicator IN ({stocks}) THEN arg_max(value, period_end) "
        "ELSE sum(value) END AS v "
        f"FROM read_parquet('{parquet}') WHERE {' AND '.join(where)} GROUP BY 1, 2, 3, 4) "
        "SELECT indicator, place, bucket, sum(v) FROM per_unit GROUP BY 1, 2, 3"
    )


def duckdb_answer(q: Question, rows) -> Answer:
    return {
        (code, place if q.by_area else None, bucket if q.by_time else None): Decimal(str(v))
        for code, place, bucket, v in rows
    }


def same(label: str, got: Answer, want: Answer, what: str) -> None:
    if got == want:
        return
    missing = sorted(set(want) - set(got), key=str)[:5]
    extra = sorted(set(got) - set(want), key=str)[:5]
    differ = [(k, got[k], want[k]) for k in sorted(set(got) & set(want), key=str)][:5]
    differ = [d for d in differ if d[1] != d[2]]
    raise AssertionError(
        f"{label}: antq and {what} disagree ({len(got)} vs {len(want)} rows); "
        f"missing {missing}, extra {extra}, differing {differ}"
    )


# --- the export for DuckDB ----------------------------------------------------------------


ONE_DAY = dt.timedelta(days=1)
CAP = dt.date(9999, 12, 30)  # the closure's open end is 9999-12-31


def places(plan: Plan) -> list[tuple[int, dt.date, dt.date, str | None, str | None]]:
    """For each unit, date segments with the codes of its province and district then."""
    from antq.areas.models import AreaTreePath, Level

    ids = [u[0] for u in plan.units]
    paths: dict[int, list[tuple[dt.date, dt.date, str, str]]] = {}
    for n in range(0, len(ids), 5000):
        for desc, vf, vt, level, code in AreaTreePath.objects.filter(
            descendant_id__in=ids[n : n + 5000],
            ancestor__level__in=[Level.PROVINCE, Level.DISTRICT],
        ).values_list(
            "descendant_id", "valid_from", "valid_to", "ancestor__level", "ancestor__code"
        ):
            paths.setdefault(desc, []).append((vf, vt, level, code))
    out = []
    for unit, spans in paths.items():
        cuts = sorted({vf for vf, *_ in spans} | {min(vt, CAP) + ONE_DAY for _, vt, *_ in spans})
        for lo, nxt in itertools.pairwise(cuts):
            hi = nxt - ONE_DAY
            at = {lvl: code for vf, vt, lvl, code in spans if vf <= lo <= vt}
            if at:
                out.append((unit, lo, hi, at.get(Level.PROVINCE), at.get(Level.DISTRICT)))
    return out


def export(plan: Plan, directory: Path, bench: Bench) -> Path:
    """The raw values with, for each, the codes of its province and district at the period
    (DuckDB has no tree): CSV from the database, then Parquet by DuckDB."""
    import duckdb
    from django.db import connection, transaction

    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_place")
        cur.execute(
            "CREATE TABLE bench_place (area_id bigint NOT NULL, valid_from date NOT NULL, "
            "valid_to date NOT NULL, province varchar(16), district varchar(16))"
        )
        cur.executemany(
            "INSERT INTO bench_place VALUES (%s, %s, %s, %s, %s)",
            [(u, _d(connection, lo), _d(connection, hi), p, d) for u, lo, hi, p, d in places(plan)],
        )
        cur.execute("CREATE INDEX bench_place_area ON bench_place (area_id, valid_from)")
    select = (
        "SELECT i.code, v.area_id, bp.province, bp.district, v.period, v.period_start, "
        "v.period_end, v.value FROM indicators_datavalue v "
        "JOIN indicators_indicator i ON i.id = v.indicator_id "
        "JOIN bench_place bp ON bp.area_id = v.area_id AND bp.valid_from <= v.period_start "
        "AND bp.valid_to >= v.period_start ORDER BY v.id"
    )
    csv_path = directory / "values.csv"
    header = "indicator,area_id,province,district,period,period_start,period_end,value\n"
    rows = 0
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            raw = connection.connection  # psycopg 3
            with raw.cursor() as pcur, pcur.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as cp:
                for block in cp:
                    fh.write(bytes(block).decode("utf-8"))
            with connection.cursor() as cur:
                cur.execute("SELECT COUNT(*) FROM indicators_datavalue")
                rows = cur.fetchone()[0]
        else:
            writer = csv.writer(fh, lineterminator="\n")
            with connection.cursor() as cur:
                cur.execute(select)
                while batch := cur.fetchmany(50_000):
                    writer.writerows(batch)
                    rows += len(batch)
    t1 = time.perf_counter()
    parquet = directory / "values.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header = true, columns = {{"
        "'indicator': 'VARCHAR', 'area_id': 'BIGINT', 'province': 'VARCHAR', "
        "'district': 'VARCHAR', 'period': 'VARCHAR', 'period_start': 'DATE', "
        "'period_end': 'DATE', 'value': 'DECIMAL(20,4)'})) "
        f"TO '{parquet}' (FORMAT parquet)"
    ).fetchall()
    t2 = time.perf_counter()
    exported = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{parquet}')")
    if exported.fetchone()[0] != rows:
        raise AssertionError("the export lost values")
    csv_path.unlink()
    bench.load("export for DuckDB: values + province/district codes to CSV", rows, t1 - t0)
    bench.load("export for DuckDB: CSV to Parquet (by DuckDB)", rows, t2 - t1)
    return parquet


# --- measuring ----------------------------------------------------------------------------


def timed(call: Callable[[], Any], repeat: int, warmup: int) -> tuple[list[float], Any]:
    out = None
    for _ in range(warmup):
        out = call()
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = call()
        times.append((time.perf_counter() - t0) * 1000)
    return times, out


class Bench:
    def __init__(self) -> None:
        self.loads: list[dict[str, Any]] = []
        self.queries: list[dict[str, Any]] = []
        self.fresh: list[dict[str, Any]] = []

    def load(self, label: str, values: int, seconds: float, target: str = "", ok=None) -> None:
        row = {
            "label": label,
            "values": values,
            "seconds": seconds,
            "rate": values / seconds if seconds else math.nan,
            "target": target,
            "ok": ok,
        }
        self.loads.append(row)
        print(
            f"{label:<70} {values:>12,} values {seconds:9.1f} s {row['rate']:>12,.0f}/s", flush=True
        )

    def query(self, q: Question, how: str, times: list[float], read: int | str, rows: int) -> None:
        ordered = sorted(times)
        row = {
            "key": q.key,
            "label": q.label,
            "how": how,
            "n": len(times),
            "median_ms": median(ordered),
            "min_ms": ordered[0],
            "read": read,
            "rows": rows,
        }
        self.queries.append(row)
        print(
            f"{q.label:<62} {how:<26} read={read!s:>10} rows={rows:>5} n={len(times)} "
            f"median={row['median_ms']:10.1f} ms",
            flush=True,
        )


def run_one(db: str, args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from antq.areas.loader import build_plan
    from antq.areas.models import Area
    from antq.areas.services import areas_load
    from antq.indicators.models import DataValue, Indicator
    from antq.indicators.services import ValueInput, values_save

    try:
        import duckdb
    except ImportError:
        duckdb = None
        print("duckdb is not installed: the DuckDB column is skipped", flush=True)

    bench = Bench()
    started = time.perf_counter()
    print(f"\n## {db}: migrating and loading the national areas", flush=True)
    call_command("migrate", verbosity=0)
    areas_load(build_plan())
    indicators_install(args.indicators)
    plan = build_plan_of_values(args)
    print(
        f"plan: {len(plan.units):,} communes ({plan.pre_units:,} before the reform, "
        f"{plan.post_units:,} created on 2025-07-01), {len(plan.indicators)} indicators, "
        f"{len(plan.months)} months {plan.months[0].code}..{plan.months[-1].code}, "
        f"{len(plan.import_months)} months through values_save",
        flush=True,
    )
    helper_tables(plan)
    fill(plan, bench)
    rebuild_totals(bench)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    import_sample(plan, bench, args.batch, args.profile)
    with connection.cursor() as cur:
        # As a DBA would after a bulk load (and autovacuum would do later, while we measure).
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        cur.execute(
            "SELECT COUNT(*) FROM bench_month m JOIN bench_unit u ON u.valid_from <= m.pstart "
            "AND (u.valid_to IS NULL OR u.valid_to >= m.pstart) CROSS JOIN bench_indicator i"
        )
        expected = cur.fetchone()[0]
    total = DataValue.objects.count()
    if total != expected:
        raise AssertionError(f"{total:,} values stored, {expected:,} expected")
    print(f"values stored: {total:,}", flush=True)

    qs = questions(plan, args)
    parquet = None
    tmp = Path(tempfile.mkdtemp(prefix="antq-bench-export-"))
    try:
        if duckdb is not None:
            parquet = export(plan, tmp, bench)
            duck = duckdb.connect()
        for q in qs:
            times, result = timed(lambda q=q: run_engine(q), args.repeat, args.warmup)
            got = engine_answer(result)
            bench.query(q, "antq engine.analytics", times, result.values_read, len(got))
            times, ref = timed(lambda q=q: run_sql_reference(q), args.repeat, args.warmup)
            same(q.label, got, ref, "one SQL statement")
            bench.query(q, "reference: one SQL query", times, "–", len(ref))
            if parquet is not None:
                sql = duckdb_sql(q, parquet)
                times, rows = timed(
                    lambda sql=sql: duck.execute(sql).fetchall(), args.repeat, args.warmup
                )
                dd = duckdb_answer(q, rows)
                same(q.label, got, dd, "DuckDB")
                bench.query(q, "DuckDB on the Parquet export", times, "–", len(dd))
        by_key = {q.key: q for q in qs}
        if args.http:
            http_question(by_key["c"], bench, args)

        # One saved value, then the national total that must include it.
        qc = by_key["c"]
        base = run_engine(qc)
        month = plan.months[len(plan.months) // 2]
        pk, code = plan.unit_months(month)[0]
        ind = plan.indicators[0]
        old = DataValue.objects.get(indicator=ind, area_id=pk, period=month.code).value
        bump = Decimal(1000)
        t0 = time.perf_counter()
        values_save(
            [ValueInput(ind.code, code, month.code, str(int(old + bump)))],
            actor=None,
            source="entered",
        )
        t1 = time.perf_counter()
        after = run_engine(qc)
        t2 = time.perf_counter()
        if after.total - base.total != bump:
            raise AssertionError(
                f"the saved value is not in the total: {base.total} → {after.total}"
            )
        bench.fresh.append(
            {
                "label": f"save 1 value ({ind.code}, commune {code}, {month.code}), then {qc.label}",
                "save_ms": (t1 - t0) * 1000,
                "query_ms": (t2 - t1) * 1000,
                "total_ms": (t2 - t0) * 1000,
            }
        )
        print(
            f"fresh: save {(t1 - t0) * 1000:.1f} ms + national total {(t2 - t1) * 1000:.1f} ms",
            flush=True,
        )
        if args.profile:
            for q in qs:
                profile(q)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    env = {
        "Database": db_version(connection),
        "Data set": (
            f"{len(plan.units):,} communes ({plan.pre_units:,} existing before 2025-07, "
            f"{plan.through_units:,} of them unchanged by the reform; {plan.post_units:,} "
            f"created on 2025-07-01) × "
            f"{len(plan.indicators)} indicator(s) × months {plan.months[0].code}.."
            f"{plan.months[-1].code} = {total:,} values"
        ),
        "Scale": (
            f"`--scale {args.scale:g}` (a seeded {args.scale:.0%} sample of all communes, "
            f"plus every commune of province {args.province}), `--indicators "
            f"{args.indicators}`, `--months {args.months_range[0]}..{args.months_range[1]}`"
        ),
        "Indicators": (
            f"{sum(1 for i in plan.indicators if i.time_aggregation == 'last')} stocks "
            f"(latest value), the rest flows (sum); one-indicator questions use "
            f"{plan.indicators[0].code} (a flow)"
        ),
        "Areas": f"{Area.objects.count():,}, {Indicator.objects.count()} indicators defined",
        "DuckDB": (f"{duckdb.__version__}" if duckdb is not None else "not installed (skipped)"),
        "Run time": f"{time.perf_counter() - started:.0f} s",
        "Load average at the end (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    return {
        "db": db,
        "env": env,
        "loads": bench.loads,
        "queries": bench.queries,
        "fresh": bench.fresh,
    }


def http_question(q: Question, bench: Bench, args: argparse.Namespace) -> None:
    """The same question through the HTTP API (Django's test client, a superuser)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x" * 16)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    params = {
        "indicator": [i.code for i in q.indicators],
        "area": q.area.code,
        "on": q.on.isoformat(),
        "start": q.start.code,
        "end": q.end.code,
    }
    by = (["area"] if q.by_area else []) + ([q.by_time] if q.by_time else [])
    if by:
        params["by"] = ",".join(by)

    def call():
        response = client.get("/api/v1/analytics/", params)
        if response.status_code != 200:
            raise AssertionError(f"HTTP {response.status_code}: {response.content[:300]!r}")
        return response.json()

    times, body = timed(call, args.repeat, args.warmup)
    want = run_engine(q)
    if Decimal(str(body["total"])) != want.total:
        raise AssertionError(f"the API total {body['total']} is not the engine's {want.total}")
    bench.query(
        q, "antq HTTP API (GET /api/v1/analytics/)", times, want.values_read, len(body["rows"])
    )


def profile(q: Question) -> None:
    prof = cProfile.Profile()
    prof.enable()
    run_engine(q)
    prof.disable()
    print_profile(prof, q.label)


def print_profile(prof: cProfile.Profile, what: str) -> None:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    print(f"\n### cProfile of {what} (cumulative, then own time)\n{out.getvalue()}", flush=True)


# --- output -------------------------------------------------------------------------------


def fmt_ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def fmt_int(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def tables(run: dict[str, Any]) -> list[str]:
    out = ["| Step | Values | Time (s) | Values/s | Target |", "|---|---:|---:|---:|---|"]
    for r in run["loads"]:
        verdict = ""
        if r["target"]:
            verdict = f"{r['target']}: **{'met' if r['ok'] else 'not met'}**"
        out.append(
            f"| {r['label']} | {r['values']:,} | {r['seconds']:,.1f} | {r['rate']:,.0f} | "
            f"{verdict} |"
        )
    out += [
        "",
        "| One saved value visible in the national total | save (ms) | total query (ms) | "
        "save + query (ms) | Target |",
        "|---|---:|---:|---:|---|",
    ]
    for r in run["fresh"]:
        ok = r["total_ms"] < TARGET_FRESH_MS
        out.append(
            f"| {r['label']} | {fmt_ms(r['save_ms'])} | {fmt_ms(r['query_ms'])} | "
            f"{fmt_ms(r['total_ms'])} | < {TARGET_FRESH_MS:,} ms: "
            f"**{'met' if ok else 'not met'}** |"
        )
    out += [
        "",
        "| Question | How | Values read | Rows | n | Median (ms) | antq / DuckDB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    duck = {r["key"]: r["median_ms"] for r in run["queries"] if r["how"].startswith("DuckDB")}
    for r in run["queries"]:
        ratio = ""
        if r["key"] in duck and not r["how"].startswith("DuckDB"):
            value = r["median_ms"] / duck[r["key"]]
            ratio = (
                f"{value:,.1f}"
                if value >= 10
                else f"{value:.2f}"
                if value >= 0.1
                else f"{value:.3f}"
            )
            if r["how"].startswith("antq"):
                ratio = f"**{ratio}**"
        out.append(
            f"| {r['label']} | {r['how']} | {fmt_int(r['read'])} | {r['rows']:,} | {r['n']} | "
            f"{fmt_ms(r['median_ms'])} | {ratio} |"
        )
    return out


def markdown(machine: dict[str, str], runs: list[dict[str, Any]], args: argparse.Namespace) -> str:
    out = ["### Environment", ""]
    out += [f"- {k}: {v}" for k, v in machine.items()]
    out.append(
        f"- Run: `--repeat {args.repeat}` timed calls after `--warmup {args.warmup}`, "
        f"`--batch {args.batch}`, seed {SEED}{', `--quick`' if args.quick else ''}"
    )
    for run in runs:
        title = "SQLite" if run["db"] == "sqlite" else "PostgreSQL"
        out += ["", f"### {title}", ""]
        out += [f"- {k}: {v}" for k, v in run["env"].items()]
        out += ["", *tables(run)]
    return "\n".join(out) + "\n"


# --- driver -------------------------------------------------------------------------------


def antq_revision() -> str:
    """The last commit that changed antq/ (the engine evolves), HEAD, and whether antq/ had
    uncommitted changes."""

    def git(*argv: str) -> str:
        return subprocess.run(
            ["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    try:
        last = git("log", "-1", "--format=%h %s", "--", "antq")
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "antq")
    except OSError:
        return "unknown"
    if not last:
        return "unknown"
    return f"last change to antq/ in commit {last} (HEAD {head})" + (
        "; antq/ has uncommitted changes" if dirty else ""
    )


def run_in_process(db: str, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix="antq-bench-")
    try:
        if db == "sqlite":
            os.environ.update(child_env(data_dir, ""))
            return run_one(db, args)
        with postgres_database(args.pg_url) as url:
            os.environ.update(child_env(data_dir, url))
            return run_one(db, args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def forwarded(args: argparse.Namespace) -> list[str]:
    cmd = [
        "--scale",
        str(args.scale),
        "--indicators",
        str(args.indicators),
        "--months",
        f"{args.months_range[0]}..{args.months_range[1]}",
        "--import-values",
        str(args.import_values),
        "--batch",
        str(args.batch),
        "--repeat",
        str(args.repeat),
        "--warmup",
        str(args.warmup),
        "--province",
        args.province,
        "--pg-url",
        args.pg_url,
    ]
    return cmd + [f for f, on in (("--profile", args.profile), ("--http", args.http)) if on]


def run_in_subprocess(db: str, args: argparse.Namespace, json_path: Path) -> dict[str, Any]:
    """Django is set up once per process, so each database gets its own."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--db", db, *forwarded(args)]
    code = subprocess.call([*cmd, "--json", str(json_path)], cwd=ROOT)
    if code != 0:
        raise SystemExit(f"the {db} run failed (exit {code})")
    return json.loads(json_path.read_text())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument(
        "--scale",
        type=float,
        default=None,
        help="fraction of all communes, sampled with a fixed seed (default 0.1; 1 is the "
        "whole country); the communes of --province are always included",
    )
    p.add_argument("--indicators", type=int, default=None, help="how many indicators (default 40)")
    p.add_argument(
        "--months",
        dest="months_range",
        type=parse_months,
        default=None,
        help=f"first..last month of values (default {DEFAULT_MONTHS})",
    )
    p.add_argument(
        "--import-values",
        type=int,
        default=None,
        help="at least this many values (whole months, from the first) go through "
        "values_save; the rest is filled by SQL (default 200000)",
    )
    p.add_argument(
        "--batch", type=int, default=None, help="values per values_save call (default 50000)"
    )
    p.add_argument("--repeat", type=int, default=None, help="timed calls per question (default 3)")
    p.add_argument("--warmup", type=int, default=None, help="untimed calls first (default 1)")
    p.add_argument(
        "--province",
        default=DEFAULT_PROVINCE,
        help=f"the province of question (a) (default {DEFAULT_PROVINCE}, Lạng Sơn)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a tiny SQLite-sized run for the smoke test: one province, 2 indicators, 12 months",
    )
    p.add_argument("--http", action="store_true", help="also time (c) through the HTTP API")
    p.add_argument("--profile", action="store_true", help="print a cProfile of (c)")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("ANTQ_BENCH_POSTGRES_URL", DEFAULT_PG_URL),
        help="a PostgreSQL server to create the scratch database on "
        f"(default $ANTQ_BENCH_POSTGRES_URL or {DEFAULT_PG_URL})",
    )
    p.add_argument("--write-results", metavar="PATH", help="write the Markdown results there")
    p.add_argument("--json", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    quick = {
        "scale": 0.0,
        "indicators": 2,
        "months_range": ("202201", "202212"),
        "import_values": 1000,
        "batch": 500,
        "repeat": 1,
        "warmup": 0,
    }
    normal = {
        "scale": 0.1,
        "indicators": 40,
        "months_range": tuple(DEFAULT_MONTHS.split("..")),
        "import_values": 200_000,
        "batch": 50_000,
        "repeat": 3,
        "warmup": 1,
    }
    for key, value in (quick if args.quick else normal).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if not 0 <= args.scale <= 1:
        p.error("--scale is a fraction between 0 and 1")
    if args.indicators < 1:
        p.error("--indicators must be at least 1")
    if args.repeat < 1 or args.warmup < 0 or args.batch < 1 or args.import_values < 0:
        p.error("--repeat and --batch must be at least 1, --warmup and --import-values ≥ 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(ROOT)
    started = time.perf_counter()
    try:
        load_at_start = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load_at_start = "unknown"
    revision = antq_revision()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if len(dbs) == 1:
        runs = [run_in_process(dbs[0], args)]
    else:
        with tempfile.TemporaryDirectory(prefix="antq-bench-") as tmp:
            runs = [run_in_subprocess(db, args, Path(tmp) / f"{db}.json") for db in dbs]
    if args.json:
        Path(args.json).write_text(json.dumps(runs[0]))
        return 0
    machine = machine_facts(load_at_start)
    machine["antq"] = revision
    with contextlib.suppress(ImportError):
        import duckdb

        machine["DuckDB"] = duckdb.__version__
    text = markdown(machine, runs, args)
    print("\n" + text)
    if args.write_results:
        Path(args.write_results).write_text(text)
        print(f"results written to {args.write_results}")
    print(f"total time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
