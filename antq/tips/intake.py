"""Keeping floods off the tip line without knowing who sends: rate limits and proof-of-work.

No address is stored anywhere. A client is told apart by a keyed hash of its address under a
random secret that lives an hour in the cache (never in the database) and is then forgotten;
the counters live in the cache and expire with the hour. A submission may carry a
**proof-of-work** — a number found by the page's script such that SHA-256 of a server-issued,
signed, single-use challenge and the number starts with a given count of zero bits (a second
or two of a phone's time, a great deal for a flood). A submission without it (no JavaScript,
or a partner that does not compute it) is accepted under a stricter limit, per client and
for all such submissions together, so that a flood without proof never crowds out the others.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from antq.core.clients import client_address

CHALLENGE_SALT = "antq.tips.pow"
CHALLENGE_SECONDS = 30 * 60
HOUR = 3600


@dataclass(frozen=True)
class Limits:
    per_client_with_proof: int
    per_client_without_proof: int
    all_without_proof: int


def limits() -> Limits:
    return Limits(
        settings.ANTQ_TIPS_LIMIT_WITH_PROOF,
        settings.ANTQ_TIPS_LIMIT_WITHOUT_PROOF,
        settings.ANTQ_TIPS_LIMIT_ALL_WITHOUT_PROOF,
    )


def _hour() -> str:
    return timezone.now().strftime("%Y%m%d%H")


def client_key(request: HttpRequest) -> str:
    """A name for the client, valid this hour only, from which its address cannot be read
    back (the hour's secret is random and kept only in the cache)."""
    name = f"tips:client-secret:{_hour()}"
    cache.add(name, secrets.token_hex(32), 2 * HOUR)
    secret = cache.get(name) or ""
    address = client_address(request)
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _count(name: str) -> int:
    key = f"tips:rate:{_hour()}:{name}"
    cache.add(key, 0, HOUR)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR)
        return 1


def _peek(name: str) -> int:
    return cache.get(f"tips:rate:{_hour()}:{name}") or 0


def allowed(client: str, *, proven: bool) -> bool:
    """Count one submission by the client; False when it is over its limit this hour."""
    lim = limits()
    if proven:
        return _count(f"proof:{client}") <= lim.per_client_with_proof
    if _peek("plain-all") >= lim.all_without_proof:
        return False
    ok = _count(f"plain:{client}") <= lim.per_client_without_proof
    if ok:
        _count("plain-all")
    return ok


def lookup_allowed(client: str) -> bool:
    """Count one look-up by receipt (or message) by the client; False over the hour's limit."""
    return _count(f"lookup:{client}") <= settings.ANTQ_TIPS_LIMIT_LOOKUPS


# --- proof-of-work ----------------------------------------------------------------------------


def pow_bits() -> int:
    return settings.ANTQ_TIPS_POW_BITS


def challenge_new() -> str:
    return signing.TimestampSigner(salt=CHALLENGE_SALT).sign(
        f"{secrets.token_hex(12)}.{pow_bits()}"
    )


def _leading_zero_bits(digest: bytes) -> int:
    n = 0
    for byte in digest:
        if byte == 0:
            n += 8
            continue
        return n + 8 - byte.bit_length()
    return n


def solve(challenge: str) -> str:
    """Find a proof for a challenge (what the page's script does; used by tests and by
    partners' examples)."""
    bits = int(challenge.split(":")[0].rsplit(".", 1)[1])
    n = 0
    while _leading_zero_bits(hashlib.sha256(f"{challenge}:{n}".encode()).digest()) < bits:
        n += 1
    return str(n)


def proof_valid(challenge: str, nonce: str) -> bool:
    """A signed, unexpired, unused challenge and a nonce meeting its difficulty. A challenge
    serves once."""
    if not challenge or not nonce or len(nonce) > 20 or not nonce.isdigit():
        return False
    try:
        value = signing.TimestampSigner(salt=CHALLENGE_SALT).unsign(
            challenge, max_age=CHALLENGE_SECONDS
        )
    except signing.BadSignature:
        return False
    token, _dot, bits = value.rpartition(".")
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if not bits.isdigit() or _leading_zero_bits(digest) < int(bits):
        return False
    return cache.add(f"tips:pow-used:{token}", 1, CHALLENGE_SECONDS)
