"""The results report: written from the data (figures equal to the analytics API's), in the
Party's layout (header texts, fonts and sizes, number and symbol), as DOCX, PDF and XLSX;
a clear "no data" report; bad requests refused; scope on the web page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from antq.accounts.services import token_create
from antq.areas.selectors import area_by_code
from antq.indicators.periods import parse_period
from antq.reports.results import FIGURES, ReportError, results_report
from antq.reports.writers import write
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
END_2022 = dt.date(2022, 12, 31)


def _report(doc, code="20", start="2019", end="2022"):
    return results_report(
        document=doc,
        area=area_by_code(code, parse_period(end).end()),
        start=parse_period(start),
        end=parse_period(end),
        issued_on=dt.date(2023, 3, 1),
    )


def test_the_lang_son_report_is_written_from_the_data(demo, client):
    """One test over the whole demo (loading it takes most of the time): the figures, the
    DOCX, the PDF and XLSX, the web page, the no-data report and bad requests."""
    report = _report(demo)
    assert report.has_data
    # every figure equals what the analytics API answers for the same question
    from antq.accounts.models import User

    key = token_create(user=User.objects.get(username="pv05")).key
    for figure in FIGURES:
        body = client.get(
            "/api/v1/analytics/",
            {
                "indicator": figure.code,
                "area": "20",
                "start": "2019",
                "end": "2022",
                "on": "2022-12-31",
            },
            HTTP_AUTHORIZATION=f"Token {key}",
        ).json()
        assert Decimal(str(body["total"])) == report.figures[figure.code], figure.code
    assert report.figures["MEDIA_ITEMS"] == 6512
    assert report.figures["SM_MODELS_ACTIVE"] == 66
    assert report.figures["CASES_CLEARED_BY_TIPS"] == 912
    text = " ".join(getattr(b, "text", "") for b in report.blocks)
    assert "hơn 6.500 tin, bài, ảnh, phóng sự" in text
    assert "66 mô hình" in text
    assert "hơn 900 vụ phạm pháp hình sự, với hơn 1.000 đối tượng" in text
    assert "4,5 tỷ đồng (Bốn tỷ năm trăm triệu đồng)" in text
    assert "Kế hoạch số 100-KH/TU" in text
    table = report.annex[0]
    assert len(table.rows) == 11  # the 11 districts and city of 2022
    assert table.total[1] == "6.512"
    letterhead = report.letterhead
    assert (letterhead.layout, letterhead.superior, letterhead.issuer) == (
        "party",
        "ĐẢNG BỘ TỈNH LẠNG SƠN",
        "TỈNH ỦY",
    )
    assert letterhead.number_symbol.startswith("Số") and letterhead.number_symbol.endswith("-BC/TU")
    assert letterhead.place_date == "Lạng Sơn, ngày 01 tháng 3 năm 2023"
    assert report.subject.startswith("Kết quả thực hiện Kết luận số 44-KL/TW, ngày 22/01/2019")
    assert report.subject.endswith("giai đoạn 2019 - 2022")
    _check_docx(report)
    _check_pdf_and_xlsx(report)
    _check_web_page(demo)
    _check_no_data_and_bad_requests(demo)


def _check_docx(report):
    from docx import Document as read_docx

    doc = read_docx(io.BytesIO(write(report, "docx")))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    head = doc.tables[0].rows[0].cells
    left = [p.text for p in head[0].paragraphs]
    right = [p for p in head[1].paragraphs if p.text]
    assert left == ["ĐẢNG BỘ TỈNH LẠNG SƠN", "TỈNH ỦY", "*", report.letterhead.number_symbol]
    motto = right[0].runs[0]
    assert right[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert motto.bold and motto.underline and motto.font.size.pt == 15
    assert right[-1].runs[0].italic and right[-1].text.startswith("Lạng Sơn, ngày")
    assert head[0].paragraphs[1].runs[0].bold  # the issuing body in bold
    title = next(p for p in doc.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.runs[0].font.size.pt == 16
    body = next(p for p in doc.paragraphs if "hơn 6.500 tin, bài" in p.text)
    assert body.runs[0].font.size.pt == 14
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text}
    assert fonts == {"Times New Roman"}
    figures = doc.tables[1]
    assert figures.rows[0].cells[1].text == "Tin, bài, ảnh, phóng sự"
    assert figures.rows[-1].cells[0].text == "Tổng cộng"
    assert figures.rows[-1].cells[1].text == "6.512"
    closing = doc.tables[-1].rows[0].cells
    assert closing[0].paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in closing[1].paragraphs][:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert len(doc.inline_shapes) == 1  # the chart


def _check_pdf_and_xlsx(report):
    pdf = write(report, "pdf")
    assert pdf.startswith(b"%PDF")
    # Liberation Serif (regular, bold, italic) embedded, not merely named
    assert b"+LiberationSerif-Bold" in pdf and b"+LiberationSerif-Italic" in pdf
    assert pdf.count(b"/FontFile2") >= 3
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(write(report, "xlsx")))
    ws = wb.worksheets[0]
    assert ws.cell(4, 1).value == "Đơn vị"
    totals = [ws.cell(ws.max_row, j).value for j in range(1, ws.max_column + 1)]
    assert totals[0] == "Tổng cộng" and totals[1] == 6512


def _check_no_data_and_bad_requests(demo):
    _check_no_data(demo)
    _check_bad_requests(demo)


def _check_no_data(demo):
    report = _report(demo, code="01")  # Hà Nội: nothing reported in the demo
    assert not report.has_data and not report.annex
    text = " ".join(getattr(b, "text", "") for b in report.blocks)
    assert "Không có số liệu" in text
    assert "0 tin" not in text and "hơn" not in text
    assert write(report, "pdf").startswith(b"%PDF")
    assert write(report, "docx")[:2] == b"PK"


def _check_bad_requests(demo):
    import tempfile
    from pathlib import Path

    tmp_path = Path(tempfile.mkdtemp())
    with pytest.raises(ReportError, match="trước kỳ bắt đầu"):
        _report(demo, start="2022", end="2019")
    with pytest.raises(ReportError, match="không tồn tại"):
        results_report(
            document=demo,
            area=area_by_code("182", END_2022),  # Văn Lãng district, gone by 2026
            start=parse_period("2026"),
            end=parse_period("2026"),
        )
    out = tmp_path / "bc.docx"
    for argv, message in (
        (["--document", "99-XX/TW", "--area", "20"], "Không có văn bản"),
        (["--document", "44-KL/TW", "--area", "99999"], "Không có đơn vị"),
        (
            ["--document", "44-KL/TW", "--area", "182", "--start", "2026", "--end", "2026"],
            "không thuộc đơn vị",
        ),
        (["--document", "44-KL/TW", "--area", "20", "--start", "20X9"], "Kỳ không hợp lệ"),
    ):
        defaults = {"--start": "2019", "--end": "2022"}
        args = list(argv)
        for flag, value in defaults.items():
            if flag not in args:
                args += [flag, value]
        with pytest.raises(CommandError, match=message):
            call_command("report", "results", *args, "--out", str(out))
    assert not out.exists()
    call_command(
        "report",
        "results",
        "--document",
        "44-KL/TW",
        "--area",
        "20",
        "--start",
        "2019",
        "--end",
        "2022",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF")


def _check_web_page(demo):
    from antq.accounts.models import User
    from antq.accounts.services import password_change

    for name in ("pv05", "nasam"):
        password_change(user=User.objects.get(username=name), new_password=PASSWORD)
    c = Client()
    c.login(username="pv05", password=PASSWORD)
    page = c.get(f"/reports/results/?document={demo.pk}")
    assert page.status_code == 200 and "44-KL/TW" in page.content.decode()
    params = {"document": demo.pk, "area": "20", "start": "2019", "end": "2022"}
    r = c.get("/reports/results/", {**params, "format": "docx"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.docx"')
    assert r.content[:2] == b"PK"
    r = c.get("/reports/results/", {**params, "format": "pdf", "end": "20X2"})
    assert r.status_code == 400
    officer = Client()
    officer.login(username="nasam", password=PASSWORD)  # a commune's officer
    r = officer.get("/reports/results/", {**params, "format": "pdf"})
    assert r.status_code == 403 and "ngoài phạm vi" in r.content.decode()
    assert Client().get("/reports/results/").status_code == 302
