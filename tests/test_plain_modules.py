"""The Django-free helpers: settings parsing and Vietnamese formatting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from antq.core.envconf import ConfigError, env_bool, env_int, env_list, parse_database_url
from antq.core.vnformat import format_number, format_vnd, parse_date


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (6512, 0, "6.512"),
        (4.5, 1, "4,5"),
        (-1234567, 0, "-1.234.567"),
        (0, 0, "0"),
        (999, 0, "999"),
        (Decimal("1000.25"), 2, "1.000,25"),
    ],
)
def test_numbers_are_written_the_vietnamese_way(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (4_500_000_000, "4,5 tỷ đồng"),
        (750_000_000, "750 triệu đồng"),
        (12_000, "12.000 đồng"),
        (1_000_000_000, "1 tỷ đồng"),
        (1_250_000, "1,25 triệu đồng"),
    ],
)
def test_money_is_written_in_ty_and_trieu_dong(amount, expected):
    assert format_vnd(amount) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-01-01", dt.date(2022, 1, 1)),
        ("01/01/2022", dt.date(2022, 1, 1)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        (" 22-03-2019 ", dt.date(2019, 3, 22)),
    ],
)
def test_dates_are_read_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "31/02/2022", "2022/01/01", "01/01/22", "hôm nay", "2022-1-1"]
)
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_booleans_are_read_strictly():
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "0"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(ConfigError, match="X='maybe'"):
        env_bool("X", False, {"X": "maybe"})


def test_integers_and_lists_are_read_strictly():
    assert env_int("N", 5, {"N": "7"}) == 7
    with pytest.raises(ConfigError):
        env_int("N", 5, {"N": "7.5"})
    with pytest.raises(ConfigError, match="below the minimum"):
        env_int("N", 5, {"N": "0"}, minimum=1)
    assert env_list("H", ["a"], {"H": "a.vn, b.vn"}) == ["a.vn", "b.vn"]
    with pytest.raises(ConfigError, match="empty item"):
        env_list("H", [], {"H": "a.vn,,b.vn"})


def test_database_urls_are_parsed_and_bad_ones_refused():
    url = parse_database_url("postgres://antq:p%40ss@db.local:5433/antq?sslmode=require")
    assert (url.engine, url.name, url.user, url.password, url.host, url.port) == (
        "django.db.backends.postgresql",
        "antq",
        "antq",
        "p@ss",
        "db.local",
        "5433",
    )
    assert dict(url.options) == {"sslmode": "require"}
    assert (
        parse_database_url("sqlite:////var/lib/antq/db.sqlite3").name == "/var/lib/antq/db.sqlite3"
    )
    for bad in ("mysql://x/y", "postgres://host:5432/", "postgres://host:99999/db", "sqlite://"):
        with pytest.raises(ConfigError):
            parse_database_url(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.512", "6512"),
        ("4.500.000", "4500000"),
        ("4,5", "4.5"),
        ("1.234,5", "1234.5"),
        ("6512", "6512"),
        ("4.5", "4.5"),
        (" 12 ", "12"),
        ("-3", "-3"),
    ],
)
def test_numbers_are_read_as_officials_type_them(text, expected):
    from antq.core.vnformat import parse_number

    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "mười", "NaN", "inf", "1,2,3", "4.5.6,7,8"])
def test_non_numbers_are_refused(text):
    from decimal import InvalidOperation

    from antq.core.vnformat import parse_number

    with pytest.raises((InvalidOperation, ValueError)):
        parse_number(text)


def test_plain_numbers_for_inputs_have_no_grouping():
    from antq.core.vnformat import plain_number

    assert plain_number(Decimal("4500000.0000")) == "4500000"
    assert plain_number(Decimal("4.5000")) == "4.5"
    assert plain_number(None) == ""


def test_a_single_dot_group_is_a_decimal_point_when_a_fraction_is_allowed():
    from antq.core.vnformat import parse_number

    assert parse_number("6.512", whole=False) == Decimal("6.512")
    assert parse_number("4.500.000", whole=False) == Decimal("4500000")


def test_names_sort_in_vietnamese_alphabetical_order():
    from antq.core.vnformat import sort_key

    names = ["Đảng ủy Công an", "Ban Tuyên giáo", "Ban cán sự đảng", "Ban Tổ chức", "Dạ", "Da"]
    assert sorted(names, key=sort_key) == [
        "Ban cán sự đảng",
        "Ban Tổ chức",  # ô comes before u
        "Ban Tuyên giáo",
        "Da",  # no tone before the nặng tone
        "Dạ",
        "Đảng ủy Công an",  # đ after d
    ]
