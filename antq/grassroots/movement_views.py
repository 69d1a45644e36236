"""Pages of the annual assessment of the movement and of the “An toàn về an ninh, trật tự”
recognitions (Thông tư 124/2021/TT-BCA)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from antq.accounts.selectors import Action, user_can, user_scope_roots
from antq.areas.models import Area
from antq.areas.selectors import area_by_code, subtree_counts
from antq.core.vnformat import parse_date
from antq.grassroots import selectors, services, xlsx
from antq.grassroots.models import MovementAssessment, RecognitionResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    today = timezone.localdate()
    return year if 2000 <= year <= today.year else today.year - (1 if today.month < 12 else 0)


def _area(request: HttpRequest, year: int) -> tuple[Area | None, str]:
    code = (request.GET.get("area") or "").strip()
    if not code:
        roots = user_scope_roots(request.user, Action.VIEW)
        return (Area.objects.filter(pk=roots[0]).first() if roots else None), ""
    try:
        return area_by_code(code, dt.date(year, 12, 31)), ""
    except Area.DoesNotExist:
        try:
            return area_by_code(code, timezone.localdate()), ""
        except Area.DoesNotExist:
            return None, _("No area had the code %(code)s.") % {"code": code[:20]}


def _my_communes(user, year: int) -> list[Area]:
    """The communes the user enters data for (their own self-assessment)."""
    on = dt.date(year, 12, 31)
    roots = Area.objects.filter(pk__in=user_scope_roots(user, Action.ENTER), level="commune")
    return [a for a in roots if a.is_valid_on(on)]


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    area, error = _area(request, year)
    sheet = selectors.assessment_sheet(year)
    qs = selectors.assessments_visible_to(request.user, year=year, area=area)
    communes = None
    if area is not None:
        communes = subtree_counts([area], dt.date(year, 12, 31), "commune").get(area.pk)
    return render(
        request,
        "grassroots/assessment_list.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year, 2018, -1)),
            "area": area,
            "error": error,
            "sheet": sheet,
            "rows": Paginator(qs, 50).get_page(request.GET.get("page")),
            "shares": selectors.class_shares(qs),
            "communes": communes,
            "mine": _my_communes(request.user, year),
            "may_set_sheet": sheet is None and selectors.user_may_set_sheet(request.user, None),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def sheet_create(request: HttpRequest) -> HttpResponse:
    """Create a year's criteria sheet from last year's (or the standard one); an existing
    one is replaced only by the body that set it."""
    year = _year(request)
    previous = selectors.assessment_sheet(year - 1)
    criteria = (
        [(c.text, c.max_points) for c in previous.criteria.all()]
        if previous
        else list(services.STANDARD_CRITERIA)
    )
    try:
        services.sheet_save(
            actor=request.user,
            year=year,
            name=f"Tiêu chí đánh giá phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
            criteria=criteria,
            owner=selectors.sheet_owner_for(request.user),
        )
    except services.RecordErrors as exc:
        for message in exc.errors.values():
            messages.error(request, message)
    else:
        messages.success(request, _("The criteria sheet of %(year)s is ready.") % {"year": year})
    return redirect(reverse("grassroots:assessments") + f"?year={year}")


@login_required
def assessment_edit(request: HttpRequest, year: int, area_code: str) -> HttpResponse:
    """The commune's self-assessment: points and evidence per criterion."""
    sheet = selectors.assessment_sheet(year)
    if sheet is None:
        raise Http404(_("No criteria sheet for that year."))
    try:
        area = area_by_code(area_code, dt.date(year, 12, 31))
    except Area.DoesNotExist:
        raise Http404(_("No area had that code.")) from None
    if not user_can(request.user, Action.VIEW, area=area, on=dt.date(year, 12, 31)):
        raise Http404
    existing = MovementAssessment.objects.filter(sheet=sheet, area=area).first()
    if existing and existing.status != "draft":
        return redirect("grassroots:assessment", pk=existing.pk)
    errors, posted = {}, {}
    if request.method == "POST":
        posted = {c.number: request.POST.get(f"c{c.number}", "") for c in sheet.criteria.all()}
        evidence = {c.number: request.POST.get(f"e{c.number}", "") for c in sheet.criteria.all()}
        submit = request.POST.get("action") == "submit"
        try:
            done = services.assessment_self(
                actor=request.user,
                sheet=sheet,
                area=area,
                points={n: v for n, v in posted.items() if v.strip() or submit},
                evidence=evidence,
                submit=submit,
            )
        except services.RecordErrors as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Submitted for review by the level above.") if submit else _("Saved."),
            )
            return redirect("grassroots:assessment", pk=done.pk)
    scores = {s.criterion_id: s for s in existing.scores.all()} if existing else {}
    rows = [
        {
            "criterion": c,
            "value": posted.get(c.number, scores[c.pk].self_points if c.pk in scores else ""),
            "evidence": scores[c.pk].evidence if c.pk in scores else "",
            "error": errors.get(f"c{c.number}", ""),
        }
        for c in sheet.criteria.all()
    ]
    return render(
        request,
        "grassroots/assessment_form.html",
        {
            "sheet": sheet,
            "area": area,
            "rows": rows,
            "errors": errors,
            "assessment": existing,
            "may_enter": user_can(request.user, Action.ENTER, area=area, on=dt.date(year, 12, 31)),
        },
        status=400 if errors else 200,
    )


def _visible_assessment(request: HttpRequest, pk: int) -> MovementAssessment:
    assessment = get_object_or_404(
        MovementAssessment.objects.select_related("sheet", "area"), pk=pk
    )
    on = dt.date(assessment.sheet.year, 12, 31)
    if not user_can(request.user, Action.VIEW, area=assessment.area, on=on):
        raise Http404
    return assessment


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _visible_assessment(request, pk)
    errors = {}
    if request.method == "POST":
        points = {
            s.criterion.number: request.POST.get(f"c{s.criterion.number}", "")
            for s in assessment.scores.select_related("criterion")
        }
        try:
            services.assessment_review(
                actor=request.user,
                assessment=assessment,
                points=points,
                note=request.POST.get("note", ""),
            )
        except services.RecordErrors as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Reviewed: the class is set."))
            return redirect("grassroots:assessment", pk=assessment.pk)
    return render(
        request,
        "grassroots/assessment_detail.html",
        {
            "assessment": assessment,
            "scores": assessment.scores.select_related("criterion"),
            "may_review": assessment.status != "draft"
            and selectors.user_may_review(request.user, assessment),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _xlsx(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{stem}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def _list_xlsx(request: HttpRequest, page: str, selector, workbook, stem: str) -> HttpResponse:
    year = _year(request)
    area, error = _area(request, year)
    if error:
        return redirect(reverse(page) + f"?year={year}")
    qs = selector(request.user, year=year, area=area)
    where = f"{area.name} ({area.code})" if area else "Tất cả"
    return _xlsx(workbook(qs, year, where), f"{stem}-{year}")


@login_required
def assessments_xlsx(request: HttpRequest) -> HttpResponse:
    return _list_xlsx(
        request,
        "grassroots:assessments",
        selectors.assessments_visible_to,
        xlsx.assessments_workbook,
        "antq-danh-gia-phong-trao",
    )


@login_required
def recognitions_xlsx(request: HttpRequest) -> HttpResponse:
    return _list_xlsx(
        request,
        "grassroots:recognitions",
        selectors.recognitions_visible_to,
        xlsx.recognitions_workbook,
        "antq-an-toan-antt",
    )


@login_required
def recognitions(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    area, error = _area(request, year)
    errors, posted = {}, {}
    if request.method == "POST":
        posted = request.POST
        try:
            target = area_by_code(posted.get("area_code", "").strip(), dt.date(year, 12, 31))
        except Area.DoesNotExist:
            errors = {
                "area": _("No area had the code %(code)s at the end of %(year)s.")
                % {"code": posted.get("area_code", "")[:20], "year": year}
            }
        else:
            try:
                services.recognition_save(
                    actor=request.user,
                    area=target,
                    year=year,
                    registered_on=_date(posted.get("registered_on")),
                    result=posted.get("result", "registered"),
                    decided_on=_date(posted.get("decided_on")),
                    decision_number=posted.get("decision_number", ""),
                    note=posted.get("note", ""),
                )
            except services.RecordErrors as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={year}")
    qs = selectors.recognitions_visible_to(request.user, year=year, area=area)
    recognised = qs.filter(result=RecognitionResult.RECOGNISED).count()
    registered = qs.count()
    return render(
        request,
        "grassroots/recognition_list.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year, 2018, -1)),
            "area": area,
            "error": error,
            "rows": Paginator(qs, 50).get_page(request.GET.get("page")),
            "registered": registered,
            "recognised": recognised,
            "share": recognised / registered if registered else 0,
            "results": RecognitionResult.choices,
            "errors": errors,
            "posted": posted,
            "may_enter": bool(user_scope_roots(request.user, Action.ENTER))
            or request.user.is_superuser,
        },
        status=400 if errors or error else 200,
    )


def _date(text: str | None) -> dt.date | None:
    try:
        return parse_date(text or "")
    except ValueError:
        return None
