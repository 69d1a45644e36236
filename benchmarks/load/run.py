"""The load test of a deadline week (issue 8): antq on PostgreSQL under 200 officials and a
stream of citizens' tips, on loopback, for a bounded time; then a check that no
acknowledged write was lost. See benchmarks/load/README.md.

    python benchmarks/load/run.py                          # the full run: 200 officials, 5 min
    python benchmarks/load/run.py --users 50 --citizens 5 --run-time 60   # a short trial

Steps: (1) a fresh PostgreSQL database with `antq demo --prepare-only` in its own data
directory, (2) the officials (people.py), (3) `antq serve` on 127.0.0.1, (4) locust,
headless, (5) p50/p95/p99 per request type, errors, throughput, (6) verify.py: every
acknowledged write is in the database, (7) the server stopped and the databases dropped
(unless --keep). Nothing here listens on anything but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
for _p in (ROOT, HERE.parent):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from bench_areas import (  # noqa: E402  (the shared helpers of the benchmarks)
    DEFAULT_PG_URL,
    _pg_connect_args,
    _pg_url_with_db,
    machine_facts,
)

TARGET_P95_MS = 300
COMMUNES = 65  # Lạng Sơn since 1/7/2025
MANAGERS = 5
PY = sys.executable


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# --- the mix of users ----------------------------------------------------------------------


def mix(users: int, citizens: int) -> tuple[dict[str, int], int]:
    """Users of each locust class for `users` officials, and how many communes report.
    For 200: 65 communes, each with its entry official (every third by the API), a colleague
    who reads and an approver at the provincial police (the level above) following it; and
    5 provincial managers."""
    managers = max(1, round(users * MANAGERS / 200))
    communes = min(COMMUNES, (users - managers) // 3)
    if communes < 1:
        raise SystemExit("--users must be at least 4")
    api = sum(1 for n in range(communes) if n % 3 == 2)
    counts = {
        "WebEntry": communes - api,
        "ApiEntry": api,
        "Approver": communes,
        "Reader": min(COMMUNES, users - managers - 2 * communes),
        "Manager": managers,
        "Citizen": citizens,
    }
    return {k: v for k, v in counts.items() if v}, communes


# --- PostgreSQL ----------------------------------------------------------------------------


def pg_admin(url: str):
    import psycopg

    args = _pg_connect_args(url)
    args["dbname"] = "postgres"
    return psycopg.connect(**args)


def pg_exists(url: str, name: str) -> bool:
    with pg_admin(url) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        )


def pg_drop(url: str, name: str) -> None:
    from psycopg import sql

    with pg_admin(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def pg_create(url: str, name: str, template: str = "template0") -> None:
    from psycopg import sql

    with pg_admin(url) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def pg_settings(url: str) -> dict[str, str]:
    with pg_admin(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        rows = conn.execute(
            "SELECT name, setting, unit FROM pg_settings WHERE name IN"
            " ('shared_buffers', 'max_connections', 'random_page_cost', 'synchronous_commit')"
        ).fetchall()
    out = {"version": version}
    for name, setting, unit in rows:
        if unit == "8kB":
            out[name] = f"{int(setting) * 8 // 1024} MB"
        else:
            out[name] = setting + (unit or "")
    return out


# --- the steps -----------------------------------------------------------------------------


def env_for(data_dir: Path, db_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "ANTQ_DATA_DIR": str(data_dir),
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "antq.settings",
        "ANTQ_MODE": "development",
        "ANTQ_DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    env.update(extra or {})
    return env


def step(args: list[str], env: dict[str, str], log_path: Path, what: str) -> None:
    started = time.monotonic()
    with log_path.open("a", encoding="utf-8") as fh:
        done = subprocess.run(args, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        sys.stdout.write(log_path.read_text(encoding="utf-8")[-4000:])
        raise SystemExit(f"{what} failed (exit {done.returncode}); see {log_path}")
    log(f"{what}: {time.monotonic() - started:.0f} s")


def prepare(pg_url: str, template: str, prepared: Path) -> None:
    """Steps 1 and 2, into a template database and its data directory, so that a later run
    with --reuse-prepared starts from the same state in seconds."""
    if prepared.exists():
        shutil.rmtree(prepared)
    prepared.mkdir(parents=True, mode=0o700)
    pg_drop(pg_url, template)
    pg_create(pg_url, template)
    env = env_for(prepared / "data", _pg_url_with_db(pg_url, template))
    step(
        [PY, "-m", "antq", "demo", "--prepare-only"],
        env,
        prepared / "prepare.log",
        "antq demo --prepare-only",
    )
    step(
        [PY, str(HERE / "people.py"), str(prepared / "people.json")],
        env,
        prepared / "prepare.log",
        "200 officials (people.py)",
    )
    (prepared / "READY").write_text(template, encoding="utf-8")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own http:// URL)
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def start_server(env: dict[str, str], port: int, workers: int, threads: int, log_path: Path):
    fh = log_path.open("w", encoding="utf-8")
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "antq",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env=env,
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not answers(f"http://127.0.0.1:{port}/"):
        if server.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise SystemExit(f"antq serve did not start; see {log_path}")
        time.sleep(0.3)
    return server


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)  # gunicorn: finish requests, then stop
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def stats_of(prefix: Path) -> list[dict[str, str]]:
    with (prefix.parent / (prefix.name + "_stats.csv")).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def percentile(values: list[float], pct: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


def steady_state(times: Path) -> tuple[list[dict[str, str]], float]:
    """Per request type, from the requests that started after every user had been started
    and had logged in (locust's "spawning complete", plus the slowest login's time)."""
    rows = [line.split("\t") for line in times.read_text(encoding="utf-8").splitlines()]
    spawned = next((float(r[0]) for r in rows if r[1] == "SPAWNED"), None)
    if spawned is None:
        return [], 0.0
    logins = [float(r[0]) for r in rows if r[1].endswith("/accounts/login/")]
    start = max([spawned, *logins])
    by_name: dict[str, list[tuple[float, int]]] = {}
    end = start
    for at, name, ms, failed in rows:
        if name != "SPAWNED" and float(at) - float(ms) / 1000 >= start:
            by_name.setdefault(name, []).append((float(ms), int(failed)))
            end = max(end, float(at))
    seconds = max(end - start, 1e-9)
    out = []
    for name, items in sorted(by_name.items(), key=lambda kv: kv[0].split(" ", 1)[1]):
        ms = [m for m, _f in items]
        out.append(
            {
                "Type": name.split(" ", 1)[0],
                "Name": name.split(" ", 1)[1],
                "Request Count": str(len(items)),
                "Failure Count": str(sum(f for _m, f in items)),
                "50%": str(percentile(ms, 50)),
                "95%": str(percentile(ms, 95)),
                "99%": str(percentile(ms, 99)),
                "Max Response Time": str(max(ms)),
                "Requests/s": str(len(items) / seconds),
            }
        )
    all_ms = [m for items in by_name.values() for m, _f in items]
    if all_ms:
        out.append(
            {
                "Type": "",
                "Name": "Aggregated",
                "Request Count": str(len(all_ms)),
                "Failure Count": str(sum(f for items in by_name.values() for _m, f in items)),
                "50%": str(percentile(all_ms, 50)),
                "95%": str(percentile(all_ms, 95)),
                "99%": str(percentile(all_ms, 99)),
                "Max Response Time": str(max(all_ms)),
                "Requests/s": str(len(all_ms) / seconds),
            }
        )
    return out, seconds


def failures_of(prefix: Path) -> list[dict[str, str]]:
    path = prefix.parent / (prefix.name + "_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def server_errors(log_path: Path) -> int:
    """5xx answers in the server's access log (besides what locust saw)."""
    count = 0
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split('" ')
        if len(parts) > 1 and parts[-1][:1] == "5":
            count += 1
    return count


# --- the report ----------------------------------------------------------------------------


def fmt(value: str | float) -> str:
    number = float(value)
    return f"{number:,.0f}" if number >= 100 else f"{number:.1f}".rstrip("0").rstrip(".")


def report(
    args: argparse.Namespace,
    machine: dict[str, str],
    pg: dict[str, str],
    counts: dict[str, int],
    communes: int,
    rows: list[dict[str, str]],
    failures: list[dict[str, str]],
    verified: dict,
    log_5xx: int,
    seconds: float,
    steady: list[dict[str, str]],
    steady_seconds: float,
) -> tuple[str, bool]:
    lines = [
        "### Environment",
        "",
        *(f"- {k}: {v}" for k, v in machine.items()),
        f"- PostgreSQL {pg.pop('version')}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(pg.items())),
        f"- Server: `antq serve --workers {args.workers} --threads {args.threads}` (gunicorn "
        f"gthread) on 127.0.0.1; cache: {'Redis' if args.redis else 'files in the data dir'}",
        f"- Load: {args.users} officials ({communes} communes reporting) and {args.citizens} "
        f"citizens: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        f"- Ramp-up {args.spawn_rate} users/s; run {args.run_time} s in all "
        f"({seconds:.0f} s measured); think times × {args.think}",
    ]
    ok = True
    for title, table_rows, judged in (
        (f"### Steady state: every user logged in ({steady_seconds:.0f} s)", steady, True),
        (f"### The whole run, ramp-up and logins included ({seconds:.0f} s)", rows, False),
    ):
        text, meets = requests_table(title, table_rows)
        lines += text
        if judged and table_rows:
            ok &= meets
    if not steady:
        ok = False
    lines += _errors(failures, log_5xx, verified)
    errors = sum(int(f["Occurrences"]) for f in failures)
    ok &= errors == 0 and log_5xx == 0 and lost_writes(verified) == 0
    lines += [
        "",
        f"**Targets: {'met' if ok else 'NOT met'}** (in the steady state, p95 < "
        f"{TARGET_P95_MS} ms for every request type; zero errors and zero lost writes over "
        "the whole run).",
    ]
    return "\n".join(lines) + "\n", ok


def requests_table(title: str, rows: list[dict[str, str]]) -> tuple[list[str], bool]:
    lines = [
        "",
        title,
        "",
        "| Request | n | Failures | Median (ms) | p95 (ms) | p99 (ms) | Max (ms) | req/s "
        "| p95 < 300 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ok = True
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        p95 = float(row["95%"])
        meets = p95 < TARGET_P95_MS
        ok &= meets
        lines.append(
            f"| {row['Name']} "
            f"| {int(row['Request Count']):,} | {row['Failure Count']} | {fmt(row['50%'])} "
            f"| {fmt(p95)} | {fmt(row['99%'])} | {fmt(row['Max Response Time'])} "
            f"| {float(row['Requests/s']):.2f} | {'yes' if meets else '**no**'} |"
        )
    if total is not None:
        lines.append(
            f"| **all** | {int(total['Request Count']):,} | {total['Failure Count']} "
            f"| {fmt(total['50%'])} | {fmt(total['95%'])} | {fmt(total['99%'])} "
            f"| {fmt(total['Max Response Time'])} | {float(total['Requests/s']):.2f} | |"
        )
    return lines, ok


def lost_writes(verified: dict) -> int:
    return (
        verified.get("values_lost", 0)
        + verified.get("value_audit_mismatches", 0)
        + verified.get("report_status_wrong", 0)
        + verified.get("report_steps_out_of_turn", 0)
        + verified.get("report_audit_mismatches", 0)
        + verified.get("tips_unresolved", 0)
    )


def _errors(failures: list[dict[str, str]], log_5xx: int, verified: dict) -> list[str]:
    errors = sum(int(f["Occurrences"]) for f in failures)
    return [
        "",
        "### Errors and lost writes",
        "",
        f"- Failed requests (5xx, connection errors, unexpected answers): **{errors}**"
        + (
            "; " + "; ".join(f"{f['Name']}: {f['Error']} × {f['Occurrences']}" for f in failures)
            if failures
            else ""
        ),
        f"- 5xx lines in the server's access log: {log_5xx}",
        f"- Tips answered 429 (the flood limit, counted apart): {verified.get('tips_throttled', 0)}",
        f"- Values: {verified.get('values_acknowledged', 0):,} acknowledged writes "
        f"({verified.get('values_changed', 0):,} of them changes) to "
        f"{verified.get('value_keys', 0)} cells; lost: **{verified.get('values_lost', 0)}**; "
        f"changes missing from the audit trail: {verified.get('value_audit_mismatches', 0)}; "
        f"sent but unanswered when the run ended: "
        f"{verified.get('values_in_flight_at_the_end', 0)}",
        f"- Reports: {verified.get('report_steps_acknowledged', 0)} acknowledged submissions, "
        f"approvals and returns on {verified.get('reports', 0)} reports (now "
        f"{verified.get('reports_by_status', {})}); wrong status: "
        f"**{verified.get('report_status_wrong', 0)}**; decisions lost to another: "
        f"{verified.get('report_steps_out_of_turn', 0)}; missing from the audit log: "
        f"{verified.get('report_audit_mismatches', 0)}",
        f"- Tips: {verified.get('tips_acknowledged', 0)} receipts handed out, unresolved: "
        f"**{verified.get('tips_unresolved', 0)}**",
    ]


# --- main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=200, help="officials (default 200)")
    p.add_argument("--citizens", type=int, default=20, help="citizens sending tips (20)")
    p.add_argument("--run-time", type=int, default=300, help="seconds, ramp-up included (300)")
    p.add_argument("--spawn-rate", type=float, default=2.0, help="users started per second (2)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2: one per core)")
    p.add_argument("--threads", type=int, default=8, help="threads per worker (8)")
    p.add_argument("--think", type=float, default=1.0, help="scale of think times (1)")
    p.add_argument("--pg-url", default=os.environ.get("ANTQ_BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    p.add_argument("--db-name", default="antq_load", help="the run's database (antq_load)")
    p.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "antq-load")
    p.add_argument("--redis", default="", help="REDIS_URL for the server's cache (default: none)")
    p.add_argument("--keep", action="store_true", help="keep the databases and the work dir")
    p.add_argument(
        "--reuse-prepared",
        action="store_true",
        help="start from the prepared database of an earlier --keep run (skips 1 and 2)",
    )
    p.add_argument("--write-results", type=Path, help="write the Markdown report here too")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_at_start = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    counts, communes = mix(args.users, args.citizens)
    template = f"{args.db_name}_prepared"
    prepared = args.work_dir / "prepared"
    run_dir = args.work_dir / dt.datetime.now().strftime("run-%Y%m%d-%H%M%S")
    run_dir.mkdir(parents=True, mode=0o700)
    db_url = _pg_url_with_db(args.pg_url, args.db_name)
    if pg_exists(args.pg_url, args.db_name):
        raise SystemExit(f"database {args.db_name} exists: drop it or choose --db-name")

    if args.reuse_prepared:
        if not (prepared / "READY").exists() or not pg_exists(args.pg_url, template):
            raise SystemExit(f"nothing prepared in {prepared} / {template}: run with --keep first")
        log(f"reusing {template} and {prepared}")
    else:
        log(f"preparing {template} (antq demo --prepare-only and the officials)…")
        prepare(args.pg_url, template, prepared)

    server = None
    try:
        pg_create(args.pg_url, args.db_name, template=template)
        data_dir = run_dir / "data"
        shutil.copytree(prepared / "data", data_dir)
        shutil.copy(prepared / "people.json", run_dir / "people.json")
        # The tip line's hourly limits per client key on the address, and here every
        # citizen is 127.0.0.1: they are raised for the run (the limits themselves are
        # tested in the unit tests); a 429 would still be counted apart.
        server_env = env_for(
            data_dir,
            db_url,
            {
                "ANTQ_TIPS_LIMIT_WITH_PROOF": "1000000",
                "ANTQ_TIPS_LIMIT_LOOKUPS": "1000000",
                "ANTQ_LOG_LEVEL": "WARNING",
                **({"REDIS_URL": args.redis} if args.redis else {}),
            },
        )
        port = free_port()
        log(f"antq serve on 127.0.0.1:{port}, {args.workers} workers × {args.threads} threads")
        server = start_server(server_env, port, args.workers, args.threads, run_dir / "server.log")
        acks = run_dir / "acks.jsonl"
        acks.touch()
        total = sum(counts.values())
        log(f"locust: {total} users ({counts}), {args.run_time} s…")
        started = time.monotonic()
        locust_env = {
            **os.environ,
            "LOAD_PEOPLE": str(run_dir / "people.json"),
            "LOAD_ACKS": str(acks),
            "LOAD_TIMES": str(run_dir / "times.tsv"),
            "LOAD_MIX": json.dumps(counts),
            "LOAD_COMMUNES": str(communes),
            "LOAD_THINK": str(args.think),
        }
        prefix = run_dir / "locust"
        done = subprocess.run(
            [
                PY,
                "-m",
                "locust",
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "-u",
                str(total),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.run_time}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            cwd=HERE,
            env=locust_env,
            stdout=(run_dir / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        seconds = time.monotonic() - started
        log(f"locust finished (exit {done.returncode}) after {seconds:.0f} s")
        stop_server(server)
        server = None
        verify_json = run_dir / "verify.json"
        subprocess.run(
            [PY, str(HERE / "verify.py"), str(acks), str(verify_json)],
            cwd=ROOT,
            env=env_for(data_dir, db_url),
            check=False,
        )
        verified = json.loads(verify_json.read_text()) if verify_json.exists() else {}
        text, ok = report(
            args,
            machine_facts(load_at_start),
            pg_settings(args.pg_url),
            counts,
            communes,
            stats_of(prefix),
            failures_of(prefix),
            verified,
            server_errors(run_dir / "server.log"),
            seconds,
            *steady_state(run_dir / "times.tsv"),
        )
        (run_dir / "results.md").write_text(text, encoding="utf-8")
        if args.write_results:
            args.write_results.write_text(text, encoding="utf-8")
        print()
        print(text)
        log(f"everything of this run is in {run_dir}")
        return 0 if ok else 1
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            pg_drop(args.pg_url, args.db_name)
            if not args.reuse_prepared:
                pg_drop(args.pg_url, template)
                shutil.rmtree(prepared, ignore_errors=True)
            shutil.rmtree(run_dir / "data", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
