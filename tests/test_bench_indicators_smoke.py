"""The indicators benchmark still runs: a tiny SQLite pass of benchmarks/bench_indicators.py.

`--quick` is one province (Lạng Sơn's 194 pre-reform and 65 post-reform communes), 2
indicators (a flow and a stock) and the 12 months of 2022: the fill, values_save, one saved
value in the national total and the three analytics questions, each answer checked against
one SQL statement (and against DuckDB when it is installed; CI has no DuckDB, so the DuckDB
column is skipped there). A wrong answer, a crash or a missing row fails this test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_indicators.py"

EXPECTED = [
    # 194 communes x 12 months x 2 indicators before the reform, 2022 only
    "= 4,656 values",
    "| Step | Values | Time (s) | Values/s | Target |",
    "| fill (not antq's import path): INSERT … SELECT in the database |",
    "| antq rebuild-totals after the fill — rows of totals written |",
    "| import: values_save(), 500 values per call",
    "| One saved value visible in the national total |",
    "| Question | How | Values read | Rows | n | Median (ms) | antq / DuckDB |",
    # question | how | values read | rows
    "| (a) province 20 by district by year, 1 indicator, 2022–2022 | antq engine.analytics "
    "| 2,328 | 11 |",
    "| (a) province 20 by district by year, 1 indicator, 2022–2022 | reference: one SQL query "
    "| – | 11 |",
    # the flow's 2,328 values, and the stock's latest value of each of the 194 communes
    "| (b) nation by province, 2 indicators, 2022 | antq engine.analytics | 2,522 | 2 |",
    "| (b) nation by province, 2 indicators, 2022 | reference: one SQL query | – | 2 |",
    "| (b′) nation by province, the 1 flow of (b) only, 2022 | antq engine.analytics | 2,328 | 1 |",
    "| (c) national total by year, 1 indicator, 2022–2022 | antq engine.analytics | 2,328 | 1 |",
    "| (c) national total by year, 1 indicator, 2022–2022 | antq HTTP API "
    "(GET /api/v1/analytics/) | 2,328 | 1 |",
]


def test_quick_sqlite_indicators_benchmark_runs(tmp_path):
    results = tmp_path / "results.md"
    env = {
        **os.environ,
        "ANTQ_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "TMPDIR": str(tmp_path),
        "PYTHONIOENCODING": "utf-8",
    }
    proc = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--quick",
            "--db",
            "sqlite",
            "--http",
            "--write-results",
            str(results),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    output = proc.stdout
    assert proc.returncode == 0, f"exit {proc.returncode}\n{output[-4000:]}\n{proc.stderr[-4000:]}"
    for line in EXPECTED:
        assert line in output, f"missing {line!r} in:\n{output[-4000:]}"
    written = results.read_text(encoding="utf-8")
    assert "### SQLite" in written
    assert all(line in written for line in EXPECTED)
    try:
        import duckdb  # noqa: F401
    except ImportError:
        assert "DuckDB: not installed (skipped)" in written
    else:
        assert "| DuckDB on the Parquet export |" in written
    # The scratch database and the export lived in temporary directories, now removed.
    assert not list(tmp_path.glob("antq-bench-*"))
