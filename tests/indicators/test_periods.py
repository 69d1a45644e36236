"""Period codes, the gregorian and reporting calendars, and period arithmetic (no database)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from antq.indicators.periods import (
    CALENDARS,
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_TYPES,
    Period,
    PeriodError,
    parse_period,
    period_of,
    period_range,
    periods_between,
)

D = dt.date


def P(code: str) -> Period:
    return parse_period(code)


# -- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "type", "year", "index"),
    [
        ("2022", "year", 2022, 1),
        ("2022S1", "half", 2022, 1),
        ("2022S2", "half", 2022, 2),
        ("2022Q1", "quarter", 2022, 1),
        ("2022Q4", "quarter", 2022, 4),
        ("202201", "month", 2022, 1),
        ("202207", "month", 2022, 7),
        ("202212", "month", 2022, 12),
        ("1900", "year", 1900, 1),
        ("2100Q4", "quarter", 2100, 4),
        ("  2022Q3\n", "quarter", 2022, 3),
    ],
)
def test_good_codes_parse_into_periods(code, type, year, index):
    assert parse_period(code) == Period(type, year, index)


@pytest.mark.parametrize(("code", "normalised"), [("2022q3", "2022Q3"), ("2022s1", "2022S1")])
def test_lowercase_half_and_quarter_letters_are_accepted_and_normalised(code, normalised):
    assert parse_period(code).code == normalised


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   ",
        "22",
        "20221",
        "2022Q5",
        "2022Q0",
        "2022S3",
        "2022S0",
        "202213",
        "202200",
        "2022-07",
        "2022/07",
        "2022 Q3",
        "2022H1",
        "Q3 2022",
        "2022Q",
        "2022Q12",
        "20220701",
        "1899",
        "2101",
        "189912",
        "2101Q1",
        "２０２２",
        "٢٠٢٢",
        "+2022",
        "-2022",
    ],
)
def test_each_bad_code_is_refused_with_a_period_error(code):
    with pytest.raises(PeriodError):
        parse_period(code)


def test_a_period_error_is_a_value_error_with_a_clear_message():
    with pytest.raises(ValueError, match="quarter is Q1-Q4"):
        parse_period("2022Q5")
    with pytest.raises(PeriodError, match="month must be 01-12"):
        parse_period("202213")
    with pytest.raises(PeriodError, match="outside the supported range 1900-2100"):
        parse_period("2101")
    with pytest.raises(PeriodError, match="not a period code"):
        parse_period("2022-07")


def test_a_code_that_is_not_a_string_is_refused():
    with pytest.raises(PeriodError):
        parse_period(2022)


@pytest.mark.parametrize(
    ("type", "year", "index"),
    [
        ("week", 2022, 1),
        ("year", 2022, 2),
        ("half", 2022, 3),
        ("quarter", 2022, 0),
        ("month", 2022, 13),
        ("month", 1899, 12),
        ("month", 2022.0, 1),
        ("month", "2022", 1),
        ("month", 2022, True),
    ],
)
def test_a_period_cannot_be_built_from_bad_parts(type, year, index):
    with pytest.raises(PeriodError):
        Period(type, year, index)


@pytest.mark.parametrize("code", ["2022", "2022S1", "2022S2", "2022Q3", "202207", "190001"])
def test_code_and_str_give_back_the_canonical_code(code):
    assert parse_period(code).code == code
    assert str(parse_period(code)) == code


# -- calendars: start and end --------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2022", D(2022, 1, 1), D(2022, 12, 31)),
        ("2022S1", D(2022, 1, 1), D(2022, 6, 30)),
        ("2022S2", D(2022, 7, 1), D(2022, 12, 31)),
        ("2022Q1", D(2022, 1, 1), D(2022, 3, 31)),
        ("2022Q2", D(2022, 4, 1), D(2022, 6, 30)),
        ("2022Q4", D(2022, 10, 1), D(2022, 12, 31)),
        ("202201", D(2022, 1, 1), D(2022, 1, 31)),
        ("202202", D(2022, 2, 1), D(2022, 2, 28)),
        ("202402", D(2024, 2, 1), D(2024, 2, 29)),
        ("190002", D(1900, 2, 1), D(1900, 2, 28)),
        ("200002", D(2000, 2, 1), D(2000, 2, 29)),
        ("202204", D(2022, 4, 1), D(2022, 4, 30)),
        ("202212", D(2022, 12, 1), D(2022, 12, 31)),
    ],
)
def test_gregorian_periods_follow_calendar_months(code, start, end):
    assert P(code).start("gregorian") == start
    assert P(code).end("gregorian") == end


def test_the_calendar_defaults_to_gregorian():
    assert P("2022").start() == D(2022, 1, 1)
    assert P("2022").end() == D(2022, 12, 31)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2022", D(2021, 12, 15), D(2022, 12, 14)),
        ("2022S1", D(2021, 12, 15), D(2022, 6, 14)),
        ("2022S2", D(2022, 6, 15), D(2022, 12, 14)),
        ("2022Q1", D(2021, 12, 15), D(2022, 3, 14)),
        ("2022Q2", D(2022, 3, 15), D(2022, 6, 14)),
        ("2022Q3", D(2022, 6, 15), D(2022, 9, 14)),
        ("2022Q4", D(2022, 9, 15), D(2022, 12, 14)),
        ("202201", D(2021, 12, 15), D(2022, 1, 14)),
        ("202203", D(2022, 2, 15), D(2022, 3, 14)),
        ("202403", D(2024, 2, 15), D(2024, 3, 14)),
        ("202212", D(2022, 11, 15), D(2022, 12, 14)),
        ("1900", D(1899, 12, 15), D(1900, 12, 14)),
    ],
)
def test_reporting_periods_close_on_the_fourteenth(code, start, end):
    assert P(code).start("reporting") == start
    assert P(code).end("reporting") == end


def test_an_unknown_calendar_is_refused():
    with pytest.raises(PeriodError, match="unknown calendar"):
        P("2022").start("lunar")
    with pytest.raises(PeriodError, match="unknown calendar"):
        period_of(D(2022, 1, 1), "month", "fiscal")


# -- period_of -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "type", "expected"),
    [
        (D(2021, 12, 14), "year", "2021"),
        (D(2021, 12, 15), "year", "2022"),
        (D(2021, 12, 15), "half", "2022S1"),
        (D(2021, 12, 15), "quarter", "2022Q1"),
        (D(2021, 12, 15), "month", "202201"),
        (D(2022, 1, 14), "month", "202201"),
        (D(2022, 1, 15), "month", "202202"),
        (D(2022, 3, 14), "quarter", "2022Q1"),
        (D(2022, 3, 14), "month", "202203"),
        (D(2022, 3, 15), "quarter", "2022Q2"),
        (D(2022, 3, 15), "month", "202204"),
        (D(2022, 2, 15), "month", "202203"),
        (D(2022, 6, 14), "half", "2022S1"),
        (D(2022, 6, 15), "half", "2022S2"),
        (D(2022, 6, 15), "quarter", "2022Q3"),
        (D(2022, 12, 14), "year", "2022"),
        (D(2022, 12, 14), "half", "2022S2"),
        (D(2022, 12, 31), "year", "2023"),
        (D(2022, 12, 31), "month", "202301"),
        (D(2022, 1, 1), "month", "202201"),
    ],
)
def test_in_the_reporting_calendar_the_fifteenth_opens_the_next_period(day, type, expected):
    assert period_of(day, type, "reporting") == P(expected)


@pytest.mark.parametrize(
    ("day", "type", "expected"),
    [
        (D(2021, 12, 15), "year", "2021"),
        (D(2021, 12, 31), "year", "2021"),
        (D(2022, 1, 1), "year", "2022"),
        (D(2022, 6, 30), "half", "2022S1"),
        (D(2022, 7, 1), "half", "2022S2"),
        (D(2022, 3, 15), "quarter", "2022Q1"),
        (D(2022, 4, 1), "quarter", "2022Q2"),
        (D(2024, 2, 29), "month", "202402"),
    ],
)
def test_in_the_gregorian_calendar_periods_follow_the_date(day, type, expected):
    assert period_of(day, type) == P(expected)
    assert period_of(day, type, "gregorian") == P(expected)


def test_period_of_accepts_a_datetime_and_refuses_what_is_not_a_date():
    assert period_of(dt.datetime(2022, 3, 15, 23, 59), "month", "reporting") == P("202204")
    with pytest.raises(TypeError):
        period_of("2022-03-15", "month")


def test_period_of_refuses_an_unknown_type():
    with pytest.raises(PeriodError, match="unknown period type"):
        period_of(D(2022, 1, 1), "week")


def test_period_of_refuses_days_whose_period_is_beyond_the_supported_years():
    assert period_of(D(2100, 12, 14), "year", "reporting") == P("2100")
    with pytest.raises(PeriodError):
        period_of(D(2100, 12, 15), "year", "reporting")
    with pytest.raises(PeriodError):
        period_of(D(1899, 12, 14), "month", "reporting")
    assert period_of(D(1899, 12, 15), "month", "reporting") == P("190001")


# -- containment, children, parent ---------------------------------------------------------


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("2022", "2022S2", True),
        ("2022", "2022Q3", True),
        ("2022", "202212", True),
        ("2022", "2022", True),
        ("2022", "202301", False),
        ("2022", "2021Q4", False),
        ("2022S1", "2022Q2", True),
        ("2022S1", "2022Q3", False),
        ("2022S2", "202207", True),
        ("2022S2", "202206", False),
        ("2022Q3", "202209", True),
        ("2022Q3", "202210", False),
        ("2022Q3", "2022S2", False),
        ("202207", "2022", False),
        ("202207", "202207", True),
    ],
)
def test_a_period_contains_the_finer_periods_within_it(outer, inner, expected):
    assert P(outer).contains(P(inner)) is expected


def test_children_divide_a_period_into_finer_ones_in_order():
    assert P("2022").children("month") == [Period("month", 2022, m) for m in range(1, 13)]
    assert P("2022").children("half") == [P("2022S1"), P("2022S2")]
    assert P("2022S2").children("quarter") == [P("2022Q3"), P("2022Q4")]
    assert P("2022S2").children("month") == [P(f"2022{m:02d}") for m in range(7, 13)]
    assert P("2022Q2").children("month") == [P("202204"), P("202205"), P("202206")]
    assert P("2022Q2").children("quarter") == [P("2022Q2")]


def test_children_of_a_coarser_type_are_refused():
    with pytest.raises(PeriodError):
        P("2022Q2").children("half")
    with pytest.raises(PeriodError):
        P("202205").children("year")


def test_parent_is_the_coarser_period_that_contains_it():
    assert P("202207").parent("quarter") == P("2022Q3")
    assert P("202206").parent("half") == P("2022S1")
    assert P("202207").parent("half") == P("2022S2")
    assert P("2022Q3").parent("year") == P("2022")
    assert P("2022Q2").parent("half") == P("2022S1")
    assert P("202207").parent("month") == P("202207")
    with pytest.raises(PeriodError):
        P("2022Q3").parent("month")


# -- arithmetic ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "n", "expected"),
    [
        ("202212", 1, "202301"),
        ("202301", -1, "202212"),
        ("202207", 0, "202207"),
        ("202207", 18, "202401"),
        ("202207", -19, "202012"),
        ("2022Q4", 1, "2023Q1"),
        ("2022Q1", -1, "2021Q4"),
        ("2022Q3", 6, "2024Q1"),
        ("2022S2", 1, "2023S1"),
        ("2022S1", -1, "2021S2"),
        ("2022", 3, "2025"),
        ("2022", -1, "2021"),
    ],
)
def test_shifting_moves_by_whole_periods_across_years(code, n, expected):
    assert P(code).shift(n) == P(expected)
    assert P(code) + n == P(expected)
    assert P(code) - (-n) == P(expected)


def test_shifting_out_of_the_supported_years_is_refused():
    with pytest.raises(PeriodError):
        P("210012").shift(1)
    with pytest.raises(PeriodError):
        P("1900Q1").shift(-1)


def test_subtracting_two_periods_of_one_type_counts_the_periods_between():
    assert P("202301") - P("202212") == 1
    assert P("2022Q1") - P("2023Q1") == -4
    with pytest.raises(PeriodError):
        P("2023") - P("202212")


def test_a_range_lists_every_period_between_both_ends_inclusive():
    assert period_range(P("2022Q3"), P("2023Q2")) == [
        P("2022Q3"),
        P("2022Q4"),
        P("2023Q1"),
        P("2023Q2"),
    ]
    assert period_range(P("202211"), P("202302")) == [
        P("202211"),
        P("202212"),
        P("202301"),
        P("202302"),
    ]
    assert period_range(P("2022"), P("2022")) == [P("2022")]


def test_a_range_needs_one_type_and_start_not_after_end():
    with pytest.raises(PeriodError, match="one type"):
        period_range(P("2022"), P("202212"))
    with pytest.raises(PeriodError, match="after its end"):
        period_range(P("2023Q1"), P("2022Q4"))


def test_periods_between_covers_the_endpoints_with_periods_of_the_type():
    months = periods_between("2019", "2022", "month")
    assert len(months) == 48
    assert months[0] == P("201901")
    assert months[-1] == P("202212")
    assert periods_between("2019Q3", "2020", "quarter") == [
        P("2019Q3"),
        P("2019Q4"),
        P("2020Q1"),
        P("2020Q2"),
        P("2020Q3"),
        P("2020Q4"),
    ]
    assert periods_between("2021S2", "2022Q1", "month") == [
        P(code) for code in ["202107", "202108", "202109", "202110", "202111", "202112"]
    ] + [P("202201"), P("202202"), P("202203")]
    assert periods_between(P("2020"), P("2021"), "year") == [P("2020"), P("2021")]
    assert periods_between("2022Q2", "2022Q2", "quarter") == [P("2022Q2")]


def test_periods_between_refuses_endpoints_finer_than_the_type_or_reversed():
    with pytest.raises(PeriodError, match="does not align"):
        periods_between("202207", "2022", "quarter")
    with pytest.raises(PeriodError, match="does not align"):
        periods_between("2022", "2022Q3", "half")
    with pytest.raises(PeriodError, match="starts after"):
        periods_between("2023", "2022", "month")
    with pytest.raises(PeriodError):
        periods_between("2022Q5", "2023", "month")
    with pytest.raises(PeriodError, match="unknown period type"):
        periods_between("2022", "2023", "week")


# -- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("2022", "Năm 2022", "2022"),
        ("2022S1", "6 tháng đầu năm 2022", "H1 2022"),
        ("2022S2", "6 tháng cuối năm 2022", "H2 2022"),
        ("2022Q1", "Quý I/2022", "Q1 2022"),
        ("2022Q2", "Quý II/2022", "Q2 2022"),
        ("2022Q3", "Quý III/2022", "Q3 2022"),
        ("2022Q4", "Quý IV/2022", "Q4 2022"),
        ("202207", "Tháng 7/2022", "Jul 2022"),
        ("202201", "Tháng 1/2022", "Jan 2022"),
        ("202212", "Tháng 12/2022", "Dec 2022"),
    ],
)
def test_periods_are_labelled_in_vietnamese_and_english(code, vi, en):
    assert P(code).label_vi() == vi
    assert P(code).label_en() == en


# -- ordering and hashing ------------------------------------------------------------------


def test_periods_of_one_type_sort_chronologically():
    codes = ["202301", "202112", "202212", "202201", "202202"]
    assert [p.code for p in sorted(P(c) for c in codes)] == [
        "202112",
        "202201",
        "202202",
        "202212",
        "202301",
    ]
    assert P("2022Q4") < P("2023Q1")
    assert P("2023Q1") > P("2022Q4")
    assert P("2022S1") <= P("2022S1")
    assert P("2022S2") >= P("2022S1")


def test_periods_of_different_types_sort_by_start_coarser_first():
    mixed = [P("202202"), P("202201"), P("2022Q1"), P("2022S1"), P("2022"), P("2021Q4")]
    assert [p.code for p in sorted(mixed)] == [
        "2021Q4",
        "2022",
        "2022S1",
        "2022Q1",
        "202201",
        "202202",
    ]


def test_periods_are_hashable_and_equal_by_value():
    assert P("2022q3") == Period("quarter", 2022, 3)
    assert hash(P("2022q3")) == hash(Period("quarter", 2022, 3))
    assert len({P("2022"), P("2022"), P(" 2022 "), P("2022S1")}) == 2
    assert {P("202207"): "x"}[Period("month", 2022, 7)] == "x"
    assert P("2022") != P("202201")
    assert P("2022") != "2022"


def test_periods_are_immutable():
    period = P("2022")
    with pytest.raises(AttributeError):
        period.year = 2023


def test_comparing_a_period_with_something_else_is_a_type_error():
    with pytest.raises(TypeError):
        P("2022") < "2023"  # noqa: B015


# -- plain module --------------------------------------------------------------------------


def test_the_module_imports_without_django():
    code = (
        "import sys, antq.indicators.periods as m; "
        "assert m.parse_period('2022Q3').label_vi() == 'Quý III/2022'; "
        "assert not any(n == 'django' or n.startswith('django.') for n in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- properties ----------------------------------------------------------------------------

# Every day whose period is in the supported years, in either calendar.
days = st.dates(min_value=D(MIN_YEAR, 1, 1), max_value=D(MAX_YEAR, 12, 14))
# Days whose previous and next periods are supported too.
inner_days = st.dates(min_value=D(MIN_YEAR + 1, 1, 1), max_value=D(MAX_YEAR - 2, 12, 31))
types = st.sampled_from(PERIOD_TYPES)
calendars = st.sampled_from(CALENDARS)


supported_years = st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR)


@st.composite
def periods(draw, years=supported_years):
    type = draw(types)
    count = {"year": 1, "half": 2, "quarter": 4, "month": 12}[type]
    return Period(type, draw(years), draw(st.integers(min_value=1, max_value=count)))


@given(days, types, calendars)
def test_the_period_of_a_day_contains_that_day(day, type, calendar):
    period = period_of(day, type, calendar)
    assert period.start(calendar) <= day <= period.end(calendar)


@given(inner_days, types, calendars)
def test_consecutive_periods_tile_time_without_gaps_or_overlaps(day, type, calendar):
    period = period_of(day, type, calendar)
    assert period.shift(1).start(calendar) == period.end(calendar) + dt.timedelta(days=1)
    assert period.shift(-1).end(calendar) == period.start(calendar) - dt.timedelta(days=1)
    assert period_of(period.start(calendar), type, calendar) == period
    assert period_of(period.end(calendar), type, calendar) == period


@given(days, types, types, calendars)
def test_the_coarser_period_of_a_day_contains_the_finer_one(day, a, b, calendar):
    coarse, fine = sorted([a, b], key=PERIOD_TYPES.index)
    outer, inner = period_of(day, coarse, calendar), period_of(day, fine, calendar)
    assert outer.contains(inner)
    assert inner.parent(coarse) == outer
    assert inner in outer.children(fine)


@given(periods())
def test_a_code_parses_back_to_the_same_period(period):
    assert parse_period(period.code) == period
    assert parse_period(period.code.lower()) == period


@given(periods(), calendars)
def test_children_tile_their_parent(period, calendar):
    for fine in PERIOD_TYPES[PERIOD_TYPES.index(period.type) :]:
        children = period.children(fine)
        assert children[0].start(calendar) == period.start(calendar)
        assert children[-1].end(calendar) == period.end(calendar)
        assert children == period_range(children[0], children[-1])


@given(periods(years=st.integers(min_value=1950, max_value=2050)), st.integers(-40, 40))
def test_shifting_is_reversible_and_ordered(period, n):
    shifted = period.shift(n)
    assert shifted.shift(-n) == period
    assert shifted - period == n
    assert (shifted > period) is (n > 0)
    assert (shifted.start() > period.start()) is (n > 0)
