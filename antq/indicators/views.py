"""Pages for data entry, approval, results and completeness."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from antq.accounts.selectors import Action, user_can, user_can_from_above, user_scope_roots
from antq.areas.models import Area, AreaTreePath
from antq.areas.selectors import area_by_code, area_children
from antq.core.templatetags.antq import vn_number
from antq.core.vnformat import parse_date
from antq.indicators import derived, engine, jobs, selectors, services, xlsx
from antq.indicators.models import DataSet, ImportJob, ImportStatus, Indicator, Submission
from antq.indicators.periods import PeriodError, parse_period, period_of, periods_between


def _area_for_period(code: str, period, calendar: str) -> Area:
    try:
        return area_by_code(code, period.start(calendar))
    except Area.DoesNotExist:
        raise Http404(_("No area had that code in that period.")) from None


def _period(code: str):
    try:
        return parse_period(code)
    except PeriodError:
        raise Http404(_("Not a period.")) from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    data_sets = list(DataSet.objects.order_by("name"))
    data_set = next(
        (d for d in data_sets if d.code == request.GET.get("ds")),
        data_sets[0] if data_sets else None,
    )
    today = timezone.localdate()
    areas, period = [], None
    if data_set is not None:
        default = period_of(today, data_set.period_type, data_set.calendar).shift(-1)
        try:
            period = (
                parse_period(request.GET.get("period", ""))
                if request.GET.get("period")
                else default
            )
        except PeriodError:
            period = default
            messages.error(
                request,
                _("“%(value)s” is not a period.") % {"value": request.GET.get("period", "")[:20]},
            )
        areas = list(
            selectors.entry_areas(request.user, data_set.level, period.start(data_set.calendar))[
                :500
            ]
        )
        subs = {
            s.area_id: s
            for s in Submission.objects.filter(
                data_set=data_set, period=period.code, area__in=areas
            )
        }
        areas = [(a, subs.get(a.pk)) for a in areas]
    return render(
        request,
        "indicators/index.html",
        {
            "data_sets": data_sets,
            "data_set": data_set,
            "period": period,
            "areas": areas,
            "may_approve": bool(user_scope_roots(request.user, Action.APPROVE))
            or request.user.is_superuser,
        },
    )


def _entry_context(request, data_set, area, period, errors=None, values=None, shown=None):
    cells = selectors.entry_form(data_set, area, period)
    sub = selectors.submission_of(data_set, area, period)
    window = selectors.entry_window(data_set, period, timezone.localdate())
    return {
        "data_set": data_set,
        "area": area,
        "period": period,
        "cells": cells,
        "submission": sub,
        "window": window,
        "errors": errors or {},
        "posted": values or {},
        "shown": shown or {},  # what the form showed when opened, kept across a refusal
        "locked": bool(sub and sub.status in ("submitted", "approved")),
        "may_approve": user_can_from_above(
            request.user, Action.APPROVE, area=area, on=period.start(data_set.calendar)
        ),
        "previous": period.shift(-1),
        "period_end": period.end(data_set.calendar),
    }


@login_required
def entry(request: HttpRequest, ds: str, area_code: str, period_code: str) -> HttpResponse:
    data_set = get_object_or_404(DataSet, code=ds)
    period = _period(period_code)
    area = _area_for_period(area_code, period, data_set.calendar)
    on = period.start(data_set.calendar)
    if not user_can(request.user, Action.VIEW, area=area, on=on):
        raise Http404(_("No such form, or you may not see it."))
    if request.method == "POST":
        if not user_can(request.user, Action.ENTER, area=area, on=on):
            raise PermissionDenied(_("You may not enter data for this area."))
        codes = set(data_set.indicators.values_list("code", flat=True))
        values = {c: request.POST[f"v-{c}"] for c in codes if f"v-{c}" in request.POST}
        comments = {c: request.POST.get(f"c-{c}", "") for c in values}
        # what the form showed when it was opened: only the cells changed since are saved
        shown = {
            c: (request.POST[f"o-{c}"], request.POST.get(f"oc-{c}", ""))
            for c in values
            if f"o-{c}" in request.POST
        }
        try:
            services.entry_save(
                data_set=data_set,
                area=area,
                period=period.code,
                values=values,
                comments=comments,
                actor=request.user,
                originals=shown if shown else None,
            )
        except services.EntryErrors as exc:
            context = _entry_context(request, data_set, area, period, exc.errors, values, shown)
            if request.headers.get("HX-Request"):
                return render(request, "indicators/_entry_status.html", context, status=422)
            return render(request, "indicators/entry.html", context, status=400)
        if request.headers.get("HX-Request"):
            return render(
                request,
                "indicators/_entry_status.html",
                {**_entry_context(request, data_set, area, period), "saved": True},
            )
        messages.success(request, _("Saved."))
        return redirect(request.path)
    return render(request, "indicators/entry.html", _entry_context(request, data_set, area, period))


@login_required
@require_POST
def submit(request: HttpRequest, ds: str, area_code: str, period_code: str) -> HttpResponse:
    data_set = get_object_or_404(DataSet, code=ds)
    period = _period(period_code)
    area = _area_for_period(area_code, period, data_set.calendar)
    if not user_can(request.user, Action.ENTER, area=area, on=period.start(data_set.calendar)):
        raise PermissionDenied
    try:
        services.submission_submit(
            data_set=data_set, area=area, period=period.code, actor=request.user
        )
    except services.EntryErrors as exc:
        for message in exc.errors.values():
            messages.error(request, message)
    else:
        messages.success(request, _("Submitted for approval."))
    return redirect("indicators:entry", ds=ds, area_code=area_code, period_code=period.code)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/approvals.html",
        {
            "items": selectors.approval_inbox(request.user),
            "changes": selectors.derived_changes_for(request.user),
        },
    )


@login_required
@require_POST
def derived_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a new count from a registry to an approved report, or keep the approved figure."""
    change = get_object_or_404(
        selectors.derived_changes_for(request.user).model.objects.select_related(
            "indicator", "area"
        ),
        pk=pk,
    )
    if not user_can_from_above(
        request.user, Action.APPROVE, area=change.area, on=_period(change.period).start()
    ):
        raise Http404
    apply = request.POST.get("decision") == "apply"
    try:
        derived.change_decide(change=change, apply=apply, actor=request.user)
    except services.ValueErrors as exc:
        for message in exc.problems:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The new count is in the report.") if apply else _("The approved figure is kept."),
        )
    return redirect("indicators:approvals")


def behind_url(indicator: Indicator, area_code: str, start: str, end: str, **extra) -> str:
    """The drill-down of a derived total: the records it counts."""
    query = {"indicator": indicator.code, "area": area_code, "start": start, "end": end}
    query.update({k: v for k, v in extra.items() if v})
    return reverse("indicators:behind") + "?" + urlencode(query)


@login_required
def behind(request: HttpRequest) -> HttpResponse:
    """The records behind a total counted from a registry (the drill-down)."""
    q = request.GET
    indicator = get_object_or_404(Indicator, code=(q.get("indicator") or "").strip().upper())
    mode = q.get("mode") if q.get("mode") in ("historic", "current") else "historic"
    error, found, area = None, None, None
    try:
        start, end = parse_period(q.get("start", "")), parse_period(q.get("end", ""))
        on = parse_date(q["on"]) if q.get("on") else end.end()
        area = area_by_code((q.get("area") or "").strip(), on)
    except (ValueError, PeriodError) as exc:
        error = str(exc)
    except Area.DoesNotExist:
        error = _("No area had the code %(code)s on that date.") % {"code": q.get("area", "")[:20]}
    if area is not None:
        if not user_can(request.user, Action.VIEW, area=area, on=on):
            raise Http404
        found = derived.records_behind(indicator, area, start, end, mode=mode, on=on)
        if found is None:
            error = _("%(code)s is not counted from a registry: it has no records behind it.") % {
                "code": indicator.code
            }
    total = None
    page = None
    if found is not None:
        result = engine.analytics(
            indicators=[indicator], area=area, start=start, end=end, on=on, mode=mode
        )
        total = result.total
        rows = [
            {
                "cells": [
                    vn_number(c) if isinstance(c, int | float | Decimal) else c
                    for c in found.source.row(record)
                ],
                "url": found.source.url(record) if found.source.url else "",
                "unit": unit,
            }
            for record, unit, _day in found.records
        ]
        page = Paginator(rows, 100).get_page(q.get("page"))
    return render(
        request,
        "indicators/behind.html",
        {
            "indicator": indicator,
            "area": area,
            "found": found,
            "total": total,
            "page": page,
            "mode": mode,
            "error": error,
            "base_query": urlencode([(k, v) for k, v in q.items() if k != "page"]),
            "start": q.get("start", ""),
            "end": q.get("end", ""),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(Submission.objects.select_related("data_set", "area"), pk=pk)
    period = _period(sub.period)
    if not user_can_from_above(
        request.user, Action.APPROVE, area=sub.area, on=period.start(sub.data_set.calendar)
    ):
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.submission_decide(
            submission=sub,
            approve=approve,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except services.EntryErrors as exc:
        for message in exc.errors.values():
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Approved: the data is locked.") if approve else _("Returned to the reporting unit."),
        )
    return redirect("indicators:approvals")


@login_required
def history(request: HttpRequest, code: str, area_code: str, period_code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    period = _period(period_code)
    area = _area_for_period(area_code, period, "gregorian")
    if not user_can(request.user, Action.VIEW, area=area, on=period.start("gregorian")):
        raise Http404
    return render(
        request,
        "indicators/history.html",
        {
            "indicator": indicator,
            "area": area,
            "period": period,
            "changes": selectors.value_history(indicator, area, period.code),
        },
    )


def _default_area(user) -> str:
    roots = user_scope_roots(user, Action.VIEW)
    if roots:
        return Area.objects.filter(pk=roots[0]).values_list("code", flat=True).first() or "20"
    return "20"


def _by_child(*, area: Area, **question) -> engine.Result:
    """Results by the area's child units; an area without any (a commune) is its own row."""
    if AreaTreePath.objects.filter(ancestor=area, depth=1).exists():
        return engine.analytics(area=area, by_area=True, **question)
    result = engine.analytics(area=area, by_area=False, **question)
    rows = [dataclasses.replace(r, area=area.code) for r in result.rows]
    return engine.Result(rows=rows, total=result.total, values_read=result.values_read)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    q = request.GET
    today = timezone.localdate()
    all_indicators = list(Indicator.objects.order_by("code"))
    chosen = [i for i in all_indicators if i.code in q.getlist("indicator")] or [
        i for i in all_indicators if i.code == "MEDIA_ITEMS"
    ]
    mode = q.get("mode", "historic") if q.get("mode") in ("historic", "current") else "historic"
    area_code = (q.get("area") or _default_area(request.user)).strip()
    start_code, end_code = q.get("start", "2019"), q.get("end", "2022")
    error, result, area = None, None, None
    try:
        on = parse_date(q["on"]) if q.get("on") else today
        start, end = parse_period(start_code), parse_period(end_code)
        area = area_by_code(area_code, on)
        if not user_can(request.user, Action.VIEW, area=area, on=on):
            raise PermissionDenied(_("This area is outside your scope."))
        by_time = q.get("time") if q.get("time") in ("year", "quarter", "month") else "year"
        result = _by_child(
            indicators=chosen, area=area, start=start, end=end, on=on, by_time=by_time, mode=mode
        )
    except (ValueError, PeriodError) as exc:
        error = str(exc)
    except Area.DoesNotExist:
        error = _("No area had the code %(code)s on that date.") % {"code": area_code[:20]}
    table, periods, chart = [], [], []
    if result is not None:
        periods = sorted({r.period for r in result.rows})
        names = dict(
            Area.objects.filter(code__in={r.area for r in result.rows}).values_list("code", "name")
        )
        grid: dict[str, dict[str, float]] = {}
        for r in result.rows:
            grid.setdefault(r.area, {}).setdefault(r.period, 0)
            grid[r.area][r.period] += r.value
        counted = chosen[0] if len(chosen) == 1 and chosen[0].derived_source else None
        extra = {
            "mode": mode if mode != "historic" else "",
            "on": q.get("on") or (on.isoformat() if mode == "current" else ""),
        }

        def link(code: str, first: str, last: str) -> str:
            return behind_url(counted, code, first, last, **extra) if counted else ""

        for code in sorted(grid):
            row_total = sum(grid[code].values())
            table.append(
                {
                    "code": code,
                    "name": names.get(code, code),
                    "cells": [(grid[code].get(p, 0), link(code, p, p)) for p in periods],
                    "total": row_total,
                    "url": link(code, start_code, end_code),
                }
            )
        top = max((t["total"] for t in table), default=0) or 1
        chart = [
            {
                "name": t["name"],
                "width": round(440 * float(t["total"]) / float(top), 1),
                "total": t["total"],
                "y": 24 * n,
                "text_y": 24 * n + 13,
            }
            for n, t in enumerate(table)
        ]
    return render(
        request,
        "indicators/dashboard.html",
        {
            "indicators": all_indicators,
            "chosen": {i.code for i in chosen},
            "mode": mode,
            "area": area,
            "area_code": area_code,
            "start": start_code,
            "end": end_code,
            "error": error,
            "result": result,
            "table": table,
            "periods": periods,
            "chart": chart,
            "chart_height": 24 * len(chart) + 4,
            "period_totals": [sum(t["cells"][n][0] for t in table) for n in range(len(periods))],
            "total_url": (
                behind_url(chosen[0], area_code, start_code, end_code, mode=mode, on=on.isoformat())
                if result is not None and len(chosen) == 1 and chosen[0].derived_source
                else ""
            ),
            "query": request.GET.urlencode(),
        },
        status=400 if error else 200,
    )


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    data_sets = list(DataSet.objects.order_by("name"))
    data_set = next(
        (d for d in data_sets if d.code == request.GET.get("ds")),
        data_sets[0] if data_sets else None,
    )
    if data_set is None:
        return render(request, "indicators/completeness.html", {"rows": []})
    today = timezone.localdate()
    try:
        period = parse_period(
            request.GET.get("period")
            or period_of(today, data_set.period_type, data_set.calendar).shift(-1).code
        )
        area = area_by_code(
            request.GET.get("area") or _default_area(request.user), period.start(data_set.calendar)
        )
    except (PeriodError, Area.DoesNotExist):
        raise Http404(_("No such area or period.")) from None
    if not user_can(request.user, Action.VIEW, area=area, on=period.start(data_set.calendar)):
        raise PermissionDenied
    children = list(area_children(area, period.start(data_set.calendar))) or [area]
    rows = selectors.completeness_of(data_set, children, period)
    return render(
        request,
        "indicators/completeness.html",
        {
            "data_sets": data_sets,
            "data_set": data_set,
            "period": period,
            "area": area,
            "rows": rows,
        },
    )


def entry_url(data_set: DataSet, area: Area, period) -> str:
    return reverse(
        "indicators:entry",
        kwargs={"ds": data_set.code, "area_code": area.code, "period_code": period.code},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    """The Excel entry template of a form for an area and a range of periods."""
    data_set = get_object_or_404(DataSet, code=request.GET.get("ds", ""))
    try:
        periods = periods_between(
            request.GET.get("start", ""), request.GET.get("end", ""), data_set.period_type
        )
        area = area_by_code(request.GET.get("area", ""), periods[0].start(data_set.calendar))
    except (PeriodError, IndexError, Area.DoesNotExist):
        messages.error(request, _("Choose an area and a range of periods of the form's kind."))
        return redirect(reverse("indicators:index") + f"?ds={data_set.code}")
    if not user_can(request.user, Action.VIEW, area=area, on=periods[0].start(data_set.calendar)):
        raise Http404
    try:
        content = xlsx.template_workbook(data_set, area, periods)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("indicators:index") + f"?ds={data_set.code}")
    response = HttpResponse(content, content_type=XLSX)
    name = f"antq-{data_set.code}-{area.code}-{periods[0].code}-{periods[-1].code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def template_upload(request: HttpRequest) -> HttpResponse:
    """Import a filled template, all or nothing; every problem located by its cell. The
    import runs in the background (jobs.py) and its page shows how far it got."""
    data_set = get_object_or_404(DataSet, code=request.POST.get("ds") or request.GET.get("ds", ""))
    if request.method != "POST":
        return redirect(reverse("indicators:index") + f"?ds={data_set.code}")
    upload = request.FILES.get("file")
    problem = None
    if upload is None:
        problem = _("Choose the filled template to upload.")
    elif upload.size > 25 * 1024 * 1024:
        problem = _("The file is larger than 25 MB; split it by area or period.")
    if problem:
        context = {"data_set": data_set, "problems": [problem], "counts": None}
        template = (
            "indicators/_import_result.html"
            if request.headers.get("HX-Request")
            else "indicators/import.html"
        )
        return render(request, template, context, status=400)
    job = jobs.import_start(
        data_set=data_set,
        data=upload.read(),
        filename=upload.name or "upload.xlsx",
        user=request.user,
    )
    if request.headers.get("HX-Request") or job.status != ImportStatus.RUNNING:
        return _import_page(request, job)
    return redirect("indicators:import_job", pk=job.pk)


@login_required
def import_job(request: HttpRequest, pk) -> HttpResponse:
    """How far an import got; polled by the page (htmx) or refreshed (without JavaScript)."""
    job = get_object_or_404(ImportJob.objects.select_related("data_set"), pk=pk, user=request.user)
    return _import_page(request, jobs.job_state(job))


def _import_page(request: HttpRequest, job: ImportJob) -> HttpResponse:
    context = {
        "data_set": job.data_set,
        "job": job,
        "problems": job.problems if job.status == ImportStatus.FAILED else [],
        "counts": job.counts if job.status == ImportStatus.DONE else None,
    }
    template = (
        "indicators/_import_job.html"
        if request.headers.get("HX-Request")
        else "indicators/import.html"
    )
    status = 400 if job.status == ImportStatus.FAILED else 200
    return render(request, template, context, status=status)


@login_required
def results_download(request: HttpRequest) -> HttpResponse:
    q = request.GET
    indicators = list(Indicator.objects.filter(code__in=q.getlist("indicator"))) or list(
        Indicator.objects.filter(code="MEDIA_ITEMS")
    )
    try:
        on = parse_date(q["on"]) if q.get("on") else timezone.localdate()
        start, end = parse_period(q.get("start", "2019")), parse_period(q.get("end", "2022"))
        area = area_by_code(q.get("area", "20"), on)
    except (ValueError, PeriodError, Area.DoesNotExist):
        raise Http404(_("No such area or period.")) from None
    if not user_can(request.user, Action.VIEW, area=area, on=on):
        raise PermissionDenied
    mode = q.get("mode") if q.get("mode") in ("historic", "current") else "historic"
    try:
        result = _by_child(
            indicators=indicators, area=area, start=start, end=end, on=on, by_time="year", mode=mode
        )
    except engine.AnalyticsError as exc:
        raise Http404(str(exc)) from None
    names = dict(
        Area.objects.filter(code__in={r.area for r in result.rows}).values_list("code", "name")
    )
    content = xlsx.results_workbook(
        result,
        title=f"{area.name}, {start.code}–{end.code}",
        indicators={i.code: i for i in indicators},
        area_names=names,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="antq-ket-qua-{area.code}-{start.code}-{end.code}.xlsx"'
    )
    return response
