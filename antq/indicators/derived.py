"""Values counted from registries (derived values): the one small interface through which
registries (antq.grassroots, later antq.tips) push counts into the indicators.

A registry registers a :class:`Source` per count it can make (at app start). An indicator is
derived when an administrator (or `antq setup`) links it to a source with a first day
(Indicator.derived_source, Indicator.derived_from): from that day on, its monthly values are
the source's counts, written by :func:`refresh` with source "derived" through the same
values_save() as every other value (audited, totals kept current), and nobody can type them.
Periods before that day keep the figures entered or imported from before the registry.

Counts are monthly on the Gregorian calendar, each on the unit that held the record on the
day it counts for (antq.areas.selectors.area_holder_on): a flow on the record's date, a stock
at the end of the month. A count that differs from a value in a submitted or approved report
is not written: it waits as a DerivedChange for the approver to apply or keep.

This module never imports a registry; registries import it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.areas.models import Area, AreaTreePath
from antq.areas.selectors import area_holder_on, area_ids_under_at_any_time, area_related
from antq.core.services import audit_record
from antq.core.vnformat import plain_number
from antq.indicators.models import (
    DataValue,
    DerivedChange,
    DerivedChangeStatus,
    Indicator,
    Submission,
    ValueSource,
)
from antq.indicators.periods import Period, parse_period, period_of, periods_between

FLOW, STOCK = "flow", "stock"
Counts = dict[tuple[int, str], Decimal]  # (unit id, month code) -> count


@dataclass(frozen=True)
class Source:
    """One count a registry can make.

    counts(units, months): {(unit id, month code): count} for the given units (None: every
    unit) and months; zero counts may be left out.
    behind(start, end, area_ids): the records counted between the two days (a flow) or at
    `end` (a stock) whose area is in the `area_ids` subquery, as (record, area, day) — the
    day the record counts for, on which its unit is looked up.
    row(record): the cells of the record's line in a drill-down, under `columns`.
    """

    key: str
    kind: str  # FLOW or STOCK
    label: Any  # what is counted, for titles ("self-management models in operation")
    counts: Callable[[set[int] | None, list[Period]], Counts]
    behind: Callable[[dt.date, dt.date, Any], Iterable[tuple[Any, Area, dt.date]]]
    columns: tuple = ()
    row: Callable[[Any], list] = field(default=lambda record: [str(record)])
    url: Callable[[Any], str] | None = None
    # A record's label outside its registry (drill-down API): never personal data.
    title: Callable[[Any], str] = field(default=str)
    records_url: str = ""  # the registry's list page
    default_from: dt.date | None = None  # no earlier first day makes sense (a law in force)


# --- helpers for registries: counting records by month on the unit holding their area ----------


def _month(day: dt.date) -> str:
    return f"{day.year}{day.month:02d}"


class Holders:
    """area_holder_on with a cache: the unit holding an area on a day."""

    def __init__(self):
        self._cache: dict[tuple[int, dt.date], int | None] = {}

    def __call__(self, area: Area, day: dt.date) -> int | None:
        if area.is_valid_on(day):
            return area.pk
        key = (area.pk, day)
        if key not in self._cache:
            holder = area_holder_on(area, day)
            self._cache[key] = holder.pk if holder else None
        return self._cache[key]


def related_units(units: set[int] | None) -> set[int] | None:
    if units is None:
        return None
    out: set[int] = set()
    for area in Area.objects.filter(pk__in=sorted(units)):
        out |= area_related(area)
    return out


def flow_counts(
    qs: QuerySet, date_field: str, weight: Callable[[object], int] | None = None
) -> Callable[[set[int] | None, list[Period]], Counts]:
    def counts(units: set[int] | None, months: list[Period]) -> Counts:
        rows = qs.filter(
            **{f"{date_field}__gte": months[0].start(), f"{date_field}__lte": months[-1].end()}
        ).select_related("area")
        if units is not None:
            rows = rows.filter(area_id__in=sorted(related_units(units)))
        holder = Holders()
        out: Counts = defaultdict(Decimal)
        for record in rows.iterator(chunk_size=2000):
            day = getattr(record, date_field)
            unit = holder(record.area, day)
            if unit is not None and (units is None or unit in units):
                out[(unit, _month(day))] += weight(record) if weight else 1
        return out

    return counts


def flow_behind(qs: QuerySet, date_field: str):
    def behind(start: dt.date, end: dt.date, area_ids) -> Iterable:
        rows = qs.filter(
            **{f"{date_field}__gte": start, f"{date_field}__lte": end}, area_id__in=area_ids
        ).select_related("area")
        for record in rows.order_by(date_field, "pk"):
            yield record, record.area, getattr(record, date_field)

    return behind


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.key] = source


def source_of(indicator: Indicator) -> Source | None:
    return SOURCES.get(indicator.derived_source) if indicator.derived_source else None


def this_month() -> Period:
    return period_of(timezone.localdate(), "month")


def months_of(indicator: Indicator, until: Period | None = None) -> list[Period]:
    """The months whose values are derived, from the first day to this month."""
    if not indicator.derived_from:
        return []
    first = period_of(indicator.derived_from, "month")
    last = until or this_month()
    return periods_between(first, last, "month") if first <= last else []


@transaction.atomic
def derivation_set(
    *, indicator: Indicator, source: str, start: dt.date | None, actor: Any = None
) -> Indicator:
    """Link an indicator to a registry's count from `start` (None: stop deriving it), then
    count. Values already typed for the months from `start` are replaced (audited)."""
    if source and source not in SOURCES:
        raise ValueError(f"unknown registry count {source!r}")
    spec = SOURCES.get(source)
    if spec and start and spec.default_from and start < spec.default_from:
        start = spec.default_from
    indicator.derived_source = source if start else ""
    indicator.derived_from = start
    indicator.save(update_fields=["derived_source", "derived_from"])
    audit_record(
        actor=actor,
        action="indicators.derivation_set",
        obj=indicator,
        summary=f"{indicator.code} ← {source or '—'} {start or ''}",
    )
    if start:
        refresh([indicator], actor=actor, reason=_("registry linked"))
    return indicator


def _locked(indicator: Indicator, keys: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (unit, month) keys lie in a submitted or approved report that has the indicator."""
    keys = list(keys)
    if not keys:
        return set()
    units = sorted({k[0] for k in keys})
    reports: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for i in range(0, len(units), 900):
        subs = Submission.objects.filter(
            status__in=("submitted", "approved"),
            area_id__in=units[i : i + 900],
            data_set__indicators=indicator,
        ).select_related("data_set")
        for sub in subs:
            period = parse_period(sub.period)
            cal = sub.data_set.calendar
            reports.setdefault(sub.area_id, []).append((period.start(cal), period.end(cal)))
    out = set()
    for unit, month in keys:
        if unit in reports:
            p = parse_period(month)
            start, end = p.start(), p.end()
            if any(s <= end and start <= e for s, e in reports[unit]):
                out.add((unit, month))
    return out


@dataclass
class Refreshed:
    written: int = 0
    waiting: int = 0  # differences held for an approver


def refresh(
    indicators: Iterable[Indicator | str] | None = None,
    units: set[int] | None = None,
    *,
    actor: Any = None,
    reason: str = "",
    recent: int | None = None,
) -> Refreshed:
    """Recount derived indicators (all of them by default) on the given units (None: all),
    for every derived month up to this month (or only the last `recent` months), and write
    what changed. Runs inside the caller's transaction, so a record and its counts change
    together."""
    from antq.indicators.services import ValueInput, values_save

    qs = Indicator.objects.exclude(derived_source="").filter(derived_from__isnull=False)
    if indicators is not None:
        codes = [i.code if isinstance(i, Indicator) else i for i in indicators]
        qs = qs.filter(code__in=codes)
    done = Refreshed()
    with transaction.atomic():
        for indicator in qs.order_by("code"):
            source = SOURCES.get(indicator.derived_source)
            months = months_of(indicator)
            if recent is not None:
                months = months[-recent:]
            if source is None or not months:
                continue
            counted = source.counts(units, months)
            codes = {m.code for m in months}
            stored_qs = DataValue.objects.filter(
                indicator=indicator,
                period_type="month",
                period_start__gte=months[0].start(),
                period_start__lte=months[-1].start(),
            )
            if units is not None:
                stored_qs = stored_qs.filter(area_id__in=list(units))
            stored = {
                (a, p): v
                for a, p, v in stored_qs.values_list("area_id", "period", "value")
                if p in codes
            }
            changed = {}
            for key in set(counted) | set(stored):
                new = Decimal(counted.get(key, 0))
                if key not in stored and new == 0:
                    continue
                if stored.get(key) != new:
                    changed[key] = new
            locked = _locked(indicator, changed)
            pending = DerivedChange.objects.filter(
                indicator=indicator, status=DerivedChangeStatus.PENDING
            )
            if units is not None:
                pending = pending.filter(area_id__in=list(units))
            for change in pending:  # differences that went away, or changed again
                key = (change.area_id, change.period)
                if change.period in codes and key not in locked:
                    change.delete()
            kept = {
                (c.area_id, c.period, c.stored, c.counted)
                for c in DerivedChange.objects.filter(
                    indicator=indicator,
                    status=DerivedChangeStatus.KEPT,
                    area_id__in=sorted({k[0] for k in locked}),
                )
            }
            for key in list(locked):
                if (*key, stored.get(key, Decimal(0)), changed[key]) in kept:
                    continue  # the approver has already kept the figure against this count
                DerivedChange.objects.update_or_create(
                    indicator=indicator,
                    area_id=key[0],
                    period=key[1],
                    status=DerivedChangeStatus.PENDING,
                    defaults={"stored": stored.get(key, Decimal(0)), "counted": changed[key]},
                )
            items = [
                ValueInput(indicator.code, "", month, value, area_id=unit)
                for (unit, month), value in sorted(changed.items())
                if (unit, month) not in locked
            ]
            if items:
                values_save(
                    items,
                    actor=actor,
                    source=ValueSource.DERIVED,
                    reason=reason or _("counted from the registry"),
                )
            done.written += len(items)
            done.waiting += len(locked)
    return done


@transaction.atomic
def change_decide(*, change: DerivedChange, apply: bool, actor: Any) -> DerivedChange:
    """The approver applies a new count to an approved report, or keeps the approved figure."""
    from antq.indicators.services import ValueErrors, ValueInput, values_save

    change = DerivedChange.objects.select_for_update().get(pk=change.pk)
    if change.status != DerivedChangeStatus.PENDING:
        raise ValueErrors([_("This difference has already been decided.")])
    if apply:
        values_save(
            [
                ValueInput(
                    change.indicator.code, "", change.period, change.counted, area_id=change.area_id
                )
            ],
            actor=actor,
            source=ValueSource.DERIVED,
            reason=_("new count from the registry applied by the approver"),
            locked_ok=True,
        )
    change.status = DerivedChangeStatus.APPLIED if apply else DerivedChangeStatus.KEPT
    change.decided_at, change.decided_by = timezone.now(), actor
    change.save()
    audit_record(
        actor=actor,
        action="indicators.derived_apply" if apply else "indicators.derived_keep",
        obj=change,
        summary=f"{change.indicator.code} {change.area_id} {change.period}: "
        f"{plain_number(change.stored)} → {plain_number(change.counted)}",
    )
    return change


# --- drill-down: the records behind a total ------------------------------------------------


class _Tree:
    """Is a unit under the root (or the root itself) on a day? One query for the root's
    closure rows, then answered in memory."""

    def __init__(self, root: Area):
        self.root = root
        self.paths: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for d, f, t in AreaTreePath.objects.filter(ancestor=root).values_list(
            "descendant_id", "valid_from", "valid_to"
        ):
            self.paths.setdefault(d, []).append((f, t))

    def holds(self, unit: Area | None, day: dt.date) -> bool:
        if unit is None:
            return False
        return any(f <= day <= t for f, t in self.paths.get(unit.pk, ()))


@dataclass
class Behind:
    source: Source
    indicator: Indicator
    records: list  # (record, unit, day)
    start: dt.date
    end: dt.date


def records_behind(
    indicator: Indicator,
    root: Area,
    start: Period,
    end: Period,
    *,
    mode: str = "historic",
    on: dt.date | None = None,
) -> Behind | None:
    """The records a derived total counts: those of the months from `start` to `end` (a
    flow), or those in operation at the end of the range (a stock: the last piece's stock),
    whose unit on their day stood under `root` (historic) — or, in current mode, whose unit
    on `on` stands under it. None when the indicator is not derived."""
    source = source_of(indicator)
    if source is None:
        return None
    first = max(start.start(), indicator.derived_from or start.start())
    last = min(end.end(), this_month().end())
    holders: dict[tuple[int, dt.date], Area | None] = {}
    tree = _Tree(root)
    on = on or timezone.localdate()
    found = []
    if first <= last:
        day_from = last if source.kind == STOCK else first
        for record, area, day in source.behind(day_from, last, area_ids_under_at_any_time([root])):
            when = on if mode == "current" else day
            key = (area.pk, when)
            if key not in holders:
                holders[key] = area_holder_on(area, when)
            unit = holders[key]
            if tree.holds(unit, when):
                found.append((record, unit, day))
    return Behind(source, indicator, found, first, last)
