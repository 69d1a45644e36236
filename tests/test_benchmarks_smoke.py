"""The area benchmark still runs: a quick SQLite pass of benchmarks/bench_areas.py.

It loads the national areas into a scratch database, checks every lookup returns the sizes
the official files give (3,321 / 10,051 communes, Lạng Sơn 194 / 65, ...) and prints the
Markdown table; a wrong size, a crash or a missing row fails this test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_areas.py"

EXPECTED_ROWS = [
    # label | rows | queries — one query per tree read, with the right number of rows
    "| subtree: nation, communes on 2025-07-01 (ids) | 3,321 | 1 |",
    "| subtree: nation, communes on 2022-01-01 (ids) | 10,051 | 1 |",
    "| subtree: Lạng Sơn (20), communes on 2022-01-01 (ids) | 194 | 1 |",
    "| subtree: Lạng Sơn (20), communes on 2026-01-01 (ids) | 65 | 1 |",
    "| subtree_counts: 63 provinces, communes on 2022-01-01 | 63 | 1 |",
    "| ancestors: random commune on 2022-01-01 | 3 | 1 |",
    "| ancestors: random commune on 2026-01-01 | 2 | 1 |",
    "| area_by_code: random code + date | 1 | 1 |",
    "| children: Lạng Sơn (20) on 2022-01-01 (Area rows) | 11 | 1 |",
    "| children: Lạng Sơn (20) on 2026-01-01 (Area rows) | 65 | 1 |",
    "| area_successors: random pre-reform commune as of 2026-01-01 |",
    "| load: full national load incl. closure rebuild (areas_load) | 52,288 |",
]


def test_quick_sqlite_benchmark_runs_and_prints_its_table(tmp_path):
    results = tmp_path / "results.md"
    env = {
        **os.environ,
        "ANTQ_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "TMPDIR": str(tmp_path),
        "PYTHONIOENCODING": "utf-8",
    }
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--db", "sqlite", "--write-results", str(results)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )
    output = proc.stdout
    assert proc.returncode == 0, f"exit {proc.returncode}\n{output[-4000:]}\n{proc.stderr[-4000:]}"
    assert "| Measurement | Rows | Queries | n | Median (ms) | p95 (ms) |" in output
    for row in EXPECTED_ROWS:
        assert row in output, f"missing {row!r} in:\n{output[-4000:]}"
    written = results.read_text(encoding="utf-8")
    assert "### Environment" in written
    assert "### SQLite" in written
    assert "- CPU: " in written
    assert "AreaTreePath 52,288" in written
    assert all(row in written for row in EXPECTED_ROWS)
    # The scratch database lived in a temporary directory that the script removed.
    assert not list(tmp_path.glob("antq-bench-*"))
