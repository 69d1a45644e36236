"""The legal clock of a report of a crime (no Django here).

Criminal Procedure Code 2015, Art. 147 (and Thông tư liên tịch 01/2017, Thông tư
28/2020/TT-BCA): a report of a crime is settled — by a decision to institute proceedings,
not to institute them, or to suspend the settlement — **within 20 days of its receipt**; for
a complex matter, or one to be verified in several places, the time may be extended to **no
more than 2 months**; if it still cannot be finished, the procuracy may extend it **once
more, by no more than 2 months**.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum

BASE_DAYS = 20
EXTENSION_MONTHS = 2
MAX_EXTENSIONS = 2
NEAR_DAYS = 5  # a deadline this close is warned about


class Clock(StrEnum):
    OK = "ok"
    NEAR = "near"
    OVERDUE = "overdue"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_deadline(received: dt.date) -> dt.date:
    return received + dt.timedelta(days=BASE_DAYS)


def latest_deadline(received: dt.date, current: dt.date, extensions: int) -> dt.date:
    """The furthest a deadline may be set by the next extension: 2 months from receipt for
    the first, 2 months beyond the extended deadline for the procuracy's one."""
    if extensions == 0:
        return add_months(received, EXTENSION_MONTHS)
    if extensions == 1:
        return add_months(current, EXTENSION_MONTHS)
    raise ValueError("a report of a crime may be extended at most twice")


def clock(deadline: dt.date | None, today: dt.date) -> Clock | None:
    if deadline is None:
        return None
    if today > deadline:
        return Clock.OVERDUE
    if (deadline - today).days <= NEAR_DAYS:
        return Clock.NEAR
    return Clock.OK
