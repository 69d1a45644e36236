"""The public tip API and the flood defences: receipts, one error shape, a wrong receipt
answered like an unknown one, throttling without addresses, the proof-of-work."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client

from antq.core.models import AuditEvent
from antq.tips import intake
from antq.tips.models import Message, Tip
from tests.tips.conftest import CONTENT

pytestmark = pytest.mark.django_db
URL = "/api/v1/tips/"


def client(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def post(c: Client, url: str, data: dict):
    return c.post(url, data, content_type="application/json")


def proof(c: Client) -> dict:
    challenge = c.get("/api/v1/tips/challenge").json()["challenge"]
    return {"challenge": challenge, "nonce": intake.solve(challenge)}


@pytest.fixture(autouse=True)
def _easy_proof(settings):
    settings.ANTQ_TIPS_POW_BITS = 8  # a proof a test can find quickly; the check is the same


def test_send_follow_and_write_through_the_api(handlers):
    c = client()
    r = post(c, URL, {"area": "06124", "content": CONTENT, "contact": "0912 000 111"})
    assert r.status_code == 201 and r.headers["Cache-Control"] == "no-store"
    receipt = r.json()["receipt"]
    assert len(receipt) == 24 and receipt.count("-") == 4
    tip = Tip.objects.get()
    assert tip.channel == "api" and tip.area.code == "06124"

    r = post(c, "/api/v1/tips/lookup", {"receipt": receipt.lower()})
    assert r.status_code == 200
    body = r.json()
    assert body["reference"] == tip.reference and body["messages"] == []
    assert body["received"].endswith(":00:00+07:00")  # to the hour
    assert CONTENT not in str(body)

    r = post(c, "/api/v1/tips/messages", {"receipt": receipt, "text": "Bổ sung thông tin"})
    assert r.status_code == 201
    assert r.json()["messages"][0]["text"] == "Bổ sung thông tin"
    assert Message.objects.count() == 1


def test_a_wrong_receipt_is_answered_like_an_unknown_one(handlers, monkeypatch):
    from antq.core import crypto

    c = client()
    receipt = post(c, URL, {"area": "06124", "content": CONTENT}).json()["receipt"]
    wrong = ("0" if receipt[0] != "0" else "1") + receipt[1:]
    work = []
    real = crypto.hash_secret_raw

    def counted(**kwargs):
        work.append((kwargs["time_cost"], kwargs["memory_cost"], len(kwargs["secret"])))
        return real(**kwargs)

    monkeypatch.setattr(crypto, "hash_secret_raw", counted)
    answers = []
    for guess in (wrong, "ABCD-EFGH-JKMN-PQRS-TVWX", "rác", "x" * 60):
        r = post(c, "/api/v1/tips/lookup", {"receipt": guess})
        answers.append((r.status_code, r.json()))
    assert all(a == answers[0] for a in answers)
    assert answers[0][0] == 404 and answers[0][1]["error"]["code"] == "not_found"
    # each answer cost the same argon2id work, malformed receipts included (no early exit)
    assert len(work) == 4 and len(set(work)) == 1
    assert post(c, "/api/v1/tips/lookup", {"receipt": receipt}).status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"area": "06124", "content": ""}, "content"),
        ({"area": "06124", "content": "x" * 1_000_000}, "content"),
        ({"area": "99999", "content": CONTENT}, "area"),
        ({"area": "20", "content": CONTENT}, "area"),  # a province
        ({"content": CONTENT}, "area"),
        ({"area": "06124", "content": CONTENT, "topic": "gossip"}, "topic"),
        ({"area": "06124", "content": CONTENT, "contact": "c" * 501}, "contact"),
    ],
)
def test_bad_tips_get_the_one_error_shape_and_store_nothing(handlers, data, field):
    r = post(client(), URL, data)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid" and field in error["details"]
    assert not Tip.objects.exists()


def test_a_body_that_is_not_json_is_refused_in_the_same_shape(handlers):
    r = client().post(URL, "area=06124", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415 and "error" in r.json()
    r = client().post(URL, "{not json", content_type="application/json")
    assert r.status_code == 400 and "error" in r.json()


def test_a_flood_without_proof_is_throttled_without_stopping_others(handlers, settings):
    settings.ANTQ_TIPS_LIMIT_WITHOUT_PROOF = 3
    flood = client("198.51.100.1")
    codes = [
        post(flood, URL, {"area": "06124", "content": f"{CONTENT} {i}"}).status_code
        for i in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    assert post(flood, URL, {"area": "06124", "content": "x"}).json()["error"]["code"] == (
        "throttled"
    )
    # another client is not affected; the flooder with a proof-of-work still gets through
    assert post(client("198.51.100.2"), URL, {"area": "06124", "content": "y"}).status_code == 201
    ok = post(flood, URL, {"area": "06124", "content": "z", "pow": proof(flood)})
    assert ok.status_code == 201
    assert Tip.objects.count() == 5
    # nothing about the clients was written to the database
    assert not AuditEvent.objects.filter(object_type="tips.tip").exists()
    raw = "".join(str(v) for v in Tip.objects.values_list())
    assert "198.51.100" not in raw


def test_all_submissions_without_proof_share_a_ceiling(handlers, settings):
    settings.ANTQ_TIPS_LIMIT_ALL_WITHOUT_PROOF = 4
    codes = [
        post(client(f"192.0.2.{i}"), URL, {"area": "06124", "content": "t"}).status_code
        for i in range(6)
    ]
    assert codes == [201, 201, 201, 201, 429, 429]
    c = client("192.0.2.99")
    assert post(c, URL, {"area": "06124", "content": "t", "pow": proof(c)}).status_code == 201


def test_a_proof_serves_once_and_must_be_right(handlers, settings):
    settings.ANTQ_TIPS_LIMIT_WITHOUT_PROOF = 1
    settings.ANTQ_TIPS_LIMIT_ALL_WITHOUT_PROOF = 1
    c = client("192.0.2.50")
    good = proof(c)
    assert intake.proof_valid(good["challenge"], good["nonce"]) is True
    assert intake.proof_valid(good["challenge"], good["nonce"]) is False  # used
    fresh = proof(c)
    bits = int(fresh["challenge"].split(":")[0].rsplit(".", 1)[1])
    bad = next(
        str(n)
        for n in range(10_000)
        if intake._leading_zero_bits(hashlib.sha256(f"{fresh['challenge']}:{n}".encode()).digest())
        < bits
    )
    assert intake.proof_valid(fresh["challenge"], bad) is False
    forged = fresh["challenge"].replace(".8:", ".0:")
    assert intake.proof_valid(forged, "0") is False  # the signature covers the difficulty
    assert intake.proof_valid("", "") is False


def test_client_names_change_every_hour_and_hide_the_address(handlers, rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    name = intake.client_key(request)
    assert "203.0.113.9" not in name and name == intake.client_key(request)
    cache.delete(f"tips:client-secret:{intake._hour()}")  # the next hour's secret
    assert intake.client_key(request) != name


def test_lookups_are_limited_too(handlers, settings):
    settings.ANTQ_TIPS_LIMIT_LOOKUPS = 2
    c = client("192.0.2.77")
    codes = [
        post(c, "/api/v1/tips/lookup", {"receipt": "ABCD-EFGH-JKMN-PQRS-TVWX"}).status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]


def test_the_api_schema_documents_the_tip_endpoints():
    r = Client().get("/api/schema/?format=json")
    paths = r.json()["paths"]
    for path in ("/api/v1/tips/", "/api/v1/tips/lookup", "/api/v1/tips/messages"):
        assert "post" in paths[path]
    assert "get" in paths["/api/v1/tips/challenge"]


def test_behind_a_reverse_proxy_clients_are_told_apart_by_the_forwarded_address(
    handlers, settings, rf
):
    settings.ANTQ_TIPS_LIMIT_WITHOUT_PROOF = 1
    settings.ANTQ_TRUSTED_PROXIES = 1
    proxy = "127.0.0.1"
    a = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    b = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert post(a, URL, {"area": "06124", "content": "1"}).status_code == 201
    assert post(a, URL, {"area": "06124", "content": "2"}).status_code == 429
    assert post(b, URL, {"area": "06124", "content": "3"}).status_code == 201
    # a client cannot pose as another by sending its own X-Forwarded-For: the proxy appends
    spoof = rf.get("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert intake.client_address(spoof) == "198.51.100.20"
    settings.ANTQ_TRUSTED_PROXIES = 0
    assert intake.client_address(spoof) == proxy


def test_without_a_master_key_a_tip_is_refused_with_503_and_nothing_is_stored(
    handlers, monkeypatch, tmp_path
):
    """An operator who has not installed the master key gets a clear 503 (the same on the
    page), not a server error; nothing of the tip is kept."""
    monkeypatch.delenv("ANTQ_MASTER_KEY")
    monkeypatch.setenv("ANTQ_MASTER_KEY_FILE", str(tmp_path / "absent" / "master.key"))
    c = Client(REMOTE_ADDR="203.0.113.9", raise_request_exception=False)
    r = post(c, URL, {"area": "06124", "content": CONTENT, "contact": "0912 000 111"})
    assert r.status_code == 503 and r.headers["Retry-After"] == "300"
    assert r.json()["error"]["code"] == "keys_unavailable"
    assert "khóa chủ" in r.json()["error"]["message"]
    page = c.post(
        "/tips/send/",
        {"province": "20", "area": "06124", "topic": "online_fraud", "content": CONTENT},
    )
    assert page.status_code == 503
    assert 'data-testid="service-unavailable"' in page.content.decode()
    assert not Tip.objects.exists() and not Message.objects.exists()
