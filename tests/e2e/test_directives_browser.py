"""In the browser: from Conclusion 44-KL/TW down to a district's progress report."""

from __future__ import annotations

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


def test_an_official_walks_from_44_kl_tw_down_to_a_districts_progress_report(
    page: Page, console, screenshot
):
    log_in(page, "vanphong", DEMO_PASSWORD)
    page.goto("/documents/?q=44-KL/TW")
    page.get_by_test_id("documents-table").get_by_role("link", name="44-KL/TW", exact=True).click()
    expect(page.get_by_test_id("document-title")).to_contain_text("44-KL/TW")
    lineage = page.get_by_test_id("lineage")
    expect(lineage.get_by_role("link", name="09-CT/TW")).to_be_visible()
    district_plans = lineage.get_by_role("link", name=re.compile(r"-KH\/(?:HU|ThU|THU)$"))
    expect(district_plans).to_have_count(11)
    screenshot(page, "document-44-kl-tw.png")

    lineage.get_by_role("link", name="100-KH/TU", exact=True).click()
    expect(page.get_by_test_id("document-title")).to_contain_text("100-KH/TU")
    page.get_by_test_id("plan-dashboard-link").click()
    expect(page.get_by_test_id("plan-table")).to_be_visible()
    screenshot(page, "plan-100-kh-tu.png")

    row = page.get_by_test_id("plan-table").locator("tr", has_text="Huyện ủy Văn Lãng")
    row.locator("summary").click()
    row.get_by_role("link", name=re.compile("Xây dựng kế hoạch thực hiện")).click()
    expect(page.get_by_test_id("assignment-title")).to_contain_text("Xây dựng kế hoạch thực hiện")
    reports = page.get_by_test_id("reports")
    expect(reports).to_contain_text("Đã ban hành kế hoạch thực hiện")
    evidence = reports.get_by_role("link", name=re.compile(r"-KH\/HU"))
    expect(evidence).to_be_visible()
    # A provincial manager may read the district's report but only the district reports.
    expect(page.get_by_test_id("report-form")).to_have_count(0)

    evidence.click()
    expect(page.get_by_test_id("document-title")).to_contain_text("-KH/HU")
    expect(
        page.get_by_test_id("lineage").get_by_role("link", name="100-KH/TU", exact=True)
    ).to_be_visible()
    console.assert_clean()
