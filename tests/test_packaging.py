"""`pip install .` gives a working installation outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_package_runs_setup_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("antq-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "antq/areas/data/wards-2025-01-04.csv",
        "antq/areas/data/ward-conversion-2025-07-01.csv",
        "antq/areas/data/README.md",
        "antq/web/templates/base.html",
        "antq/areas/templates/areas/_content.html",
        "antq/web/static/vendor/bootstrap/bootstrap.min.css",
        "antq/web/static/vendor/htmx/htmx.min.js",
        "antq/locale/vi/LC_MESSAGES/django.mo",
        "antq/areas/migrations/0001_initial.py",
    ):
        assert required in names, required
    assert not any(n.startswith("tests/") for n in names)

    site = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "ANTQ_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "",
    }
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import antq, sys; print(antq.__file__);"
            "from antq.cli import main; main(['antq', 'setup'])",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    assert run.stdout.splitlines()[0].startswith(str(site))
    assert "34 tỉnh" in run.stdout and "3.321" in run.stdout
    assert (tmp_path / "data" / "static" / "staticfiles.json").exists()
