"""antq.core.crypto: the layers that keep citizens' tips unreadable at rest (issue 6)."""

from __future__ import annotations

import re

import pytest

from antq.core import crypto


def test_a_tip_opens_only_with_its_own_key_and_cannot_be_altered():
    key, other = crypto.new_data_key(), crypto.new_data_key()
    text = "Có người lạ mua bán hàng cấm ở thôn Nà Pàn".encode()
    sealed = crypto.encrypt(key, text)
    assert text not in sealed and crypto.decrypt(key, sealed) == text
    assert crypto.encrypt(key, text) != sealed  # a fresh nonce every time
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(other, sealed)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(key, tampered)


def test_the_data_key_is_wrapped_for_each_body_and_their_private_keys_for_the_master():
    master = crypto.new_master_key()
    commune, other = crypto.new_key_pair(), crypto.new_key_pair()
    stored_private = crypto.seal_private_key(master, commune.private)
    assert commune.private not in stored_private
    key = crypto.new_data_key()
    wrapped = crypto.wrap_key(commune.public, key)
    assert key not in wrapped
    private = crypto.open_private_key(master, stored_private)
    assert crypto.unwrap_key(private, wrapped) == key
    with pytest.raises(crypto.CryptoError):  # another body's key opens nothing
        crypto.unwrap_key(other.private, wrapped)
    with pytest.raises(crypto.CryptoError):  # nor does the database without the master key
        crypto.open_private_key(crypto.new_master_key(), stored_private)


def test_receipts_carry_100_random_bits_grouped_for_reading():
    receipts = {crypto.new_receipt() for _ in range(2000)}
    assert len(receipts) == 2000
    for receipt in list(receipts)[:50]:
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}", receipt)
    assert crypto.RECEIPT_LENGTH * 5 >= 80
    # every character of the alphabet appears, spread evenly enough
    chars = "".join(r.replace("-", "") for r in receipts)
    counts = [chars.count(c) for c in crypto.RECEIPT_ALPHABET]
    assert min(counts) > 0.6 * len(chars) / 32


@pytest.mark.parametrize(
    "typed",
    ["7K3M-9QXD-2BCE-F4GH-JKMN", "7k3m 9qxd 2bce f4gh jkmn", " 7K3M9QXD2BCEF4GHJKMN "],
)
def test_a_receipt_reads_back_however_it_is_typed(typed):
    assert crypto.normalise_receipt(typed) == "7K3M9QXD2BCEF4GHJKMN"


def test_confusable_letters_are_read_as_the_digits_they_look_like():
    assert crypto.normalise_receipt("OOOO-IIII-LLLL-0000-1111") == "00001111111100001111"


@pytest.mark.parametrize("bad", ["", "7K3M", "7K3M-9QXD-2BCE-F4GH-JKM!", "x" * 200])
def test_what_cannot_be_a_receipt_is_refused(bad):
    assert crypto.normalise_receipt(bad) is None


def test_the_receipt_digest_needs_the_pepper_and_finds_the_same_receipt_again():
    pepper = crypto.new_pepper()
    receipt = crypto.new_receipt()
    digest = crypto.receipt_digest(receipt, pepper)
    assert len(digest) == 32 and receipt.encode() not in digest
    assert crypto.receipt_digest(receipt.lower().replace("-", " "), pepper) == digest
    assert crypto.receipt_digest(receipt, crypto.new_pepper()) != digest
    assert crypto.receipt_digest(crypto.new_receipt(), pepper) != digest
    # a malformed receipt costs the same work and matches nothing
    assert crypto.receipt_digest("nonsense", pepper) != crypto.receipt_digest("nonsense", pepper)
