"""The full demo's backup round trip: `antq backup` of the Lạng Sơn demo (SQLite), `antq
restore` into an empty PostgreSQL and an empty SQLite database, a backup of each, compared
row by row and file by file with the first; timed.

    .venv/bin/python benchmarks/backup_roundtrip.py [--demo-dir DIR] [--db sqlite|postgres|both]
                                                    [--pg-url URL] [--write-results PATH]

Without --demo-dir the demo is prepared first (`antq demo --prepare-only`, about a minute)
in a temporary directory. Every database and directory the script makes is removed at the
end, even after a failure; a PostgreSQL database `antq_bench_backup_<pid>` is created and
dropped on the server of --pg-url. A difference in any table or file stops the run with an
error: an inexact round trip is not reported as a time. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"


@dataclass
class Step:
    label: str
    seconds: float  # wall clock
    cpu: float  # user + system seconds of the antq process
    rows: int | None = None
    size: int | None = None


def antq(args: list[str], data_dir: Path, url: str) -> Step:
    """Run `antq ARGS` for the instance (data dir, database URL); its wall and CPU time."""
    env = {**os.environ, "ANTQ_DATA_DIR": str(data_dir), "DATABASE_URL": url}
    env["ANTQ_MODE"] = "development"
    for name in ("REDIS_URL", "ANTQ_MASTER_KEY", "ANTQ_MASTER_KEY_FILE"):
        env.pop(name, None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "antq", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"`antq {' '.join(args)}` failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Step(f"antq {args[0]}", seconds, cpu)


def manifest(path: Path) -> dict:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def compare(first: Path, second: Path) -> tuple[int, int, int]:
    """(tables, rows, files) compared; SystemExit naming the first difference. Rows are
    compared line by line after decompression (each line one row), media files by bytes."""
    one, two = manifest(first), manifest(second)
    tables = {t["table"]: t for t in one["tables"]}
    if [t["table"] for t in two["tables"]] != list(tables):
        raise SystemExit(f"{second}: not the same tables as {first}")
    rows = 0
    for entry in two["tables"]:
        name = entry["table"]
        with (
            gzip.open(first / tables[name]["file"], "rt", encoding="utf-8") as a,
            gzip.open(second / entry["file"], "rt", encoding="utf-8") as b,
        ):
            for n, (left, right) in enumerate(zip(a, b, strict=True), 1):
                if left != right:
                    raise SystemExit(f"{name}, row {n}: {left.strip()!r} != {right.strip()!r}")
                rows += 1
        if entry["rows"] != tables[name]["rows"]:
            raise SystemExit(f"{name}: {entry['rows']} rows, not {tables[name]['rows']}")
    if one["media"] != two["media"]:
        raise SystemExit(f"{second}: the media files differ from {first}'s")
    for item in one["media"]:
        if (first / "media" / item["path"]).read_bytes() != (
            second / "media" / item["path"]
        ).read_bytes():
            raise SystemExit(f"media/{item['path']} differs")
    return len(tables), rows, len(one["media"])


@contextlib.contextmanager
def postgres_database(server: str) -> Iterator[str]:
    import psycopg
    from psycopg import sql

    from antq.core.envconf import parse_database_url

    u = parse_database_url(server)
    name = f"antq_bench_backup_{os.getpid()}"

    def admin():
        return psycopg.connect(
            host=u.host or None,
            port=u.port or None,
            user=u.user or None,
            password=u.password or None,
            dbname="postgres",
            autocommit=True,
        )

    with admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server)._replace(path="/" + name))
    finally:
        with admin() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def environment() -> dict[str, str]:
    import sqlite3

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": f"{cpu} ({os.cpu_count()} cores)",
        "Load average at start (1/5/15 min)": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite library": sqlite3.sqlite_version,
        "antq commit": commit or "unknown",
    }


def markdown(steps: list[Step], facts: dict[str, str], verdicts: list[str]) -> str:
    lines = ["### Environment", ""]
    lines += [f"- {key}: {value}" for key, value in facts.items()]
    lines += ["", "### Round trip", ""]
    lines += ["| Step | Wall (s) | CPU (s) | Rows | Size (MB) |", "|---|---:|---:|---:|---:|"]
    for s in steps:
        rows = f"{s.rows:,}" if s.rows is not None else ""
        size = f"{s.size / 1024 / 1024:.1f}" if s.size is not None else ""
        lines.append(f"| {s.label} | {s.seconds:.1f} | {s.cpu:.1f} | {rows} | {size} |")
    lines += ["", *[f"- {v}" for v in verdicts], ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-dir", type=Path, help="a data dir prepared by antq demo")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--pg-url", default=os.environ.get("ANTQ_BENCH_POSTGRES_URL", DEFAULT_PG_URL)
    )
    parser.add_argument("--write-results", type=Path)
    options = parser.parse_args(argv)

    facts = environment()
    work = Path(tempfile.mkdtemp(prefix="antq-bench-backup-"))
    steps: list[Step] = []
    verdicts: list[str] = []
    try:
        source = options.demo_dir
        if source is None:
            source = work / "demo"
            step = antq(["demo", "--prepare-only"], source, "")
            steps.append(
                Step("prepare the demo (`antq demo --prepare-only`)", step.seconds, step.cpu)
            )
        first = work / "backup-sqlite"
        step = antq(["backup", str(first), "--quiet"], source, "")
        made = manifest(first)
        rows = sum(t["rows"] for t in made["tables"])
        steps.append(
            Step("`antq backup` of the demo (SQLite)", step.seconds, step.cpu, rows, size_of(first))
        )
        print(f"backup: {rows:,} rows in {step.seconds:.1f} s", flush=True)

        def round_trip(vendor: str, url: str, label: str, origin: Path) -> Path:
            data_dir = work / f"data-{vendor}-{len(steps)}"
            restored = antq(["restore", str(origin), "--quiet"], data_dir, url)
            steps.append(
                Step(f"`antq restore` into an empty {label}", restored.seconds, restored.cpu, rows)
            )
            again = work / f"backup-{vendor}-{len(steps)}"
            made = antq(["backup", str(again), "--quiet"], data_dir, url)
            steps.append(Step(f"`antq backup` of that {label}", made.seconds, made.cpu, rows))
            tables, compared, files = compare(first, again)
            verdicts.append(
                f"{label}: exact — {tables} tables, {compared:,} rows compared row by row "
                f"and {files} media files byte for byte, all identical to the demo's"
            )
            print(f"{label}: restore {restored.seconds:.1f} s, exact", flush=True)
            return again

        if options.db in ("postgres", "both"):
            with postgres_database(options.pg_url) as url:
                from_pg = round_trip("postgres", url, "PostgreSQL database", first)
            if options.db == "both":
                round_trip("sqlite", "", "SQLite database (from PostgreSQL's backup)", from_pg)
        else:
            round_trip("sqlite", "", "SQLite database", first)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    text = markdown(steps, facts, verdicts)
    print(text)
    if options.write_results:
        options.write_results.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
