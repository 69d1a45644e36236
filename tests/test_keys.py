"""The master key: made once with strict permissions, read from a file or the environment,
refused when exposed or malformed (issue 6)."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from antq.core import crypto
from antq.core.keys import MasterKeyError, master_key, master_key_init


@pytest.fixture
def key_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTQ_MASTER_KEY", raising=False)
    monkeypatch.setenv("ANTQ_MASTER_KEY_FILE", str(tmp_path / "keys" / "master.key"))
    return tmp_path / "keys"


def test_init_makes_a_private_key_file_once(key_dir):
    with pytest.raises(MasterKeyError, match="keys init"):
        master_key()
    path = master_key_init()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    key = master_key()
    assert len(key) == crypto.KEY_BYTES
    with pytest.raises(MasterKeyError, match="không ghi đè"):
        master_key_init()
    assert master_key() == key  # untouched


def test_an_exposed_key_file_is_refused(key_dir):
    path = master_key_init()
    os.chmod(path, 0o644)
    with pytest.raises(MasterKeyError, match="chmod 600"):
        master_key()


def test_the_environment_wins_and_must_hold_32_bytes(key_dir, monkeypatch):
    key = crypto.new_master_key()
    monkeypatch.setenv("ANTQ_MASTER_KEY", base64.urlsafe_b64encode(key).decode().rstrip("="))
    assert master_key() == key
    monkeypatch.setenv("ANTQ_MASTER_KEY", "ngắn quá")
    with pytest.raises(MasterKeyError, match="32 byte"):
        master_key()
    with pytest.raises(MasterKeyError):
        master_key_init()  # no file beside a key given by the environment


@pytest.mark.django_db
def test_the_command(key_dir, capsys):
    with pytest.raises(CommandError):
        call_command("keys", "check")
    call_command("keys", "init")
    call_command("keys", "check")
    with pytest.raises(CommandError):
        call_command("keys", "init")
    call_command("keys", "path")
    assert str(key_dir / "master.key") in capsys.readouterr().out
