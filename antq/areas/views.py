"""Area browser: the map of administrative units on any date, and each unit's history."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from antq.areas import selectors
from antq.areas.loader import REFORM_DATE
from antq.areas.models import Area, Level, SuccessionKind
from antq.core.vnformat import parse_date

QUICK_DATES = [
    (dt.date(2022, 1, 1), "01/01/2022"),
    (REFORM_DATE - dt.timedelta(days=1), "30/06/2025"),
    (REFORM_DATE, "01/07/2025"),
]


def _read_on(request: HttpRequest) -> tuple[dt.date, str | None]:
    raw = request.GET.get("on", "").strip()
    if not raw:
        return selectors.today(), None
    try:
        return parse_date(raw), None
    except ValueError:
        return selectors.today(), _(
            "“%(value)s” is not a valid date. Enter it as dd/mm/yyyy, for example 01/01/2022."
        ) % {"value": raw[:40]}


def _render(request: HttpRequest, partial: str, context: dict, status: int) -> HttpResponse:
    # htmx swaps only the content block; a plain request gets the whole page around it.
    template = partial if request.headers.get("HX-Request") else "areas/page.html"
    return render(request, template, {**context, "partial": partial}, status=status)


def _rows(children: list[Area], on: dt.date) -> list[dict]:
    communes = selectors.subtree_counts(children, on, Level.COMMUNE)
    subs = selectors.subtree_counts(children, on, Level.DISTRICT)
    return [
        {"area": a, "communes": communes.get(a.pk, 0), "districts": subs.get(a.pk, 0)}
        for a in children
    ]


def _totals(area: Area, rows: list[dict], on: dt.date) -> dict:
    """Units directly under the area, and every district and commune anywhere below it."""
    counts = selectors.subtree_counts([area], on, Level.DISTRICT)
    communes = selectors.subtree_counts([area], on, Level.COMMUNE)
    return {
        "children": len(rows),
        "districts": counts.get(area.pk, 0),
        "communes": communes.get(area.pk, 0),
    }


def browser(request: HttpRequest) -> HttpResponse:
    on, error = _read_on(request)
    country = selectors.nation()
    provinces = list(selectors.area_children(country, on))
    rows = _rows(provinces, on)
    context = {
        "on": on,
        "date_error": error,
        "quick_dates": QUICK_DATES,
        "today": selectors.today(),
        "area": country,
        "ancestors": [],
        "rows": rows,
        "child_level": Level.PROVINCE,
        "totals": _totals(country, rows, on),
    }
    return _render(request, "areas/_content.html", context, 400 if error else 200)


def detail(request: HttpRequest, code: str) -> HttpResponse:
    on, error = _read_on(request)
    try:
        area = selectors.area_by_code(code, on)
    except Area.DoesNotExist:
        holders = list(selectors.areas_with_code(code))
        return _render(
            request,
            "areas/_not_on_date.html",
            {
                "code": code,
                "on": on,
                "date_error": error,
                "quick_dates": QUICK_DATES,
                "today": selectors.today(),
                "holders": [
                    {"area": a, "successors": selectors.area_successors(a, on)} for a in holders
                ],
            },
            404,
        )
    children = list(selectors.area_children(area, on))
    rows = _rows(children, on)
    predecessors = list(selectors.area_successions_in(area))
    child_level = children[0].level if children else None
    context = {
        "on": on,
        "date_error": error,
        "quick_dates": QUICK_DATES,
        "today": selectors.today(),
        "area": area,
        "ancestors": selectors.area_ancestors(area, on),
        "rows": rows,
        "child_level": child_level,
        "totals": _totals(area, rows, on),
        "parent_links": selectors.area_parent_links(area),
        "predecessors": [s for s in predecessors if s.kind != SuccessionKind.DISTRICT_ABOLISHED],
        "absorbed_districts": [
            s for s in predecessors if s.kind == SuccessionKind.DISTRICT_ABOLISHED
        ],
        "successors": selectors.area_successions_out(area),
        "same_code": [a for a in selectors.areas_with_code(area.code) if a.pk != area.pk],
        "bodies": area.bodies.order_by("name"),
    }
    return _render(request, "areas/_content.html", context, 400 if error else 200)
