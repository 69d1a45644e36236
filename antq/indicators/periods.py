"""Reporting periods: codes, calendars and arithmetic (stdlib only, no Django needed).

Period codes
    ``2022``      a year
    ``2022S1``    the first half-year ("6 tháng đầu năm"), ``2022S2`` the second
    ``2022Q3``    a quarter (1-4)
    ``202207``    a month (01-12)

Years run from 1900 to 2100. :func:`parse_period` is strict: the only leniency is that
whitespace around the code is ignored and a lowercase ``s``/``q`` is accepted and normalised
(``" 2022q3 "`` -> ``2022Q3``); anything else that is not exactly one of the four forms is
refused with :class:`PeriodError` (a ``ValueError``).

Calendars (each data set chooses one)
    ``gregorian``  periods follow calendar months: 2022Q1 is 01/01/2022-31/03/2022.
    ``reporting``  the Vietnamese state reporting calendar (Nghị định 09/2019/NĐ-CP, chế độ
                   báo cáo): figures close on the 14th, so a month runs from the 15th of the
                   previous month to the 14th of the month; 2022Q1 is 15/12/2021-14/03/2022,
                   2022S1 is 15/12/2021-14/06/2022, 2022S2 is 15/06/2022-14/12/2022 and the
                   year 2022 is 15/12/2021-14/12/2022.

In both calendars a year is made of 2 halves, 4 quarters and 12 months, in the same way, so a
:class:`Period` is calendar-free: only its dates (:meth:`Period.start`, :meth:`Period.end`) and
the period a given day falls in (:func:`period_of`) depend on the calendar. Containment,
children, parents, shifting, ranges and ordering do not.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

__all__ = [
    "CALENDARS",
    "MAX_YEAR",
    "MIN_YEAR",
    "PERIOD_TYPES",
    "Period",
    "PeriodError",
    "parse_period",
    "period_of",
    "period_range",
    "periods_between",
    "pieces_between",
]

PERIOD_TYPES = ("year", "half", "quarter", "month")  # coarse -> fine
CALENDARS = ("gregorian", "reporting")
MIN_YEAR = 1900
MAX_YEAR = 2100

# Day of the month on which a reporting period closes (Nghị định 09/2019/NĐ-CP).
REPORTING_CLOSING_DAY = 14

_MONTHS_IN = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_PER_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}
_RANK = {t: i for i, t in enumerate(PERIOD_TYPES)}
_ROMAN = ("I", "II", "III", "IV")
_MONTH_ABBR_EN = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

# Only ASCII digits: "２０２２" or Arabic-Indic digits are not codes.
_CODE = re.compile(
    r"(?P<year>[0-9]{4})(?:(?P<kind>[SsQq])(?P<part>[0-9])|(?P<month>[0-9]{2}))?", re.ASCII
)
_FORMS = "YYYY, YYYYS1, YYYYS2, YYYYQ1-YYYYQ4 or YYYYMM"


class PeriodError(ValueError):
    """A period code, type, calendar or range that cannot be used."""


def _check_type(type: str) -> str:
    if type not in _RANK:
        raise PeriodError(
            f"unknown period type {type!r}; expected one of {', '.join(PERIOD_TYPES)}"
        )
    return type


def _check_calendar(calendar: str) -> str:
    if calendar not in CALENDARS:
        raise PeriodError(f"unknown calendar {calendar!r}; expected one of {', '.join(CALENDARS)}")
    return calendar


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is outside the supported range {MIN_YEAR}-{MAX_YEAR}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@dataclass(frozen=True, order=False)
class Period:
    """One year, half-year, quarter or month, e.g. ``Period("quarter", 2022, 3)`` is 2022Q3.

    ``index`` is 1 for a year, 1-2 for halves, 1-4 for quarters and 1-12 for months.
    Periods are immutable, hashable and totally ordered: periods of one type sort
    chronologically; across types they sort by start date, a coarser period first when two
    start together (2022 < 2022S1 < 2022Q1 < 202201 < 202202).
    """

    type: str
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        _check_type(self.type)
        if not _is_int(self.year):
            raise PeriodError(f"year must be an integer, not {self.year!r}")
        if not _is_int(self.index):
            raise PeriodError(f"index must be an integer, not {self.index!r}")
        _check_year(self.year)
        count = _PER_YEAR[self.type]
        if not 1 <= self.index <= count:
            allowed = "1" if count == 1 else f"between 1 and {count}"
            raise PeriodError(f"a {self.type} index must be {allowed}, not {self.index}")

    # -- codes and labels ------------------------------------------------------------------

    @functools.cached_property
    def code(self) -> str:
        """'2022', '2022S1', '2022Q3' or '202207'."""
        if self.type == "year":
            return f"{self.year:04d}"
        if self.type == "half":
            return f"{self.year:04d}S{self.index}"
        if self.type == "quarter":
            return f"{self.year:04d}Q{self.index}"
        return f"{self.year:04d}{self.index:02d}"

    def __str__(self) -> str:
        return self.code

    def label_vi(self) -> str:
        """'Năm 2022', '6 tháng đầu năm 2022', 'Quý III/2022', 'Tháng 7/2022'."""
        if self.type == "year":
            return f"Năm {self.year}"
        if self.type == "half":
            which = "đầu" if self.index == 1 else "cuối"
            return f"6 tháng {which} năm {self.year}"
        if self.type == "quarter":
            return f"Quý {_ROMAN[self.index - 1]}/{self.year}"
        return f"Tháng {self.index}/{self.year}"

    def label_en(self) -> str:
        """'2022', 'H1 2022', 'Q3 2022', 'Jul 2022' (fixed English, not locale-dependent)."""
        if self.type == "year":
            return str(self.year)
        if self.type == "half":
            return f"H{self.index} {self.year}"
        if self.type == "quarter":
            return f"Q{self.index} {self.year}"
        return f"{_MONTH_ABBR_EN[self.index - 1]} {self.year}"

    # -- months and dates ------------------------------------------------------------------

    def _first_month(self) -> int:
        return (self.index - 1) * _MONTHS_IN[self.type] + 1

    def _last_month(self) -> int:
        return self._first_month() + _MONTHS_IN[self.type] - 1

    def _ordinal(self) -> int:
        """Position among the periods of this type: consecutive periods differ by one."""
        return self.year * _PER_YEAR[self.type] + self.index - 1

    def _sort_key(self) -> tuple[int, int, int]:
        return (self.year, self._first_month(), _RANK[self.type])

    def start(self, calendar: str = "gregorian") -> dt.date:
        """First day of the period (inclusive) in ``calendar``."""
        month = self._first_month()
        if _check_calendar(calendar) == "gregorian":
            return dt.date(self.year, month, 1)
        year, month = _month_before(self.year, month)
        return dt.date(year, month, REPORTING_CLOSING_DAY + 1)

    def end(self, calendar: str = "gregorian") -> dt.date:
        """Last day of the period (inclusive) in ``calendar``."""
        month = self._last_month()
        if _check_calendar(calendar) == "gregorian":
            year, month = _month_after(self.year, month)
            return dt.date(year, month, 1) - dt.timedelta(days=1)
        return dt.date(self.year, month, REPORTING_CLOSING_DAY)

    # -- hierarchy ---------------------------------------------------------------------------

    def parent(self, type: str) -> Period:
        """The period of the coarser (or same) ``type`` that contains this one.

        ``Period("month", 2022, 7).parent("quarter")`` is 2022Q3; a period is its own parent
        of its own type; asking for a finer type raises :class:`PeriodError`.
        """
        if _RANK[_check_type(type)] > _RANK[self.type]:
            raise PeriodError(f"a {type} cannot contain the {self.type} {self.code}")
        return Period(type, self.year, (self._first_month() - 1) // _MONTHS_IN[type] + 1)

    def children(self, type: str) -> list[Period]:
        """The periods of the finer (or same) ``type`` that make up this one, in order.

        2022 -> 12 months; 2022S2 -> [2022Q3, 2022Q4]; a period's children of its own type
        are ``[self]``; asking for a coarser type raises :class:`PeriodError`.
        """
        if _RANK[_check_type(type)] < _RANK[self.type]:
            raise PeriodError(f"the {self.type} {self.code} cannot be divided into {type}s")
        first = (self._first_month() - 1) // _MONTHS_IN[type] + 1
        count = _MONTHS_IN[self.type] // _MONTHS_IN[type]
        return [Period(type, self.year, first + i) for i in range(count)]

    def chain(self) -> list[Period]:
        """This period and every coarser period that contains it, finest first:
        202207 -> [202207, 2022Q3, 2022S2, 2022]."""
        return [self.parent(t) for t in reversed(PERIOD_TYPES[: _RANK[self.type] + 1])]

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies within this period (a period contains itself).

        Calendar-free: a year contains its halves, quarters and months; a half its quarters
        and months; a quarter its months; nothing contains a coarser period.
        """
        if not isinstance(other, Period):
            raise TypeError(f"expected a Period, not {type(other).__name__}")
        if _RANK[other.type] < _RANK[self.type]:
            return False
        return other.parent(self.type) == self

    # -- arithmetic --------------------------------------------------------------------------

    def shift(self, n: int) -> Period:
        """The period ``n`` periods of the same type later (earlier when ``n`` < 0).

        202212 shifted by 1 is 202301; 2022Q4 by 1 is 2023Q1; ``shift(-1)`` is the previous
        period. Raises :class:`PeriodError` when the result leaves the supported years.
        """
        if not _is_int(n):
            raise TypeError(f"shift needs an integer, not {type(n).__name__}")
        year, index = divmod(self._ordinal() + n, _PER_YEAR[self.type])
        _check_year(year)
        return Period(self.type, year, index + 1)

    def __add__(self, n: int) -> Period:
        if not _is_int(n):
            return NotImplemented
        return self.shift(n)

    __radd__ = __add__

    def __sub__(self, other: int | Period):
        """``p - 1`` is the previous period; ``p - q`` is how many periods q is before p."""
        if isinstance(other, Period):
            if other.type != self.type:
                raise PeriodError(
                    f"cannot subtract the {other.type} {other.code} from the {self.type} "
                    f"{self.code}: the types differ"
                )
            return self._ordinal() - other._ordinal()
        if not _is_int(other):
            return NotImplemented
        return self.shift(-other)

    # -- ordering ----------------------------------------------------------------------------

    def __lt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def __le__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() <= other._sort_key()

    def __gt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() > other._sort_key()

    def __ge__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() >= other._sort_key()


def parse_period(code: str) -> Period:
    """'2022' / '2022S1' / '2022Q3' / '202207' -> :class:`Period`.

    Surrounding whitespace is ignored and lowercase 's'/'q' are accepted ('2022q3' reads as
    2022Q3); everything else must match exactly, or :class:`PeriodError` is raised.
    """
    if not isinstance(code, str):
        raise PeriodError(f"a period code must be a string, not {type(code).__name__}")
    text = code.strip()
    if not text:
        raise PeriodError(f"empty period code; expected {_FORMS}")
    match = _CODE.fullmatch(text)
    if match is None:
        raise PeriodError(f"{code!r} is not a period code; expected {_FORMS}")
    year = int(match["year"])
    _check_year(year)
    if match["kind"]:
        part = int(match["part"])
        if match["kind"] in "Ss":
            if part not in (1, 2):
                raise PeriodError(f"{code!r}: a half-year is S1 or S2, not S{part}")
            return Period("half", year, part)
        if not 1 <= part <= 4:
            raise PeriodError(f"{code!r}: a quarter is Q1-Q4, not Q{part}")
        return Period("quarter", year, part)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"{code!r}: the month must be 01-12, not {match['month']}")
        return Period("month", year, month)
    return Period("year", year)


def _as_period(value: str | Period) -> Period:
    return value if isinstance(value, Period) else parse_period(value)


def period_of(day: dt.date, type: str, calendar: str = "gregorian") -> Period:
    """The period of ``type`` that contains ``day`` in ``calendar``.

    In the reporting calendar a day on or after the 15th belongs to the next month's period:
    14/03/2022 is in 202203 and 2022Q1, 15/03/2022 in 202204 and 2022Q2, and 15/12/2021 in
    the year 2022. Raises :class:`PeriodError` when the period falls outside the supported
    years (e.g. 15/12/2100 in the reporting calendar).
    """
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, not {day.__class__.__name__}")
    _check_type(type)
    year, month = day.year, day.month
    if _check_calendar(calendar) == "reporting" and day.day > REPORTING_CLOSING_DAY:
        year, month = _month_after(year, month)
    _check_year(year)
    return Period(type, year, (month - 1) // _MONTHS_IN[type] + 1)


def period_range(start: Period, end: Period) -> list[Period]:
    """Every period from ``start`` to ``end``, both included; they must be of one type.

    ``period_range(2022Q3, 2023Q2)`` -> [2022Q3, 2022Q4, 2023Q1, 2023Q2]. ``start`` after
    ``end`` raises :class:`PeriodError` (a reversed range is almost always a mistake).
    """
    if not isinstance(start, Period) or not isinstance(end, Period):
        raise TypeError("period_range needs two Periods; use periods_between for codes")
    if start.type != end.type:
        raise PeriodError(
            f"a range needs two periods of one type, not the {start.type} {start.code} "
            f"and the {end.type} {end.code}"
        )
    count = end - start
    if count < 0:
        raise PeriodError(f"the range starts at {start.code}, after its end {end.code}")
    return [start.shift(i) for i in range(count + 1)]


def periods_between(start: str | Period, end: str | Period, type: str) -> list[Period]:
    """All periods of ``type`` covering ``start`` to ``end`` (codes or Periods), in order.

    Both endpoints must be of ``type`` or coarser, so that they align with it:
    ('2019', '2022', 'month') -> the 48 months 201901..202212;
    ('2019Q3', '2020', 'quarter') -> 2019Q3..2020Q4. Calendar-free, since both calendars
    divide a year alike. Raises :class:`PeriodError` for a finer endpoint or when ``start``
    begins after ``end`` ends.
    """
    _check_type(type)
    first, last = _as_period(start), _as_period(end)
    for endpoint in (first, last):
        if _RANK[endpoint.type] > _RANK[type]:
            raise PeriodError(
                f"the {endpoint.type} {endpoint.code} does not align with {type}s; "
                f"endpoints must be {type}s or coarser"
            )
    first_child, last_child = first.children(type)[0], last.children(type)[-1]
    if last_child < first_child:
        raise PeriodError(f"{first.code} starts after {last.code} ends")
    return period_range(first_child, last_child)


def pieces_between(start: str | Period, end: str | Period) -> list[Period]:
    """The fewest whole periods that exactly cover ``start`` to ``end``, in order.

    Each piece is the coarsest period that starts where the previous one ended and still fits:
    ('2019', '2022') -> [2019, 2020, 2021, 2022]; ('201903', '202206') -> [201903, 2019Q2,
    2019S2, 2020, 2021, 2022S1]; ('2022Q2', '2022Q3') -> [2022Q2, 2022Q3]. Totals are kept
    for every whole period (see antq.indicators.totals), so a range is answered by adding the
    totals of its pieces. The last piece is the coarsest period that ends the range: the
    period whose stock a stock indicator reports for the range. Calendar-free.
    """
    first, last = _as_period(start), _as_period(end)
    pos = first.year * 12 + first._first_month() - 1
    stop = last.year * 12 + last._last_month() - 1
    if stop < pos:
        raise PeriodError(f"{first.code} starts after {last.code} ends")
    out = []
    while pos <= stop:
        year, month = divmod(pos, 12)
        for type in PERIOD_TYPES:
            size = _MONTHS_IN[type]
            if month % size == 0 and pos + size - 1 <= stop:
                out.append(Period(type, year, month // size + 1))
                pos += size
                break
    return out
