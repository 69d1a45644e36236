"""Task status, derived from dates and reports — never typed by hand (no Django needed).

chưa thực hiện (not started), đang thực hiện (in progress), hoàn thành (done),
hoàn thành quá hạn (done late), quá hạn (overdue). Recurring tasks are judged cycle by cycle:
a yearly task must be reported done within each calendar year, a six-monthly one within each
half-year; "thường xuyên" (regular) work is never finished and never overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Report:
    reported_on: dt.date
    completed: bool


@dataclass(frozen=True)
class Judgement:
    status: Status
    due_on: dt.date | None  # the deadline that was judged (the current cycle's, if recurring)
    completed_on: dt.date | None = None


def _cycle(recurrence: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if recurrence == "yearly":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


def derive_status(
    *,
    due_on: dt.date | None,
    recurrence: str,
    sent_on: dt.date,
    reports: Iterable[Report],
    today: dt.date,
) -> Judgement:
    """The status of one assignment as of `today` (reports dated after it are ignored)."""
    seen = sorted((r for r in reports if r.reported_on <= today), key=lambda r: r.reported_on)
    if recurrence == "regular":
        return Judgement(Status.IN_PROGRESS if seen else Status.NOT_STARTED, None)
    if recurrence in ("yearly", "half_yearly"):
        start, end = _cycle(recurrence, today)
        in_cycle = [r for r in seen if start <= r.reported_on <= end]
        done = next((r for r in in_cycle if r.completed), None)
        if done:
            return Judgement(Status.DONE, end, done.reported_on)
        prev_start, prev_end = _cycle(recurrence, start - dt.timedelta(days=1))
        if prev_end >= sent_on and not any(
            r.completed and max(prev_start, sent_on) <= r.reported_on <= prev_end for r in seen
        ):
            return Judgement(Status.OVERDUE, prev_end)
        return Judgement(Status.IN_PROGRESS if in_cycle else Status.NOT_STARTED, end)
    done = next((r for r in seen if r.completed), None)
    if done:
        late = due_on is not None and done.reported_on > due_on
        return Judgement(Status.DONE_LATE if late else Status.DONE, due_on, done.reported_on)
    if due_on is not None and today > due_on:
        return Judgement(Status.OVERDUE, due_on)
    return Judgement(Status.IN_PROGRESS if seen else Status.NOT_STARTED, due_on)
