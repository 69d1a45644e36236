"""The registries' pages: lists, records, forms (errors on the fields, nothing saved), scope
(404 outside it, 403 without the right), the XLSX downloads and the media import."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from antq.grassroots import services
from antq.grassroots.models import (
    MediaItem,
    ModelType,
    MovementEvent,
    SecurityTeam,
    SelfManagementModel,
    StatusChange,
    TeamMember,
)
from tests.conftest import area

pytestmark = pytest.mark.django_db

NA_SAM, HVT = "06124", "06172"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (20, 120, 40)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def _model(code: str, name: str, founded=dt.date(2025, 8, 1)) -> SelfManagementModel:
    return services.model_save(
        actor=None,
        data={
            "name": name,
            "type": ModelType.objects.get(code="to-an-ninh-tu-quan"),
            "area": area(code),
            "place": "thôn Nà Pàn",
            "founded_on": founded,
            "members": 12,
        },
    )


@pytest.fixture
def records(people):
    from antq.indicators.services import catalogue_install

    catalogue_install()
    services.registries_install()
    mine = _model(NA_SAM, "Tổ an ninh tự quản thôn Nà Pàn")
    theirs = _model(HVT, "Tổ an ninh tự quản khối 5")
    team = services.team_save(
        actor=None,
        data={
            "name": "Tổ bảo vệ an ninh, trật tự thôn Nà Pàn",
            "area": area(NA_SAM),
            "place": "thôn Nà Pàn",
            "decision_number": "12/QĐ-UBND",
            "decision_date": dt.date(2025, 8, 1),
            "established_on": dt.date(2025, 8, 1),
        },
    )
    member = services.member_save(
        actor=None,
        team=team,
        data={
            "full_name": "Hoàng Văn An",
            "role": "to_truong",
            "birth_date": dt.date(1970, 5, 17),
            "joined_on": dt.date(2025, 8, 1),
        },
    )
    their_team = services.team_save(
        actor=None,
        data={
            "name": "Tổ bảo vệ an ninh, trật tự khối 5",
            "area": area(HVT),
            "place": "khối 5",
            "decision_number": "7/QĐ-UBND",
            "decision_date": dt.date(2025, 8, 1),
            "established_on": dt.date(2025, 8, 1),
        },
    )
    media = {
        code: services.media_save(
            actor=None,
            data={
                "title": f"Tuyên truyền phòng, chống tội phạm ({code})",
                "kind": "bai",
                "outlet": "Báo Lạng Sơn",
                "outlet_level": "local",
                "published_on": dt.date(2026, 3, 5),
                "area": area(code),
                "link": "",
            },
        )
        for code in (NA_SAM, HVT)
    }
    events = {
        code: services.event_save(
            actor=None,
            data={
                "kind": "ngay_hoi",
                "title": f"Ngày hội toàn dân bảo vệ an ninh Tổ quốc ({code})",
                "held_on": dt.date(2026, 8, 19),
                "area": area(code),
                "participants": 450,
            },
        )
        for code in (NA_SAM, HVT)
    }
    return {
        "people": people,
        "model": mine,
        "their_model": theirs,
        "team": team,
        "member": member,
        "their_team": their_team,
        "media": media[NA_SAM],
        "their_media": media[HVT],
        "event": events[NA_SAM],
        "their_event": events[HVT],
    }


def _urls(r) -> list[str]:
    m, t, i, e = r["model"].pk, r["team"].pk, r["media"].pk, r["event"].pk
    return [
        "/registries/",
        "/registries/models/",
        "/registries/models/new/",
        f"/registries/models/{m}/",
        f"/registries/models/{m}/edit/",
        "/registries/teams/",
        "/registries/teams/new/",
        f"/registries/teams/{t}/",
        f"/registries/teams/{t}/edit/",
        f"/registries/teams/{t}/members/new/",
        f"/registries/members/{r['member'].pk}/edit/",
        "/registries/media/",
        "/registries/media/new/",
        f"/registries/media/{i}/",
        f"/registries/media/{i}/edit/",
        "/registries/media/import/",
        "/registries/events/",
        "/registries/events/new/",
        f"/registries/events/{e}/",
        f"/registries/events/{e}/edit/",
    ]


def test_every_page_renders_for_the_official_in_vietnamese(client, records):
    client.force_login(records["people"].official)
    for url in _urls(records):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert response["Content-Language"] == "vi", url
        assert '<html lang="vi">' in html and "Chỉ tiêu, số liệu" in html, url
    assert "Tổ an ninh tự quản thôn Nà Pàn" in client.get("/registries/models/").content.decode()
    team_page = client.get(f"/registries/teams/{records['team'].pk}/").content.decode()
    assert "Hoàng Văn An" in team_page and "17/05/1970" in team_page


def test_the_overview_counts_only_what_the_user_sees(client, records):
    client.force_login(records["people"].official)
    html = client.get("/registries/").content.decode()
    assert 'data-testid="count-models-operating">1<' in html
    assert 'data-testid="count-teams">1<' in html and 'data-testid="count-members">1<' in html
    assert 'data-testid="count-media">1<' in html and 'data-testid="count-events">1<' in html
    client.force_login(records["people"].manager)
    html = client.get("/registries/").content.decode()
    assert 'data-testid="count-models-operating">2<' in html
    assert 'data-testid="count-media">2<' in html


def test_anonymous_users_are_sent_to_log_in(client, records):
    for url in [*_urls(records), "/registries/models.xlsx", "/registries/media/template.xlsx"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), url


def _model_form(**overrides) -> dict:
    data = {
        "name": "Câu lạc bộ phòng, chống tội phạm thôn Khuổi Mò",
        "type": ModelType.objects.get(code="cau-lac-bo").pk,
        "area_code": NA_SAM,
        "place": "thôn Khuổi Mò",
        "founded_on": "15/09/2025",
        "members": "21",
        "host_body": "",
        "replicated_from": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_an_official_registers_a_model_and_finds_it_in_the_list(client, records):
    client.force_login(records["people"].official)
    source = records["model"]
    response = client.post("/registries/models/new/", _model_form(replicated_from=source.pk))
    model = SelfManagementModel.objects.get(name__startswith="Câu lạc bộ")
    assert response.status_code == 302 and response["Location"] == f"/registries/models/{model.pk}/"
    assert model.area == area(NA_SAM) and model.members == 21 and model.replicated_from == source
    assert model.founded_on == dt.date(2025, 9, 15)
    assert "Câu lạc bộ phòng, chống tội phạm thôn Khuổi Mò" in (
        client.get("/registries/models/?q=Khuổi").content.decode()
    )
    detail = client.get(f"/registries/models/{model.pk}/").content.decode()
    assert "Câu lạc bộ phòng, chống tội phạm" in detail and "15/09/2025" in detail
    source_page = client.get(f"/registries/models/{source.pk}/").content.decode()
    assert f'href="/registries/models/{model.pk}/"' in source_page  # listed among its replicas


def test_a_model_form_with_a_bad_area_code_says_so_on_the_field(client, records):
    client.force_login(records["people"].official)
    before = SelfManagementModel.objects.count()
    response = client.post("/registries/models/new/", _model_form(area_code="99999", name=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-area_code"' in html and "99999" in html
    assert SelfManagementModel.objects.count() == before


def test_a_model_cannot_be_dissolved_before_it_was_founded(client, records):
    client.force_login(records["people"].official)
    model = records["model"]
    response = client.post(
        f"/registries/models/{model.pk}/status/",
        {"status": "dissolved", "since": "01/07/2025", "note": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-since"' in html and "01/08/2025" in html
    assert not StatusChange.objects.filter(model=model).exists()
    response = client.post(
        f"/registries/models/{model.pk}/status/",
        {"status": "dissolved", "since": "01/10/2025", "note": "sáp nhập thôn"},
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.status == "dissolved"


def test_an_assessment_and_a_photo_show_on_the_model(client, records, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(records["people"].official)
    model = records["model"]
    url = f"/registries/models/{model.pk}/"
    assert (
        client.post(url + "assess/", {"year": "2026", "rating": "tot", "notes": ""}).status_code
        == 302
    )
    photo = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    assert client.post(url + "attach/", {"file": photo, "title": "Họp tổ"}).status_code == 302
    fake = SimpleUploadedFile("anh.png", b"<html>", content_type="image/png")
    response = client.post(url + "attach/", {"file": fake, "title": ""})
    assert response.status_code == 400 and 'data-testid="error-file"' in response.content.decode()
    attachment = model.attachments.get()
    html = client.get(url).content.decode()
    assert "2026" in html and f'src="/registries/attachments/{attachment.pk}/"' in html
    download = client.get(f"/registries/attachments/{attachment.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    client.force_login(records["people"].outsider)
    assert client.get(f"/registries/attachments/{attachment.pk}/").status_code == 404


def test_deleting_a_model_needs_a_reason(client, records):
    client.force_login(records["people"].official)
    model = records["model"]
    response = client.post(f"/registries/models/{model.pk}/delete/", {"reason": " "})
    assert response.status_code == 400 and 'data-testid="error-reason"' in response.content.decode()
    assert SelfManagementModel.objects.filter(pk=model.pk).exists()
    response = client.post(f"/registries/models/{model.pk}/delete/", {"reason": "nhập trùng"})
    assert response.status_code == 302 and response["Location"] == "/registries/models/"
    assert not SelfManagementModel.objects.filter(pk=model.pk).exists()


def test_a_member_outside_18_to_70_is_refused(client, records):
    client.force_login(records["people"].official)
    team = records["team"]
    response = client.post(
        f"/registries/teams/{team.pk}/members/new/",
        {
            "full_name": "Nông Thị Mai",
            "role": "to_vien",
            "birth_date": "01/01/2010",
            "joined_on": "01/09/2025",
            "left_on": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-birth_date"' in html
    assert "Nông Thị Mai" in html  # the form keeps what was typed
    assert not TeamMember.objects.filter(full_name="Nông Thị Mai").exists()
    response = client.post(
        f"/registries/teams/{team.pk}/members/new/",
        {
            "full_name": "Nông Thị Mai",
            "role": "to_vien",
            "birth_date": "01/01/1990",
            "joined_on": "01/09/2025",
            "left_on": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/registries/teams/{team.pk}/"
    assert TeamMember.objects.filter(team=team, full_name="Nông Thị Mai").exists()


def test_birth_dates_are_shown_only_to_those_who_may_enter(client, records):
    client.force_login(records["people"].colleague)  # a viewer of the same commune
    html = client.get(f"/registries/teams/{records['team'].pk}/").content.decode()
    assert "Hoàng Văn An" in html and "17/05/1970" not in html
    assert 'data-testid="member-form"' not in html


def test_a_media_item_dated_in_the_future_is_refused(client, records):
    client.force_login(records["people"].official)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = MediaItem.objects.count()
    response = client.post(
        "/registries/media/new/",
        {
            "title": "Bài viết chưa đăng",
            "kind": "bai",
            "outlet": "Báo Lạng Sơn",
            "outlet_level": "local",
            "published_on": tomorrow.strftime("%d/%m/%Y"),
            "area_code": NA_SAM,
            "link": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-published_on"' in html
    assert tomorrow.strftime("%d/%m/%Y") in html
    assert MediaItem.objects.count() == before


def test_counts_too_large_for_the_database_are_refused_on_the_field(client, records):
    client.force_login(records["people"].official)
    response = client.post("/registries/models/new/", _model_form(members="99999999999"))
    assert response.status_code == 400
    assert 'data-testid="error-members"' in response.content.decode()
    event = {"kind": "meeting", "title": "Họp", "held_on": "10/10/2025", "area_code": NA_SAM}
    response = client.post("/registries/events/new/", {**event, "participants": "99999999999"})
    assert response.status_code == 400
    assert 'data-testid="error-participants"' in response.content.decode()


def test_an_event_is_registered_and_edited(client, records):
    client.force_login(records["people"].official)
    data = {
        "kind": "meeting",
        "title": "Họp dân thôn Nà Pàn",
        "held_on": "10/10/2026",
        "area_code": NA_SAM,
        "participants": "85",
        "notes": "",
    }
    response = client.post("/registries/events/new/", data)
    event = MovementEvent.objects.get(title="Họp dân thôn Nà Pàn")
    assert response.status_code == 302 and event.participants == 85
    response = client.post(f"/registries/events/{event.pk}/edit/", {**data, "participants": "90"})
    event.refresh_from_db()
    assert response.status_code == 302 and event.participants == 90


def test_the_outsider_gets_404_on_another_communes_records(client, records):
    client.force_login(records["people"].outsider)
    r = records
    for url in (
        f"/registries/models/{r['model'].pk}/",
        f"/registries/models/{r['model'].pk}/edit/",
        f"/registries/teams/{r['team'].pk}/",
        f"/registries/teams/{r['team'].pk}/members/new/",
        f"/registries/members/{r['member'].pk}/edit/",
        f"/registries/media/{r['media'].pk}/",
        f"/registries/events/{r['event'].pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/registries/models/{r['model'].pk}/status/", {"status": "paused", "since": "01/10/2025"}
    )
    assert response.status_code == 404
    assert client.get(f"/registries/models/{r['their_model'].pk}/").status_code == 200
    assert (
        "Tổ an ninh tự quản thôn Nà Pàn" not in client.get("/registries/models/").content.decode()
    )


def test_writes_without_the_right_are_forbidden(client, records):
    people, r = records["people"], records
    client.force_login(people.outsider)  # enters data, but for another commune
    before = SelfManagementModel.objects.count()
    assert client.post("/registries/models/new/", _model_form()).status_code == 403
    assert SelfManagementModel.objects.count() == before
    media = {
        "title": "Tin ngoài địa bàn",
        "kind": "tin",
        "outlet": "Báo Lạng Sơn",
        "outlet_level": "local",
        "published_on": "05/03/2026",
        "area_code": NA_SAM,
        "link": "",
    }
    assert client.post("/registries/media/new/", media).status_code == 403
    assert not MediaItem.objects.filter(title="Tin ngoài địa bàn").exists()
    client.force_login(people.colleague)  # sees the commune's records, enters nothing
    assert client.get("/registries/models/new/").status_code == 403
    assert client.get(f"/registries/models/{r['model'].pk}/edit/").status_code == 403
    for url, data in (
        (
            f"/registries/models/{r['model'].pk}/status/",
            {"status": "paused", "since": "01/10/2025"},
        ),
        (f"/registries/models/{r['model'].pk}/delete/", {"reason": "thử"}),
        (f"/registries/media/{r['media'].pk}/delete/", {"reason": "thử"}),
        (f"/registries/events/{r['event'].pk}/delete/", {"reason": "thử"}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert SelfManagementModel.objects.filter(pk=r["model"].pk, status="operating").exists()
    assert MediaItem.objects.filter(pk=r["media"].pk).exists()


def test_the_list_drills_down_by_area(client, records):
    client.force_login(records["people"].manager)
    html = client.get("/registries/models/").content.decode()
    assert "Tổ an ninh tự quản thôn Nà Pàn" in html and "Tổ an ninh tự quản khối 5" in html
    html = client.get(f"/registries/models/?area={NA_SAM}").content.decode()
    assert "Tổ an ninh tự quản thôn Nà Pàn" in html and "Tổ an ninh tự quản khối 5" not in html
    assert 'href="?area=20"' in html  # widen to the province
    html = client.get("/registries/models/?area=20").content.decode()
    assert f'href="?area={NA_SAM}"' in html  # narrow to a commune
    response = client.get("/registries/models/?area=99999")
    assert response.status_code == 400 and 'data-testid="error-area"' in response.content.decode()
    response = client.get("/registries/media/?date_from=31/02/2026")
    assert response.status_code == 400 and 'data-testid="error-date_from"' in (
        response.content.decode()
    )


def _sheet_rows(content: bytes) -> list[tuple]:
    from antq.grassroots.xlsx import HEADER_ROW

    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    return [row for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if row[0]]


def test_the_xlsx_downloads_have_the_filtered_rows(client, records):
    client.force_login(records["people"].manager)
    response = client.get(f"/registries/models.xlsx?area={NA_SAM}")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f"antq-mo-hinh-{timezone.localdate():%Y%m%d}.xlsx" in response["Content-Disposition"]
    rows = _sheet_rows(response.content)
    assert [r[1] for r in rows] == ["Tổ an ninh tự quản thôn Nà Pàn"]
    assert rows[0][6] == dt.datetime(2025, 8, 1) and rows[0][8] == "Đang hoạt động"
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(row=5, column=2).value == "Tên mô hình"
    rows = _sheet_rows(client.get("/registries/media.xlsx?kind=bai").content)
    assert len(rows) == 2 and {r[2] for r in rows} == {"bài"}
    assert len(_sheet_rows(client.get("/registries/teams.xlsx").content)) == 2
    rows = _sheet_rows(client.get(f"/registries/events.xlsx?area={HVT}").content)
    assert [r[3] for r in rows] == ["Ngày hội toàn dân bảo vệ an ninh Tổ quốc (06172)"]
    client.force_login(records["people"].official)
    assert len(_sheet_rows(client.get("/registries/media.xlsx").content)) == 1


def _filled(client, rows: list[list], header: list[str] | None = None) -> SimpleUploadedFile:
    template = client.get("/registries/media/template.xlsx")
    assert template.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(template.content))
    ws = wb["Tin bài"]
    for col, text in enumerate(header or [], start=1):
        ws.cell(row=1, column=col, value=text)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("tin-bai.xlsx", out.getvalue(), content_type=XLSX)


def test_a_good_media_file_creates_every_row(client, records):
    client.force_login(records["people"].official)
    before = MediaItem.objects.count()
    upload = _filled(
        client,
        [
            [
                dt.date(2026, 3, 9),
                "Bài",
                "Phòng, chống ma túy ở khu dân cư",
                "Báo Lạng Sơn",
                "Địa phương",
                NA_SAM,
                "https://baolangson.vn/bai-1",
            ],
            [
                "19/08/2026",
                "tin",
                "Ngày hội ở Na Sầm",
                "Báo Công an nhân dân",
                "TRUNG ƯƠNG",
                NA_SAM,
                None,
            ],
            [
                dt.date(2024, 5, 2),
                "phong_su",
                "Phóng sự trước sáp nhập",
                "Đài PT-TH Lạng Sơn",
                "local",
                NA_SAM,
                None,
            ],
        ],
    )
    response = client.post("/registries/media/import/", {"file": upload})
    assert response.status_code == 302 and response["Location"] == "/registries/media/"
    assert MediaItem.objects.count() == before + 3
    old = MediaItem.objects.get(title="Phóng sự trước sáp nhập")
    assert old.kind == "phong_su" and old.outlet_level == "local"
    assert old.area.code == NA_SAM and old.area.valid_to is not None  # the 2024 unit
    news = MediaItem.objects.get(title="Ngày hội ở Na Sầm")
    assert news.published_on == dt.date(2026, 8, 19) and news.outlet_level == "central"
    assert 'data-testid="total">4 ' in client.get("/registries/media/").content.decode()


def test_a_bad_media_file_creates_nothing_and_locates_every_problem(client, records):
    client.force_login(records["people"].official)
    before = MediaItem.objects.count()
    good = [dt.date(2026, 3, 9), "bài", "Bài tốt", "Báo Lạng Sơn", "Địa phương", NA_SAM, None]
    upload = _filled(
        client,
        [good, ["31/02/2026", "bài", "Bài sai ngày", "Báo Lạng Sơn", "Địa phương", NA_SAM, None]],
        header=["Ngày đăng", "Loại", "Tên bài"],
    )
    response = client.post("/registries/media/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="import-problems"' in html
    assert "Dòng 1: " in html and "Ngày đăng | Loại | Tiêu đề" in html and "“Tên bài”" in html
    assert "Dòng 3, cột A (Ngày đăng): “31/02/2026”" in html
    assert MediaItem.objects.count() == before

    upload = _filled(
        client,
        [
            good,
            [
                dt.date(2026, 3, 9),
                "tin tức",
                "Loại sai",
                "Báo Lạng Sơn",
                "Địa phương",
                NA_SAM,
                None,
            ],
            [dt.date(2026, 3, 9), "tin", "Mã sai", "Báo Lạng Sơn", "Địa phương", "99999", None],
            [dt.date(2026, 3, 9), "tin", None, "Báo Lạng Sơn", "Địa phương", NA_SAM, None],
        ],
    )
    response = client.post("/registries/media/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    problems = html.split('data-testid="import-problems"')[1].split("</ul>")[0]
    assert (
        problems.index("Dòng 3, cột B (Loại): “tin tức”")
        < problems.index("Dòng 4, cột F (Mã địa bàn): ")
        < problems.index("Dòng 5, cột C (Tiêu đề): ")
    )
    assert problems.count("Dòng 3") == 1 and problems.count("Dòng 4") == 1  # no echo
    assert MediaItem.objects.count() == before


def test_a_file_that_is_not_a_workbook_is_refused_clearly(client, records):
    client.force_login(records["people"].official)
    upload = SimpleUploadedFile("tin-bai.xlsx", b"Ngay dang;Loai\n", content_type=XLSX)
    response = client.post("/registries/media/import/", {"file": upload})
    assert response.status_code == 400
    assert "tin-bai.xlsx: " in response.content.decode()
    response = client.post("/registries/media/import/", {})
    assert response.status_code == 400 and 'data-testid="error-file"' in response.content.decode()


def test_the_media_template_has_the_header_the_import_reads(client, records):
    from antq.grassroots.xlsx import MEDIA_COLUMNS

    client.force_login(records["people"].official)
    response = client.get("/registries/media/template.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["Tin bài"]
    assert [c.value for c in ws[1]] == [h for _f, h, _w in MEDIA_COLUMNS]
    assert [h for _f, h, _w in MEDIA_COLUMNS] == [
        "Ngày đăng",
        "Loại",
        "Tiêu đề",
        "Cơ quan báo chí",
        "Cấp",
        "Mã địa bàn",
        "Đường dẫn",
    ]


def test_teams_are_registered_with_the_commune_of_their_date(client, records):
    client.force_login(records["people"].official)
    data = {
        "name": "Tổ bảo vệ an ninh, trật tự thôn Khuổi Mò",
        "area_code": NA_SAM,
        "place": "thôn Khuổi Mò",
        "decision_number": "15/QĐ-UBND",
        "decision_date": "01/09/2024",
        "established_on": "01/09/2024",
        "dissolved_on": "",
    }
    response = client.post("/registries/teams/new/", data)
    team = SecurityTeam.objects.get(place="thôn Khuổi Mò")
    assert response.status_code == 302
    assert team.area.code == NA_SAM and team.area.valid_to == dt.date(2025, 6, 30)
    response = client.post("/registries/teams/new/", {**data, "established_on": "01/01/2024"})
    assert response.status_code == 400
    assert 'data-testid="error-established_on"' in response.content.decode()


def test_the_lists_cost_the_same_queries_for_more_records(client, records):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(records["people"].manager)
    urls = [
        "/registries/models/",
        "/registries/teams/",
        "/registries/media/",
        "/registries/events/",
        f"/registries/models/{records['model'].pk}/",
    ]

    def queries() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx))
        return out

    few = queries()
    for n in range(6):
        services.model_status_set(
            actor=None,
            model=_model(NA_SAM, f"Mô hình nhân rộng {n}", founded=dt.date(2025, 9, 1)),
            status="paused",
            since=dt.date(2025, 10, 1),
        )
    SelfManagementModel.objects.exclude(pk=records["model"].pk).update(
        replicated_from=records["model"]
    )
    assert queries() == few and max(few) <= 14
