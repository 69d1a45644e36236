"""Reads for data entry, approval, completeness and the audit trail of a value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.accounts.selectors import (
    Action,
    user_can,
    user_scope_area_ids_any_time,
    user_scope_area_ids_below_any_time,
    user_scope_roots,
)
from antq.areas.models import Area, AreaTreePath
from antq.indicators.models import (
    DataSet,
    DataValue,
    DataValueChange,
    Indicator,
    Submission,
    ValidationRule,
)
from antq.indicators.periods import Period, PeriodError, parse_period
from antq.indicators.services import ValueInput


@dataclass(frozen=True)
class Window:
    opens_on: dt.date
    due_on: dt.date  # timely submission
    expires_on: dt.date  # after this, late entry needs an approver
    expired: bool
    late: bool


def entry_window(data_set: DataSet, period: Period, today: dt.date) -> Window:
    start, end = period.start(data_set.calendar), period.end(data_set.calendar)
    due = end + dt.timedelta(days=data_set.close_days)
    expires = end + dt.timedelta(days=max(data_set.expiry_days, data_set.close_days))
    return Window(start, due, expires, expired=today > expires, late=today > due)


def rule_violations(values: dict[str, Decimal]) -> dict[str, str]:
    """{indicator code: message} for each rule the values break (both sides marked)."""
    out: dict[str, str] = {}
    for rule in ValidationRule.objects.select_related("left", "right"):
        if not rule.holds(values.get(rule.left.code), values.get(rule.right.code)):
            out.setdefault(rule.left.code, rule.message)
            out.setdefault(rule.right.code, rule.message)
    return out


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    comment: str
    derived: bool = False  # counted from a registry: shown, never typed


def _counted(
    indicators: list[Indicator], area: Area, period: Period, calendar: str
) -> dict[int, Decimal | None]:
    """Derived indicators' figures for a form's period: their monthly counts added up by the
    engine (so a quarterly or reporting-calendar form shows the same figure as the results),
    all in one question; None for an indicator with nothing counted."""
    from antq.indicators import engine

    if not indicators:
        return {}
    try:
        result = engine.analytics(
            indicators=indicators, area=area, start=period, end=period, on=period.start(calendar)
        )
    except engine.AnalyticsError:
        return dict.fromkeys((i.pk for i in indicators), None)
    found = {row.indicator: Decimal(row.value) for row in result.rows}
    return {i.pk: found.get(i.code) for i in indicators}


def entry_form(data_set: DataSet, area: Area, period: Period) -> list[Cell]:
    """The form's cells with the previous period's value beside each (two queries, and one
    engine question for each of the two periods for the cells counted from a registry)."""
    indicators = list(data_set.indicators.order_by("code"))
    prev = period.shift(-1)
    rows = DataValue.objects.filter(
        area=area, period__in=[period.code, prev.code], indicator__in=indicators
    )
    now = {(v.indicator_id): v for v in rows if v.period == period.code}
    before = {(v.indicator_id): v.value for v in rows if v.period == prev.code}
    cal = data_set.calendar
    derived = [i for i in indicators if i.is_derived_for(period.end(cal))]
    counted = _counted(derived, area, period, cal)
    counted_before = _counted(
        [i for i in derived if i.is_derived_for(prev.end(cal))], area, prev, cal
    )
    cells = []
    for i in indicators:
        if i.pk in counted:
            cells.append(
                Cell(
                    i,
                    counted[i.pk],
                    counted_before[i.pk] if i.pk in counted_before else before.get(i.pk),
                    "",
                    derived=True,
                )
            )
            continue
        cells.append(
            Cell(
                i,
                now[i.pk].value if i.pk in now else None,
                before.get(i.pk),
                now[i.pk].comment if i.pk in now else "",
            )
        )
    return cells


def submission_of(data_set: DataSet, area: Area, period: Period) -> Submission | None:
    return Submission.objects.filter(data_set=data_set, area=area, period=period.code).first()


def derived_changes_for(user) -> QuerySet:
    """Counts from registries that differ from figures in submitted or approved reports,
    for the approvers of those reports' areas."""
    from antq.indicators.models import DerivedChange, DerivedChangeStatus

    qs = DerivedChange.objects.filter(status=DerivedChangeStatus.PENDING).select_related(
        "indicator", "area"
    )
    if not user.is_superuser:
        qs = qs.filter(area_id__in=user_scope_area_ids_below_any_time(user, Action.APPROVE))
    return qs.order_by("area__name", "period", "indicator__code")


def user_may_define_indicators(user) -> bool:
    """Administrators add indicators to the catalogue: a membership in force today, in a
    body that exists today (an ended one grants nothing)."""
    return user.is_authenticated and (
        user.is_superuser or bool(user_scope_roots(user, Action.ADMINISTER))
    )


def approval_inbox(user) -> QuerySet[Submission]:
    qs = Submission.objects.filter(status="submitted").select_related(
        "data_set", "area", "submitted_by"
    )
    if not user.is_superuser:
        qs = qs.filter(area_id__in=user_scope_area_ids_below_any_time(user, Action.APPROVE))
    return qs.order_by("submitted_at")


@dataclass(frozen=True)
class Completeness:
    area: Area
    expected: int
    submitted: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0


def completeness(data_set: DataSet, parent: Area, period: Period) -> Completeness:
    """Reports expected (units of the form's level under the parent in that period) vs
    submitted or approved, and how many arrived by the due date."""
    return completeness_of(data_set, [parent], period)[0]


def completeness_of(data_set: DataSet, parents: list[Area], period: Period) -> list[Completeness]:
    """completeness() of several areas (a province's communes), in two queries whatever
    their number."""
    start = period.start(data_set.calendar)
    due = entry_window(data_set, period, start).due_on
    parents_of: dict[int, list[int]] = {}
    for unit, parent_id in AreaTreePath.objects.filter(
        ancestor__in=parents,
        descendant_level=data_set.level,
        valid_from__lte=start,
        valid_to__gte=start,
    ).values_list("descendant_id", "ancestor_id"):
        parents_of.setdefault(unit, []).append(parent_id)
    expected: dict[int, int] = dict.fromkeys((p.pk for p in parents), 0)
    for ids in parents_of.values():
        for parent_id in ids:
            expected[parent_id] += 1
    submitted: dict[int, int] = dict.fromkeys(expected, 0)
    on_time: dict[int, int] = dict.fromkeys(expected, 0)
    subs = Submission.objects.filter(
        data_set=data_set,
        period=period.code,
        area_id__in=list(parents_of),
        status__in=("submitted", "approved"),
    ).values_list("area_id", "submitted_at")
    for area_id, at in subs:
        for parent_id in parents_of[area_id]:
            submitted[parent_id] += 1
            if at and timezone.localtime(at).date() <= due:
                on_time[parent_id] += 1
    return [Completeness(p, expected[p.pk], submitted[p.pk], on_time[p.pk]) for p in parents]


def value_history(indicator: Indicator, area: Area, period: str) -> QuerySet[DataValueChange]:
    return DataValueChange.objects.filter(
        indicator=indicator, area=area, period=period
    ).select_related("changed_by")


def entry_areas(user, level: str, on: dt.date) -> QuerySet[Area]:
    """The units a user may enter data for, at a level, on a date."""
    qs = Area.objects.filter(level=level, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    if not user.is_superuser:
        qs = qs.filter(pk__in=user_scope_area_ids_any_time(user, Action.ENTER))
    return qs.order_by("code")


def out_of_scope(user, items: list[ValueInput], calendar: str = "gregorian") -> list[str]:
    """Located messages for the items whose area the user may not enter data for."""
    if getattr(user, "is_superuser", False):
        return []
    denied, seen = [], {}
    for item in items:
        try:
            start = parse_period(str(item.period)).start(calendar)
        except PeriodError:
            continue  # reported by values_save
        key = (str(item.area).strip(), start)
        if key not in seen:
            area = (
                Area.objects.filter(code=key[0], valid_from__lte=start)
                .exclude(valid_to__lt=start)
                .first()
            )
            seen[key] = area is None or user_can(user, Action.ENTER, area=area, on=start)
        if not seen[key]:
            denied.append(
                f"{item.where}: " + _("area %(code)s is outside your scope") % {"code": key[0]}
            )
    return denied
