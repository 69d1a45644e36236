"""The antq command: settings it refuses, setup and demo idempotence."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from antq.accounts.models import Body, Membership, User


def run_antq(args: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "ANTQ_DATA_DIR": str(tmp_path), "DATABASE_URL": "", **env}
    return subprocess.run(
        [sys.executable, "-m", "antq", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_antq(
        ["check"],
        {"ANTQ_MODE": "production", "SECRET_KEY": "", "ANTQ_ALLOWED_HOSTS": "antq.example"},
        tmp_path,
    )
    assert result.returncode == 2
    assert "SECRET_KEY is required" in result.stderr


def test_a_bad_setting_is_named_in_the_error(tmp_path):
    result = run_antq(["check"], {"ANTQ_DEBUG": "perhaps"}, tmp_path)
    assert result.returncode == 2
    assert "ANTQ_DEBUG='perhaps'" in result.stderr


def test_development_keeps_a_generated_secret_key_private(tmp_path):
    result = run_antq(["check"], {"SECRET_KEY": ""}, tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0
    first = key_file.read_text()
    run_antq(["check"], {"SECRET_KEY": ""}, tmp_path)
    assert key_file.read_text() == first


def test_hyphenated_commands_reach_their_django_command(tmp_path):
    result = run_antq(["load-areas", "--help"], {}, tmp_path)
    assert result.returncode == 0
    assert "--conversion" in result.stdout


def test_the_demo_refuses_production_mode(tmp_path):
    result = run_antq(
        ["demo", "--prepare-only"],
        {"ANTQ_MODE": "production", "SECRET_KEY": "x" * 50, "ANTQ_ALLOWED_HOSTS": "antq.example"},
        tmp_path,
    )
    assert result.returncode != 0
    assert "production" in result.stderr


@pytest.mark.django_db
def test_the_demo_data_loads_twice_without_duplicates(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    out = io.StringIO()
    call_command("demo", "--prepare-only", stdout=out)
    counts = (Body.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("demo", "--prepare-only", stdout=io.StringIO())
    assert (Body.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    text = out.getvalue()
    assert "quantri" in text and "antq@demo2025" in text
    assert Body.objects.filter(code__startswith="ls-huyen-uy-").count() == 11
    assert User.objects.get(username="nasam").check_password("antq@demo2025")
    # the demo people are fictitious: nobody from the seed article
    for real in ("Nguyễn Thái Học", "Hoàng Văn Nghiệm", "Đoàn Thu Hà"):
        assert not User.objects.filter(full_name=real).exists()
    van_lang = Body.objects.get(name="Huyện ủy Văn Lãng")
    assert van_lang.area.code == "182" and str(van_lang.valid_to) == "2025-06-30"
