"""The dependency audit step of tests/run.py: a known vulnerability fails the run; packages
that could not be audited are reported as not audited — a failure only where the advisory
service must be reachable (ANTQ_AUDIT_REQUIRED) — and never pass as audited."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests import run


def fake_audit(monkeypatch, report: dict | str, returncode: int = 0) -> list[list[str]]:
    calls: list[list[str]] = []

    def fake_run(args, **kwargs):
        calls.append(list(args))
        stdout = report if isinstance(report, str) else json.dumps(report)
        return subprocess.CompletedProcess(args, returncode, stdout=stdout, stderr="boom")

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    return calls


CLEAN = {
    "dependencies": [
        {"name": "antq", "skip_reason": "distribution marked as editable"},
        {"name": "django", "version": "5.2.1", "vulns": []},
        {"name": "pillow", "version": "11.0.0", "vulns": []},
    ],
    "fixes": [],
}


def test_a_clean_environment_passes(monkeypatch, capsys):
    calls = fake_audit(monkeypatch, CLEAN)
    assert run.dependency_audit() is None
    assert calls[0][1:3] == ["-m", "pip_audit"] and "--skip-editable" in calls[0]
    assert "2 of 2 installed packages audited, 0 vulnerable" in capsys.readouterr().out


def test_a_known_vulnerability_fails(monkeypatch, capsys):
    report = json.loads(json.dumps(CLEAN))
    report["dependencies"][1]["vulns"] = [
        {"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "description": "…"}
    ]
    fake_audit(monkeypatch, report, returncode=1)
    assert run.dependency_audit() == "dependency audit (known vulnerabilities)"
    assert "VULNERABLE: django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in capsys.readouterr().out


@pytest.mark.parametrize(("required", "fails"), [("", False), ("1", True)])
def test_an_unreachable_service_is_not_a_pass(monkeypatch, capsys, required, fails):
    report = {
        "dependencies": [
            {"name": "django", "skip_reason": "Dependency not found on PyPI: django (5.2.1)"},
            {"name": "pillow", "version": "11.0.0", "vulns": []},
        ]
    }
    monkeypatch.setenv("ANTQ_AUDIT_REQUIRED", required)
    fake_audit(monkeypatch, report)
    result = run.dependency_audit()
    assert (result is not None) is fails
    out = capsys.readouterr().out
    assert "NOT AUDITED: 1 packages (django)" in out
    assert "1 of 2 installed packages audited" in out


def test_pip_audit_that_does_not_answer_fails(monkeypatch, capsys):
    fake_audit(monkeypatch, "Traceback (most recent call last): …", returncode=1)
    assert run.dependency_audit() == "dependency audit (pip-audit did not run)"
    assert "boom" in capsys.readouterr().out


def test_pip_audit_is_installed_with_the_test_extra():
    import importlib.util
    import tomllib

    extra = tomllib.loads((run.ROOT / "pyproject.toml").read_text())["project"]
    assert any(r.startswith("pip-audit") for r in extra["optional-dependencies"]["test"])
    assert importlib.util.find_spec("pip_audit") is not None
