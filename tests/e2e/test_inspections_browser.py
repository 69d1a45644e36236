"""In the browser: a member of an inspection delegation opens the inspection under way,
downloads the results report, records a working session with its minutes attached, issues the
conclusion and a recommendation for the commune's police; the commune's officer finds it among
their tasks, and completes the commune's self-inspection report pre-filled from the data."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the browser_available fixture skips these tests (fails them under CI)
    Page = Any
    expect = None

from tests.e2e.test_browser import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.browser
RECOMMENDATION = "Kiện toàn tổ bảo vệ an ninh, trật tự ở các thôn biên giới (thử nghiệm e2e)."


def test_a_delegation_member_records_a_session_and_a_recommendation(
    page: Page, console, screenshot, tmp_path
):
    today = dt.date.today().strftime("%d/%m/%Y")
    log_in(page, "noichinh", DEMO_PASSWORD)
    page.goto("/inspections/")
    page.get_by_role("link", name="Kiểm tra việc thực hiện Kế hoạch số 100-KH/TU").click()
    expect(page.get_by_test_id("inspection-title")).to_contain_text("Na Sầm")

    with page.expect_download() as download:
        page.get_by_test_id("inspection-report").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".docx" and path.read_bytes()[:2] == b"PK"

    session = page.get_by_test_id("session-form")
    session.locator("[name=day]").fill(today)
    session.locator("[name=time]").fill("14:00")
    session.locator("[name=body]").select_option(index=1)
    session.locator("[name=place]").fill("Hội trường UBND xã Na Sầm")
    session.locator("[name=attendees]").fill("Chủ tịch UBND xã; Trưởng Công an xã")
    session.locator("button[type=submit]").click()
    expect(page.get_by_test_id("sessions")).to_contain_text("Hội trường UBND xã Na Sầm")

    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    attach = page.get_by_test_id("file-form").last
    attach.locator("[name=file]").set_input_files(minutes)
    attach.locator("[name=title]").fill("Biên bản buổi làm việc")
    attach.locator("button[type=submit]").click()
    expect(page.get_by_test_id("session-files").last).to_contain_text("Biên bản buổi làm việc")

    conclusion = page.get_by_test_id("conclusion-form")
    conclusion.locator("[name=symbol]").fill("21-TB/BNCTU")
    conclusion.locator("[name=issued_on]").fill(today)
    conclusion.locator("button[type=submit]").click()
    expect(page.get_by_test_id("conclusion")).to_contain_text("21-TB/BNCTU")

    form = page.get_by_test_id("recommendation-form")
    form.locator("[name=text]").fill(RECOMMENDATION)
    form.locator("button[type=submit]").click()  # no responsible body: refused
    expect(page.get_by_test_id("error-body")).to_be_visible()
    form = page.get_by_test_id("recommendation-form")
    form.locator("[name=body]").select_option(label="Công an xã Na Sầm")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("recommendations")).to_contain_text(RECOMMENDATION)
    screenshot(page, "inspection.png")

    page.get_by_test_id("close").click()  # a recommendation is still open
    expect(page.locator(".alert-danger")).to_contain_text(RECOMMENDATION[:40])

    page.context.clear_cookies()
    log_in(page, "nasam", DEMO_PASSWORD)
    page.goto("/documents/tasks/mine/")
    expect(page.locator("main")).to_contain_text(RECOMMENDATION)
    console.assert_clean()


def test_the_commune_completes_its_pre_filled_self_inspection_report(
    page: Page, console, screenshot, tmp_path
):
    log_in(page, "nasam", DEMO_PASSWORD)
    page.goto("/inspections/")
    page.get_by_role("link", name="Kiểm tra việc thực hiện Kế hoạch số 100-KH/TU").click()
    page.get_by_test_id("self-reports").get_by_role("link", name="Công an xã Na Sầm").click()
    form = page.get_by_test_id("self-report-form")
    expect(form).to_contain_text("II. KẾT QUẢ THỰC HIỆN")
    results = form.locator("textarea").nth(1)
    expect(results).to_have_value(re.compile(r"Nhân dân đã cung cấp \d+ nguồn tin"))
    assessment = form.locator("textarea").nth(2)
    assessment.fill("Ưu điểm: phong trào được triển khai đồng bộ (thử nghiệm e2e).")
    expect(page.get_by_test_id("submit-report")).to_have_count(0)  # data entry: no submitting
    page.get_by_test_id("save-draft").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("self-report-form").locator("textarea").nth(2)).to_have_value(
        re.compile("thử nghiệm e2e")
    )
    screenshot(page, "self-report.png")
    with page.expect_download() as download:
        page.get_by_test_id("self-report-docx").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"
    console.assert_clean()
