"""Writes to the area tree: loading the official files, succession shares, the closure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from antq.areas.loader import Plan
from antq.areas.models import (
    LEVEL_RANK,
    OPEN_END,
    Area,
    AreaLink,
    AreaTreePath,
    Level,
    Succession,
)
from antq.areas.signals import tree_changing, tree_rebuilt
from antq.core.services import audit_record

LOADER_SOURCES = ("gso-2025-01-04", "reform-2025-07-01")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0
    successions: int = 0
    tree_paths: int = 0
    kept_admin_shares: int = 0
    stale: list[str] = field(default_factory=list)


_AREA_FIELDS = ("name", "kind", "valid_to", "source", "note")


@transaction.atomic
def areas_load(plan: Plan, *, actor: Any = None) -> LoadResult:
    """Make the database hold exactly the plan's areas, links and successions.

    Idempotent: areas are matched by (code, level, valid_from) and updated in place, so bodies
    and data pointing at them stay attached; a share an administrator set is kept.
    """
    result = LoadResult()
    existing = {(a.code, a.level, a.valid_from): a for a in Area.objects.all()}
    to_create, to_update = [], []
    for key, planned in plan.areas.items():
        area = existing.get(key)
        if area is None:
            to_create.append(
                Area(
                    code=planned.code,
                    level=planned.level,
                    valid_from=planned.valid_from,
                    **{f: getattr(planned, f) for f in _AREA_FIELDS},
                )
            )
        elif any(getattr(area, f) != getattr(planned, f) for f in _AREA_FIELDS):
            for f in _AREA_FIELDS:
                setattr(area, f, getattr(planned, f))
            to_update.append(area)
        else:
            result.unchanged += 1
    Area.objects.bulk_create(to_create, batch_size=2000)
    Area.objects.bulk_update(to_update, _AREA_FIELDS, batch_size=2000)
    result.created, result.updated = len(to_create), len(to_update)
    result.stale = sorted(
        f"{a.name} ({a.code})"
        for key, a in existing.items()
        if key not in plan.areas and a.source in LOADER_SOURCES
    )
    ids = {
        (a.code, a.level, a.valid_from): a.pk
        for a in Area.objects.only("code", "level", "valid_from")
    }

    # Parent links from the files replace the previous load's; links an administrator added
    # (another source) are left alone.
    AreaLink.objects.filter(source__in=LOADER_SOURCES).delete()
    AreaLink.objects.bulk_create(
        [
            AreaLink(
                child_id=ids[link.child],
                parent_id=ids[link.parent],
                valid_from=link.valid_from,
                valid_to=link.valid_to,
                source=link.source,
            )
            for link in plan.links
        ],
        batch_size=2000,
    )
    result.links = len(plan.links)

    admin_shares = {
        (s.predecessor_id, s.successor_id, s.effective_date): s.share
        for s in Succession.objects.filter(share_set_by_admin=True)
    }
    Succession.objects.filter(source__in=LOADER_SOURCES).delete()
    rows = []
    for s in plan.successions:
        key = (ids[s.predecessor], ids[s.successor], s.effective_date)
        kept = admin_shares.get(key)
        rows.append(
            Succession(
                predecessor_id=key[0],
                successor_id=key[1],
                effective_date=s.effective_date,
                kind=s.kind,
                share=kept if kept is not None else s.share,
                share_set_by_admin=kept is not None,
                note=s.note,
                source=s.source,
            )
        )
        result.kept_admin_shares += kept is not None
    Succession.objects.bulk_create(rows, batch_size=2000)
    result.successions = len(rows)
    result.tree_paths = area_tree_rebuild()
    audit_record(
        actor=actor,
        action="areas.load",
        object_type="areas.area",
        summary=_("Loaded the official administrative units"),
        changes={
            "created": result.created,
            "updated": result.updated,
            "links": result.links,
            "successions": result.successions,
        },
    )
    return result


def _intersect(a_from: dt.date, a_to: dt.date, b_from: dt.date, b_to: dt.date):
    start, end = max(a_from, b_from), min(a_to, b_to)
    return (start, end) if start <= end else None


@transaction.atomic
def area_tree_rebuild(units: set[int] | None = None) -> int:
    """Recompute the closure of the parent links (the whole country takes a few seconds).

    `units`: the areas whose ancestors changed, for apps that follow the tree (signals); None
    when any may have."""
    areas = {
        pk: (level, vf, vt or OPEN_END)
        for pk, level, vf, vt in Area.objects.values_list("pk", "level", "valid_from", "valid_to")
    }
    links_by_child: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for child, parent, vf, vt in AreaLink.objects.values_list(
        "child_id", "parent_id", "valid_from", "valid_to"
    ):
        links_by_child[child].append((parent, vf, vt or OPEN_END))
    closure: dict[int, list[tuple[int, int, dt.date, dt.date]]] = {}
    for pk in sorted(areas, key=lambda pk: LEVEL_RANK[areas[pk][0]]):
        _level, vf, vt = areas[pk]
        rows = [(pk, 0, vf, vt)]
        for parent, lf, lt in links_by_child.get(pk, ()):
            span = _intersect(vf, vt, lf, lt)
            if span is None:
                continue
            for ancestor, depth, af, at in closure.get(parent, ()):
                inner = _intersect(span[0], span[1], af, at)
                if inner:
                    rows.append((ancestor, depth + 1, inner[0], inner[1]))
        closure[pk] = rows
    AreaTreePath.objects.all().delete()
    objs = [
        AreaTreePath(
            ancestor_id=ancestor,
            descendant_id=pk,
            depth=depth,
            descendant_level=areas[pk][0],
            valid_from=vf,
            valid_to=vt,
        )
        for pk, rows in closure.items()
        for ancestor, depth, vf, vt in rows
    ]
    AreaTreePath.objects.bulk_create(objs, batch_size=5000)
    tree_rebuilt.send(sender=AreaTreePath, units=units)
    return len(objs)


@transaction.atomic
def area_link_create(
    *, child: Area, parent: Area, valid_from: dt.date, valid_to: dt.date | None, actor: Any
) -> AreaLink:
    """Attach an area under a parent for a period (an administrator's correction, a village)."""
    if LEVEL_RANK[Level(parent.level)] >= LEVEL_RANK[Level(child.level)]:
        raise ValueError(_("A parent must be at a higher level than its child."))
    overlapping = child.parent_links.filter(valid_from__lte=valid_to or OPEN_END).exclude(
        valid_to__lt=valid_from
    )
    if overlapping.exists():
        raise ValueError(_("The area already has a parent in that period."))
    moving = {child.pk} | set(
        AreaTreePath.objects.filter(ancestor=child).values_list("descendant_id", flat=True)
    )
    tree_changing.send(sender=AreaTreePath, units=moving)
    link = AreaLink.objects.create(
        child=child, parent=parent, valid_from=valid_from, valid_to=valid_to, source="admin"
    )
    area_tree_rebuild(units=moving)
    audit_record(actor=actor, action="areas.link_create", obj=link, summary=str(link))
    return link


@transaction.atomic
def succession_set_shares(
    *, predecessor: Area, effective_date: dt.date, shares: dict[int, Decimal], actor: Any
) -> list[Succession]:
    """Set how a split area's values divide among its successors; they must add up to 1."""
    rows = list(
        Succession.objects.select_for_update().filter(
            predecessor=predecessor, effective_date=effective_date
        )
    )
    if {r.successor_id for r in rows} != set(shares):
        raise ValueError(_("Give a share for every successor, and only for them."))
    if any(s < 0 or s > 1 for s in shares.values()):
        raise ValueError(_("Each share must be between 0 and 1."))
    if sum(shares.values()) != Decimal(1):
        raise ValueError(_("The shares must add up to exactly 1."))
    old = {str(r.successor_id): str(r.share) for r in rows}
    for row in rows:
        row.share = shares[row.successor_id]
        row.share_set_by_admin = True
    Succession.objects.bulk_update(rows, ["share", "share_set_by_admin"])
    audit_record(
        actor=actor,
        action="areas.succession_shares",
        obj=predecessor,
        summary=_("Succession shares set"),
        changes={"old": old, "new": {str(k): str(v) for k, v in shares.items()}},
    )
    return rows
