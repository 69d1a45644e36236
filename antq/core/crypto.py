"""Encryption of citizens' tips at rest (libsodium through PyNaCl; no Django here).

The layers, from the data up:

- each tip has its own random **data key** (32 bytes); its content, attachments and contact
  block are encrypted with it (XSalsa20-Poly1305, a fresh random nonce each time), the
  contact block separately so that it can be read only when needed;
- the data key is **wrapped** (a sealed box, X25519) for the public key of each body allowed
  to read the tip — the police of the tip's commune, and whoever it is transferred to;
- each body's **private key** is kept wrapped (a secret box) by the deployment's **master
  key**, which lives outside the database (an environment variable or a key file with strict
  permissions). A database file, dump or backup alone opens nothing.

Crypto-erasing a tip is deleting its wrapped keys: the ciphertext left behind is noise.

**Receipts** given to citizens carry 100 bits of randomness, written in Crockford's base32
(no I, L, O, U) in five groups of four (`7K3M-9QXD-…`). They are stored only as an argon2id
hash keyed by a server-side random **pepper** (kept sealed by the master key), with a salt
derived from the pepper so that the same receipt always gives the same hash and can be found;
without the pepper a stolen hash cannot even be tested against a guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2.low_level import Type, hash_secret_raw
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

__all__ = [
    "KEY_BYTES",
    "CryptoError",
    "KeyPair",
    "decrypt",
    "encrypt",
    "format_receipt",
    "master_fingerprint",
    "new_data_key",
    "new_key_pair",
    "new_master_key",
    "new_pepper",
    "new_receipt",
    "normalise_receipt",
    "open_private_key",
    "receipt_digest",
    "seal_private_key",
    "unwrap_key",
    "wrap_key",
]

KEY_BYTES = SecretBox.KEY_SIZE  # 32
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
RECEIPT_LENGTH = 20  # 20 × 5 bits = 100 bits of randomness
RECEIPT_GROUP = 4
# argon2id, OWASP's minimum for interactive use (19 MiB, 2 passes): slow enough that a
# guess costs, quick enough (~30 ms) for a lookup.
ARGON2_TIME, ARGON2_MEMORY_KIB, ARGON2_LANES = 2, 19 * 1024, 1


def new_master_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def encrypt(key: bytes, plaintext: bytes) -> bytes:
    """Nonce and ciphertext (authenticated) of `plaintext` under a 32-byte key."""
    return bytes(SecretBox(key).encrypt(plaintext))


def decrypt(key: bytes, ciphertext: bytes) -> bytes:
    """The plaintext; CryptoError if the key is wrong or the ciphertext was altered."""
    return SecretBox(key).decrypt(ciphertext)


class KeyPair:
    """A body's key pair: the public key is stored in clear, the private key only sealed."""

    def __init__(self, private: bytes):
        self._private = PrivateKey(private)

    @property
    def public(self) -> bytes:
        return bytes(self._private.public_key)

    @property
    def private(self) -> bytes:
        return bytes(self._private)


def new_key_pair() -> KeyPair:
    return KeyPair(bytes(PrivateKey.generate()))


def wrap_key(public: bytes, data_key: bytes) -> bytes:
    """The data key sealed for the holder of the private key matching `public`."""
    return bytes(SealedBox(PublicKey(public)).encrypt(data_key))


def unwrap_key(private: bytes, wrapped: bytes) -> bytes:
    return SealedBox(PrivateKey(private)).decrypt(wrapped)


def seal_private_key(master: bytes, private: bytes) -> bytes:
    return encrypt(master, private)


def open_private_key(master: bytes, sealed: bytes) -> bytes:
    return decrypt(master, sealed)


def new_pepper() -> bytes:
    """The receipts' pepper: random, kept sealed by the master key (so that rotating the
    master key re-seals it and every receipt still finds its tip)."""
    return secrets.token_bytes(KEY_BYTES)


def master_fingerprint(master: bytes) -> str:
    """A short public name of a master key, to tell which key sealed a body's private key."""
    return hmac.new(master, b"antq master key id", hashlib.sha256).hexdigest()[:16]


def new_receipt() -> str:
    """A receipt for a citizen: 100 random bits, grouped for reading."""
    return format_receipt("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH)))


def format_receipt(raw: str) -> str:
    return "-".join(raw[i : i + RECEIPT_GROUP] for i in range(0, len(raw), RECEIPT_GROUP))


_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def normalise_receipt(text: str) -> str | None:
    """The receipt as typed (any case, spaces or dashes, O for 0, I or L for 1) in its
    canonical 20 characters; None if it cannot be one."""
    raw = "".join(ch for ch in str(text).upper() if ch not in " -\t\n").translate(_CONFUSABLE)
    if len(raw) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in raw):
        return None
    return raw


def receipt_digest(receipt: str, pepper: bytes) -> bytes:
    """argon2id of the canonical receipt keyed by the pepper: equal receipts give equal
    digests (the lookup key); nothing about the receipt can be learned without the pepper.
    A receipt that cannot be one gets the digest of a random string, so that the work — and
    the time — is the same for a well-formed unknown receipt and a malformed one."""
    canonical = normalise_receipt(receipt) or secrets.token_hex(10).upper()
    salt = hmac.new(pepper, b"salt", hashlib.sha256).digest()[:16]
    secret = hmac.new(pepper, canonical.encode(), hashlib.sha256).digest()
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=ARGON2_TIME,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_LANES,
        hash_len=32,
        type=Type.ID,
    )
