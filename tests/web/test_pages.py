"""The web shell and the area browser pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_tells_the_lang_son_story_in_vietnamese(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "44-KL/TW" in html and "100-KH/TU" in html
    assert 'data-testid="home-districts-before">11<' in html
    assert 'data-testid="home-communes-now">65<' in html


def test_the_english_switch_is_kept_in_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/areas/"})
    assert response.status_code == 302
    html = client.get("/areas/").content.decode()
    assert '<html lang="en">' in html


def test_the_area_browser_shows_63_provinces_before_and_34_after(client):
    before = client.get("/areas/?on=01/01/2025").content.decode()
    assert 'data-testid="count-children">63<' in before
    assert 'data-testid="count-communes">10.051<' in before
    after = client.get("/areas/?on=2025-07-01").content.decode()
    assert 'data-testid="count-children">34<' in after
    assert 'data-testid="count-communes">3.321<' in after


def test_lang_son_in_2022_has_11_districts_and_today_65_communes(client):
    html = client.get("/areas/20/?on=01/01/2022").content.decode()
    assert 'data-testid="count-children">11<' in html
    assert 'data-testid="count-communes">194<' in html
    assert "Huyện Văn Lãng" in html
    today = client.get("/areas/20/").content.decode()
    assert 'data-testid="count-children">65<' in today
    table = today.split('data-testid="children-table"')[1].split("</table>")[0]
    assert "Huyện Văn Lãng" not in table and "Xã Na Sầm" in table


def test_van_lang_in_2022_lists_its_17_communes_and_its_history(client):
    html = client.get("/areas/182/?on=01/01/2022").content.decode()
    assert 'data-testid="count-children">17<' in html
    assert "Thị trấn Na Sầm" in html
    assert 'data-testid="successors"' in html  # district abolished → Tỉnh Lạng Sơn


def test_a_unit_that_no_longer_exists_points_to_its_successors(client):
    response = client.get("/areas/06157/")  # Xã Hoàng Việt, merged into Xã Na Sầm
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="not-on-date"' in html
    assert "Xã Na Sầm" in html


def test_an_area_page_shows_what_it_was_formed_from(client):
    html = client.get("/areas/05977/?on=01/07/2025").content.decode()
    assert "Phường Đông Kinh" in html
    assert 'data-testid="predecessors"' in html
    assert "Phường Vĩnh Trại" in html and "Xã Mai Pha" in html


def test_a_bad_date_is_explained_and_the_page_still_renders(client):
    response = client.get("/areas/20/?on=31/02/2022")
    assert response.status_code == 400
    assert "31/02/2022" in response.content.decode()
    assert "invalid-feedback" in response.content.decode()


def test_htmx_requests_get_only_the_content_block(client):
    response = client.get("/areas/20/?on=01/01/2022", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'data-testid="count-children">11<' in html


def test_the_area_browser_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        client.get("/areas/?on=01/01/2022")
    with django_assert_max_num_queries(14):
        client.get("/areas/20/?on=01/01/2022")


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts_or_styles():
    from pathlib import Path

    import antq

    for path in Path(antq.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text()
        assert "<script>" not in text and "<style" not in text and " style=" not in text, path
        assert "onclick=" not in text and "onchange=" not in text, path


def test_an_unknown_page_is_a_vietnamese_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="vi">' in response.content.decode()


def test_the_bodies_page_needs_a_login(client, people):
    assert client.get("/bodies/").status_code == 302
    client.force_login(people.official)
    html = client.get("/bodies/").content.decode()
    assert "Công an xã Na Sầm" in html


def test_static_assets_are_vendored():
    from django.contrib.staticfiles import finders

    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js", "antq/app.css"):
        assert finders.find(name), name


def test_the_bodies_page_can_include_ended_bodies(client, people):
    from antq.accounts.models import BodyKind
    from antq.accounts.services import body_save
    from tests.conftest import BEFORE, area

    body_save(
        code="t-huyen-uy",
        name="Huyện ủy Văn Lãng",
        kind=BodyKind.PARTY_COMMITTEE,
        area=area("182", BEFORE),
        valid_to=BEFORE.replace(year=2025, month=6, day=30),
    )
    client.force_login(people.official)
    assert "Huyện ủy Văn Lãng" not in client.get("/bodies/").content.decode()
    assert "Huyện ủy Văn Lãng" in client.get("/bodies/?all=1").content.decode()
