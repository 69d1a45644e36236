"""The grassroots API: models, teams, media items and events — create, list, detail, change;
located 400s that save nothing, all-or-nothing bulk media, scope denials, and the derived
count a registered model gives the analytics API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from antq.accounts.services import token_create
from antq.grassroots.models import (
    Assessment,
    MediaItem,
    MovementEvent,
    SecurityTeam,
    SelfManagementModel,
    StatusChange,
    TeamMember,
)
from antq.grassroots.services import registries_install
from antq.indicators.services import catalogue_install

pytestmark = pytest.mark.django_db
D = dt.date
MODELS = "/api/v1/grassroots/models/"
TEAMS = "/api/v1/grassroots/teams/"
MEDIA = "/api/v1/grassroots/media/"
EVENTS = "/api/v1/grassroots/events/"


@pytest.fixture
def reg(people):
    catalogue_install()
    registries_install()
    return people


def api(client, user, method, path, data=None, **params):
    kwargs = {"HTTP_AUTHORIZATION": f"Token {token_create(user=user).key}"}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    elif params:
        kwargs["data"] = params
    return getattr(client, method)(path, **kwargs)


def model_payload(**changes):
    return {
        "name": "Tổ an ninh tự quản thôn Nà Slác",
        "type": "to-an-ninh-tu-quan",
        "area": "06124",
        "place": "Thôn Nà Slác",
        "founded_on": "2025-09-01",
        "members": 12,
        "description": "",
        **changes,
    }


def team_payload(**changes):
    return {
        "name": "Tổ bảo vệ ANTT thôn Nà Slác",
        "area": "06124",
        "place": "Thôn Nà Slác",
        "decision_number": "12/QĐ-UBND",
        "decision_date": "2025-07-20",
        "established_on": "2025-08-01",
        **changes,
    }


def media_payload(**changes):
    return {
        "title": "Na Sầm ra mắt mô hình camera an ninh",
        "kind": "tin",
        "outlet": "Báo Lạng Sơn",
        "outlet_level": "local",
        "published_on": "2025-10-05",
        "area": "06124",
        "link": "https://baolangson.vn/tin-1",
        **changes,
    }


def create_model(client, user, **changes) -> dict:
    response = api(client, user, "post", MODELS, model_payload(**changes))
    assert response.status_code == 201, response.content
    return response.json()


def assert_invalid(response, field: str, *words: str) -> None:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    message = " ".join(error["details"][field])
    for word in words:
        assert word in message, message


# --- self-management models ------------------------------------------------------------------


def test_an_official_registers_a_model_and_finds_it_in_the_list_and_detail(client, reg):
    created = create_model(client, reg.official)
    model = SelfManagementModel.objects.get()
    assert created["id"] == model.pk and model.area.code == "06124"
    assert model.area.is_valid_on(D(2025, 9, 1)) and model.type.code == "to-an-ninh-tu-quan"
    assert created["founded_on"] == "2025-09-01" and created["status"] == "operating"
    assert created["status_changes"] == [] and created["replicas"] == []

    listing = api(client, reg.official, "get", MODELS).json()
    assert listing["count"] == 1 and [m["id"] for m in listing["results"]] == [model.pk]
    detail = api(client, reg.colleague, "get", f"{MODELS}{model.pk}/").json()
    assert detail["name"] == "Tổ an ninh tự quản thôn Nà Slác" and detail["members"] == 12


def test_a_model_registered_through_the_api_counts_in_the_analytics(client, reg):
    month = timezone.localdate().strftime("%Y%m")
    params = {"indicator": "SM_MODELS_ACTIVE", "area": "06124", "start": month, "end": month}
    assert api(client, reg.official, "get", "/api/v1/analytics/", **params).json()["total"] == 0

    create_model(client, reg.official)

    response = api(client, reg.official, "get", "/api/v1/analytics/", **params)
    assert response.status_code == 200, response.content
    assert response.json()["total"] == 1


def test_models_are_filtered_by_area_type_status_and_text(client, reg):
    create_model(client, reg.official)
    camera = create_model(
        client, reg.official, name="Camera an ninh Khòn Pát", type="camera-an-ninh"
    )
    other = create_model(client, reg.manager, name="Tổ hòa giải Tân Mỹ", area="06172")
    api(
        client,
        reg.official,
        "post",
        f"{MODELS}{camera['id']}/status",
        {"status": "paused", "since": "2025-10-01"},
    )

    def ids(user, **params):
        response = api(client, user, "get", MODELS, **params)
        assert response.status_code == 200, response.content
        return {m["id"] for m in response.json()["results"]}

    assert ids(reg.official, type="camera-an-ninh") == {camera["id"]}
    assert ids(reg.official, status="paused") == {camera["id"]}
    assert ids(reg.official, q="Khòn Pát") == {camera["id"]}
    assert ids(reg.manager, area="06172") == {other["id"]}
    assert len(ids(reg.manager, area="20")) == 3
    assert other["id"] not in ids(reg.official)
    bad = api(client, reg.official, "get", MODELS, status="asleep")
    assert bad.status_code == 400 and bad.json()["error"]["details"] == {"status": "asleep"}


def test_patch_changes_only_the_fields_sent(client, reg):
    created = create_model(client, reg.official)
    response = api(
        client,
        reg.official,
        "patch",
        f"{MODELS}{created['id']}/",
        {"members": 20, "place": "Khòn Pát"},
    )
    assert response.status_code == 200, response.content
    model = SelfManagementModel.objects.get()
    assert (model.members, model.place, model.name) == (20, "Khòn Pát", created["name"])
    assert model.founded_on == D(2025, 9, 1) and model.area.code == "06124"


def test_a_status_change_and_an_assessment_show_in_the_detail(client, reg):
    pk = create_model(client, reg.official)["id"]
    response = api(
        client,
        reg.official,
        "post",
        f"{MODELS}{pk}/status",
        {"status": "paused", "since": "2025-10-01", "note": "thiếu kinh phí"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "paused"
    assert response.json()["status_changes"] == [
        {"status": "paused", "since": "2025-10-01", "note": "thiếu kinh phí"}
    ]

    response = api(
        client, reg.official, "post", f"{MODELS}{pk}/assessments", {"year": 2025, "rating": "tot"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["assessments"] == [{"year": 2025, "rating": "tot", "notes": ""}]


def test_a_replica_is_listed_on_its_source(client, reg):
    source = create_model(client, reg.official)
    replica = create_model(
        client,
        reg.official,
        name="Tổ an ninh tự quản thôn Khòn Pát",
        founded_on="2025-10-01",
        replicated_from=source["id"],
    )
    assert replica["replicated_from"] == source["id"]
    detail = api(client, reg.official, "get", f"{MODELS}{source['id']}/").json()
    assert detail["replicas"] == [replica["id"]]


def test_a_status_change_before_the_founding_is_refused_and_saves_nothing(client, reg):
    pk = create_model(client, reg.official)["id"]
    response = api(
        client,
        reg.official,
        "post",
        f"{MODELS}{pk}/status",
        {"status": "dissolved", "since": "2025-08-01"},
    )
    assert_invalid(response, "since", "01/09/2025", "01/08/2025")
    assert not StatusChange.objects.exists()
    assert SelfManagementModel.objects.get().status == "operating"


def test_a_bad_assessment_year_is_refused(client, reg):
    pk = create_model(client, reg.official)["id"]
    response = api(
        client, reg.official, "post", f"{MODELS}{pk}/assessments", {"year": 2019, "rating": "tot"}
    )
    assert_invalid(response, "year", "2025")
    assert not Assessment.objects.exists()


def test_an_unknown_area_code_is_a_400_on_the_area_field(client, reg):
    response = api(client, reg.official, "post", MODELS, model_payload(area="99999"))
    assert_invalid(response, "area", "99999")
    assert not SelfManagementModel.objects.exists()


def test_unknown_type_and_missing_fields_are_located(client, reg):
    response = api(
        client, reg.official, "post", MODELS, model_payload(type="no-such-type", founded_on=None)
    )
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert "no-such-type" in details["type"][0] and details["founded_on"]
    assert not SelfManagementModel.objects.exists()


def test_a_future_founding_date_is_refused_by_the_service(client, reg):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = api(
        client, reg.official, "post", MODELS, model_payload(founded_on=tomorrow.isoformat())
    )
    assert_invalid(response, "founded_on", tomorrow.strftime("%d/%m/%Y"))
    assert not SelfManagementModel.objects.exists()


def test_a_count_too_large_for_the_database_is_a_400_not_a_500(client, reg):
    response = api(client, reg.official, "post", MODELS, model_payload(members=10**30))
    assert_invalid(response, "members")
    pk = create_model(client, reg.official)["id"]
    response = api(client, reg.official, "patch", f"{MODELS}{pk}/", {"members": 2**31})
    assert_invalid(response, "members")
    event = {"kind": "meeting", "title": "Họp", "held_on": "2025-08-19", "area": "06124"}
    response = api(client, reg.official, "post", EVENTS, {**event, "participants": 2**31})
    assert_invalid(response, "participants")
    assert SelfManagementModel.objects.get().members == 12
    assert not MovementEvent.objects.exists()


def test_an_outsider_gets_404_on_a_model_and_403_creating_in_another_commune(client, reg):
    pk = create_model(client, reg.official)["id"]
    assert api(client, reg.outsider, "get", f"{MODELS}{pk}/").status_code == 404
    assert api(client, reg.outsider, "patch", f"{MODELS}{pk}/", {"members": 1}).status_code == 404
    response = api(
        client,
        reg.outsider,
        "post",
        f"{MODELS}{pk}/status",
        {"status": "paused", "since": "2025-10-01"},
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api(client, reg.outsider, "get", MODELS).json()["count"] == 0

    response = api(client, reg.outsider, "post", MODELS, model_payload(name="Mô hình lạ"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert SelfManagementModel.objects.count() == 1


def test_a_viewer_may_read_but_not_change_a_model(client, reg):
    pk = create_model(client, reg.official)["id"]
    assert api(client, reg.colleague, "get", f"{MODELS}{pk}/").status_code == 200
    response = api(client, reg.colleague, "patch", f"{MODELS}{pk}/", {"members": 1})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert SelfManagementModel.objects.get().members == 12


def test_the_api_needs_a_login(client, reg):
    response = client.get(MODELS)
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] in ("not_authenticated", "permission_denied")
    response = client.post(MODELS, model_payload(), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not SelfManagementModel.objects.exists()


# --- security teams --------------------------------------------------------------------------


def test_a_team_and_its_members_are_registered_and_shown_within_scope(client, reg):
    response = api(client, reg.official, "post", TEAMS, team_payload())
    assert response.status_code == 201, response.content
    team = response.json()
    assert team["area"] == "06124" and team["members"] == [] and team["current_members"] == 0

    member = {
        "full_name": "Hoàng Văn Tùng",
        "role": "to_truong",
        "birth_date": "1980-05-02",
        "joined_on": "2025-08-01",
    }
    response = api(client, reg.official, "post", f"{TEAMS}{team['id']}/members", member)
    assert response.status_code == 201, response.content
    assert response.json()["full_name"] == "Hoàng Văn Tùng"

    mine = api(client, reg.official, "get", f"{TEAMS}{team['id']}/").json()
    assert mine["current_members"] == 1
    assert mine["members"][0] == {
        "id": TeamMember.objects.get().pk,
        "role": "to_truong",
        "joined_on": "2025-08-01",
        "left_on": None,
        "full_name": "Hoàng Văn Tùng",
        "birth_date": "1980-05-02",
    }
    theirs = api(client, reg.colleague, "get", f"{TEAMS}{team['id']}/").json()
    assert theirs["members"][0]["role"] == "to_truong"
    assert "full_name" not in theirs["members"][0] and "birth_date" not in theirs["members"][0]
    assert [t["id"] for t in api(client, reg.colleague, "get", TEAMS).json()["results"]] == [
        team["id"]
    ]


def test_a_member_outside_18_to_70_is_refused_and_nothing_is_saved(client, reg):
    pk = api(client, reg.official, "post", TEAMS, team_payload()).json()["id"]
    member = {
        "full_name": "Lường Văn Bé",
        "role": "to_vien",
        "birth_date": "2010-01-01",
        "joined_on": "2025-08-01",
    }
    response = api(client, reg.official, "post", f"{TEAMS}{pk}/members", member)
    assert_invalid(response, "birth_date", "15", "18", "70")
    assert not TeamMember.objects.exists()


def test_members_are_added_only_by_those_who_enter_data_there(client, reg):
    pk = api(client, reg.official, "post", TEAMS, team_payload()).json()["id"]
    member = {
        "full_name": "Hoàng Văn Tùng",
        "role": "to_vien",
        "birth_date": "1980-05-02",
        "joined_on": "2025-08-01",
    }
    assert api(client, reg.colleague, "post", f"{TEAMS}{pk}/members", member).status_code == 403
    assert api(client, reg.outsider, "post", f"{TEAMS}{pk}/members", member).status_code == 404
    assert api(client, reg.outsider, "get", f"{TEAMS}{pk}/").status_code == 404
    assert not TeamMember.objects.exists()


def test_a_team_before_law_30_2023_is_refused(client, reg):
    response = api(
        client,
        reg.official,
        "post",
        TEAMS,
        team_payload(decision_date="2024-01-01", established_on="2024-02-01"),
    )
    assert_invalid(response, "established_on", "30/2023/QH15")
    assert not SecurityTeam.objects.exists()


def test_an_outsider_may_not_register_a_team_in_another_commune(client, reg):
    response = api(client, reg.outsider, "post", TEAMS, team_payload())
    assert response.status_code == 403
    assert not SecurityTeam.objects.exists()


# --- media items -----------------------------------------------------------------------------


def test_a_media_item_is_registered_listed_filtered_and_deleted(client, reg):
    response = api(client, reg.official, "post", MEDIA, media_payload())
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["published_on"] == "2025-10-05" and item["area"] == "06124"
    api(
        client,
        reg.official,
        "post",
        MEDIA,
        media_payload(kind="anh", outlet_level="central", published_on="2025-11-10"),
    )

    def titles(**params):
        response = api(client, reg.official, "get", MEDIA, **params)
        assert response.status_code == 200, response.content
        return [(m["kind"], m["published_on"]) for m in response.json()["results"]]

    assert titles() == [("anh", "2025-11-10"), ("tin", "2025-10-05")]
    assert titles(kind="tin") == [("tin", "2025-10-05")]
    assert titles(level="central") == [("anh", "2025-11-10")]
    assert titles(**{"from": "2025-11-01"}) == [("anh", "2025-11-10")]
    assert titles(to="31/10/2025") == [("tin", "2025-10-05")]
    assert titles(area="06124", kind="video") == []
    bad = api(client, reg.official, "get", MEDIA, **{"from": "tháng 10"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_date"

    url = f"{MEDIA}{item['id']}/"
    assert api(client, reg.official, "get", url).json()["title"] == item["title"]
    assert api(client, reg.outsider, "get", url).status_code == 404
    assert api(client, reg.outsider, "delete", url, {"reason": "nhầm"}).status_code == 404
    assert api(client, reg.colleague, "delete", url, {"reason": "nhầm"}).status_code == 403
    assert_invalid(api(client, reg.official, "delete", url), "reason")
    assert api(client, reg.official, "delete", f"{url}?reason=nhập+trùng").status_code == 204
    assert (
        MediaItem.objects.count() == 1 and api(client, reg.official, "get", url).status_code == 404
    )


def test_a_media_item_dated_in_the_future_is_refused(client, reg):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = api(
        client, reg.official, "post", MEDIA, media_payload(published_on=tomorrow.isoformat())
    )
    assert_invalid(response, "published_on", tomorrow.strftime("%d/%m/%Y"))
    assert not MediaItem.objects.exists()


def test_a_wrong_media_kind_is_refused(client, reg):
    response = api(client, reg.official, "post", MEDIA, media_payload(kind="podcast"))
    assert_invalid(response, "kind", "tin", "phong_su")
    assert not MediaItem.objects.exists()


def test_bulk_media_are_all_saved_together(client, reg):
    items = [media_payload(title=f"Tin {n}", published_on=f"2025-10-0{n}") for n in range(1, 4)]
    response = api(
        client, reg.official, "post", f"{MEDIA}bulk", {"items": items, "reason": "sổ tháng 10"}
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 3}
    assert MediaItem.objects.count() == 3


def test_bulk_media_with_one_bad_item_save_nothing_and_locate_every_problem(client, reg):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    items = [
        media_payload(title="Tin 1"),
        media_payload(title="Tin 2", published_on=tomorrow.isoformat()),
        media_payload(title="Tin 3", kind="podcast"),
    ]
    response = api(client, reg.official, "post", f"{MEDIA}bulk", {"items": items})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_items"
    assert [p.split(": ")[0] for p in error["details"]] == [
        "items[1].published_on",
        "items[2].kind",
    ]
    assert tomorrow.strftime("%d/%m/%Y") in error["details"][0]
    assert not MediaItem.objects.exists()


def test_bulk_media_shape_problems_are_located_too(client, reg):
    items = [media_payload(), media_payload(area="99999"), media_payload(published_on="05/10")]
    response = api(client, reg.official, "post", f"{MEDIA}bulk", {"items": items})
    assert response.status_code == 400, response.content
    details = response.json()["error"]["details"]
    assert [p.split(": ")[0] for p in details] == ["items[1].area", "items[2].published_on"]
    assert "99999" in details[0]
    assert not MediaItem.objects.exists()


def test_bulk_media_in_another_commune_are_forbidden_and_save_nothing(client, reg):
    items = [media_payload(), media_payload(area="06172")]
    response = api(client, reg.official, "post", f"{MEDIA}bulk", {"items": items})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "permission_denied" and error["details"][0].startswith("items[1].area")
    assert not MediaItem.objects.exists()


# --- movement events -------------------------------------------------------------------------


def test_events_are_registered_and_listed_by_kind(client, reg):
    payload = {
        "kind": "ngay_hoi",
        "title": "Ngày hội toàn dân bảo vệ ANTQ 2025",
        "held_on": "2025-08-19",
        "area": "06124",
        "participants": 350,
    }
    response = api(client, reg.official, "post", EVENTS, payload)
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == 350 and response.json()["held_on"] == "2025-08-19"
    api(
        client,
        reg.official,
        "post",
        EVENTS,
        {**payload, "kind": "meeting", "title": "Họp dân thôn Nà Slác"},
    )

    kinds = [
        e["kind"]
        for e in api(client, reg.official, "get", EVENTS, kind="ngay_hoi").json()["results"]
    ]
    assert kinds == ["ngay_hoi"]
    assert api(client, reg.official, "get", EVENTS).json()["count"] == 2
    assert api(client, reg.outsider, "get", EVENTS).json()["count"] == 0


def test_an_event_with_bad_input_is_refused(client, reg):
    response = api(
        client,
        reg.official,
        "post",
        EVENTS,
        {
            "kind": "party",
            "title": "?",
            "held_on": "2025-08-19",
            "area": "06124",
            "participants": -3,
        },
    )
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert set(details) == {"kind", "participants"}
    response = api(
        client,
        reg.outsider,
        "post",
        EVENTS,
        {"kind": "meeting", "title": "Họp", "held_on": "2025-08-19", "area": "06124"},
    )
    assert response.status_code == 403
    assert not MovementEvent.objects.exists()
