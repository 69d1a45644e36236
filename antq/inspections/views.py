"""Pages of inspections: the list, and one inspection — its timeline and time limit, the
delegation, sessions, findings, conclusion and recommendations with their follow-up — with
the forms of those who run it, and the results report of the inspected area and period."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from antq.accounts.models import Body
from antq.core.errors import RecordErrors
from antq.indicators.periods import period_of
from antq.inspections import selectors, services
from antq.inspections.documents import conclusion_notice
from antq.inspections.forms import (
    CarryOverForm,
    ConclusionForm,
    FindingForm,
    RecommendationForm,
    SessionForm,
)
from antq.inspections.models import Inspection, Recommendation
from antq.reports.writers import FORMATS, write

STATE_LABELS = {
    "done": gettext_lazy("Done"),
    "done_late": gettext_lazy("Done late"),
    "carried_over": gettext_lazy("Carried over"),
    "overdue": gettext_lazy("Overdue"),
    "in_progress": gettext_lazy("In progress"),
    "not_started": gettext_lazy("Not started"),
}
PHASES = [
    ("preparation", gettext_lazy("Preparation")),
    ("conduct", gettext_lazy("Conduct")),
    ("closing", gettext_lazy("Closing")),
    ("closed", gettext_lazy("Closed")),
]


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.inspections_for(request.user))
    for row in rows:
        row.phase = services.phase(row)
    return render(request, "inspections/list.html", {"rows": rows, "phases": dict(PHASES)})


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = selectors.inspections_for(request.user).filter(pk=pk).first()
    if inspection is None:
        raise Http404(_("No such inspection in your reach."))
    return inspection


def _bodies(inspection: Inspection) -> list[Body]:
    return list(inspection.inspected_bodies.order_by("name"))


def _forms(inspection: Inspection) -> dict:
    bodies = _bodies(inspection)
    return {
        "session": SessionForm(bodies=bodies, initial={"day": inspection.starts_on}),
        "finding": FindingForm(),
        "conclusion": ConclusionForm(initial={"issued_on": timezone.localdate()}),
        "recommendation": RecommendationForm(bodies=bodies),
    }


def _page(request, inspection: Inspection, forms: dict | None = None, status: int = 200):
    today = timezone.localdate()
    recs = list(
        inspection.recommendations.select_related("task__lead_body").prefetch_related(
            "task__assignments__reports"
        )
    )
    for rec in recs:
        rec.state = selectors.recommendation_state(rec, today)
        rec.state_label = STATE_LABELS.get(rec.state, rec.state)
        lead = next((a for a in rec.task.assignments.all() if a.is_lead), None)
        rec.reports = sorted(lead.reports.all(), key=lambda r: r.reported_on) if lead else []
        rec.assignment = lead
    phase = services.phase(inspection)
    left = (inspection.deadline - today).days
    subject = inspection.subjects.order_by("issued_on").first()
    start, end = (
        period_of(inspection.period_start, "year"),
        period_of(inspection.period_end, "year"),
    )
    context = {
        "inspection": inspection,
        "phase": phase,
        "phases": PHASES,
        "phase_index": [p for p, _l in PHASES].index(phase),
        "members": list(inspection.members.select_related("user")),
        "sessions": list(inspection.sessions.select_related("body")),
        "findings": list(inspection.findings.all()),
        "recommendations": recs,
        "subjects": list(inspection.subjects.all()),
        "inspected": _bodies(inspection),
        "may_run": selectors.user_may_run(request.user, inspection),
        "forms": {**_forms(inspection), **(forms or {})},
        "carry": CarryOverForm(),
        "limit_warning": None
        if inspection.conclusion_id or inspection.closed_on
        else ("overdue" if left < 0 else "near" if left <= services.WARN_DAYS else None),
        "report_query": {
            "document": subject.pk if subject else "",
            "area": inspection.area.code,
            "start": start.code,
            "end": end.code,
        },
    }
    return render(request, "inspections/detail.html", context, status=status)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _inspection(request, pk))


def _run(request, pk: int):
    inspection = _inspection(request, pk)
    if not selectors.user_may_run(request.user, inspection):
        raise PermissionDenied(_("Only the delegation and its body's managers run it."))
    return inspection


def _done(request, inspection, message: str):
    messages.success(request, message)
    return redirect("inspections:detail", pk=inspection.pk)


def _submit(request, inspection, name: str, form, save, done: str) -> HttpResponse:
    """One of the page's forms: on valid input the service (`save(cleaned_data)`), then back
    to the page with `done`; its problems land on the form's fields, with status 400."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except RecordErrors as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        else:
            return _done(request, inspection, done)
    return _page(request, inspection, {name: form}, status=400)


def _held_at(data: dict) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))


@require_POST
@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    form = SessionForm(request.POST, bodies=_bodies(inspection))

    def save(data):
        services.session_save(
            actor=request.user,
            inspection=inspection,
            held_at=_held_at(data),
            place=data["place"],
            body=form.bodies.get(data["body"]),
            attendees=data["attendees"],
            agenda=data["agenda"],
            minutes=data["minutes"],
        )

    return _submit(
        request, inspection, "session", form, save, _("The working session has been recorded.")
    )


@require_POST
@login_required
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    return _submit(
        request,
        inspection,
        "finding",
        FindingForm(request.POST),
        lambda data: services.finding_add(actor=request.user, inspection=inspection, **data),
        _("The finding has been recorded."),
    )


@require_POST
@login_required
def conclusion_issue(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    return _submit(
        request,
        inspection,
        "conclusion",
        ConclusionForm(request.POST),
        lambda data: services.conclusion_issue(actor=request.user, inspection=inspection, **data),
        _("The conclusion notice has been issued."),
    )


@require_POST
@login_required
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    form = RecommendationForm(request.POST, bodies=_bodies(inspection))
    return _submit(
        request,
        inspection,
        "recommendation",
        form,
        lambda data: services.recommendation_add(
            actor=request.user,
            inspection=inspection,
            text=data["text"],
            body=form.bodies.get(data["body"] or ""),
            due_on=data["due_on"],
        ),
        _("The recommendation is now a task of the responsible body."),
    )


@require_POST
@login_required
def carry_over(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    rec = Recommendation.objects.filter(inspection=inspection, pk=rec_pk).first()
    if rec is None:
        raise Http404(_("No such recommendation."))
    form = CarryOverForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_carry_over(
                actor=request.user, recommendation=rec, reason=form.cleaned_data["reason"]
            )
        except RecordErrors as exc:
            messages.error(request, " ".join(exc.errors.values()))
        else:
            return _done(request, inspection, _("The recommendation has been carried over."))
    else:
        messages.error(request, _("Say why the recommendation is carried over."))
    return redirect("inspections:detail", pk=inspection.pk)


@login_required
def notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The conclusion notice as DOCX or PDF, for whoever sees the inspection."""
    inspection = _inspection(request, pk)
    if inspection.conclusion_id is None or fmt not in ("docx", "pdf"):
        raise Http404(_("The conclusion notice has not been issued."))
    document = conclusion_notice(inspection)
    response = HttpResponse(write(document, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{document.file_stem}.{fmt}"'
    return response


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    try:
        services.inspection_close(actor=request.user, inspection=inspection)
    except RecordErrors as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect("inspections:detail", pk=inspection.pk)
    return _done(request, inspection, _("The inspection is closed."))
