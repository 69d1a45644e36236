"""The demo adds up to the seed article's province totals, in both modes: typed synthetic
values for tips and cases, records of the registries for media items and models."""

from __future__ import annotations

import datetime as dt

import pytest

from antq.areas.selectors import area_by_code
from antq.demo.grassroots import MEDIA_2019_2022, MODELS_END_2022, grassroots_load
from antq.demo.indicators import COUNTED, SEED_TOTALS, indicators_load
from antq.grassroots.services import registries_install
from antq.indicators import derived
from antq.indicators.engine import analytics
from antq.indicators.models import DataValue, Indicator
from antq.indicators.periods import parse_period
from antq.indicators.services import catalogue_install

pytestmark = pytest.mark.django_db


def test_the_demo_values_match_the_seed_in_both_modes():
    catalogue_install()
    registries_install()
    assert grassroots_load() is True
    assert grassroots_load() is False  # idempotent
    assert indicators_load() > 0
    assert indicators_load() == 0  # idempotent
    on = dt.date(2026, 1, 1)
    lang_son = area_by_code("20", on)
    expected = {**SEED_TOTALS, "SM_MODELS_ACTIVE": MODELS_END_2022}
    assert expected["MEDIA_ITEMS"] == MEDIA_2019_2022
    for code, total in expected.items():
        indicator = Indicator.objects.get(code=code)
        start, end = (
            (parse_period("2022"), parse_period("2022"))
            if code == "SM_MODELS_ACTIVE"
            else (parse_period("2019"), parse_period("2022"))
        )
        historic = analytics(
            indicators=[indicator], area=lang_son, start=start, end=end, on=on, by_area=True
        )
        current = analytics(
            indicators=[indicator],
            area=lang_son,
            start=start,
            end=end,
            on=on,
            by_area=True,
            mode="current",
        )
        assert historic.total == current.total == total, code
        assert {r.area for r in historic.rows} <= {"178", *(str(c) for c in range(180, 190))}
        assert len({r.area for r in current.rows}) > 11  # today's communes
        behind = derived.records_behind(indicator, lang_son, start, end)
        if code in COUNTED or code == "SM_MODELS_ACTIVE":
            # counted from records, none typed: the drill-down lists exactly them
            assert len(behind.records) == total, code
            assert (
                not DataValue.objects.filter(
                    indicator=indicator, period_start__gte=dt.date(2019, 1, 1)
                )
                .exclude(source="derived")
                .exists()
            )
        else:
            assert behind is None  # typed figures have no records behind them
    # the seed's rules hold in every commune-month: cleared cases <= tips of value <= tips
    cells = {}
    for code, area, period, value in DataValue.objects.values_list(
        "indicator__code", "area_id", "period", "value"
    ):
        cells.setdefault((area, period), {})[code] = value
    for cell in cells.values():
        assert (
            cell.get("CASES_CLEARED_BY_TIPS", 0)
            <= cell.get("TIPS_VALUABLE", 0)
            <= cell.get("TIPS_RECEIVED", 0)
        )
