"""Reads of the area tree as of a date. Administrative units are public facts: no scope here.

Each tree read is one indexed query on AreaTreePath (the closure of the parent links).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from antq.areas.models import Area, AreaLink, AreaTreePath, Level, Succession


def today() -> dt.date:
    return timezone.localdate()


def _valid_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def _path_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on, f"{prefix}valid_to__gte": on})


def areas_on(
    on: dt.date, *, level: str | None = None, parent: Area | None = None
) -> QuerySet[Area]:
    """Areas valid on the date, optionally of one level and/or directly under a parent."""
    qs = Area.objects.filter(_valid_on(on))
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(
            pk__in=AreaTreePath.objects.filter(_path_on(on), ancestor=parent, depth=1).values(
                "descendant_id"
            )
        )
    return qs.order_by("code")


def area_by_code(code: str, on: dt.date) -> Area:
    """The area holding this official code on the date; Area.DoesNotExist if none did."""
    return Area.objects.filter(_valid_on(on)).get(code=code.strip())


def areas_with_code(code: str) -> QuerySet[Area]:
    """Every area that has held the code, oldest first."""
    return Area.objects.filter(code=code.strip()).order_by("valid_from")


def area_children(area: Area, on: dt.date) -> QuerySet[Area]:
    return areas_on(on, parent=area)


def area_subtree(
    area: Area, on: dt.date, *, level: str | None = None, include_self: bool = False
) -> QuerySet[Area]:
    paths = AreaTreePath.objects.filter(_path_on(on), ancestor=area)
    if level:
        paths = paths.filter(descendant_level=level)
    if not include_self:
        paths = paths.filter(depth__gt=0)
    return Area.objects.filter(pk__in=paths.values("descendant_id"))


def area_subtree_ids(area_ids: list[int] | QuerySet, on: dt.date) -> QuerySet:
    """Ids of every area under (or equal to) the given ones on the date, as a subquery."""
    return AreaTreePath.objects.filter(_path_on(on), ancestor_id__in=area_ids).values(
        "descendant_id"
    )


def area_is_within(area: Area, ancestor_ids: list[int], on: dt.date) -> bool:
    return AreaTreePath.objects.filter(
        _path_on(on), descendant=area, ancestor_id__in=ancestor_ids
    ).exists()


def area_ancestors(area: Area, on: dt.date, *, include_self: bool = False) -> list[Area]:
    """From the nation down to the area's parent (and the area itself if asked)."""
    paths = (
        AreaTreePath.objects.filter(_path_on(on), descendant=area)
        .select_related("ancestor")
        .order_by("-depth")
    )
    if not include_self:
        paths = paths.filter(depth__gt=0)
    return [p.ancestor for p in paths]


def area_parent(area: Area, on: dt.date) -> Area | None:
    path = (
        AreaTreePath.objects.filter(_path_on(on), descendant=area, depth=1)
        .select_related("ancestor")
        .first()
    )
    return path.ancestor if path else None


def subtree_counts(areas: list[Area], on: dt.date, level: str) -> dict[int, int]:
    """How many areas of `level` lie under each of the given areas on the date (one query)."""
    rows = (
        AreaTreePath.objects.filter(
            _path_on(on), ancestor__in=areas, descendant_level=level, depth__gt=0
        )
        .values("ancestor_id")
        .annotate(n=Count("descendant_id"))
    )
    return {row["ancestor_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Share:
    area: Area
    share: Decimal


def area_successors(area: Area, on: dt.date) -> list[Share]:
    """Where the area's values belong on the date: itself while it exists, else its successors
    (followed through later changes), each with the share it takes. Empty if the area ended
    with no recorded successor, or did not exist yet on the date."""
    if on < area.valid_from:
        return []
    if area.is_valid_on(on):
        return [Share(area, Decimal(1))]
    totals: dict[int, Decimal] = {}
    found: dict[int, Area] = {}
    frontier = [(area, Decimal(1))]
    for _step in range(20):  # successions form no cycles; this bounds a corrupt table
        if not frontier:
            break
        successions = Succession.objects.filter(
            predecessor__in=[a for a, _ in frontier], effective_date__lte=on
        ).select_related("successor")
        by_pred: dict[int, list[Succession]] = {}
        for s in successions:
            by_pred.setdefault(s.predecessor_id, []).append(s)
        next_frontier = []
        for pred, weight in frontier:
            for s in by_pred.get(pred.pk, []):
                share = weight * s.share
                if s.successor.is_valid_on(on):
                    found[s.successor_id] = s.successor
                    totals[s.successor_id] = totals.get(s.successor_id, Decimal(0)) + share
                else:
                    next_frontier.append((s.successor, share))
        frontier = next_frontier
    return sorted(
        (Share(found[pk], share) for pk, share in totals.items()), key=lambda s: s.area.code
    )


def area_successions_in(area: Area) -> QuerySet[Succession]:
    """What the area was formed from (its predecessors), with shares."""
    return area.successions_in.select_related("predecessor").order_by("predecessor__code")


def area_successions_out(area: Area) -> QuerySet[Succession]:
    """What the area became, with shares."""
    return area.successions_out.select_related("successor").order_by("successor__code")


def area_parent_links(area: Area) -> QuerySet[AreaLink]:
    return area.parent_links.select_related("parent").order_by("valid_from")


def area_history(code: str) -> list[dict]:
    """Every area that held the code, each with its parents over time and its successions."""
    out = []
    for area in areas_with_code(code).prefetch_related(
        "parent_links__parent", "successions_in__predecessor", "successions_out__successor"
    ):
        out.append(
            {
                "area": area,
                "parents": sorted(area.parent_links.all(), key=lambda link: link.valid_from),
                "predecessors": sorted(area.successions_in.all(), key=lambda s: s.predecessor.code),
                "successors": sorted(area.successions_out.all(), key=lambda s: s.successor.code),
            }
        )
    return out


def nation() -> Area:
    return Area.objects.get(level=Level.NATION)


def area_ids_under_at_any_time(root_ids: list[int] | QuerySet) -> QuerySet:
    """Ids of every area that has been under the roots at any date, and of the areas those were
    formed from (one level of succession: the communes merged into today's commune), as one
    subquery. This is the reach of today's officials over the records of the past."""
    descendants = AreaTreePath.objects.filter(ancestor_id__in=root_ids).values("descendant_id")
    predecessors = Succession.objects.filter(successor_id__in=descendants).values("predecessor_id")
    return Area.objects.filter(Q(pk__in=descendants) | Q(pk__in=predecessors)).values("pk")


def area_ids_below_at_any_time(root_ids: list[int] | QuerySet) -> QuerySet:
    """As area_ids_under_at_any_time, strictly below the roots: neither the roots themselves
    nor the units they were formed from. This is the reach of the level above."""
    descendants = AreaTreePath.objects.filter(ancestor_id__in=root_ids, depth__gt=0).values(
        "descendant_id"
    )
    predecessors = Succession.objects.filter(successor_id__in=descendants).values("predecessor_id")
    return Area.objects.filter(Q(pk__in=descendants) | Q(pk__in=predecessors)).values("pk")


def _largest(shares: list[tuple[Area, Decimal]]) -> Area | None:
    """The area with the largest share; ties go to the lowest code (deterministic)."""
    if not shares:
        return None
    return sorted(shares, key=lambda s: (-s[1], s[0].code))[0][0]


def area_holder_on(area: Area, on: dt.date) -> Area | None:
    """The unit that held, on the date, a place registered in `area` — for a record that
    lives longer than its unit (a self-management model founded in 2018 in a commune merged
    on 1/7/2025). The area itself while it exists; after its end its successor with the
    largest share (followed through later changes); before its start the predecessor that
    passed it the largest share. None where the chain ends."""
    for _step in range(20):  # successions form no cycles; this bounds a corrupt table
        if area.is_valid_on(on):
            return area
        if area.valid_to is not None and on > area.valid_to:
            shares = [
                (s.successor, s.share)
                for s in Succession.objects.filter(predecessor=area).select_related("successor")
            ]
        else:
            shares = [
                (s.predecessor, s.share)
                for s in Succession.objects.filter(successor=area).select_related("predecessor")
            ]
        nxt = _largest(shares)
        if nxt is None:
            return None
        area = nxt
    return None


def area_related(area: Area) -> set[int]:
    """Ids of the area and of every area linked to it by successions, either way and
    transitively: the units a record registered in `area` can be counted on over time."""
    seen = {area.pk}
    frontier = {area.pk}
    for _step in range(20):
        if not frontier:
            break
        links = Succession.objects.filter(
            Q(predecessor_id__in=frontier) | Q(successor_id__in=frontier)
        ).values_list("predecessor_id", "successor_id")
        found = {pk for pair in links for pk in pair} - seen
        seen |= found
        frontier = found
    return seen
