"""Derived task statuses (a plain module: no database)."""

from __future__ import annotations

import datetime as dt

from antq.directives.status import Report, Status, derive_status

D = dt.date
SENT = D(2019, 3, 22)
JUNE_30 = D(2019, 6, 30)
JULY_15 = D(2019, 7, 15)


def judge(reports=(), *, due=JUNE_30, recurrence="once", today=JULY_15):
    return derive_status(
        due_on=due,
        recurrence=recurrence,
        sent_on=SENT,
        reports=[Report(d, c) for d, c in reports],
        today=today,
    )


def test_a_task_done_by_its_deadline_is_done():
    j = judge([(D(2019, 5, 1), False), (D(2019, 6, 20), True)])
    assert j.status == Status.DONE and j.completed_on == D(2019, 6, 20)


def test_a_task_done_after_its_deadline_is_done_late():
    assert judge([(D(2019, 7, 2), True)]).status == Status.DONE_LATE


def test_a_task_past_its_deadline_without_completion_is_overdue():
    assert judge([(D(2019, 5, 1), False)]).status == Status.OVERDUE


def test_before_the_deadline_a_task_is_in_progress_or_not_started():
    assert judge([(D(2019, 5, 1), False)], today=D(2019, 6, 1)).status == Status.IN_PROGRESS
    assert judge([], today=D(2019, 6, 1)).status == Status.NOT_STARTED


def test_reports_after_the_judgement_date_do_not_count():
    assert judge([(D(2019, 8, 1), True)], today=D(2019, 7, 15)).status == Status.OVERDUE


def test_a_task_without_deadline_is_never_overdue():
    assert judge([], due=None, today=D(2030, 1, 1)).status == Status.NOT_STARTED


def test_regular_work_is_never_done_nor_overdue():
    assert judge([], recurrence="regular", today=D(2030, 1, 1)).status == Status.NOT_STARTED
    assert (
        judge([(D(2020, 1, 1), True)], recurrence="regular", today=D(2030, 1, 1)).status
        == Status.IN_PROGRESS
    )


def test_a_yearly_task_is_judged_year_by_year():
    reports = [(D(2019, 12, 10), True), (D(2020, 12, 10), True)]
    assert (
        judge(reports, due=None, recurrence="yearly", today=D(2020, 12, 31)).status == Status.DONE
    )
    # 2021 not reported: overdue once 2021 is over
    assert (
        judge(reports, due=None, recurrence="yearly", today=D(2022, 3, 1)).status == Status.OVERDUE
    )
    # early in 2021, with 2020 done: the new cycle has simply not started
    j = judge(reports, due=None, recurrence="yearly", today=D(2021, 2, 1))
    assert j.status == Status.NOT_STARTED and j.due_on == D(2021, 12, 31)


def test_a_yearly_task_is_not_overdue_for_the_year_before_it_was_sent():
    assert (
        judge([], due=None, recurrence="yearly", today=D(2019, 5, 1)).status == Status.NOT_STARTED
    )


def test_a_six_monthly_task_has_two_cycles_a_year():
    reports = [(D(2019, 6, 25), True)]
    assert (
        judge(reports, due=None, recurrence="half_yearly", today=D(2019, 6, 30)).status
        == Status.DONE
    )
    j = judge(reports, due=None, recurrence="half_yearly", today=D(2020, 1, 5))
    assert j.status == Status.OVERDUE and j.due_on == D(2019, 12, 31)
