"""Values and the aggregation engine: historic and current totals agree; stocks and flows;
all-or-nothing saves with located errors; a saved value is in every total at once."""

from __future__ import annotations

import datetime as dt

import pytest

from antq.areas.selectors import area_by_code
from antq.indicators.engine import AnalyticsError, analytics
from antq.indicators.models import DataValue, DataValueChange, Indicator
from antq.indicators.periods import parse_period
from antq.indicators.services import ValueErrors, ValueInput, catalogue_install, values_save

pytestmark = pytest.mark.django_db
D = dt.date
BEFORE, AFTER = D(2022, 1, 1), D(2026, 1, 1)


@pytest.fixture
def catalogue(db):
    catalogue_install()
    return {i.code: i for i in Indicator.objects.all()}


def total(catalogue, code, area="20", start="2019", end="2022", on=AFTER, mode="historic", **kw):
    return analytics(
        indicators=[catalogue[code]],
        area=area_by_code(area, on),
        start=parse_period(start),
        end=parse_period(end),
        on=on,
        mode=mode,
        **kw,
    )


def test_the_standard_catalogue_is_installed_once(catalogue):
    assert {
        "MEDIA_ITEMS",
        "SM_MODELS_ACTIVE",
        "TIPS_RECEIVED",
        "TIPS_VALUABLE",
        "CASES_CLEARED_BY_TIPS",
        "SUSPECTS_BY_TIPS",
        "ASSETS_RECOVERED_VND",
    } <= set(catalogue)
    assert catalogue["SM_MODELS_ACTIVE"].time_aggregation == "last"
    assert catalogue_install() == (0, 0)


def test_flows_add_up_and_both_modes_agree_on_lang_son(catalogue):
    values_save(
        [
            ValueInput(
                "MEDIA_ITEMS", "06157", "201903", 5
            ),  # Xã Hoàng Việt (Văn Lãng), merged into Na Sầm
            ValueInput("MEDIA_ITEMS", "06124", "202011", 7),  # Thị trấn Na Sầm (old code 06124)
            ValueInput("MEDIA_ITEMS", "06622", "202206", 10),  # Xã Bính Xá, split in two halves
            ValueInput("MEDIA_ITEMS", "00004", "202206", 99),  # Hà Nội: not in Lạng Sơn
        ],
        actor=None,
    )
    historic = total(catalogue, "MEDIA_ITEMS")
    current = total(catalogue, "MEDIA_ITEMS", mode="current")
    assert historic.total == current.total == 22
    by_district = total(catalogue, "MEDIA_ITEMS", on=BEFORE, by_area=True)
    assert {r.area: r.value for r in by_district.rows} == {"182": 12, "189": 10}
    by_commune = total(catalogue, "MEDIA_ITEMS", mode="current", by_area=True)
    rows = {r.area: r.value for r in by_commune.rows}
    assert rows["06124"] == 12  # today's Xã Na Sầm took Hoàng Việt and Na Sầm
    assert sum(rows.values()) == 22
    assert sorted(v for a, v in rows.items() if a != "06124") == [5, 5]  # Bính Xá split equally


def test_grouping_by_year_and_quarter(catalogue):
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06157", "201903", 5),
            ValueInput("MEDIA_ITEMS", "06157", "201904", 1),
            ValueInput("MEDIA_ITEMS", "06157", "202011", 7),
        ],
        actor=None,
    )
    years = total(catalogue, "MEDIA_ITEMS", by_time="year")
    assert {r.period: r.value for r in years.rows} == {"2019": 6, "2020": 7}
    quarters = total(catalogue, "MEDIA_ITEMS", by_time="quarter")
    assert {r.period: r.value for r in quarters.rows} == {"2019Q1": 5, "2019Q2": 1, "2020Q4": 7}


def test_stocks_take_the_last_value_of_each_unit(catalogue):
    values_save(
        [
            ValueInput("SM_MODELS_ACTIVE", "06157", "202211", 2),
            ValueInput("SM_MODELS_ACTIVE", "06157", "202212", 3),
            ValueInput("SM_MODELS_ACTIVE", "06124", "202205", 4),
            ValueInput("SM_MODELS_ACTIVE", "06124", "202101", 9),
        ],
        actor=None,
    )
    result = total(catalogue, "SM_MODELS_ACTIVE", start="2022", end="2022")
    assert result.total == 7  # 3 (Dec) + 4 (May, the latest of the other unit)
    by_year = total(catalogue, "SM_MODELS_ACTIVE", start="2021", end="2022", by_time="year")
    assert {r.period: r.value for r in by_year.rows} == {"2021": 9, "2022": 7}
    assert total(catalogue, "SM_MODELS_ACTIVE", start="2022", end="2022", mode="current").total == 7


def test_a_saved_value_is_in_every_total_at_once(catalogue):
    assert total(catalogue, "TIPS_RECEIVED").total == 0
    values_save([ValueInput("TIPS_RECEIVED", "06157", "202001", 4)], actor=None)
    assert total(catalogue, "TIPS_RECEIVED").total == 4
    assert total(catalogue, "TIPS_RECEIVED", area="VN").total == 4
    values_save(
        [ValueInput("TIPS_RECEIVED", "06157", "202001", 6)], actor=None, reason="sửa số liệu"
    )
    assert total(catalogue, "TIPS_RECEIVED", area="VN", mode="current").total == 6
    change = DataValueChange.objects.filter(period="202001").order_by("changed_at", "id").last()
    assert (change.old_value, change.new_value, change.reason) == (4, 6, "sửa số liệu")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (ValueInput("NO_SUCH", "06157", "202001", 1, where="line 2"), "line 2: unknown indicator"),
        (ValueInput("MEDIA_ITEMS", "06157", "2020Q5", 1, where="line 2"), "is not a period"),
        (ValueInput("MEDIA_ITEMS", "99999", "202001", 1, where="line 2"), "no area had the code"),
        (
            ValueInput("MEDIA_ITEMS", "06157", "202601", 1, where="line 2"),
            "no area had the code",
        ),  # merged in 2025
        (ValueInput("MEDIA_ITEMS", "06157", "202001", "mười", where="line 2"), "is not a number"),
        (ValueInput("MEDIA_ITEMS", "06157", "202001", "-3", where="line 2"), "below the smallest"),
        (ValueInput("MEDIA_ITEMS", "06157", "202001", "2.5", where="line 2"), "whole numbers only"),
        (ValueInput("MEDIA_ITEMS", "06157", "202001", "NaN", where="line 2"), "is not a number"),
    ],
)
def test_bad_values_are_refused_with_their_location_and_nothing_is_saved(catalogue, item, message):
    from django.utils import translation

    good = ValueInput("MEDIA_ITEMS", "06124", "202001", 3, where="line 1")
    with translation.override("en"), pytest.raises(ValueErrors) as caught:
        values_save([good, item], actor=None)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith("line 2: ") and message in caught.value.problems[0]
    assert not DataValue.objects.exists()


def test_bad_queries_are_refused(catalogue):
    with pytest.raises(AnalyticsError):
        total(catalogue, "MEDIA_ITEMS", mode="tomorrow")
    with pytest.raises(AnalyticsError):
        total(catalogue, "MEDIA_ITEMS", start="2022", end="2019")
    values_save([ValueInput("MEDIA_ITEMS", "06157", "2020", 3)], actor=None)
    with pytest.raises(AnalyticsError):
        total(catalogue, "MEDIA_ITEMS", by_time="month")  # a yearly value cannot be split


def test_the_reporting_calendar_dates_values(catalogue):
    values_save([ValueInput("MEDIA_ITEMS", "06157", "202201", 2)], actor=None, calendar="reporting")
    value = DataValue.objects.get()
    assert (value.period_start, value.period_end) == (D(2021, 12, 15), D(2022, 1, 14))


def test_values_from_before_an_area_existed_do_not_reach_it(catalogue):
    values_save([ValueInput("MEDIA_ITEMS", "06124", "202001", 3)], actor=None)  # old Na Sầm
    assert total(catalogue, "MEDIA_ITEMS", area="06124", on=AFTER, mode="historic").total == 0
    assert total(catalogue, "MEDIA_ITEMS", area="06124", on=AFTER, mode="current").total == 3


def test_the_sql_path_and_the_general_path_agree(catalogue):
    """Historic sums by child and year are answered by one grouped SQL query; the general
    path (taken here by passing a scope) must give the same rows."""
    from antq.areas.models import Area
    from antq.demo.indicators import indicators_load

    indicators_load()
    everything = list(Area.objects.values_list("pk", flat=True))
    for by_area in (False, True):
        for by_time in (None, "year"):
            fast = total(catalogue, "TIPS_RECEIVED", by_area=by_area, by_time=by_time, on=BEFORE)
            general = total(
                catalogue,
                "TIPS_RECEIVED",
                by_area=by_area,
                by_time=by_time,
                on=BEFORE,
                scope_area_ids=everything,
            )
            assert fast.rows == general.rows and fast.total == general.total == 3468


def test_reporting_calendar_values_fall_in_the_year_of_their_code(catalogue):
    values_save([ValueInput("MEDIA_ITEMS", "06157", "202201", 2)], actor=None, calendar="reporting")
    result = total(catalogue, "MEDIA_ITEMS", start="2021", end="2022", by_time="year")
    assert [(r.period, r.value) for r in result.rows] == [("2022", 2)]
