"""Indicators counted from the registries follow the records: creation, status changes,
deletion, a change of area across the 2025 reform; approved periods are not changed
silently; typed figures are refused where a registry counts; the drill-down lists exactly
the records behind a total."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from antq.areas.selectors import area_by_code, area_holder_on
from antq.grassroots import services
from antq.grassroots.models import ModelType
from antq.indicators import derived, engine
from antq.indicators.models import (
    DataSet,
    DataValue,
    DerivedChange,
    Indicator,
    Submission,
)
from antq.indicators.periods import parse_period
from antq.indicators.services import (
    ValueErrors,
    ValueInput,
    catalogue_install,
    data_sets_install,
    values_save,
)

pytestmark = pytest.mark.django_db
D = dt.date
FROM = D(2020, 1, 1)


@pytest.fixture
def counted():
    catalogue_install()
    data_sets_install()
    services.registries_install(start=FROM)
    return Indicator.objects.get(code="SM_MODELS_ACTIVE")


def _area(code: str, on: dt.date):
    return area_by_code(code, on)


def _model(**over):
    data = {
        "name": "Tổ an ninh tự quản thôn Thử",
        "type": ModelType.objects.order_by("code").first(),
        "area": _area("06124", D(2020, 1, 1)),  # Thị trấn Na Sầm, Văn Lãng (before the reform)
        "place": "thôn Thử",
        "founded_on": D(2020, 3, 10),
        "members": 12,
    }
    data.update(over)
    return services.model_save(actor=None, data=data)


def total(code: str, area_code: str, start: str, end: str, on: dt.date, mode="historic"):
    indicator = Indicator.objects.get(code=code)
    area = _area(area_code, on)
    result = engine.analytics(
        indicators=[indicator],
        area=area,
        start=parse_period(start),
        end=parse_period(end),
        on=on,
        mode=mode,
    )
    return result.total


def stored(code: str, area, period: str):
    row = DataValue.objects.filter(indicator__code=code, area=area, period=period).first()
    return None if row is None else row.value


def test_a_new_model_counts_at_once_as_a_stock_and_as_new(counted):
    before = total("SM_MODELS_ACTIVE", "182", "2020", "2020", D(2020, 12, 31))
    model = _model()
    assert total("SM_MODELS_ACTIVE", "182", "2020", "2020", D(2020, 12, 31)) == before + 1
    assert total("SM_MODELS_ACTIVE", "182", "202002", "202002", D(2020, 2, 28)) == before
    assert total("SM_MODELS_NEW", "20", "2020Q1", "2020Q1", D(2020, 3, 31)) == 1
    assert total("SM_MODELS_NEW", "20", "2020Q2", "2020Q2", D(2020, 6, 30)) == 0
    row = DataValue.objects.get(indicator=counted, area=model.area, period="202003")
    assert row.source == "derived" and row.value == 1


def test_replicating_a_model_is_counted(counted):
    source = _model(name="Mô hình gốc", founded_on=D(2020, 2, 1))
    _model(name="Mô hình nhân rộng", founded_on=D(2021, 4, 1), replicated_from=source)
    _model(name="Mô hình khác", founded_on=D(2021, 6, 1))
    assert total("SM_MODELS_REPLICATED", "20", "2021", "2021", D(2021, 12, 31)) == 1
    assert total("SM_MODELS_NEW", "20", "2021", "2021", D(2021, 12, 31)) == 2
    with pytest.raises(services.RecordErrors):  # a source founded after its replica
        _model(name="Sai", founded_on=D(2019, 6, 1), replicated_from=source)


def test_a_status_change_and_a_deletion_move_the_counts(counted):
    model = _model()
    services.model_status_set(
        actor=None, model=model, status="paused", since=D(2021, 5, 2), note="tạm dừng"
    )
    assert stored("SM_MODELS_ACTIVE", model.area, "202104") == 1
    assert stored("SM_MODELS_ACTIVE", model.area, "202105") == 0
    services.model_status_set(actor=None, model=model, status="operating", since=D(2021, 9, 1))
    assert stored("SM_MODELS_ACTIVE", model.area, "202109") == 1
    services.model_status_set(actor=None, model=model, status="dissolved", since=D(2022, 1, 1))
    assert total("SM_MODELS_ACTIVE", "20", "2021", "2021", D(2021, 12, 31)) == 1
    assert total("SM_MODELS_ACTIVE", "20", "2022", "2022", D(2022, 12, 31)) == 0
    model.refresh_from_db()
    assert model.status == "dissolved"
    area = model.area
    services.model_delete(actor=None, model=model, reason="nhập nhầm")
    assert total("SM_MODELS_ACTIVE", "20", "2021", "2021", D(2021, 12, 31)) == 0
    assert total("SM_MODELS_NEW", "20", "2020", "2020", D(2020, 12, 31)) == 0
    assert stored("SM_MODELS_ACTIVE", area, "202003") == 0


def test_a_model_follows_its_commune_across_the_reform(counted):
    old = _area("06124", D(2020, 1, 1))
    new = _area("06124", D(2025, 7, 1))
    assert old.pk != new.pk and area_holder_on(old, D(2025, 8, 31)) == new
    model = _model()
    assert stored("SM_MODELS_ACTIVE", old, "202506") == 1
    assert stored("SM_MODELS_ACTIVE", old, "202507") is None
    assert stored("SM_MODELS_ACTIVE", new, "202507") == 1
    # Historic and current totals agree for the province.
    assert total("SM_MODELS_ACTIVE", "20", "2022", "2022", D(2022, 12, 31)) == 1
    assert total("SM_MODELS_ACTIVE", "20", "2022", "2022", D(2026, 1, 1), mode="current") == 1
    # Registered today in another commune: its past moves with it.
    elsewhere = _area("06172", D(2025, 7, 1))  # xã Hoàng Văn Thụ (after the reform)
    services.model_save(actor=None, model=model, data={**_data(model), "area": elsewhere})
    assert stored("SM_MODELS_ACTIVE", new, "202507") == 0
    assert stored("SM_MODELS_ACTIVE", elsewhere, "202507") == 1
    before_reform = area_holder_on(elsewhere, D(2022, 12, 31))
    assert before_reform is not None and before_reform.pk != elsewhere.pk
    assert stored("SM_MODELS_ACTIVE", before_reform, "202212") == 1
    assert stored("SM_MODELS_ACTIVE", old, "202212") == 0


def _data(model):
    return {f: getattr(model, f) for f in services.MODEL_FIELDS}


def test_typed_figures_are_refused_where_a_registry_counts(counted):
    with pytest.raises(ValueErrors) as exc:
        values_save([ValueInput("SM_MODELS_ACTIVE", "06124", "202003", "5")], actor=None)
    assert "sổ" in exc.value.problems[0] or "registry" in exc.value.problems[0]
    # Before the registry's first day, historic figures are entered as usual.
    values_save([ValueInput("SM_MODELS_ACTIVE", "06124", "201912", "5")], actor=None)
    assert stored("SM_MODELS_ACTIVE", _area("06124", D(2019, 12, 1)), "201912") == 5
    # A yearly figure overlapping the counted span is refused too.
    with pytest.raises(ValueErrors):
        values_save([ValueInput("MEDIA_ITEMS", "06124", "2020", "5")], actor=None)


def _approve(area, period: str):
    ds = DataSet.objects.get(code="phong-trao-hang-thang")
    return Submission.objects.create(data_set=ds, area=area, period=period, status="approved")


def test_an_approved_period_is_not_changed_silently(counted, people):
    model = _model()
    _approve(model.area, "202006")
    services.model_status_set(actor=None, model=model, status="dissolved", since=D(2020, 6, 15))
    # The approved month keeps its figure; the difference waits for the approver.
    assert stored("SM_MODELS_ACTIVE", model.area, "202006") == 1
    assert stored("SM_MODELS_ACTIVE", model.area, "202007") == 0
    change = DerivedChange.objects.get(status="pending")
    assert (change.period, change.stored, change.counted) == ("202006", 1, 0)
    # Another recount does not duplicate it, and the daily recount of recent months
    # leaves it alone.
    derived.refresh([counted])
    derived.refresh([counted], recent=2)
    assert DerivedChange.objects.filter(status="pending").count() == 1
    derived.change_decide(change=change, apply=True, actor=people.manager)
    assert stored("SM_MODELS_ACTIVE", model.area, "202006") == 0
    change.refresh_from_db()
    assert change.status == "applied"
    with pytest.raises(ValueErrors):
        derived.change_decide(change=change, apply=True, actor=people.manager)


def test_keeping_the_approved_figure_and_a_difference_that_goes_away(counted, people):
    model = _model()
    _approve(model.area, "202006")
    services.model_status_set(actor=None, model=model, status="paused", since=D(2020, 6, 15))
    change = DerivedChange.objects.get(status="pending")
    derived.change_decide(change=change, apply=False, actor=people.manager)
    assert stored("SM_MODELS_ACTIVE", model.area, "202006") == 1
    assert DerivedChange.objects.get(pk=change.pk).status == "kept"
    derived.refresh([counted])  # a kept difference is not raised again
    assert not DerivedChange.objects.filter(status="pending").exists()
    # A second model brings the count back to the approved figure: nothing to decide.
    _model(name="Mô hình thứ hai", founded_on=D(2020, 1, 5))
    assert not DerivedChange.objects.filter(status="pending").exists()
    # A third makes a new difference; deleting it before anyone decides removes it.
    third = _model(name="Mô hình thứ ba", founded_on=D(2020, 2, 5))
    assert DerivedChange.objects.get(status="pending").counted == 2
    assert stored("SM_MODELS_ACTIVE", model.area, "202006") == 1
    services.model_delete(actor=None, model=third, reason="nhập nhầm")
    assert not DerivedChange.objects.filter(status="pending").exists()


def test_media_items_count_by_month_kind_and_level(counted, people):
    commune = _area("06124", D(2021, 1, 1))
    for day, kind, level in [
        (D(2021, 1, 5), "tin", "local"),
        (D(2021, 1, 20), "bai", "central"),
        (D(2021, 2, 1), "anh", "local"),
    ]:
        services.media_save(
            actor=None,
            data={
                "title": "Tuyên truyền",
                "kind": kind,
                "outlet": "Báo Lạng Sơn",
                "outlet_level": level,
                "published_on": day,
                "area": commune,
                "link": "",
            },
        )
    assert stored("MEDIA_ITEMS", commune, "202101") == 2
    assert stored("MEDIA_ITEMS_CENTRAL", commune, "202101") == 1
    assert stored("MEDIA_NEWS", commune, "202101") == 1
    assert stored("MEDIA_PHOTOS", commune, "202102") == 1
    assert total("MEDIA_ITEMS", "20", "2021", "2021", D(2021, 12, 31)) == 3
    with pytest.raises(services.RecordErrors) as exc:
        services.media_save(
            actor=None,
            data={
                "title": "Tin ngày mai",
                "kind": "tin",
                "outlet": "Báo",
                "outlet_level": "local",
                "published_on": dt.date.today() + dt.timedelta(days=1),
                "area": _area("06124", dt.date.today()),
            },
        )
    assert "published_on" in exc.value.errors
    assert total("MEDIA_ITEMS", "20", "2021", "2021", D(2021, 12, 31)) == 3


def test_security_teams_and_members_are_stocks(counted):
    commune = _area("06124", D(2025, 7, 1))
    team = services.team_save(
        actor=None,
        data={
            "name": "Tổ bảo vệ ANTT thôn Thử",
            "area": commune,
            "place": "thôn Thử",
            "decision_number": "12/QĐ-UBND",
            "decision_date": D(2025, 8, 1),
            "established_on": D(2025, 8, 1),
            "dissolved_on": None,
        },
    )
    for name, role, born in [
        ("Người A", "to_truong", D(1970, 1, 1)),
        ("Người B", "to_vien", D(2000, 5, 5)),
    ]:
        services.member_save(
            actor=None,
            team=team,
            data={"full_name": name, "role": role, "birth_date": born, "joined_on": D(2025, 8, 1)},
        )
    assert stored("SECURITY_TEAMS", commune, "202508") == 1
    assert stored("SECURITY_TEAM_MEMBERS", commune, "202508") == 2
    assert stored("SECURITY_TEAM_MEMBERS", commune, "202507") is None
    with pytest.raises(services.RecordErrors) as exc:  # 17 on the day of joining
        services.member_save(
            actor=None,
            team=team,
            data={
                "full_name": "Người C",
                "role": "to_vien",
                "birth_date": D(2008, 9, 2),
                "joined_on": D(2025, 9, 1),
            },
        )
    assert "birth_date" in exc.value.errors and "18" in exc.value.errors["birth_date"]
    with pytest.raises(services.RecordErrors):  # 71
        services.member_save(
            actor=None,
            team=team,
            data={
                "full_name": "Người D",
                "role": "to_vien",
                "birth_date": D(1954, 1, 1),
                "joined_on": D(2025, 9, 1),
            },
        )
    assert team.members.count() == 2
    assert stored("SECURITY_TEAM_MEMBERS", commune, "202509") == 2
    # The drill-down lists the members by role and team, never by name.
    behind = derived.records_behind(
        Indicator.objects.get(code="SECURITY_TEAM_MEMBERS"),
        _area("20", D(2025, 9, 30)),
        parse_period("202509"),
        parse_period("202509"),
    )
    lines = [[*behind.source.row(m), behind.source.title(m)] for m, _u, _d in behind.records]
    assert len(lines) == 2 and not any("Người" in str(cell) for line in lines for cell in line)


def test_a_model_cannot_change_status_before_it_was_founded(counted):
    model = _model()
    with pytest.raises(services.RecordErrors) as exc:
        services.model_status_set(
            actor=None, model=model, status="dissolved", since=D(2019, 12, 31)
        )
    assert "since" in exc.value.errors
    assert not model.status_changes.exists()
    assert stored("SM_MODELS_ACTIVE", model.area, "202012") == 1


def test_only_officials_of_the_area_register_records(counted, people):
    na_sam = _area("06124", D(2025, 7, 1))
    hvt = _area("06172", D(2025, 7, 1))
    model = _model(area=na_sam, founded_on=D(2025, 8, 1))
    with pytest.raises(PermissionDenied):
        services.model_save(actor=people.outsider, model=model, data=_data(model))
    with pytest.raises(PermissionDenied):  # a viewer of the same body
        services.model_save(actor=people.colleague, data={**_data(model), "name": "Khác"})
    mine = services.model_save(actor=people.official, data={**_data(model), "name": "Của tôi"})
    assert mine.area == na_sam
    with pytest.raises(PermissionDenied):
        services.model_save(actor=people.official, data={**_data(model), "area": hvt})


def test_the_drill_down_lists_exactly_the_records_behind_each_total(counted):
    ls = _area("20", D(2022, 1, 1))
    communes = [_area(c, D(2021, 1, 1)) for c in ("06124", "06157", "05977")]
    for n, commune in enumerate(communes):
        for k in range(n + 1):
            _model(name=f"M{n}{k}", area=commune, founded_on=D(2019 + k, 2, 1))
            services.media_save(
                actor=None,
                data={
                    "title": f"Tin {n}{k}",
                    "kind": "tin",
                    "outlet": "Báo Lạng Sơn",
                    "outlet_level": "local",
                    "published_on": D(2020 + k, 6, 1),
                    "area": commune,
                },
            )
    for code in ("SM_MODELS_ACTIVE", "MEDIA_ITEMS", "SM_MODELS_NEW"):
        indicator = Indicator.objects.get(code=code)
        for root_code in ("20", "182", "178", "06157"):
            for start, end in (("2019", "2022"), ("2020", "2020"), ("2021Q2", "2022Q1")):
                root = _area(root_code, D(2022, 1, 1))
                behind = derived.records_behind(
                    indicator, root, parse_period(start), parse_period(end)
                )
                want = total(code, root_code, start, end, D(2022, 1, 1))
                assert Decimal(len(behind.records)) == want, (code, root_code, start, end)
    everything = derived.records_behind(
        Indicator.objects.get(code="MEDIA_ITEMS"), ls, parse_period("2019"), parse_period("2022")
    )
    assert sorted(r.title for r, _u, _d in everything.records) == [
        "Tin 00",
        "Tin 10",
        "Tin 11",
        "Tin 20",
        "Tin 21",
        "Tin 22",
    ]


def test_the_drill_down_page_and_the_entry_form(client, counted, people):
    na_sam = _area("06124", D(2025, 7, 1))
    _model(name="Mô hình Na Sầm", area=na_sam, founded_on=D(2025, 7, 20))
    month = dt.date.today().strftime("%Y%m")
    client.force_login(people.official)
    page = client.get(
        "/data/behind/",
        {"indicator": "SM_MODELS_ACTIVE", "area": "06124", "start": month, "end": month},
    )
    assert page.status_code == 200
    assert "Mô hình Na Sầm" in page.content.decode()
    entry = client.get(f"/data/entry/phong-trao-hang-thang/06124/{month}/").content.decode()
    assert 'data-testid="counted-SM_MODELS_ACTIVE"' in entry
    assert 'name="v-SM_MODELS_ACTIVE"' not in entry
    # A posted figure for a counted cell is refused on the cell; nothing is written.
    response = client.post(
        f"/data/entry/phong-trao-hang-thang/06124/{month}/", {"v-SM_MODELS_ACTIVE": "9"}
    )
    assert response.status_code == 400
    assert stored("SM_MODELS_ACTIVE", na_sam, month) == 1
    # Another commune's official does not see the records.
    client.force_login(people.outsider)
    page = client.get(
        "/data/behind/",
        {"indicator": "SM_MODELS_ACTIVE", "area": "06124", "start": month, "end": month},
    )
    assert page.status_code == 404


def test_the_approver_decides_in_the_inbox(client, counted, people):
    model = _model()
    _approve(model.area, "202006")
    services.model_status_set(actor=None, model=model, status="dissolved", since=D(2020, 6, 15))
    change = DerivedChange.objects.get(status="pending")
    client.force_login(people.outsider)
    assert 'data-testid="derived-changes"' not in client.get("/data/approvals/").content.decode()
    assert (
        client.post(f"/data/approvals/counts/{change.pk}/", {"decision": "apply"}).status_code
        == 404
    )
    client.force_login(people.manager)
    page = client.get("/data/approvals/").content.decode()
    assert f'data-testid="apply-{change.pk}"' in page
    response = client.post(f"/data/approvals/counts/{change.pk}/", {"decision": "apply"})
    assert response.status_code == 302
    assert stored("SM_MODELS_ACTIVE", model.area, "202006") == 0


def test_the_records_api_lists_what_the_analytics_total_counts(client, counted, people):
    for n, day in enumerate((D(2021, 3, 1), D(2022, 5, 1))):
        _model(name=f"Mô hình API {n}", founded_on=day)
    client.force_login(people.manager)
    query = {"indicator": "SM_MODELS_ACTIVE", "area": "20", "start": "2022", "end": "2022"}
    body = client.get("/api/v1/analytics/records", query).json()
    total = client.get("/api/v1/analytics/", query).json()["total"]
    assert body["count"] == total == 2 and body["total"] == 2
    assert sorted(r["label"] for r in body["records"]) == ["Mô hình API 0", "Mô hình API 1"]
    assert {r["unit"] for r in body["records"]} == {"06124"}
    assert body["records"][0]["url"].startswith("http")
    flows = client.get(
        "/api/v1/analytics/records", {**query, "indicator": "SM_MODELS_NEW", "start": "2021"}
    ).json()
    assert flows["count"] == 2
    typed = client.get("/api/v1/analytics/records", {**query, "indicator": "TIPS_RECEIVED"})
    assert typed.status_code == 400 and typed.json()["error"]["code"] == "not_derived"
    client.force_login(people.outsider)
    denied = client.get("/api/v1/analytics/records", query)
    assert denied.status_code == 403


def test_a_photo_keeps_no_metadata(counted, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    model = _model()
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh thử"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 50.0, 0.0)}  # GPSInfo
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif, comment=b"vi tri")
    assert b"Exif" in raw.getvalue()
    upload = SimpleUploadedFile("anh.jpg", raw.getvalue(), content_type="image/jpeg")
    attachment = services.attachment_add(actor=None, model=model, upload=upload, title="Họp tổ")
    stored = attachment.file.read()
    assert b"Exif" not in stored and b"vi tri" not in stored
    with Image.open(io.BytesIO(stored)) as again:
        assert again.size == (40, 30) and not again.getexif()
    broken = SimpleUploadedFile(
        "anh.jpg", b"\xff\xd8\xff\xe0 not really", content_type="image/jpeg"
    )
    with pytest.raises(services.RecordErrors):
        services.attachment_add(actor=None, model=model, upload=broken)
    assert model.attachments.count() == 1


def test_the_daily_command_gives_a_new_month_its_stock(counted):
    from django.core.management import call_command

    model = _model()
    month = dt.date.today().strftime("%Y%m")
    DataValue.objects.filter(indicator=counted, period=month).delete()  # as if the month is new
    call_command("derive", verbosity=0)
    assert stored("SM_MODELS_ACTIVE", area_holder_on(model.area, dt.date.today()), month) == 1
    with pytest.raises(Exception, match=r"--source"):
        call_command("derive", link="MEDIA_ITEMS", source="nope", start="01/01/2020")
    call_command("derive", unlink="SM_MODELS_ACTIVE")
    counted.refresh_from_db()
    assert counted.derived_source == "" and counted.derived_from is None
    values_save([ValueInput("SM_MODELS_ACTIVE", "06124", "202003", "7")], actor=None)
    call_command(
        "derive", link="SM_MODELS_ACTIVE", source="grassroots.models_active", start="01/01/2020"
    )
    assert (
        stored("SM_MODELS_ACTIVE", model.area, "202003") == 1
    )  # the typed 7 replaced by the count


def test_lists_take_the_code_of_a_district_that_has_ended(client, counted, people):
    model = _model()  # in Thị trấn Na Sầm, Huyện Văn Lãng (182) — both ended on 30/06/2025
    client.force_login(people.manager)
    page = client.get("/registries/models/", {"area": "182"})
    assert page.status_code == 200 and model.name in page.content.decode()
    detail = client.get(f"/registries/models/{model.pk}/").content.decode()
    assert 'data-testid="holder-today"' in detail and "Xã Na Sầm" in detail
    assert client.get("/registries/models/", {"area": "99999"}).status_code == 400


def test_a_media_item_keeps_its_file_for_those_who_see_it(
    client, counted, people, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.official)
    form = {
        "title": "Bài trên báo giấy",
        "kind": "bai",
        "outlet": "Báo Lạng Sơn",
        "outlet_level": "local",
        "published_on": "02/03/2026",
        "area_code": "06124",
    }
    bad = SimpleUploadedFile("bai.pdf", b"<html>not a pdf", content_type="application/pdf")
    response = client.post("/registries/media/new/", {**form, "file": bad})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    pdf = SimpleUploadedFile("bai.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post("/registries/media/new/", {**form, "file": pdf})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert 'data-testid="media-file"' in detail
    item_id = int(response.url.rstrip("/").rsplit("/", 1)[-1])
    download = client.get(f"/registries/media/{item_id}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(people.outsider)
    assert client.get(f"/registries/media/{item_id}/file/").status_code == 404
