"""In the browser: a citizen sends a tip with a photo and copies the receipt; an officer of the
commune's police triages it and replies; the citizen reads the reply with the receipt. Officers
of another commune and administrators without the tip-handling role cannot read it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the browser_available fixture skips these tests (fails them under CI)
    Page = Any
    expect = None

from tests.e2e.test_browser import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.browser

LANG_SON = "20"
NA_SAM = "06124"  # the commune Na Sầm since the 2025 reform
CONTENT = "Có người lạ gọi điện tự xưng công an, đòi chuyển tiền “xác minh” (thử nghiệm e2e)."
PHONE = "0900 123 456"
REPLY = "Công an xã đã nhận tin của bạn và đang xác minh. Cảm ơn bạn (thử nghiệm e2e)."
RECEIPT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$")  # Crockford base32
REFERENCE = re.compile(r"NT-\d{2}-\d{6}")
PROOF_TIMEOUT = 60_000  # ms: the page's proof-of-work runs before the tip is sent
GPS_IFD = 0x8825


def _photo_with_location(path: Path) -> Path:
    """A small JPEG that says where and with what it was taken (EXIF camera and GPS)."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 60, 40))
    exif = Image.Exif()
    exif[0x010F] = "Thử Camera"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[GPS_IFD] = {1: "N", 2: (21.0, 50.0, 0.0), 3: "E", 4: (106.0, 45.0, 0.0)}
    image.save(path, format="JPEG", exif=exif)
    with Image.open(path) as check:  # the fixture itself carries the location
        assert check.getexif().get_ifd(GPS_IFD)
    return path


def _no_location(data: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return image.format == "JPEG" and not exif.get_ifd(GPS_IFD) and 0x010F not in exif


def _fits_width(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_tip_with_a_photo_is_answered_and_the_reply_read_with_the_receipt(
    page: Page, console, screenshot, antq_server: str, tmp_path: Path
):
    # --- The citizen, on a phone first: the page fits the screen. --------------------------
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/tips/send/?province={LANG_SON}")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("tip-form")).to_be_visible()
    assert _fits_width(page), "the tip page is wider than a phone's screen"
    screenshot(page, "tips-send-mobile.png")
    page.set_viewport_size({"width": 1366, "height": 900})

    # --- Sending: the province (the form submits itself), then the tip. ----------------------
    page.goto("/tips/send/")
    expect(page.get_by_test_id("tip-form")).to_have_count(0)
    page.locator("select#id_province").select_option(LANG_SON)
    expect(page).to_have_url(re.compile(rf"/tips/send/\?province={LANG_SON}$"))
    form = page.get_by_test_id("tip-form")
    form.locator("#id_area").select_option(NA_SAM)
    form.locator("#id_topic").select_option("online_fraud")
    form.locator("#id_content").fill(CONTENT)
    form.locator("#id_place").fill("Thôn Thử Nghiệm")
    form.locator("#id_happened").fill("khoảng 20 giờ hôm qua")
    form.locator("details summary").click()
    expect(form.locator("#id_phones")).to_be_visible()
    form.locator("#id_phones").fill(PHONE)
    form.locator("#id_attachments").set_input_files(
        _photo_with_location(tmp_path / "anh-hien-truong.jpg")
    )
    screenshot(page, "tips-send.png")
    # The page's script finds the proof-of-work that lets the tip meet the looser limit.
    expect(form.locator("[data-pow-proof]")).to_have_value(
        re.compile(r"^\d+$"), timeout=PROOF_TIMEOUT
    )
    form.get_by_test_id("send").click()

    # --- The receipt, shown once, and copied. ------------------------------------------------
    receipt_box = page.get_by_test_id("receipt")
    expect(receipt_box).to_have_text(RECEIPT)
    receipt = receipt_box.inner_text().strip()
    found = REFERENCE.search(page.locator("main").inner_text())
    assert found, "the receipt page gives no reference for the handling unit"
    reference = found.group(0)
    copy = page.locator("[data-copy]")
    expect(copy).to_be_visible()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=antq_server)
    label = copy.inner_text().strip()
    copy.click()
    expect(copy).not_to_have_text(label)
    assert page.evaluate("navigator.clipboard.readText()") == receipt
    screenshot(page, "tips-receipt.png")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits_width(page), "the receipt page is wider than a phone's screen"
    screenshot(page, "tips-receipt-mobile.png")
    page.set_viewport_size({"width": 1366, "height": 900})

    # --- The officer of Na Sầm: the inbox, the tip, its photo without location. -------------
    page.context.clear_cookies()
    log_in(page, "nasam", DEMO_PASSWORD)
    page.goto("/tips/")
    table = page.get_by_test_id("tips-table")
    newest = table.locator("tbody tr").first
    expect(newest.get_by_role("link")).to_have_text(reference)
    screenshot(page, "tips-inbox.png")
    newest.get_by_role("link", name=reference).click()
    expect(page).to_have_url(re.compile(r"/tips/\d+/$"))
    detail_url = page.url
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.get_by_test_id("tip-content")).to_have_text(CONTENT)
    expect(page.get_by_test_id("fraud-details")).to_contain_text(PHONE)
    photo = page.locator("img.tip-photo")
    expect(photo).to_have_count(1)
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") == 64
    served = page.request.get(photo.get_attribute("src"))
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    assert _no_location(served.body()), "the photo still carries its EXIF location or camera"

    # Triage: the tip is now being verified, and the sender is told so.
    status_before = page.get_by_test_id("citizen-status").inner_text()
    triage = page.get_by_test_id("act-triage")
    valuable = triage.locator("select[name=triage] option[value=valuable]").inner_text().strip()
    triage.locator("select[name=triage]").select_option("valuable")
    triage.locator("button[type=submit]").click()
    expect(page.get_by_test_id("triage")).to_have_text(valuable)
    status_after = page.get_by_test_id("citizen-status").inner_text()
    assert status_after and status_after != status_before

    # A reply to the sender.
    write = page.get_by_test_id("act-write")
    write.locator("textarea[name=text]").fill(REPLY)
    write.locator("select[name=to_citizen]").select_option("1")
    write.locator("button[type=submit]").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_test_id("thread")).to_contain_text(REPLY)
    screenshot(page, "tips-detail.png")

    # --- The citizen follows the tip with the receipt and reads the reply. -------------------
    page.context.clear_cookies()
    page.goto("/tips/follow/")
    page.locator("#id_receipt").fill(receipt)
    page.get_by_test_id("follow").click()
    status = page.get_by_test_id("tip-status")
    expect(status).to_contain_text(reference)
    expect(status).to_contain_text(status_after)
    expect(page.get_by_test_id("messages")).to_contain_text(REPLY)
    expect(page.get_by_test_id("messages")).not_to_contain_text(CONTENT)
    screenshot(page, "tips-follow.png")

    # --- The police of another commune learn nothing: the tip does not exist for them. ------
    page.context.clear_cookies()
    log_in(page, "hoangvanthu", DEMO_PASSWORD)
    response = page.goto(detail_url)
    assert response is not None and response.status == 404
    expect(page.get_by_text(CONTENT)).to_have_count(0)
    page.goto("/tips/")
    expect(page.get_by_test_id("tips-table")).not_to_contain_text(reference)
    console.assert_clean()


def test_an_administrator_without_the_tip_role_is_refused_the_inbox(
    page: Page, console, antq_server: str
):
    log_in(page, "quantri", DEMO_PASSWORD)
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    response = page.goto("/tips/")
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("tips-table")).to_have_count(0)
    # Chromium logs the refused page itself as a failed load; nothing else may fail.
    refused = f"{antq_server}/tips/"
    assert [e for e in console.errors if not e.endswith(f"403 (Forbidden) @ {refused}")] == []
