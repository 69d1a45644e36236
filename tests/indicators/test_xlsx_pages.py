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


def filled_template(client, start="202501", end="202512", area="20"):
    """The province's template (every commune, indicator and month), every value filled."""
    book = openpyxl.load_workbook(
        io.BytesIO(download(client, area=area, start=start, end=end).content)
    )
    sheet = book["Số liệu"]
    rows = 0
    for row in sheet.iter_rows(min_row=8):
        if row[0].value in ("MEDIA_ITEMS", "TIPS_RECEIVED"):
            row[5].value = 1
            rows += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), rows


def test_an_import_reports_its_progress_and_its_page_belongs_to_its_uploader(client, ready):
    from django.contrib.auth import get_user_model

    from antq.indicators import xlsx
    from antq.indicators.models import DataSet, ImportJob

    manager = ready.manager
    client.force_login(manager)
    data, rows = filled_template(client, start="202401", end="202403")
    assert rows > 400
    heard = []
    counts = xlsx.import_workbook(
        data,
        "bieu.xlsx",
        manager,
        data_set=DataSet.objects.get(code=DS),
        progress=lambda done, total, stage: heard.append((done, total, stage)),
    )
    assert counts["created"] == rows
    reads = [h for h in heard if h[2] == "read"]
    assert len(reads) >= 2 and reads == sorted(reads) and all(d <= t for d, t, _s in reads)
    assert heard[-1] == (rows, rows, "save")

    response = client.post(
        "/data/import/", {"ds": DS, "file": SimpleUploadedFile("bieu.xlsx", data)}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 200 and 'data-testid="import-done"' in response.content.decode()
    assert (job.status, job.user, job.counts["unchanged"]) == ("done", manager, rows)
    page = client.get(f"/data/import/{job.pk}/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and 'data-testid="import-done"' in page.content.decode()
    other = get_user_model().objects.exclude(pk=manager.pk).first()
    client.force_login(other)
    assert client.get(f"/data/import/{job.pk}/").status_code == 404


def test_an_import_the_server_dropped_is_reported_as_interrupted(client, ready):
    import datetime as dt

    from django.utils import timezone

    from antq.indicators.models import DataSet, ImportJob

    client.force_login(ready.official)
    job = ImportJob.objects.create(
        user=ready.official, data_set=DataSet.objects.get(code=DS), filename="bieu.xlsx"
    )
    job.done, job.total = 400, 1000
    job.save()
    running = client.get(f"/data/import/{job.pk}/")
    html = running.content.decode()
    assert running.status_code == 200 and 'data-testid="import-running"' in html
    assert 'http-equiv="refresh"' in html and 'value="40"' in html  # 40 %, refreshed
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    dropped = client.get(f"/data/import/{job.pk}/", HTTP_HX_REQUEST="true")
    assert dropped.status_code == 400 and "bị gián đoạn" in dropped.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == "failed"
