"""What an official sees in the browser: logging in, the language switch, and the map of
administrative units on any date (Lạng Sơn before and after the 1/7/2025 reform).

Every test also checks the console stays clean: the app's Content-Security-Policy forbids
inline scripts and styles, and a violation shows up there as an error.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the browser_available fixture skips these tests (fails them under CI)
    Page = Any
    expect = None

DEMO_PASSWORD = "antq@demo2025"
LANG_SON = "/areas/20/"
VAN_LANG = "/areas/182/"

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def switch_date(page: Page, value: str) -> None:
    date_input = page.get_by_test_id("date-input")
    date_input.fill(value)
    page.get_by_test_id("date-submit").click()


def test_an_official_logs_in_and_switches_the_map_date(page: Page, console, screenshot):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot(page, "login.png")

    log_in(page, "nasam", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.get_by_test_id("user-menu")).to_have_text("Vi Thị Hạnh")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot(page, "home.png")

    # Lạng Sơn on 1/1/2022: 11 district-level units, 194 communes.
    page.goto(LANG_SON)
    switch_date(page, "01/01/2022")
    expect(page.get_by_test_id("count-children")).to_have_text("11")
    expect(page.get_by_test_id("count-communes")).to_have_text("194")
    expect(page.get_by_test_id("date-input")).to_have_value("01/01/2022")
    expect(page).to_have_url(re.compile(r"on=01%2F01%2F2022"))
    table = page.get_by_test_id("children-table")
    expect(table).to_contain_text("Huyện Văn Lãng")
    screenshot(page, "areas-lang-son-2022.png")

    # Down into Huyện Văn Lãng, still on 1/1/2022: its 17 communes.
    table.get_by_role("link", name="Huyện Văn Lãng", exact=True).click()
    expect(page.get_by_test_id("area-title")).to_have_text("Huyện Văn Lãng")
    expect(page.get_by_test_id("count-children")).to_have_text("17")
    expect(page.get_by_test_id("children-table").locator("tbody tr")).to_have_count(17)
    screenshot(page, "area-van-lang-2022.png")

    # Back up to Lạng Sơn (the breadcrumb keeps the date), then the quick button switches to
    # today: 65 communes directly under the province, no districts any more.
    page.locator(".breadcrumb").get_by_role("link", name="Tỉnh Lạng Sơn", exact=True).click()
    expect(page.get_by_test_id("area-title")).to_have_text("Tỉnh Lạng Sơn")
    expect(page.get_by_test_id("count-children")).to_have_text("11")
    expect(page).to_have_url(re.compile(re.escape(LANG_SON) + r"\?on="))
    page.get_by_role("link", name="Hôm nay", exact=True).click()
    expect(page.get_by_test_id("count-children")).to_have_text("65")
    expect(page.get_by_test_id("date-input")).not_to_have_value("01/01/2022")
    expect(page.get_by_test_id("children-table")).not_to_contain_text("Huyện Văn Lãng")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot(page, "areas-lang-son-today.png")

    console.assert_clean()


def test_a_wrong_password_shows_an_error_and_does_not_log_in(page: Page, console):
    # Not `nasam`: failures count towards a lockout, and the first test logs in as nasam.
    log_in(page, "noichinh", "not-the-password")
    error = page.get_by_test_id("login-error")
    expect(error).to_be_visible()
    expect(error).not_to_have_text(re.compile(r"^\s*$"))
    expect(error).to_contain_text("mật khẩu không đúng")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_test_id("user-menu")).to_have_count(0)

    page.goto("/")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    console.assert_clean()


def test_the_english_switch_turns_the_interface_into_english_and_back(page: Page, console):
    page.goto(LANG_SON)
    html = page.locator("html")
    submit = page.get_by_test_id("date-submit")
    expect(html).to_have_attribute("lang", "vi")
    expect(submit).to_have_text("Xem")

    page.get_by_role("button", name="English", exact=True).click()
    expect(html).to_have_attribute("lang", "en")
    expect(submit).to_have_text("Show")
    expect(page).to_have_url(re.compile(re.escape(LANG_SON) + "$"))  # stays on the page
    page.goto("/")  # the choice sticks
    expect(html).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Tiếng Việt", exact=True).click()
    expect(html).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="English", exact=True)).to_be_visible()
    console.assert_clean()


def test_an_invalid_date_in_the_address_shows_an_error_without_crashing(page: Page, console):
    response = page.goto(LANG_SON + "?on=31%2F02%2F2022")
    assert response is not None and response.status == 400
    error = page.locator("#on-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("31/02/2022")
    expect(page.get_by_test_id("date-input")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_test_id("count-children")).to_have_text("65")  # today's map instead
    console.assert_clean()


def test_an_invalid_date_typed_in_the_date_switch_shows_an_error(page: Page, console):
    page.goto(LANG_SON)
    switch_date(page, "31/02/2022")
    error = page.locator("#on-error")
    expect(error).to_be_visible(timeout=3_000)
    expect(error).to_contain_text("31/02/2022")
    expect(page.get_by_test_id("date-input")).to_have_class(re.compile(r"\bis-invalid\b"))
    # The page still works: a valid date can be entered next.
    switch_date(page, "01/01/2022")
    expect(page.get_by_test_id("count-children")).to_have_text("11")
    expect(page.locator("#on-error")).to_have_count(0)
    console.assert_clean()


def test_the_commune_counter_counts_communes_directly_under_a_unit(page: Page, console):
    page.goto(LANG_SON)
    expect(page.get_by_test_id("count-children")).to_have_text("65")
    expect(page.get_by_test_id("count-communes")).to_have_text("65", timeout=2_000)
    page.goto(VAN_LANG + "?on=01%2F01%2F2022")
    expect(page.get_by_test_id("count-communes")).to_have_text("17", timeout=2_000)
    console.assert_clean()


def test_a_district_that_no_longer_exists_points_to_its_successor(page: Page, console):
    response = page.goto(VAN_LANG)
    assert response is not None and response.status == 404
    notice = page.get_by_test_id("not-on-date")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("182")
    expect(page.get_by_role("link", name="Huyện Văn Lãng", exact=True)).to_be_visible()
    successor = page.get_by_role("link", name="Tỉnh Lạng Sơn", exact=True)
    expect(successor).to_be_visible()
    expect(successor).to_have_attribute("href", re.compile(r"^/areas/20/"))

    successor.click()
    expect(page.get_by_test_id("area-title")).to_have_text("Tỉnh Lạng Sơn")
    expect(page.get_by_test_id("count-children")).to_have_text("65")
    console.assert_clean()
