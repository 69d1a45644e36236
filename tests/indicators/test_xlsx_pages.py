"""The Excel template, its upload and the results download, through the pages."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from antq.indicators.models import DataValue
from antq.indicators.services import ValueInput, catalogue_install, data_sets_install, values_save

pytestmark = pytest.mark.django_db
DS = "phong-trao-hang-thang"


@pytest.fixture
def ready(people):
    catalogue_install()
    data_sets_install()
    return people


def download(client, **params):
    return client.get("/data/template.xlsx", {"ds": DS, **params})


def test_an_official_downloads_fills_and_uploads_the_template(client, ready):
    client.force_login(ready.official)
    response = download(client, area="06124", start="202601", end="202601")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Số liệu"]
    header = [c.value for c in sheet[7]]
    assert header[:7] == [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Mã địa bàn",
        "Tên địa bàn",
        "Kỳ",
        "Giá trị",
        "Ghi chú",
    ]
    row = next(r for r in sheet.iter_rows(min_row=8) if r[0].value == "MEDIA_ITEMS")
    row[5].value = 12
    out = io.BytesIO()
    book.save(out)
    result = client.post(
        "/data/import/",
        {"ds": DS, "file": SimpleUploadedFile("bieu.xlsx", out.getvalue())},
        HTTP_HX_REQUEST="true",
    )
    assert result.status_code == 200 and 'data-testid="import-done"' in result.content.decode()
    assert DataValue.objects.get(indicator__code="MEDIA_ITEMS", period="202601").value == 12


def test_a_bad_upload_lists_located_problems_and_saves_nothing(client, ready):
    client.force_login(ready.official)
    book = openpyxl.load_workbook(
        io.BytesIO(download(client, area="06124", start="202601", end="202601").content)
    )
    sheet = book["Số liệu"]
    row = next(r for r in sheet.iter_rows(min_row=8) if r[0].value == "MEDIA_ITEMS")
    row[5].value = "mười"
    out = io.BytesIO()
    book.save(out)
    result = client.post(
        "/data/import/", {"ds": DS, "file": SimpleUploadedFile("bieu.xlsx", out.getvalue())}
    )
    html = result.content.decode()
    assert result.status_code == 400 and f"Số liệu!F{row[5].row}" in html
    fake = client.post(
        "/data/import/", {"ds": DS, "file": SimpleUploadedFile("bieu.xlsx", b"%PDF-1.4 not excel")}
    )
    assert fake.status_code == 400 and 'data-testid="import-problems"' in fake.content.decode()
    assert not DataValue.objects.exists()


def test_templates_and_uploads_stay_within_scope(client, ready):
    client.force_login(ready.official)
    assert download(client, area="06172", start="202601", end="202601").status_code == 404
    book = openpyxl.load_workbook(
        io.BytesIO(download(client, area="06124", start="202601", end="202601").content)
    )
    sheet = book["Số liệu"]
    row = next(r for r in sheet.iter_rows(min_row=8) if r[0].value == "MEDIA_ITEMS")
    row[2].value = "06172"  # another commune's code typed in
    row[5].value = 3
    out = io.BytesIO()
    book.save(out)
    result = client.post(
        "/data/import/", {"ds": DS, "file": SimpleUploadedFile("bieu.xlsx", out.getvalue())}
    )
    assert result.status_code == 400 and not DataValue.objects.exists()


def test_the_results_download_holds_the_numbers(client, ready):
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06157", "201903", 5),
            ValueInput("MEDIA_ITEMS", "06172", "202206", 10),
        ],
        actor=None,
    )
    client.force_login(ready.manager)
    response = client.get(
        "/data/results.xlsx?indicator=MEDIA_ITEMS&area=20&start=2019&end=2022&mode=current"
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    numbers = [
        c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)
    ]
    assert 15 in numbers
    client.force_login(ready.official)
    assert (
        client.get(
            "/data/results.xlsx?indicator=MEDIA_ITEMS&area=20&start=2019&end=2022"
        ).status_code
        == 403
    )
