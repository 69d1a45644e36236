"""The aggregation engine: totals of indicators over an area's subtree and over periods.

Two modes (DESIGN.md, "Hierarchy over time"):
- historic: a value counts towards the areas its unit stood under at the start of its period;
- current: each unit's values are carried onto its successors as of the date `on` (split
  communes by their succession shares) and rolled up the map of that date.
Both give the same total for an area that exists on both maps, because shares add up to 1.

Periods: a range is cut into its fewest whole periods (periods.pieces_between: 201903..202206
is 201903, 2019Q2, 2019S2, 2020, 2021, 2022S1); a value counts when its period lies within
one of them, whatever the calendar (202201 of the reporting calendar, 15/12/2021-14/01/2022,
belongs to 2022).

Time: flows (time aggregation "sum") add up over the pieces. Stocks ("last") report the stock
at the end: the last piece of the range (or of each year, quarter, … when grouped by time);
within it each unit counts with its latest value, if the unit still existed at the piece's
end (so a commune merged on 1/7/2025 is not counted beside its successor at the end of 2025).
Where a stock is reported at several frequencies, the finest counts.

Historic questions are answered from the pre-computed totals (antq.indicators.totals, kept
current on every write: a saved value is in every total at once), plus the area's own values;
current-mode questions, and the rare historic ones whose child areas changed parent in the
middle of a period, from the values themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from antq.areas.models import Area, AreaTreePath, Succession
from antq.core.dbrouting import analytics_reads
from antq.indicators.models import DataTotal, DataValue, Indicator, PeriodType, TimeAggregation
from antq.indicators.periods import PERIOD_TYPES, Period, PeriodError, parse_period, pieces_between
from antq.indicators.totals import chain


class AnalyticsError(ValueError):
    def __init__(self, message: str, *, code: str, field: str = ""):
        self.code = code
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Row:
    indicator: str
    area: str | None
    period: str | None
    value: Decimal


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    total: Decimal
    values_read: int


Ranges = list[tuple[dt.date, dt.date]]


def _within(ranges: Ranges, day: dt.date) -> bool:
    return any(start <= day <= end for start, end in ranges)


def _carry_map(on: dt.date) -> dict[int, list[tuple[int, Decimal]]]:
    """For every unit that has ended by `on`: the units valid on `on` its values go to, with
    shares, following chains of successions."""
    step: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for pred, succ, share in Succession.objects.filter(effective_date__lte=on).values_list(
        "predecessor_id", "successor_id", "share"
    ):
        step[pred].append((succ, share))
    valid_on = set(
        Area.objects.filter(valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .filter(pk__in=list(step) + [s for targets in step.values() for s, _ in targets])
        .values_list("pk", flat=True)
    )
    resolved: dict[int, list[tuple[int, Decimal]]] = {}

    def resolve(area: int, depth: int = 0) -> list[tuple[int, Decimal]]:
        if area in resolved:
            return resolved[area]
        if area in valid_on or area not in step or depth > 20:
            return [(area, Decimal(1))] if area in valid_on or area not in step else []
        out: dict[int, Decimal] = defaultdict(Decimal)
        for succ, share in step[area]:
            for target, inner in resolve(succ, depth + 1):
                out[target] += share * inner
        resolved[area] = list(out.items())
        return resolved[area]

    for area in step:
        resolve(area)
    return resolved


_RANK = {t: i for i, t in enumerate(PERIOD_TYPES)}
_OPEN_END = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class _Label:
    code: str  # the period of the group (by time), or the whole range
    pieces: tuple[Period, ...]


def _labels(start: Period, end: Period, by_time: str | None) -> list[_Label]:
    try:
        whole = pieces_between(start, end)
    except PeriodError:
        raise AnalyticsError(
            _("The end period is before the start."), code="invalid_range", field="end"
        ) from None
    if by_time is None:
        return [_Label(start.code if start == end else f"{start.code}..{end.code}", tuple(whole))]
    groups: dict[str, list[Period]] = {}
    for piece in whole:
        if _RANK[piece.type] <= _RANK[by_time]:
            for part in piece.children(by_time):
                groups.setdefault(part.code, []).append(part)
        else:
            groups.setdefault(piece.parent(by_time).code, []).append(piece)
    return [_Label(code, tuple(pieces)) for code, pieces in groups.items()]


class _Pieces:
    """Where a value's period falls: which piece of which label, if any."""

    def __init__(self, labels: list[_Label], by_time: str | None, whole: list[Period]):
        self.label_of = {p.code: label.code for label in labels for p in label.pieces}
        self.last = {label.code: label.pieces[-1].code for label in labels}
        self.by_time = by_time
        # Periods inside the range too long to be grouped by `by_time` (a year's figure
        # asked for by month): a value of one of them is an error, not a silent omission.
        self.coarse: set[str] = set()
        if by_time is not None:
            for piece in whole:
                for type in PERIOD_TYPES[_RANK[piece.type] : _RANK[by_time]]:
                    self.coarse.update(p.code for p in piece.children(type))
        pieces = [p for label in labels for p in label.pieces]
        # Widest dates of any value inside: reporting periods start on the 15th before.
        self.low = min(p.start("reporting") for p in pieces)
        self.high = max(p.end("gregorian") for p in pieces)

    def find(self, period: str) -> tuple[str, str] | None:
        """(label, piece) of a value's period, or None when it lies outside the range."""
        for code in chain(period):
            label = self.label_of.get(code)
            if label is not None:
                return label, code
        if period in self.coarse:
            raise AnalyticsError(
                _("Values of period %(period)s cannot be divided by %(unit)s.")
                % {"period": period, "unit": _unit_name(self.by_time)},
                code="invalid_grouping",
                field="by",
            )
        return None


def _unit_name(period_type: str) -> str:
    """'month' -> 'tháng' (in the active language)."""
    return str(PeriodType(period_type).label).lower()


def _exists_at_end(valid_to: dt.date | None, piece: str, start: dt.date) -> bool:
    """Whether a unit still existed at the end of a piece (in the calendar of its value,
    told by the value's start: gregorian periods start on the 1st, reporting ones the 15th)."""
    if valid_to is None:
        return True
    return valid_to >= parse_period(piece).end("gregorian" if start.day == 1 else "reporting")


class _Sums:
    """Flows and stocks by (indicator, place, label), stocks by the finest grain present."""

    def __init__(self) -> None:
        self.flows: dict[tuple[int, int | None, str], Decimal] = defaultdict(Decimal)
        self.stocks: dict[tuple[int, int | None, str, str], Decimal] = defaultdict(Decimal)
        self.read = 0

    def result(
        self,
        by_code: dict[int, Indicator],
        by_area: bool,
        by_time: str | None,
        codes: dict[int, str] | None = None,
    ):
        totals = dict(self.flows)
        finest: dict[tuple[int, int | None, str], str] = {}
        for ind, place, label, grain in self.stocks:
            key = (ind, place, label)
            if key not in finest or _RANK[grain] > _RANK[finest[key]]:
                finest[key] = grain
        for (ind, place, label), grain in finest.items():
            totals[(ind, place, label)] = self.stocks[(ind, place, label, grain)]
        if codes is None and by_area:
            codes = dict(
                Area.objects.filter(pk__in={p for _i, p, _l in totals}).values_list("pk", "code")
            )
        rows = [
            Row(
                indicator=by_code[ind].code,
                area=codes.get(place) if by_area else None,
                period=label if by_time else None,
                value=_tidy(value, by_code[ind]),
            )
            for (ind, place, label), value in totals.items()
        ]
        rows.sort(key=lambda r: (r.indicator, r.area or "", r.period or ""))
        total = sum((r.value for r in rows), Decimal(0))
        return Result(rows=rows, total=total, values_read=self.read)


def analytics(
    *,
    indicators: list[Indicator],
    area: Area,
    start: Period,
    end: Period,
    on: dt.date,
    by_area: bool = False,
    by_time: str | None = None,
    mode: str = "historic",
    scope_area_ids: Iterable[int] | None = None,
) -> Result:
    if mode not in ("historic", "current"):
        raise AnalyticsError(
            _("Unknown mode “%(mode)s” (historic or current).") % {"mode": str(mode)[:20]},
            code="invalid_mode",
            field="mode",
        )
    if by_time is not None and by_time not in PERIOD_TYPES:
        raise AnalyticsError(
            _("Cannot group by “%(by)s”.") % {"by": str(by_time)[:20]},
            code="invalid_grouping",
            field="by",
        )
    labels = _labels(start, end, by_time)
    pieces = _Pieces(labels, by_time, pieces_between(start, end))
    with analytics_reads():  # from the read replica when there is one (antq.core.dbrouting)
        if mode == "historic" and scope_area_ids is None:
            answer = _from_totals(indicators, area, pieces, by_area, by_time)
            if answer is not None:
                return answer
        return _from_values(indicators, area, pieces, on, by_area, by_time, mode, scope_area_ids)


def _from_totals(
    indicators: list[Indicator],
    area: Area,
    pieces: _Pieces,
    by_area: bool,
    by_time: str | None,
) -> Result | None:
    """Historic answers from the pre-computed totals of the area (or of each child) and the
    area's (or children's) own values. None when a child changed parent within a piece."""
    by_pk = {i.pk: i for i in indicators}
    ids = list(by_pk)
    # Whether an area has values of its own (most above the communes have none): one probe
    # of the values' area index, asked with the areas themselves.
    has_own = Exists(DataValue.objects.filter(area_id=OuterRef("descendant_id")))
    # The children (or the area itself, its path to itself), in one query: their dates under
    # the area, their own dates and code, and whether they have values of their own.
    places = (
        AreaTreePath.objects.filter(ancestor=area, depth=1 if by_area else 0)
        .annotate(own=has_own)
        .values_list(
            "descendant_id",
            "valid_from",
            "valid_to",
            "descendant__valid_from",
            "descendant__valid_to",
            "descendant__code",
            "own",
        )
    )
    life: dict[int, tuple[dt.date, dt.date]] = {}
    spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    area_codes: dict[int, str] = {}
    ends: dict[int, dt.date | None] = {}
    own_values: set[int] = set()
    for child, vf, vt, life_from, life_to, code, own in places:
        spans[child].append((vf, vt))
        life[child] = (life_from, life_to or _OPEN_END)
        area_codes[child], ends[child] = code, life_to
        if own:
            own_values.add(child)
    if by_area:
        # A child under the area all its life counts whole; otherwise piece by piece, and a
        # piece only partly under the area needs the values themselves.
        partial: dict[int, set[str]] = {}
        for child, ranges in spans.items():
            if any(vf <= life[child][0] and life[child][1] <= vt for vf, vt in ranges):
                continue
            inside = set()
            for code in pieces.label_of:
                p = parse_period(code)
                lo, hi = p.start("gregorian"), p.end("gregorian")
                if any(vf <= lo and hi <= vt for vf, vt in ranges):
                    inside.add(code)
                elif any(vf <= hi and lo <= vt for vf, vt in ranges):
                    return None
            partial[child] = inside
        targets = list(spans)
    else:
        partial = {}
        targets = [area.pk]
        ends = {area.pk: area.valid_to}
    if not targets:
        return Result(rows=[], total=Decimal(0), values_read=0)

    def counts(target: int, piece: str) -> bool:
        return target not in partial or piece in partial[target]

    sums = _Sums()
    stock_ids = {pk for pk, i in by_pk.items() if i.time_aggregation == TimeAggregation.LAST}
    codes = list(pieces.label_of)
    if pieces.coarse and (
        DataTotal.objects.filter(
            indicator_id__in=ids,
            area_id__in=targets,
            period__in=sorted(pieces.coarse),
            grain__in=PERIOD_TYPES[: _RANK[by_time]],
        )
        .exclude(count=0)
        .exists()
    ):
        raise AnalyticsError(
            _("Some values cover a longer period and cannot be divided by %(unit)s.")
            % {"unit": _unit_name(by_time)},
            code="invalid_grouping",
            field="by",
        )
    for i in range(0, len(targets), 500):
        rows = DataTotal.objects.filter(
            indicator_id__in=ids, area_id__in=targets[i : i + 500], period__in=codes
        ).values_list("indicator_id", "area_id", "period", "grain", "value", "count")
        for ind, target, piece, grain, value, count in rows:
            if not count or not counts(target, piece):
                continue
            label = pieces.label_of[piece]
            place = target if by_area else None
            if ind in stock_ids:
                if piece == pieces.last[label]:
                    sums.stocks[(ind, place, label, grain)] += value
                    sums.read += count
            else:
                sums.flows[(ind, place, label)] += value
                sums.read += count
    # The areas' own values (a commune's, or a district's entered at district level), for
    # those that have any.
    with_values = sorted(own_values & set(targets)) if by_area else sorted(own_values)
    latest: dict[tuple[int, int, str, str], tuple[dt.date, dt.date, Decimal]] = {}
    for i in range(0, len(with_values), 500):
        own = DataValue.objects.filter(
            indicator_id__in=ids,
            area_id__in=with_values[i : i + 500],
            period_start__gte=pieces.low,
            period_end__lte=pieces.high,
        ).values_list("indicator_id", "area_id", "period", "period_start", "period_end", "value")
        for ind, target, period, p_start, p_end, value in own:
            found = pieces.find(period)
            if found is None or not counts(target, found[1]):
                continue
            label, piece = found
            if ind in stock_ids:
                if piece == pieces.last[label] and _exists_at_end(ends[target], piece, p_start):
                    key = (ind, target, label, parse_period(period).type)
                    seen = latest.get(key)
                    if seen is None or (p_end, p_start) > (seen[0], seen[1]):
                        latest[key] = (p_end, p_start, value)
            else:
                sums.flows[(ind, target if by_area else None, label)] += value
                sums.read += 1
    for (ind, target, label, grain), (_e, _s, value) in latest.items():
        sums.stocks[(ind, target if by_area else None, label, grain)] += value
        sums.read += 1
    return sums.result(by_pk, by_area, by_time, area_codes)


def _from_values(
    indicators: list[Indicator],
    area: Area,
    pieces: _Pieces,
    on: dt.date,
    by_area: bool,
    by_time: str | None,
    mode: str,
    scope_area_ids: Iterable[int] | None,
) -> Result:
    """Every answer from the values themselves: the current mode, and the reference the
    totals are tested against."""
    # Which units count, and under which child of `area`, by date.
    if mode == "historic":
        members: dict[int, Ranges] = defaultdict(list)
        for desc, vf, vt in AreaTreePath.objects.filter(ancestor=area).values_list(
            "descendant_id", "valid_from", "valid_to"
        ):
            members[desc].append((vf, vt))
        child_of: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
        if by_area:
            children = AreaTreePath.objects.filter(ancestor=area, depth=1).values_list(
                "descendant_id", "valid_from", "valid_to"
            )
            spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
            for c, vf, vt in children:
                spans[c].append((vf, vt))
            for anc, desc, vf, vt in AreaTreePath.objects.filter(
                ancestor_id__in=list(spans)
            ).values_list("ancestor_id", "descendant_id", "valid_from", "valid_to"):
                for cf, ct in spans[anc]:
                    lo, hi = max(vf, cf), min(vt, ct)
                    if lo <= hi:
                        child_of[desc].append((anc, lo, hi))
        candidates = list(members)
    else:
        on_paths = AreaTreePath.objects.filter(ancestor=area, valid_from__lte=on, valid_to__gte=on)
        targets = {d: dp for d, dp in on_paths.values_list("descendant_id", "depth")}
        target_child: dict[int, int] = {}
        if by_area:
            kids = set(on_paths.filter(depth=1).values_list("descendant_id", flat=True))
            for anc, desc in AreaTreePath.objects.filter(
                ancestor_id__in=kids, valid_from__lte=on, valid_to__gte=on
            ).values_list("ancestor_id", "descendant_id"):
                target_child[desc] = anc
        carry = _carry_map(on)
        sources: dict[int, list[tuple[int, Decimal]]] = {t: [(t, Decimal(1))] for t in targets}
        for src, dests in carry.items():
            kept = [(t, s) for t, s in dests if t in targets]
            if kept:
                sources[src] = kept
        candidates = list(sources)

    if scope_area_ids is not None:
        allowed = set(scope_area_ids)
        candidates = [c for c in candidates if c in allowed]

    by_code = {i.pk: i for i in indicators}
    ends = {}
    for i in range(0, len(candidates), 900):
        ends.update(
            Area.objects.filter(pk__in=candidates[i : i + 900]).values_list("pk", "valid_to")
        )
    rows = DataValue.objects.filter(
        indicator__in=indicators,
        area_id__in=candidates,
        period_start__gte=pieces.low,
        period_end__lte=pieces.high,
    ).values_list("indicator_id", "area_id", "period", "period_start", "period_end", "value")

    def places(unit: int, day: dt.date) -> list[tuple[int | None, Decimal]]:
        """Where a unit's value counts, with its share."""
        if mode == "historic":
            if not _within(members.get(unit, []), day):
                return []
            if not by_area:
                return [(None, Decimal(1))]
            child = next((c for c, lo, hi in child_of.get(unit, []) if lo <= day <= hi), None)
            return [] if child is None else [(child, Decimal(1))]  # None: the area itself
        out = []
        for target, share in sources.get(unit, []):
            place = target_child.get(target) if by_area else None
            if by_area and place is None:
                continue
            out.append((place, share))
        return out

    sums = _Sums()
    latest: dict[tuple[int, int, str, str], tuple[dt.date, dt.date, Decimal]] = {}
    for ind, unit, period, p_start, p_end, value in rows.iterator(chunk_size=5000):
        found = pieces.find(period)
        if found is None:
            continue
        label, piece = found
        if by_code[ind].time_aggregation == TimeAggregation.LAST:
            if piece != pieces.last[label] or not _exists_at_end(ends.get(unit), piece, p_start):
                continue
            key = (ind, unit, label, parse_period(period).type)
            seen = latest.get(key)
            if seen is None or (p_end, p_start) > (seen[0], seen[1]):
                latest[key] = (p_end, p_start, value)
            continue
        for place, share in places(unit, p_start):
            sums.flows[(ind, place, label)] += value * share
        sums.read += 1
    for (ind, unit, label, grain), (_e, p_start, value) in latest.items():
        for place, share in places(unit, p_start):
            sums.stocks[(ind, place, label, grain)] += value * share
        sums.read += 1
    return sums.result(by_code, by_area, by_time)


def _tidy(value: Decimal, indicator: Indicator) -> Decimal:
    """Shares can leave long fractions; integer indicators keep 4 decimals at most."""
    return (
        value.quantize(Decimal("0.0001")).normalize()
        if value != value.to_integral()
        else value.quantize(Decimal(1))
    )


__all__ = ["AnalyticsError", "Result", "Row", "analytics"]
