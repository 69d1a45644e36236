"""The results report in the API: on the demo, figures equal to the analytics endpoint's and the
report in blocks; the DOCX, PDF and XLSX files; no data is no figures, not zeros; every bad
parameter a 400 in the one error shape; an area out of reach a 403; no credentials refused;
the endpoint in the OpenAPI schema; the web page checking through the same code."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from antq.accounts.services import token_create
from antq.directives.services import document_create
from antq.indicators.services import ValueInput, catalogue_install, values_save
from antq.reports.results import FIGURES
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/results"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get(client, user, path=URL, **params):
    headers = {"HTTP_AUTHORIZATION": f"Token {token_create(user=user).key}"} if user else {}
    accept = params.pop("accept", None)
    if accept:
        headers["HTTP_ACCEPT"] = accept
    return client.get(path, params, **headers)


# -- on the demo ------------------------------------------------------------------------------


def test_on_the_demo_the_figures_are_the_analytics_endpoints_and_the_report_comes_in_blocks(
    demo, client
):
    from antq.accounts.models import User

    pv05 = User.objects.get(username="pv05")  # the provincial police's officer
    params = {"area": "20", "start": "2019", "end": "2022"}
    response = get(client, pv05, document="44-KL/TW", **params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["document"] == {"id": demo.pk, "symbol": "44-KL/TW"}
    assert body["area"] == {"code": "20", "name": "Tỉnh Lạng Sơn"}
    assert (body["start"], body["end"], body["has_data"]) == ("2019", "2022", True)

    assert set(body["figures"]) == {f.code for f in FIGURES}
    for code, value in body["figures"].items():
        analytics = get(
            client, pv05, "/api/v1/analytics/", indicator=code, on="2022-12-31", **params
        ).json()
        # the same number written the same way (an integer when whole)
        assert value is not None and value == analytics["total"], code
        assert type(value) is type(analytics["total"]), code
    assert body["figures"]["MEDIA_ITEMS"] == 6512

    report = body["report"]
    assert report["title"] == "BÁO CÁO"
    assert report["subject"].startswith("Kết quả thực hiện Kết luận số 44-KL/TW")
    assert report["letterhead"]["layout"] == "party"
    assert report["letterhead"]["issuer"] == "TỈNH ỦY"
    assert report["letterhead"]["number_symbol"].endswith("-BC/TU")
    assert report["signature"]["on_behalf"] == "T/M BAN THƯỜNG VỤ"
    assert report["recipients"]
    blocks = report["blocks"]
    assert {b["type"] for b in blocks} == {"heading", "paragraph", "table", "chart"}
    headings = [b["text"] for b in blocks if b["type"] == "heading" and b["level"] == 1]
    assert headings[:2] == [
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
    ]
    assert any("hơn 6.500 tin, bài" in b["text"] for b in blocks if b["type"] == "paragraph")
    table = next(b for b in blocks if b["type"] == "table")
    assert table["columns"][:2] == ["Đơn vị", "Tin, bài, ảnh, phóng sự"]
    assert len(table["rows"]) == 11 and table["total"][:2] == ["Tổng cộng", "6.512"]
    chart = next(b for b in blocks if b["type"] == "chart")
    assert len(chart["bars"]) == 11 and set(chart["bars"][0]) == {"label", "value"}

    # by id, the same report; its file links download the files
    assert get(client, pv05, document=str(demo.pk), **params).json()["figures"] == body["figures"]
    link = body["files"]["docx"]
    assert link.startswith("http://testserver/api/v1/reports/results?")
    assert "format=docx" in link and f"document={demo.pk}" in link
    from docx import Document as read_docx

    docx = get(client, pv05, link.removeprefix("http://testserver"))
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX
    assert "BÁO CÁO" in [p.text for p in read_docx(io.BytesIO(docx.content)).paragraphs]

    # Hà Nội is outside the provincial officer's reach
    response = get(client, pv05, document="44-KL/TW", area="01", start="2019", end="2022")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


# -- on a few values --------------------------------------------------------------------------


@pytest.fixture
def data(people):
    """Na Sầm's figures for August and September 2025; the conclusion seen by every official, a
    plan of Hoàng Văn Thụ's that Na Sầm's officials do not see, and two plans sharing a
    symbol."""
    catalogue_install()
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06124", "202508", 7),
            ValueInput("TIPS_RECEIVED", "06124", "202509", 3),
        ],
        actor=None,
    )
    people.conclusion = document_create(
        actor=None,
        kind="KL",
        symbol="44-KL/TW",
        issuer_name="Ban Bí thư",
        issued_on=dt.date(2019, 1, 22),
        term="XII",
        subject="Về tiếp tục thực hiện Chỉ thị số 09-CT/TW",
    )
    people.hidden = document_create(
        actor=None, kind="KH", symbol="12-KH/UBND", issuer=people.hoang_van_thu
    )
    people.twins = [
        document_create(actor=None, kind="KH", symbol="5-KH/TU", issuer_name=name, issued_on=day)
        for name, day in (("Huyện ủy A", dt.date(2020, 3, 1)), ("Huyện ủy B", dt.date(2021, 3, 1)))
    ]
    return people


def ask(client, data, user=None, **params):
    asked = {"document": str(data.conclusion.pk), "area": "06124", "start": "2025", "end": "2025"}
    return get(client, user or data.official, **{**asked, **params})


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("docx", DOCX), ("pdf", "application/pdf"), ("xlsx", XLSX)]
)
def test_each_format_is_the_report_file(client, data, fmt, content_type):
    response = ask(client, data, user=data.manager, area="20", format=fmt)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-44-KL-TW-20-2025-2025.{fmt}"'
    )
    if fmt == "docx":
        from docx import Document as read_docx

        text = [p.text for p in read_docx(io.BytesIO(response.content)).paragraphs]
        assert "BÁO CÁO" in text
    elif fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert sheet.cell(4, 1).value == "Đơn vị"


def test_the_accept_header_also_asks_for_a_file(client, data):
    response = ask(client, data, accept="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"


def test_a_communes_figures_are_the_analytics_endpoints_and_unreported_ones_null(client, data):
    body = ask(client, data).json()
    assert body["has_data"] is True
    assert body["figures"]["MEDIA_ITEMS"] == 7 and body["figures"]["TIPS_RECEIVED"] == 3
    for code in ("MEDIA_ITEMS", "TIPS_RECEIVED"):
        analytics = get(
            client,
            data.official,
            "/api/v1/analytics/",
            indicator=code,
            area="06124",
            start="2025",
            end="2025",
            on="2025-12-31",
        ).json()
        assert body["figures"][code] == analytics["total"], code
    assert body["figures"]["CASES_CLEARED_BY_TIPS"] is None
    assert not [b for b in body["report"]["blocks"] if b["type"] == "table"]  # no units under it


def test_an_area_and_period_without_data_has_no_figures(client, data):
    response = ask(client, data, start="202510", end="202510")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["has_data"] is False
    assert body["figures"] == {f.code: None for f in FIGURES}
    analytics = get(
        client,
        data.official,
        "/api/v1/analytics/",
        indicator="MEDIA_ITEMS",
        area="06124",
        start="202510",
        end="202510",
        on="2025-10-31",
    ).json()
    assert analytics["total"] == 0  # what the figure would have been passed off as
    blocks = body["report"]["blocks"]
    assert not [b for b in blocks if b["type"] in ("table", "chart")]
    assert any(b["text"].startswith("Không có số liệu") for b in blocks if "text" in b)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"document": "99-XX/TW"}, "document"),
        ({"document": "999999"}, "document"),
        ({"document": "hidden"}, "document"),
        ({"document": "5-KH/TU"}, "document"),
        ({"document": ""}, "document"),
        ({"area": "99999"}, "area"),
        ({"area": "182", "start": "2026", "end": "2026"}, "area"),  # Văn Lãng, gone by 2026
        ({"start": "20X5"}, "start"),
        ({"end": "2025Q5"}, "end"),
        ({"start": "2025", "end": "2024"}, "end"),
        ({"format": "odt"}, "format"),
    ],
)
def test_a_bad_parameter_is_a_400_in_the_one_error_shape(client, data, params, field):
    if params.get("document") == "hidden":
        params["document"] = str(data.hidden.pk)
    response = ask(client, data, **params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == "invalid"
    assert list(error["details"]) == [field]
    assert isinstance(error["details"][field], list) and error["details"][field][0]


def test_twins_are_named_by_their_ids(client, data):
    details = ask(client, data, document="5-KH/TU").json()["error"]["details"]
    for twin in data.twins:
        assert str(twin.pk) in details["document"][0]
    response = ask(client, data, document=str(data.twins[0].pk))
    assert response.status_code == 200 and response.json()["document"]["symbol"] == "5-KH/TU"


def test_every_bad_parameter_is_named_at_once(client, data):
    response = ask(client, data, document="99-XX/TW", area="99999", start="x", end="y")
    assert set(response.json()["error"]["details"]) == {"document", "area", "start", "end"}


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_an_area_outside_reach_is_a_403_in_the_one_error_shape(client, data, fmt):
    response = ask(client, data, area="06172", format=fmt)  # Hoàng Văn Thụ: another commune
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "permission_denied" and list(error["details"]) == ["area"]
    assert ask(client, data, user=data.outsider, area="06172").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "docx", "odt"])
def test_a_caller_without_credentials_is_refused(client, data, fmt):
    response = client.get(
        URL,
        {"document": "44-KL/TW", "area": "06124", "start": "2025", "end": "2025", "format": fmt},
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "document",
        "area",
        "start",
        "end",
        "format",
    }
    content = operation["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Results"}
    assert content["application/pdf"]["schema"]["format"] == "binary"
    assert set(content) == {"application/json", "application/pdf", DOCX, XLSX}
    blocks = schema["components"]["schemas"]["ReportBlock"]["discriminator"]["mapping"]
    assert set(blocks) == {"heading", "paragraph", "table", "chart"}


def test_the_web_page_checks_through_the_same_code(data):
    c = Client()
    c.login(username="official", password=PASSWORD)
    params = {"document": data.conclusion.pk, "area": "06124", "start": "2025", "format": "pdf"}
    r = c.get("/reports/results/", {**params, "end": "2024"})
    assert r.status_code == 400
    assert list(r.context["form"].errors) == ["end"]
    r = c.get("/reports/results/", {**params, "end": "2025", "area": "06172"})
    assert r.status_code == 403 and list(r.context["form"].errors) == ["area"]
    r = c.get("/reports/results/", {**params, "end": "2025"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r["Content-Disposition"].endswith('.pdf"')
