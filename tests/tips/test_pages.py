"""The tip line's pages: the citizen's (no login, no JavaScript needed) and the handling
unit's (only its tip handlers), every bad input shown in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from antq.core.models import AuditEvent
from antq.tips import services
from antq.tips.models import State, Tip, Triage
from tests.conftest import PASSWORD
from tests.tips.conftest import CONTACT, CONTENT, jpeg_with_gps, send

pytestmark = pytest.mark.django_db
RECEIPT = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")


def logged_in(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_the_tip_page_asks_the_province_first_and_works_without_javascript(handlers):
    c = Client(REMOTE_ADDR="203.0.113.5")
    page = c.get("/tips/send/")
    assert page.status_code == 200 and b'name="province"' in page.content
    assert b'name="content"' not in page.content
    assert "no-store" in page.headers["Cache-Control"]
    html = c.get("/tips/send/?province=20").content.decode()
    assert 'value="06124"' in html  # Na Sầm among Lạng Sơn's communes
    assert "Điều 144" in html or "Article 144" in html  # false reports are punishable
    assert "ẩn danh" in html or "anonymous" in html
    photo = SimpleUploadedFile("anh.jpg", jpeg_with_gps(), content_type="image/jpeg")
    r = c.post(
        "/tips/send/",
        {
            "province": "20",
            "area": "06124",
            "topic": "online_fraud",
            "content": CONTENT,
            "contact": CONTACT,
            "accounts": "STK 123",
            "attachments": [photo],
        },
    )
    assert r.status_code == 200
    receipt = RECEIPT.search(r.content.decode()).group(0)
    assert "no-store" in r.headers["Cache-Control"]
    tip = Tip.objects.get()
    assert tip.channel == "web" and tip.attachments.count() == 1
    assert services.tip_by_receipt(receipt) == tip
    assert not c.cookies.get("antq_session")  # a citizen gets no session


def test_bad_tips_are_shown_in_vietnamese_and_store_nothing(handlers):
    c = Client()
    r = c.post("/tips/send/", {"province": "20", "area": "06124", "topic": "other", "content": ""})
    assert r.status_code == 400 and "Hãy cho biết sự việc" in r.content.decode()
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00" * 10, content_type="image/jpeg")
    r = c.post(
        "/tips/send/",
        {
            "province": "20",
            "area": "06124",
            "topic": "other",
            "content": "x",
            "attachments": [fake],
        },
    )
    assert r.status_code == 400 and "virus.jpg" in r.content.decode()
    r = c.post("/tips/send/", {"province": "20", "area": "99999", "topic": "other", "content": "x"})
    assert r.status_code == 400
    assert not Tip.objects.exists()


def test_a_flood_from_one_browser_is_held_back(handlers, settings):
    settings.ANTQ_TIPS_LIMIT_WITHOUT_PROOF = 2
    c = Client(REMOTE_ADDR="198.51.100.9")
    data = {"province": "20", "area": "06124", "topic": "other", "content": "Tin thử"}
    codes = [c.post("/tips/send/", data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Tip.objects.count() == 2
    assert Client(REMOTE_ADDR="198.51.100.10").post("/tips/send/", data).status_code == 200


def test_the_citizen_follows_the_tip_by_receipt_in_a_post_body_only(handlers):
    tip, receipt = send()
    services.tip_triage(handlers.na_sam, tip, triage=Triage.VALUABLE)
    services.tip_write(handlers.na_sam, tip, text="Đã nhận, đang xác minh.", to_citizen=True)
    c = Client()
    assert c.get("/tips/follow/").status_code == 200
    r = c.post("/tips/follow/", {"receipt": receipt})
    html = r.content.decode()
    assert r.status_code == 200 and "Đã nhận, đang xác minh." in html
    assert "xác minh" in html and receipt not in r.headers.get("Location", "")
    r = c.post("/tips/follow/message", {"receipt": receipt, "text": "Xin bổ sung ảnh."})
    assert r.status_code == 200 and "Xin bổ sung ảnh." in r.content.decode()
    r = c.post("/tips/follow/", {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert r.status_code == 404 and "Không có nguồn tin" in r.content.decode()
    r = c.post("/tips/follow/message", {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE", "text": "x"})
    assert r.status_code == 404


def test_the_inbox_and_a_tip_open_only_for_the_handlers_of_its_body(handlers):
    tip, _receipt = send(attachments=[("anh.jpg", jpeg_with_gps())])
    officer = logged_in(handlers.na_sam)
    inbox = officer.get("/tips/")
    assert inbox.status_code == 200 and tip.reference in inbox.content.decode()
    assert CONTENT not in inbox.content.decode()  # the list shows no content
    page = officer.get(f"/tips/{tip.pk}/")
    assert page.status_code == 200 and CONTENT in page.content.decode()
    assert CONTACT not in page.content.decode()  # opened only on purpose
    assert CONTACT in officer.post(f"/tips/{tip.pk}/contact").content.decode()
    photo = officer.get(f"/tips/{tip.pk}/files/{tip.attachments.get().pk}")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"Exif" not in photo.content and "no-store" in photo.headers["Cache-Control"]

    for user in (handlers.hoang_van_thu, handlers.people.colleague):
        other = logged_in(user)
        assert other.get(f"/tips/{tip.pk}/").status_code in (403, 404)
    assert logged_in(handlers.hoang_van_thu).get(f"/tips/{tip.pk}/").status_code == 404
    assert logged_in(handlers.hoang_van_thu).get(f"/tips/{tip.pk}/files/1").status_code == 404
    assert logged_in(handlers.admin).get("/tips/").status_code == 403
    assert logged_in(handlers.admin).get(f"/tips/{tip.pk}/").status_code == 403
    assert (
        AuditEvent.objects.filter(action="tips.denied", actor=handlers.hoang_van_thu).count() == 3
    )
    assert Client().get("/tips/").status_code == 302  # to the login page
    assert logged_in(handlers.na_sam).get("/tips/999999/").status_code == 404


def test_the_handler_triages_replies_classifies_and_settles_from_the_page(handlers):
    tip, _ = send()
    officer = logged_in(handlers.na_sam)
    r = officer.post(f"/tips/{tip.pk}/triage", {"triage": "valuable"})
    assert r.status_code == 302
    r = officer.post(f"/tips/{tip.pk}/write", {"text": "Cảm ơn bạn.", "to_citizen": "1"})
    assert r.status_code == 302
    r = officer.post(f"/tips/{tip.pk}/classify", {"kind": "crime", "topic": "online_fraud"})
    assert r.status_code == 302
    tip.refresh_from_db()
    assert tip.triage == Triage.VALUABLE and tip.deadline is not None
    r = officer.post(f"/tips/{tip.pk}/extend", {"until": "01/01/2000"})
    assert r.status_code == 400 and "hạn mới" in r.content.decode().lower()
    r = officer.post(f"/tips/{tip.pk}/decide", {"decision": "prosecute", "on": "bad"})
    assert r.status_code == 400
    today = dt.date.today().strftime("%d/%m/%Y")
    r = officer.post(f"/tips/{tip.pk}/decide", {"decision": "prosecute", "on": today})
    assert r.status_code == 302
    tip.refresh_from_db()
    assert tip.state == State.CLOSED
    assert officer.post(f"/tips/{tip.pk}/nonsense", {}).status_code == 404
    deadlines = officer.get("/tips/deadlines/")
    assert deadlines.status_code == 200 and tip.reference not in deadlines.content.decode()


def test_an_officer_records_a_tip_received_by_phone_and_a_case(handlers):
    officer = logged_in(handlers.na_sam)
    assert officer.get("/tips/record/").status_code == 200
    r = officer.post(
        "/tips/record/",
        {
            "province": "20",
            "channel": "phone",
            "received_on": dt.date.today().strftime("%d/%m/%Y"),
            "kind": "crime",
            "area": "06124",
            "topic": "drugs",
            "content": "Người dân gọi điện báo tin.",
        },
    )
    assert r.status_code == 200 and RECEIPT.search(r.content.decode())
    tip = Tip.objects.get()
    assert tip.channel == "phone" and tip.deadline is not None
    r = officer.post(
        "/tips/cases/new",
        {
            "number": "05/2026",
            "offence": "drugs",
            "opened_on": dt.date.today().strftime("%d/%m/%Y"),
            "cleared_on": dt.date.today().strftime("%d/%m/%Y"),
            "suspects": "2",
            "assets_vnd": "1000000",
            "tips": [str(tip.pk)],
        },
    )
    assert r.status_code == 302
    cases = officer.get("/tips/cases/").content.decode()
    assert "05/2026" in cases and "1.000.000" in cases
    r = officer.post("/tips/cases/new", {"number": "", "offence": "drugs", "suspects": "0"})
    assert r.status_code == 400
    assert (
        logged_in(handlers.hoang_van_thu).get("/tips/cases/").content.decode().count("05/2026") == 0
    )


def test_nothing_about_tip_requests_reaches_the_logs(settings, caplog):
    from antq.core.logs import NoTipRequests

    keep = NoTipRequests()

    def record(message: str, **extra) -> logging.LogRecord:
        r = logging.LogRecord("django.server", logging.INFO, __file__, 1, message, (), None)
        for k, v in extra.items():
            setattr(r, k, v)
        return r

    assert not keep.filter(record('"POST /tips/send/ HTTP/1.1" 200 512'))
    assert not keep.filter(record('"POST /api/v1/tips/lookup HTTP/1.1" 404 80'))

    class Req:
        path = "/tips/follow/"

    assert not keep.filter(record("Bad Request", request=Req()))
    assert keep.filter(record('"GET /data/results/ HTTP/1.1" 200 512'))
    # the gunicorn logger drops access lines of the tip line
    from antq.core.logs import gunicorn_logger

    cls = gunicorn_logger()
    calls = []

    class Fake(cls):
        def __init__(self):
            pass

    base = cls.__mro__[1]
    original = base.access
    base.access = lambda self, *a: calls.append(a)
    try:
        Fake().access(None, None, {"PATH_INFO": "/tips/send/"}, 0)
        Fake().access(None, None, {"PATH_INFO": "/data/"}, 0)
    finally:
        base.access = original
    assert len(calls) == 1


def test_no_other_app_imports_the_tips_app():
    """The sealed room (DESIGN.md): only the project's URL wiring names it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "antq"
    offenders = []
    for path in root.rglob("*.py"):
        if path.is_relative_to(root / "tips") or path == root / "urls.py":
            continue
        text = path.read_text()
        if re.search(r"^\s*(from|import)\s+antq\.tips\b", text, re.M):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_a_photo_upload_in_the_page_is_stripped(handlers):
    from PIL import Image

    c = Client()
    photo = SimpleUploadedFile("anh.jpg", jpeg_with_gps(), content_type="image/jpeg")
    c.post(
        "/tips/send/",
        {
            "province": "20",
            "area": "06124",
            "topic": "other",
            "content": "x",
            "attachments": [photo],
        },
    )
    tip = Tip.objects.get()
    _ext, data = services.tip_attachment(handlers.na_sam, tip, tip.attachments.get().pk)
    assert not Image.open(io.BytesIO(data)).getexif()


def test_the_citizens_forms_pass_the_csrf_check_a_browser_makes(handlers):
    """A browser sends its Origin with a form; the tip pages must not make it `null` (a
    no-referrer policy does), or every tip would be refused as a cross-site request."""
    c = Client(enforce_csrf_checks=True)
    page = c.get("/tips/send/?province=20")
    assert page.headers.get("Referrer-Policy", "same-origin") != "no-referrer"
    assert b'content="no-referrer"' not in page.content
    token = c.cookies["antq_csrf"].value
    data = {
        "csrfmiddlewaretoken": token,
        "province": "20",
        "area": "06124",
        "topic": "other",
        "content": "Tin gửi từ trình duyệt",
    }
    r = c.post("/tips/send/", data, HTTP_ORIGIN="http://testserver")
    assert r.status_code == 200 and RECEIPT.search(r.content.decode())
    r = c.post(
        "/tips/follow/",
        {"csrfmiddlewaretoken": token, "receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"},
        HTTP_ORIGIN="http://testserver",
    )
    assert r.status_code == 404  # past the CSRF check, an unknown receipt
    assert c.post("/tips/send/", data, HTTP_ORIGIN="null").status_code == 403
