"""The tips' keys in the database: bodies' key pairs, the receipts' pepper, wrapping and
unwrapping a tip's data key, and rotating the master key (antq.core.crypto does the maths,
antq.core.keys finds the master key)."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from antq.accounts.models import Body, SecondFactor
from antq.core import crypto
from antq.core.keys import MasterKeyError, master_key
from antq.tips.models import BodyKey, Secret, Tip, WrappedKey

PEPPER = "receipt-pepper"


def _open(master: bytes, sealed: bytes, master_id: str, what: str) -> bytes:
    if master_id != crypto.master_fingerprint(master):
        raise MasterKeyError(
            f"{what} được niêm phong bằng một khóa chủ khác ({master_id}); "
            "kiểm tra khóa chủ đang dùng (`antq keys check`)."
        )
    return crypto.open_private_key(master, bytes(sealed))


def body_key(body: Body) -> BodyKey:
    """The body's key pair, made (and sealed by the master key) the first time it is needed."""
    existing = BodyKey.objects.filter(body=body).first()
    if existing is not None:
        return existing
    master = master_key()
    pair = crypto.new_key_pair()
    # get_or_create: two first tips to a body at once end with one key pair.
    key, _created = BodyKey.objects.get_or_create(
        body=body,
        defaults={
            "public": pair.public,
            "sealed_private": crypto.seal_private_key(master, pair.private),
            "master_id": crypto.master_fingerprint(master),
        },
    )
    return key


def pepper() -> bytes:
    master = master_key()
    row = Secret.objects.filter(name=PEPPER).first()
    if row is None:
        row, _created = Secret.objects.get_or_create(
            name=PEPPER,
            defaults={
                "sealed": crypto.seal_private_key(master, crypto.new_pepper()),
                "master_id": crypto.master_fingerprint(master),
            },
        )
    return _open(master, row.sealed, row.master_id, "Pepper")


def receipt_digest(receipt: str) -> bytes:
    return crypto.receipt_digest(receipt, pepper())


def wrap_for(tip: Tip, body: Body, data_key: bytes) -> WrappedKey:
    key = body_key(body)
    wrapped, _created = WrappedKey.objects.update_or_create(
        tip=tip, body=body, defaults={"wrapped": crypto.wrap_key(bytes(key.public), data_key)}
    )
    return wrapped


def data_key(tip: Tip, body: Body) -> bytes:
    """The tip's data key as `body` holds it; LookupError if the body holds none."""
    wrapped = WrappedKey.objects.filter(tip=tip, body=body).first()
    key = BodyKey.objects.filter(body=body).first()
    if wrapped is None or key is None:
        raise LookupError("no key for this body")
    private = _open(master_key(), key.sealed_private, key.master_id, str(body))
    return crypto.unwrap_key(private, bytes(wrapped.wrapped))


def seal_json(key: bytes, value: Any) -> bytes:
    return crypto.encrypt(key, json.dumps(value, ensure_ascii=False).encode())


def open_json(key: bytes, box: bytes) -> Any:
    return json.loads(crypto.decrypt(key, bytes(box)))


# Everything sealed by the master key: the bodies' private keys, the receipts' pepper, and
# officials' second-factor secrets (antq.accounts).
_SEALED = ((BodyKey, "sealed_private"), (Secret, "sealed"), (SecondFactor, "sealed_secret"))


@transaction.atomic
def reseal(old: bytes, new: bytes) -> int:
    """Re-seal every body's private key, the pepper and the second-factor secrets from the
    old master key to the new one; the tips' wrapped keys do not change. Returns the number of keys re-sealed."""
    old_id, new_id = crypto.master_fingerprint(old), crypto.master_fingerprint(new)
    if old_id == new_id:
        raise MasterKeyError("Khóa chủ mới trùng khóa cũ.")
    n = 0
    for model, field in _SEALED:
        for row in model.objects.select_for_update().order_by("pk"):
            if row.master_id == new_id:
                continue
            plain = _open(old, getattr(row, field), row.master_id, str(row))
            setattr(row, field, crypto.seal_private_key(new, plain))
            row.master_id = new_id
            row.save(update_fields=[field, "master_id"])
            n += 1
    return n


def sealed_by() -> set[str]:
    """The fingerprints of the master keys the stored keys are sealed by."""
    found: set[str] = set()
    for model, _field in _SEALED:
        found |= set(model.objects.values_list("master_id", flat=True))
    return found
