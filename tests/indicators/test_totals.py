"""The pre-computed totals: kept current by every write exactly as a rebuild computes them, and
giving the same answers as the values themselves (the engine's reference path), for flows and
stocks, every grouping, both calendars, mixed period types, and areas that changed parent."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from antq.areas.models import Area, AreaLink, AreaTreePath, Level
from antq.areas.selectors import area_by_code, area_subtree
from antq.areas.services import area_link_create, area_tree_rebuild
from antq.indicators import totals
from antq.indicators.engine import AnalyticsError, analytics
from antq.indicators.models import DataTotal, DataValue, Indicator
from antq.indicators.periods import parse_period, pieces_between
from antq.indicators.services import ValueErrors, ValueInput, catalogue_install, values_save

pytestmark = pytest.mark.django_db
D = dt.date
BEFORE, AFTER = D(2022, 1, 1), D(2026, 1, 1)
FLOW, STOCK = "MEDIA_ITEMS", "SM_MODELS_ACTIVE"


@pytest.fixture
def catalogue(db):
    catalogue_install()
    return {i.code: i for i in Indicator.objects.all()}


def stored_totals() -> dict:
    return {
        (t.indicator_id, t.area_id, t.period, t.grain): (Decimal(t.value), t.count)
        for t in DataTotal.objects.all()
        if t.count or t.value
    }


def communes(province="20", on=BEFORE):
    return sorted(
        area_subtree(area_by_code(province, on), on, level=Level.COMMUNE), key=lambda a: a.code
    )


def random_values(rng: random.Random, n: int) -> list[ValueInput]:
    """Values of one flow and one stock for communes before and after the 2025 reform, by
    month mostly, some by quarter and by year."""
    old, new = communes(on=BEFORE)[:30], communes(on=AFTER)[:15]
    items = []
    for _ in range(n):
        indicator = rng.choice((FLOW, STOCK))
        if rng.random() < 0.7:
            unit = rng.choice(old)
            year = rng.randint(2019, 2024)
        else:
            unit = rng.choice(new)
            year = rng.choice((2025, 2026))
        kind = rng.random()
        if kind < 0.8:
            first = 7 if year == 2025 and unit in new else 1
            last = 6 if year == 2025 and unit in old else 12
            period = f"{year}{rng.randint(first, last):02d}"
        elif kind < 0.95 and not (year == 2025):
            period = f"{year}Q{rng.randint(1, 4)}"
        elif year != 2025:
            period = str(year)
        else:
            continue
        items.append(ValueInput(indicator, unit.code, period, rng.randint(0, 40)))
    return items


QUESTIONS = [
    # area, on, start, end
    ("20", BEFORE, "2019", "2022"),
    ("20", AFTER, "2019", "2026"),
    ("20", BEFORE, "201903", "202206"),
    ("20", AFTER, "2025", "2025"),
    ("20", AFTER, "2024Q3", "2025Q4"),
    ("VN", AFTER, "2019", "2026"),
    ("182", BEFORE, "2019", "2024"),  # Văn Lãng district
]


def both_ways(catalogue, code, area, on, start, end, everything=None, **kw):
    """(the totals' answer, the values' answer), or the two errors. A scope takes the engine
    down its general path, over the values themselves."""
    out = []
    everything = everything or list(Area.objects.values_list("pk", flat=True))
    for scope in (None, everything):
        try:
            out.append(
                analytics(
                    indicators=[catalogue[c] for c in code.split("+")],
                    area=area_by_code(area, on),
                    start=parse_period(start),
                    end=parse_period(end),
                    on=on,
                    scope_area_ids=scope,
                    **kw,
                )
            )
        except AnalyticsError as exc:
            out.append(exc.code)
    return out


def check_agreement(catalogue, questions=QUESTIONS):
    everything = list(Area.objects.values_list("pk", flat=True))
    for area, on, start, end in questions:
        for code in (FLOW, STOCK, f"{FLOW}+{STOCK}"):
            for by_area in (False, True):
                for by_time in (None, "year", "half", "quarter", "month"):
                    fast, slow = both_ways(
                        catalogue,
                        code,
                        area,
                        on,
                        start,
                        end,
                        everything,
                        by_area=by_area,
                        by_time=by_time,
                    )
                    where = (code, area, start, end, by_area, by_time)
                    if isinstance(fast, str) or isinstance(slow, str):
                        assert fast == slow, where
                        continue
                    assert fast.rows == slow.rows, where
                    assert fast.total == slow.total, where


def test_pieces_cover_a_range_with_the_fewest_whole_periods():
    def codes(a, b):
        return [p.code for p in pieces_between(a, b)]

    assert codes("2019", "2022") == ["2019", "2020", "2021", "2022"]
    assert codes("201903", "202206") == ["201903", "2019Q2", "2019S2", "2020", "2021", "2022S1"]
    assert codes("2022Q2", "2022Q3") == ["2022Q2", "2022Q3"]
    assert codes("202201", "202209") == ["2022S1", "2022Q3"]
    assert codes("202207", "202207") == ["202207"]
    with pytest.raises(ValueError):
        pieces_between("2022", "2021")
    assert [p.code for p in parse_period("202207").chain()] == [
        "202207",
        "2022Q3",
        "2022S2",
        "2022",
    ]


def test_writes_keep_the_totals_equal_to_a_rebuild_and_to_the_values(catalogue):
    rng = random.Random(4)
    values_save(random_values(rng, 500), actor=None)
    # Replacements, in the other calendar too, and a batch naming one key twice.
    again = random_values(rng, 200)
    values_save(again, actor=None)
    reporting = [v for v in random_values(rng, 90) if "2020" <= v.period[:4] <= "2024"]
    values_save(reporting, actor=None, calendar="reporting")
    twice = ValueInput(FLOW, communes()[0].code, "202003", 5)
    values_save([twice, ValueInput(FLOW, twice.area, "202003", 9)], actor=None)
    assert (
        DataValue.objects.get(area__code=twice.area, period="202003", indicator__code=FLOW).value
        == 9
    )

    kept = stored_totals()
    assert kept
    totals.rebuild()
    assert stored_totals() == kept
    check_agreement(catalogue)


def test_a_refused_batch_leaves_the_totals_untouched(catalogue):
    values_save(random_values(random.Random(5), 100), actor=None)
    kept = stored_totals()
    good = ValueInput(FLOW, communes()[1].code, "202001", 7, where="line 1")
    with pytest.raises(ValueErrors):
        values_save([good, ValueInput(FLOW, "99999", "202001", 1, where="line 2")], actor=None)
    assert stored_totals() == kept


def test_stocks_count_units_that_still_exist_at_the_end_of_the_period(catalogue):
    old = area_by_code("06157", BEFORE)  # Xã Hoàng Việt, merged into Xã Na Sầm on 1/7/2025
    new = area_by_code("06124", AFTER)  # today's Xã Na Sầm
    values_save(
        [
            ValueInput(STOCK, old.code, "202506", 4),
            ValueInput(STOCK, new.code, "202512", 6),
        ],
        actor=None,
    )

    def stock(start, end, **kw):
        return analytics(
            indicators=[catalogue[STOCK]],
            area=area_by_code("20", AFTER),
            start=parse_period(start),
            end=parse_period(end),
            on=AFTER,
            **kw,
        )

    assert stock("2025", "2025").total == 6  # not 4 + 6: the old commune is gone by 31/12
    assert stock("2025S1", "2025S1").total == 4
    by_half = stock("2025", "2025", by_time="half")
    assert {r.period: r.value for r in by_half.rows} == {"2025S1": 4, "2025S2": 6}
    # A range reports the stock of its last piece: the end of 2025, not the sum of both.
    assert stock("202501", "202512").total == 6
    assert stock("2025", "2025", mode="current").total == 6


def test_a_child_that_changed_parent_within_a_period_is_answered_from_the_values(
    catalogue, monkeypatch
):
    """A village moved from one commune to another on 10/05/2020: the commune's totals by
    village cannot come from whole-period totals, and still agree with the values."""
    first, second = communes()[2], communes()[3]
    village = Area.objects.create(
        code="V0001", name="Thôn Thử", level=Level.VILLAGE, kind="village", valid_from=D(2019, 1, 1)
    )
    AreaLink.objects.create(
        child=village, parent=first, valid_from=D(2019, 1, 1), valid_to=D(2020, 5, 9)
    )
    AreaLink.objects.create(child=village, parent=second, valid_from=D(2020, 5, 10))
    area_tree_rebuild()
    values_save(
        [
            ValueInput(FLOW, "V0001", "202004", 3),
            ValueInput(FLOW, "V0001", "202005", 5),  # starts 1/5: still under the first commune
            ValueInput(FLOW, "V0001", "202006", 7),
            ValueInput(STOCK, "V0001", "202012", 2),
        ],
        actor=None,
    )
    from antq.indicators import engine

    general, calls = engine._from_values, []
    monkeypatch.setattr(
        engine, "_from_values", lambda *a, **k: calls.append(a[5]) or general(*a, **k)
    )
    for commune, want in ((first, 8), (second, 7)):
        fast, slow = both_ways(catalogue, FLOW, commune.code, BEFORE, "2020", "2020", by_area=True)
        assert fast.rows == slow.rows and fast.total == slow.total == want
    assert len(calls) == 4  # both questions went to the values, with and without a scope
    fast, slow = both_ways(catalogue, STOCK, second.code, BEFORE, "2020", "2020", by_area=True)
    assert fast.total == slow.total == 2
    assert AreaTreePath.objects.filter(descendant=village, depth=1).count() == 2
    for code in (FLOW, STOCK):
        for by_time in (None, "month"):
            fast, slow = both_ways(
                catalogue, code, "20", BEFORE, "2020", "2020", by_area=True, by_time=by_time
            )
            assert fast.rows == slow.rows and fast.total == slow.total > 0


def test_a_new_parent_moves_only_that_areas_values_between_totals(catalogue):
    """A village with figures of its own is put under a commune, then under another: its
    values leave and join totals as a rebuild would have them, without a rebuild."""
    from antq.indicators import totals as totals_module

    values_save(random_values(random.Random(6), 80), actor=None)
    village = Area.objects.create(
        code="V0002", name="Thôn Mới", level=Level.VILLAGE, kind="village", valid_from=D(2019, 1, 1)
    )
    rng = random.Random(7)
    values_save(
        [
            ValueInput(code, "V0002", f"{year}{month:02d}", rng.randint(1, 9))
            for code in (FLOW, STOCK)
            for year in (2020, 2021, 2022, 2023)
            for month in (3, 6, 12)
        ],
        actor=None,
    )
    calls = []
    real = totals_module.rebuild
    totals_module.rebuild = lambda *a, **k: calls.append(1) or real(*a, **k)
    try:
        area_link_create(
            child=village,
            parent=communes()[0],
            valid_from=D(2019, 1, 1),
            valid_to=D(2021, 12, 31),
            actor=None,
        )
        moved = stored_totals()
        area_link_create(
            child=village, parent=communes()[5], valid_from=D(2022, 1, 1), valid_to=None, actor=None
        )
        moved_again = stored_totals()
    finally:
        totals_module.rebuild = real
    assert calls == []  # moved, not rebuilt
    village_rows = DataTotal.objects.filter(area=communes()[0], indicator__code=FLOW)
    assert village_rows.filter(period="2021").exists()
    assert not village_rows.filter(period="2022").exists()
    totals.rebuild()
    assert stored_totals() == moved_again != moved
    check_agreement(catalogue, [q for q in QUESTIONS if q[0] == "20"][:3])


def test_a_reload_of_the_tree_rebuilds_every_total(catalogue):
    values_save(random_values(random.Random(8), 80), actor=None)
    kept = stored_totals()
    DataTotal.objects.all().delete()  # as if they had gone stale
    area_tree_rebuild()  # what a load of the official lists ends with
    assert stored_totals() == kept
    DataTotal.objects.all().delete()
    call_command("rebuild_totals", stdout=open("/dev/null", "w"))
    assert stored_totals() == kept


@pytest.mark.parametrize(
    ("value", "message"),
    [("1,23456", "more than 4 decimal places"), ("10000000000000000", "too large")],
)
def test_values_the_database_cannot_hold_are_refused(catalogue, value, message):
    from django.utils import translation

    Indicator.objects.filter(code="ASSETS_RECOVERED_VND").update(value_type="decimal")
    with translation.override("en"), pytest.raises(ValueErrors) as caught:
        values_save([ValueInput("ASSETS_RECOVERED_VND", "06157", "202001", value)], actor=None)
    assert message in caught.value.problems[0]
    assert not DataValue.objects.exists() and not DataTotal.objects.exists()


def test_writers_of_the_same_units_take_turns(catalogue):
    """A write computes the totals' difference from the values it replaces: on PostgreSQL
    it first locks its units' rows (FOR NO KEY UPDATE, in id order), so that two writers of
    one unit cannot both start from the same old value. SQLite has one writer at a time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units = communes()[:3]
    with CaptureQueriesContext(connection) as seen:
        values_save([ValueInput(STOCK, u.code, "202403", 2) for u in reversed(units)], actor=None)
    sql = [q["sql"] for q in seen.captured_queries]
    locks = [s for s in sql if "FOR NO KEY UPDATE" in s]
    if connection.vendor == "postgresql":
        assert len(locks) == 1 and "ORDER BY" in locks[0]
        first_read = next(i for i, s in enumerate(sql) if "indicators_datavalue" in s)
        assert sql.index(locks[0]) < first_read  # locked before anything is read
    else:
        assert locks == []


def test_a_value_replaced_through_the_other_calendar_keeps_its_dates_and_totals(catalogue):
    commune = communes()[4].code
    values_save(
        [ValueInput(FLOW, commune, "202203", 5), ValueInput(STOCK, commune, "202203", 3)],
        actor=None,
        calendar="reporting",
    )
    values_save(
        [ValueInput(FLOW, commune, "202203", 8), ValueInput(STOCK, commune, "202203", 4)],
        actor=None,
    )
    assert set(DataValue.objects.values_list("period_start", flat=True)) == {D(2022, 2, 15)}
    kept = stored_totals()
    totals.rebuild()
    assert stored_totals() == kept


def test_a_large_batch_finds_what_it_replaces_by_ranges(catalogue):
    """Past RANGE_READ_AREAS areas a batch reads existing values by (indicator, period start)
    ranges; replacements, in either calendar, are still found, counted and totalled."""
    from antq.indicators.services import RANGE_READ_AREAS

    many = communes("VN")[: RANGE_READ_AREAS + 50]
    first = [ValueInput(code, a.code, "202305", 3) for a in many for code in (FLOW, STOCK)]
    assert values_save(first[:20], actor=None, calendar="reporting")["created"] == 20
    assert values_save(first[20:], actor=None)["created"] == len(first) - 20
    again = [ValueInput(code, a.code, "202305", 5) for a in many for code in (FLOW, STOCK)]
    counts = values_save(again, actor=None)
    assert counts == {"created": 0, "updated": len(again), "unchanged": 0}
    assert DataValue.objects.count() == len(again)
    assert set(DataValue.objects.values_list("value", flat=True)) == {5}
    kept = stored_totals()
    totals.rebuild()
    assert stored_totals() == kept
