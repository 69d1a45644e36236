"""Benchmark of the area tree at national scale: subtree, ancestor, children, code and
successor lookups on SQLite and/or PostgreSQL, after loading the shipped official files.

    .venv/bin/python benchmarks/bench_areas.py [--db sqlite|postgres|both] [--repeat N]
                                               [--quick] [--write-results PATH] [--explain]

Each run starts from an empty database (a temporary SQLite file, or a fresh PostgreSQL
database `antq_bench_<pid>` that is dropped at the end), runs the migrations, loads the
national areas and then times every lookup many times, reporting median and p95 in ms.
See benchmarks/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 20250701
BEFORE = dt.date(2022, 1, 1)
REFORM = dt.date(2025, 7, 1)
AFTER = dt.date(2026, 1, 1)
LANG_SON = "20"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# Sizes the official files give; a run whose results differ is wrong, not slow.
EXPECTED = {
    "nation_communes_after": 3321,
    "nation_communes_before": 10051,
    "lang_son_communes_before": 194,
    "lang_son_communes_after": 65,
    "provinces_before": 63,
    "lang_son_children_before": 11,
    "lang_son_children_after": 65,
}

TABLE_HEADER = "| Measurement | Rows | Queries | n | Median (ms) | p95 (ms) |"
TABLE_RULE = "|---|---:|---:|---:|---:|---:|"


# --- statistics ---------------------------------------------------------------------------


def percentile(sorted_ms: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_ms:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_ms)))
    return sorted_ms[rank - 1]


def median(sorted_ms: list[float]) -> float:
    n = len(sorted_ms)
    mid = n // 2
    return sorted_ms[mid] if n % 2 else (sorted_ms[mid - 1] + sorted_ms[mid]) / 2


# --- environment ---------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return "unknown"


def machine_facts(load_at_start: str) -> dict[str, str]:
    import django
    import psycopg

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    import sqlite3

    return {
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": f"{cpu_model()} ({usable} cores usable, {os.cpu_count()} online)",
        "Memory": memory_total(),
        "Load average at start (1/5/15 min)": load_at_start,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "psycopg": psycopg.__version__,
        "SQLite library": sqlite3.sqlite_version,
    }


# --- databases -----------------------------------------------------------------------------


def _pg_connect_args(url: str) -> dict[str, Any]:
    from antq.core.envconf import parse_database_url

    u = parse_database_url(url)
    args = {
        "host": u.host or None,
        "port": u.port or None,
        "user": u.user or None,
        "password": u.password or None,
        "dbname": u.name,
        "connect_timeout": 5,
        "autocommit": True,
    }
    return {k: v for k, v in args.items() if v is not None}


def _pg_url_with_db(url: str, dbname: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


@contextlib.contextmanager
def postgres_database(admin_url: str):
    """A fresh, empty database on the server of admin_url; dropped on the way out."""
    import psycopg
    from psycopg import sql

    name = f"antq_bench_{os.getpid()}"
    with psycopg.connect(**_pg_connect_args(admin_url)) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )
    try:
        yield _pg_url_with_db(admin_url, name)
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with psycopg.connect(**_pg_connect_args(admin_url)) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# --- the benchmark -------------------------------------------------------------------------


class Bench:
    def __init__(self, repeat: int, warmup: int, explain: bool):
        self.repeat = repeat
        self.warmup = warmup
        self.explain = explain
        self.results: list[dict[str, Any]] = []

    def record(self, label: str, times_ms: list[float], rows: int | str, queries: int | str):
        ordered = sorted(times_ms)
        row = {
            "label": label,
            "rows": rows,
            "queries": queries,
            "n": len(ordered),
            "median_ms": median(ordered),
            "p95_ms": percentile(ordered, 95),
        }
        self.results.append(row)
        print(
            f"{label:<62} rows={rows!s:>6} queries={queries!s:>2} n={row['n']:>4} "
            f"median={row['median_ms']:9.3f} ms  p95={row['p95_ms']:9.3f} ms",
            flush=True,
        )

    def measure(
        self,
        label: str,
        call: Callable[[Any], Any],
        args: list[Any],
        *,
        size: Callable[[Any], int] = len,
        check: Callable[[Any, Any], None] | None = None,
        queryset: Callable[[Any], Any] | None = None,
    ) -> None:
        """Time call(arg) once per element of args (cycled up to `repeat` calls) after a
        warm-up; count the queries of one call and check the results are right."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(self.warmup):
            call(args[i % len(args)])
        with CaptureQueriesContext(connection) as ctx:
            first = call(args[0])
        queries = len(ctx.captured_queries)
        sizes = set()
        times: list[float] = []
        gc.collect()
        for i in range(self.repeat):
            arg = args[i % len(args)]
            t0 = time.perf_counter()
            out = call(arg)
            times.append((time.perf_counter() - t0) * 1000)
            if check is not None:
                check(arg, out)
            sizes.add(size(out))
        rows: int | str = size(first) if len(sizes) == 1 else f"{min(sizes)}–{max(sizes)}"
        self.record(label, times, rows, queries)
        if self.explain and queryset is not None:
            print(f"  EXPLAIN {label}:")
            for line in str(queryset(args[0]).explain()).splitlines():
                print(f"    {line}")


def _expect(what: str, got: int) -> None:
    want = EXPECTED[what]
    if got != want:
        raise AssertionError(f"{what}: expected {want}, got {got}")


def run_one(db: str, repeat: int, warmup: int, sample: int, explain: bool) -> dict[str, Any]:
    """Set Django up on the database already named in the environment, load, measure."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from antq.areas import selectors
    from antq.areas.loader import build_plan
    from antq.areas.models import Area, AreaLink, AreaTreePath, Level, Succession
    from antq.areas.services import area_tree_rebuild, areas_load

    bench = Bench(repeat, warmup, explain)
    print(f"\n## {db}: migrating and loading the national areas", flush=True)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s", flush=True)

    t0 = time.perf_counter()
    plan = build_plan()
    bench.record(
        "load: read the official CSVs (build_plan)",
        [(time.perf_counter() - t0) * 1000],
        len(plan.areas),
        "–",
    )
    t0 = time.perf_counter()
    result = areas_load(plan)
    bench.record(
        "load: full national load incl. closure rebuild (areas_load)",
        [(time.perf_counter() - t0) * 1000],
        result.tree_paths,
        "–",
    )
    rebuilds = []
    for _ in range(max(1, min(3, repeat // 50))):
        t0 = time.perf_counter()
        area_tree_rebuild()
        rebuilds.append((time.perf_counter() - t0) * 1000)
    bench.record(
        "load: closure rebuild alone (area_tree_rebuild)", rebuilds, result.tree_paths, "–"
    )

    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load; without it the planner guesses.
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    env = {
        "Database": db_version(connection),
        "Rows": ", ".join(
            f"{m.__name__} {m.objects.count():,}"
            for m in (Area, AreaLink, AreaTreePath, Succession)
        ),
    }
    print(f"{env['Database']}; {env['Rows']}", flush=True)

    rng = random.Random(SEED)
    vn = selectors.nation()
    lang_son = selectors.area_by_code(LANG_SON, BEFORE)
    print(f"\n## {db}: lookups (warm-up {warmup}, then {repeat} timed calls each)", flush=True)

    def subtree_ids(on, level=Level.COMMUNE):
        return lambda area: list(
            selectors.area_subtree(area, on, level=level).values_list("pk", flat=True)
        )

    def subtree_qs(on, level=Level.COMMUNE):
        return lambda area: selectors.area_subtree(area, on, level=level).values_list(
            "pk", flat=True
        )

    def expecting(what):
        return lambda _arg, out: _expect(what, len(out))

    bench.measure(
        f"subtree: nation, communes on {REFORM} (ids)",
        subtree_ids(REFORM),
        [vn],
        check=expecting("nation_communes_after"),
        queryset=subtree_qs(REFORM),
    )
    bench.measure(
        f"subtree: nation, communes on {BEFORE} (ids)",
        subtree_ids(BEFORE),
        [vn],
        check=expecting("nation_communes_before"),
        queryset=subtree_qs(BEFORE),
    )
    bench.measure(
        f"reference: closure rows only, nation communes on {BEFORE}",
        lambda area: list(
            AreaTreePath.objects.filter(
                selectors._path_on(BEFORE),
                ancestor=area,
                descendant_level=Level.COMMUNE,
                depth__gt=0,
            ).values_list("descendant_id", flat=True)
        ),
        [vn],
        check=expecting("nation_communes_before"),
    )
    bench.measure(
        f"subtree: nation, communes on {REFORM} (Area rows)",
        lambda area: list(selectors.area_subtree(area, REFORM, level=Level.COMMUNE)),
        [vn],
        check=expecting("nation_communes_after"),
    )
    bench.measure(
        f"subtree: Lạng Sơn (20), communes on {BEFORE} (ids)",
        subtree_ids(BEFORE),
        [lang_son],
        check=expecting("lang_son_communes_before"),
        queryset=subtree_qs(BEFORE),
    )
    bench.measure(
        f"subtree: Lạng Sơn (20), communes on {AFTER} (ids)",
        subtree_ids(AFTER),
        [lang_son],
        check=expecting("lang_son_communes_after"),
        queryset=subtree_qs(AFTER),
    )

    provinces = list(selectors.areas_on(BEFORE, level=Level.PROVINCE))
    _expect("provinces_before", len(provinces))

    def counts_check(_arg, out):
        _expect("provinces_before", len(out))
        _expect("nation_communes_before", sum(out.values()))

    bench.measure(
        f"subtree_counts: 63 provinces, communes on {BEFORE}",
        lambda ps: selectors.subtree_counts(ps, BEFORE, Level.COMMUNE),
        [provinces],
        check=counts_check,
    )

    def ancestors_check(arg, out):
        if [a.level for a in out] != [Level.NATION, Level.PROVINCE, Level.DISTRICT][: len(out)]:
            raise AssertionError(f"ancestors of {arg}: {out}")

    for on in (BEFORE, AFTER):
        communes = list(selectors.areas_on(on, level=Level.COMMUNE))
        picked = rng.sample(communes, min(sample, len(communes)))
        bench.measure(
            f"ancestors: random commune on {on}",
            lambda area, on=on: selectors.area_ancestors(area, on),
            picked,
            check=ancestors_check,
            queryset=lambda area, on=on: (
                AreaTreePath.objects.filter(selectors._path_on(on), descendant=area, depth__gt=0)
                .select_related("ancestor")
                .order_by("-depth")
            ),
        )

    all_areas = list(Area.objects.exclude(level=Level.NATION))
    pairs = []
    for area in rng.sample(all_areas, min(sample, len(all_areas))):
        end = area.valid_to or AFTER
        pairs.append((area, area.valid_from + (end - area.valid_from) * rng.random()))

    def by_code_check(arg, out):
        if out != arg[0]:
            raise AssertionError(f"area_by_code({arg[0].code}, {arg[1]}) gave {out}")

    bench.measure(
        "area_by_code: random code + date",
        lambda pair: selectors.area_by_code(pair[0].code, pair[1]),
        pairs,
        size=lambda _out: 1,
        check=by_code_check,
        queryset=lambda pair: Area.objects.filter(selectors._valid_on(pair[1])).filter(
            code=pair[0].code
        ),
    )

    for on, what in ((BEFORE, "lang_son_children_before"), (AFTER, "lang_son_children_after")):
        bench.measure(
            f"children: Lạng Sơn (20) on {on} (Area rows)",
            lambda area, on=on: list(selectors.area_children(area, on)),
            [lang_son],
            check=expecting(what),
            queryset=lambda area, on=on: selectors.area_children(area, on),
        )

    old_communes = list(
        Area.objects.filter(level=Level.COMMUNE, valid_to=REFORM - dt.timedelta(days=1))
    )
    picked = rng.sample(old_communes, min(sample, len(old_communes)))

    def successors_check(arg, out):
        if not out or sum(s.share for s in out) != 1:
            raise AssertionError(f"successors of {arg}: {out}")

    bench.measure(
        f"area_successors: random pre-reform commune as of {AFTER}",
        lambda area: selectors.area_successors(area, AFTER),
        picked,
        check=successors_check,
    )
    return {"db": db, "env": env, "results": bench.results}


def db_version(connection) -> str:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            return f"PostgreSQL {cur.fetchone()[0]}"
        cur.execute("SELECT sqlite_version()")
        return f"SQLite {cur.fetchone()[0]}"


# --- output -----------------------------------------------------------------------------


def fmt_ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"


def table(results: list[dict[str, Any]]) -> str:
    lines = [TABLE_HEADER, TABLE_RULE]
    for r in results:
        rows = f"{r['rows']:,}" if isinstance(r["rows"], int) else r["rows"]
        lines.append(
            f"| {r['label']} | {rows} | {r['queries']} | {r['n']} | "
            f"{fmt_ms(r['median_ms'])} | {fmt_ms(r['p95_ms'])} |"
        )
    return "\n".join(lines)


def markdown(machine: dict[str, str], runs: list[dict[str, Any]], args: argparse.Namespace) -> str:
    out = ["### Environment", ""]
    out += [f"- {k}: {v}" for k, v in machine.items()]
    out.append(
        f"- Run: `--repeat {args.repeat}`{' `--quick`' if args.quick else ''}, seed {SEED}, "
        f"warm-up {args.warmup} calls per measurement"
    )
    for run in runs:
        title = "SQLite" if run["db"] == "sqlite" else "PostgreSQL"
        out += ["", f"### {title}", ""]
        out += [f"- {k}: {v}" for k, v in run["env"].items()]
        out += ["", table(run["results"])]
    return "\n".join(out) + "\n"


# --- driver --------------------------------------------------------------------------------


def child_env(data_dir: str, database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "antq.settings",
        "ANTQ_DATA_DIR": data_dir,
        "DATABASE_URL": database_url,
        "ANTQ_MODE": "development",
        "ANTQ_DEBUG": "false",
        "ANTQ_LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
    }


def run_in_process(db: str, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix="antq-bench-")
    try:
        if db == "sqlite":
            os.environ.update(child_env(data_dir, ""))
            return run_one(db, args.repeat, args.warmup, args.sample, args.explain)
        with postgres_database(args.pg_url) as url:
            os.environ.update(child_env(data_dir, url))
            return run_one(db, args.repeat, args.warmup, args.sample, args.explain)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run_in_subprocess(db: str, args: argparse.Namespace, json_path: Path) -> dict[str, Any]:
    """Django is set up once per process, so each database gets its own."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--db",
        db,
        "--repeat",
        str(args.repeat),
        "--warmup",
        str(args.warmup),
        "--sample",
        str(args.sample),
        "--pg-url",
        args.pg_url,
        "--json",
        str(json_path),
    ]
    if args.explain:
        cmd.append("--explain")
    code = subprocess.call(cmd, cwd=ROOT)
    if code != 0:
        raise SystemExit(f"the {db} run failed (exit {code})")
    return json.loads(json_path.read_text())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="timed calls per measurement (default 300; 5 with --quick)",
    )
    p.add_argument("--quick", action="store_true", help="a small run, for the smoke test")
    p.add_argument("--warmup", type=int, default=None, help="untimed calls first (default 10)")
    p.add_argument(
        "--sample",
        type=int,
        default=None,
        help="random areas for the per-area lookups (default: --repeat)",
    )
    p.add_argument(
        "--pg-url",
        default=os.environ.get("ANTQ_BENCH_POSTGRES_URL", DEFAULT_PG_URL),
        help="a PostgreSQL server to create the scratch database on "
        f"(default $ANTQ_BENCH_POSTGRES_URL or {DEFAULT_PG_URL})",
    )
    p.add_argument("--write-results", metavar="PATH", help="write the Markdown results there")
    p.add_argument("--explain", action="store_true", help="print the query plans too")
    p.add_argument("--json", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.repeat is None:
        args.repeat = 5 if args.quick else 300
    if args.warmup is None:
        args.warmup = 2 if args.quick else 10
    if args.sample is None:
        args.sample = args.repeat
    if args.repeat < 1 or args.sample < 1 or args.warmup < 0:
        p.error("--repeat and --sample must be at least 1, --warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(ROOT)
    started = time.perf_counter()
    try:
        load_at_start = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load_at_start = "unknown"
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if len(dbs) == 1:
        runs = [run_in_process(dbs[0], args)]
    else:
        with tempfile.TemporaryDirectory(prefix="antq-bench-") as tmp:
            runs = [run_in_subprocess(db, args, Path(tmp) / f"{db}.json") for db in dbs]
    if args.json:
        Path(args.json).write_text(json.dumps(runs[0]))
        return 0
    text = markdown(machine_facts(load_at_start), runs, args)
    print("\n" + text)
    if args.write_results:
        Path(args.write_results).write_text(text)
        print(f"results written to {args.write_results}")
    print(f"total time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
