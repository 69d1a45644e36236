"""In the browser: a commune official registers a self-management model; the count of models
in operation on the results page goes up at once, and its drill-down lists the new model."""

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
NAME = "Mô hình “Camera an ninh” thôn Thử Nghiệm"


def _total(page: Page) -> int:
    return int(page.get_by_test_id("dashboard-total").inner_text().replace(".", ""))


def test_a_registered_model_is_counted_at_once_and_found_by_drilling_down(
    page: Page, console, screenshot
):
    today = dt.date.today()
    year = str(today.year)
    results = f"/data/results/?indicator=SM_MODELS_ACTIVE&area=06124&start={year}&end={year}"
    log_in(page, "nasam", DEMO_PASSWORD)
    page.goto(results)
    before = _total(page)

    page.goto("/registries/models/new/")
    form = page.get_by_test_id("record-form")
    form.locator("#id_name").fill(NAME)
    form.locator("#id_type").select_option(index=1)
    form.locator("#id_area_code").fill("06124")
    form.locator("#id_place").fill("thôn Thử Nghiệm")
    form.locator("#id_founded_on").fill(today.strftime("%d/%m/%Y"))
    form.locator("#id_members").fill("14")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Thử Nghiệm")
    screenshot(page, "grassroots-model.png")

    page.goto(results)
    assert _total(page) == before + 1
    page.get_by_test_id("behind-total").click()
    expect(page.get_by_test_id("behind-count")).to_have_text(str(before + 1))
    records = page.get_by_test_id("behind-records")
    expect(records).to_contain_text(NAME)
    screenshot(page, "grassroots-drill-down.png")
    records.get_by_role("link", name=re.compile("Thử Nghiệm")).click()
    expect(page.locator("h1")).to_contain_text("Thử Nghiệm")

    # The seed's 66 models of 2022, counted from the registry, and the province's registry list.
    page.context.clear_cookies()
    log_in(page, "pv05", DEMO_PASSWORD)
    page.goto("/data/results/?indicator=SM_MODELS_ACTIVE&area=20&start=2022&end=2022")
    expect(page.get_by_test_id("dashboard-total")).to_have_text("66")
    page.goto("/registries/models/?area=20")
    screenshot(page, "grassroots-models.png")
    console.assert_clean()
