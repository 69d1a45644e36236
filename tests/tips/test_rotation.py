"""Rotating the master key: every body key and the pepper are re-sealed, tips and receipts
still open, the old key opens nothing any more, and an interrupted rotation is finished by
running it again."""

from __future__ import annotations

import base64

import pytest
from django.core.management import CommandError, call_command

from antq.core import crypto
from antq.core.keys import master_key, master_key_init, staged_file
from antq.tips import services, vault
from antq.tips.models import BodyKey
from tests.tips.conftest import CONTENT, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(monkeypatch, tmp_path):
    monkeypatch.delenv("ANTQ_MASTER_KEY", raising=False)
    monkeypatch.setenv("ANTQ_MASTER_KEY_FILE", str(tmp_path / "k" / "master.key"))
    return master_key_init()


def test_rotation_reseals_and_the_old_key_opens_nothing(handlers, key_file):
    tip, receipt = send()
    old = master_key()
    call_command("keys", "rotate")
    new = master_key()
    assert new != old and not staged_file().exists()
    assert services.tip_open(handlers.na_sam, tip).content["content"] == CONTENT
    assert services.tip_by_receipt(receipt) == tip  # the pepper survived
    sealed = bytes(BodyKey.objects.get(body=handlers.people.na_sam).sealed_private)
    with pytest.raises(crypto.CryptoError):
        crypto.open_private_key(old, sealed)
    call_command("keys", "check")
    assert vault.sealed_by() == {crypto.master_fingerprint(new)}


def test_an_interrupted_rotation_is_finished_by_running_it_again(handlers, key_file):
    tip, receipt = send()
    old = master_key()
    staged = crypto.new_master_key()
    staged_file().write_text(base64.urlsafe_b64encode(staged).decode())
    staged_file().chmod(0o600)
    vault.reseal(old, staged)  # the database was re-sealed, the key file not yet replaced
    with pytest.raises(CommandError, match="hoàn tất"):
        call_command("keys", "check")
    call_command("keys", "rotate")
    assert master_key() == staged
    call_command("keys", "check")
    assert services.tip_by_receipt(receipt) == tip


def test_a_key_from_the_environment_rotates_with_a_new_one_given_the_same_way(
    handlers, monkeypatch
):
    tip, _ = send()
    with pytest.raises(CommandError, match="ANTQ_NEW_MASTER_KEY"):
        call_command("keys", "rotate")
    new = crypto.new_master_key()
    monkeypatch.setenv("ANTQ_NEW_MASTER_KEY", base64.urlsafe_b64encode(new).decode())
    call_command("keys", "rotate")
    with pytest.raises(CommandError):  # the old key no longer matches the database
        call_command("keys", "check")
    monkeypatch.setenv("ANTQ_MASTER_KEY", base64.urlsafe_b64encode(new).decode())
    call_command("keys", "check")
    assert services.tip_open(handlers.na_sam, tip).content["content"] == CONTENT
