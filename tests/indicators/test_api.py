"""The analytics, indicators and bulk-values API."""

from __future__ import annotations

import pytest

from antq.accounts.services import token_create
from antq.indicators.models import DataValue, Indicator
from antq.indicators.services import ValueInput, catalogue_install, values_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(people):
    catalogue_install()
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06157", "201903", 5),  # Hoàng Việt (Văn Lãng) → Na Sầm
            ValueInput("MEDIA_ITEMS", "06124", "202011", 7),  # Na Sầm (old) → Na Sầm
            ValueInput("MEDIA_ITEMS", "06172", "202206", 10),  # Tân Mỹ → Hoàng Văn Thụ
            ValueInput("TIPS_RECEIVED", "06172", "202206", 4),
        ],
        actor=None,
    )
    return people


def get(client, user, **params):
    key = token_create(user=user).key
    return client.get("/api/v1/analytics/", params, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_provincial_total_by_district_in_historic_mode(client, data):
    response = get(
        client,
        data.manager,
        indicator="MEDIA_ITEMS",
        area="20",
        on="2022-01-01",
        start="2019",
        end="2022",
        by="area,year",
        mode="historic",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 22
    assert {(r["area"], r["period"], r["value"]) for r in body["rows"]} == {
        ("182", "2019", 5),
        ("182", "2020", 7),
        ("182", "2022", 10),
    }


def test_the_same_total_by_new_commune_in_current_mode(client, data):
    body = get(
        client,
        data.manager,
        indicator="MEDIA_ITEMS",
        area="20",
        start="2019",
        end="2022",
        by="area",
        mode="current",
    ).json()
    assert body["total"] == 22
    assert {r["area"]: r["value"] for r in body["rows"]} == {"06124": 12, "06172": 10}
    assert all("period" not in r for r in body["rows"])


def test_several_indicators_add_up_in_the_total_and_stay_apart_in_rows(client, data):
    response = client.get(
        "/api/v1/analytics/?indicator=MEDIA_ITEMS&indicator=TIPS_RECEIVED&area=20&start=2022&end=2022",
        HTTP_AUTHORIZATION=f"Token {token_create(user=data.manager).key}",
    )
    body = response.json()
    assert body["total"] == 14
    assert {r["indicator"]: r["value"] for r in body["rows"]} == {
        "MEDIA_ITEMS": 10,
        "TIPS_RECEIVED": 4,
    }


def test_a_commune_official_reaches_the_old_communes_of_their_commune_only(client, data):
    mine = get(
        client,
        data.official,
        indicator="MEDIA_ITEMS",
        area="06157",
        on="2022-01-01",
        start="2019",
        end="2022",
    )
    assert mine.status_code == 200 and mine.json()["total"] == 5
    other = get(
        client,
        data.official,
        indicator="MEDIA_ITEMS",
        area="06172",
        on="2022-01-01",
        start="2019",
        end="2022",
    )
    assert other.status_code == 403 and other.json()["error"]["code"] == "permission_denied"
    province = get(
        client, data.official, indicator="MEDIA_ITEMS", area="20", start="2019", end="2022"
    )
    assert province.status_code == 403


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        (
            {"indicator": "NOPE", "area": "20", "start": "2019", "end": "2022"},
            400,
            "unknown_indicator",
        ),
        ({"area": "20", "start": "2019", "end": "2022"}, 400, "invalid"),
        (
            {"indicator": "MEDIA_ITEMS", "area": "99999", "start": "2019", "end": "2022"},
            404,
            "not_found",
        ),
        (
            {"indicator": "MEDIA_ITEMS", "area": "20", "start": "2019Q5", "end": "2022"},
            400,
            "invalid_period",
        ),
        (
            {"indicator": "MEDIA_ITEMS", "area": "20", "start": "2022", "end": "2019"},
            400,
            "invalid_range",
        ),
        (
            {
                "indicator": "MEDIA_ITEMS",
                "area": "20",
                "start": "2019",
                "end": "2022",
                "by": "week",
            },
            400,
            "invalid_grouping",
        ),
        (
            {"indicator": "MEDIA_ITEMS", "area": "20", "start": "2019", "end": "2022", "mode": "x"},
            400,
            "invalid_mode",
        ),
        (
            {
                "indicator": "MEDIA_ITEMS",
                "area": "20",
                "start": "2019",
                "end": "2022",
                "on": "31/02/2022",
            },
            400,
            "invalid_date",
        ),
    ],
)
def test_bad_questions_get_a_json_error(client, data, params, status, code):
    response = get(client, data.manager, **params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_administrators_add_indicators_and_others_may_not(client, data):
    payload = {
        "code": "CAMERAS",
        "name": "Số camera an ninh",
        "name_en": "Security cameras",
        "unit": "count",
        "value_type": "integer",
        "time_aggregation": "last",
    }
    key = token_create(user=data.manager).key
    denied = client.post(
        "/api/v1/indicators/",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert denied.status_code == 403
    data.manager.is_superuser = True
    data.manager.save()
    ok = client.post(
        "/api/v1/indicators/",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert (
        ok.status_code == 201 and Indicator.objects.get(code="CAMERAS").time_aggregation == "last"
    )
    again = client.post(
        "/api/v1/indicators/",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert again.status_code == 400


def test_an_administrator_whose_membership_ended_adds_no_indicator(client, data):
    import datetime as dt

    from antq.accounts.models import Role
    from antq.accounts.services import membership_grant, user_create

    payload = {
        "code": "CAMERAS",
        "name": "Số camera an ninh",
        "unit": "count",
        "value_type": "integer",
        "time_aggregation": "last",
    }
    former = user_create(username="quantri-cu", password=None)
    membership_grant(
        user=former,
        body=data.province_police,
        role=Role.ADMINISTRATOR,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2024, 12, 31),
    )
    key = token_create(user=former).key
    denied = client.post(
        "/api/v1/indicators/",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert denied.status_code == 403 and not Indicator.objects.filter(code="CAMERAS").exists()
    membership_grant(
        user=former, body=data.province_police, role=Role.ADMINISTRATOR, valid_to=None
    )  # in office again
    ok = client.post(
        "/api/v1/indicators/",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert ok.status_code == 201


def test_bulk_values_are_all_or_nothing_and_scoped(client, data):
    key = token_create(user=data.official).key
    good = {"indicator": "MEDIA_ITEMS", "area": "06124", "period": "202601", "value": "3"}
    bad = {"indicator": "MEDIA_ITEMS", "area": "06124", "period": "202602", "value": "ba"}
    before = DataValue.objects.count()
    response = client.post(
        "/api/v1/datavalues/bulk",
        {"values": [good, bad]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_values" and error["details"][0].startswith("values[1]: ")
    assert DataValue.objects.count() == before
    other = {"indicator": "MEDIA_ITEMS", "area": "06172", "period": "202601", "value": "3"}
    denied = client.post(
        "/api/v1/datavalues/bulk",
        {"values": [good, other]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert denied.status_code == 403 and DataValue.objects.count() == before
    ok = client.post(
        "/api/v1/datavalues/bulk",
        {"values": [good]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert ok.status_code == 200 and ok.json()["created"] == 1
