"""In the browser: a commune official enters a value and submits; the provincial approver
approves; the value is on the results page at once."""

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


def last_month() -> str:
    return (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y%m")


def test_a_value_is_entered_submitted_approved_and_seen_on_the_results(
    page: Page, console, screenshot
):
    period = last_month()
    log_in(page, "nasam", DEMO_PASSWORD)
    page.goto(f"/data/?period={period}")
    row = page.get_by_test_id("entry-units").locator("tr", has_text="Xã Na Sầm")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("entry-area")).to_have_text("Xã Na Sầm")
    cell = page.get_by_test_id("cell-MEDIATIONS")
    cell.fill("3")
    cell.press("Tab")  # htmx saves on change, without reloading
    expect(page.get_by_test_id("entry-saved")).to_be_visible()
    screenshot(page, "data-entry.png")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("submission-status")).to_have_text(re.compile("Đã nộp"))
    expect(page.get_by_test_id("cell-MEDIATIONS")).to_be_disabled()

    page.context.clear_cookies()
    log_in(page, "pv05", DEMO_PASSWORD)
    page.goto("/data/approvals/")
    item = page.get_by_test_id("approvals").locator("li", has_text="Xã Na Sầm")
    item.get_by_role("button", name="Duyệt").click()
    expect(page.get_by_test_id("approvals")).not_to_contain_text("Xã Na Sầm")

    page.goto(
        f"/data/results/?indicator=MEDIATIONS&area=20&start={period}&end={period}&mode=current"
    )
    expect(page.get_by_test_id("dashboard-total")).to_have_text("3")
    expect(page.get_by_test_id("dashboard-table")).to_contain_text("Xã Na Sầm")
    page.goto("/data/results/?indicator=MEDIA_ITEMS&area=20&start=2019&end=2022&mode=historic")
    expect(page.get_by_test_id("dashboard-total")).to_have_text("6.512")
    screenshot(page, "results-media-items.png")
    console.assert_clean()


def test_a_filled_template_is_uploaded_and_imported_in_the_background(
    page: Page, console, screenshot
):
    """The server imports in a thread; the page polls the job until it reports the result."""
    import io

    import openpyxl

    log_in(page, "nasam", DEMO_PASSWORD)
    page.goto("/data/?ds=phong-trao-hang-thang")
    template = page.request.get(
        "/data/template.xlsx?ds=phong-trao-hang-thang&area=06124&start=202601&end=202603"
    )
    assert template.ok
    book = openpyxl.load_workbook(io.BytesIO(template.body()))
    sheet = book["Số liệu"]
    filled = 0
    for row in sheet.iter_rows(min_row=8):
        if row[0].value == "MEDIATIONS":
            row[5].value = 4
            filled += 1
    out = io.BytesIO()
    book.save(out)
    form = page.get_by_test_id("import-form")
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "bieu-na-sam.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": out.getvalue(),
            }
        ]
    )
    form.get_by_role("button", name="Nhập số liệu").click()
    done = page.get_by_test_id("import-done")
    expect(done).to_be_visible()
    expect(done).to_contain_text(f"Đã nhập {filled} số liệu")
    screenshot(page, "data-import.png")
    page.goto("/data/results/?indicator=MEDIATIONS&area=06124&start=202601&end=202603")
    expect(page.get_by_test_id("dashboard-total")).to_have_text(str(4 * filled))
    console.assert_clean()
